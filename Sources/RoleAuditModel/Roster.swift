import Foundation

/// An HR roster (`--roster FILE.csv`): who works here and who has left. The XP rules read it to
/// find leavers who keep access and people nobody on the roster accounts for.
public struct Roster: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case active, left }

    public struct Entry: Sendable, Hashable {
        /// Lower-cased.
        public var email: String
        public var name: String?
        public var status: Status
        /// The day the person left (UTC midnight), when the roster says.
        public var leftOn: Date?
        /// The row's line in the file (the header is line 1).
        public var line: Int

        public init(email: String, name: String?, status: Status, leftOn: Date?, line: Int) {
            self.email = email
            self.name = name
            self.status = status
            self.leftOn = leftOn
            self.line = line
        }
    }

    /// The file as digested: recorded among the scan's inputs (findings.json, history).
    public var source: SourceFile
    public var entries: [Entry]

    public init(source: SourceFile, entries: [Entry]) {
        self.source = source
        self.entries = entries
    }
}
