/// Where in an input a problem is: the file, and a line and column or a record.
public struct InputLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// A JSON path (`memberships[3].user.email`), a CSV record (`record 12`) or an XML element.
    public var record: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, record: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.record = record
    }

    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        if let record { s += " (\(record))" }
        return s
    }
}

/// Bad input. Every case says where, what was expected and what was found; the CLI prints it as
/// one line and exits 2 (PRODUCT.md "Exit codes").
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case encoding(InputLocation, expected: String, found: String)
    case syntax(InputLocation, expected: String, found: String)
    case unrecognized(file: String, expected: String, found: String)
    case invalid(InputLocation, expected: String, found: String)
    case noInputs(paths: [String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        case .empty(let file): "\(file): the file is empty; expected a Huntress or Cortex XDR export"
        case .encoding(let at, let expected, let found): "\(at): expected \(expected), found \(found)"
        case .syntax(let at, let expected, let found): "\(at): malformed: expected \(expected), found \(found)"
        case .unrecognized(let file, let expected, let found): "\(file): not a recognised export: expected \(expected), found \(found)"
        case .invalid(let at, let expected, let found): "\(at): expected \(expected), found \(found)"
        case .noInputs(let paths): "no export files found in \(paths.joined(separator: ", "))"
        }
    }
}
