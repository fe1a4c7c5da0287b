import Foundation

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
        if let record { s += " (\(ErrorText.cut(record)))" }
        return s
    }
}

/// Bad input. Every case says where, what was expected and what was found; the CLI prints it as
/// one line (several, one per file, for `several`) and exits 2 (PRODUCT.md "Exit codes").
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case encoding(InputLocation, expected: String, found: String)
    case syntax(InputLocation, expected: String, found: String)
    case unrecognized(file: String, expected: String, found: String)
    case invalid(InputLocation, expected: String, found: String)
    case noInputs(paths: [String])
    /// Larger than `--max-file-size`.
    case tooLarge(file: String, size: Int, limit: Int)
    /// Exports that cannot all be right: two lists of one kind for one scope, or two files that
    /// say different things about one grant. `files` are named in the message.
    case conflict(files: [String], problem: String, advice: String)
    /// Errors in several files: the first ones, and how many more there were.
    case several([ImportError], more: Int)

    /// Errors listed before the rest are only counted.
    public static let listed = 20

    public var description: String { lines.joined(separator: "\n") }

    /// The message as lines: one, or for several errors a head line and one line per error. A
    /// terminal writer escapes each line on its own, so that a line break inside a quoted value
    /// can never start a line of its own while the breaks between errors stay.
    public var lines: [String] {
        switch self {
        case .several(let errors, let more):
            let head = "\(errors.count + more) inputs could not be read" + (more > 0 ? " (the first \(errors.count) below)" : "") + ":"
            let rest = errors.flatMap { $0.lines.map { "  " + $0 } } + (more > 0 ? ["  ... and \(more) more (fix these and run again to see them)"] : [])
            return [head] + rest
        default:
            return [ErrorText.line(line)]
        }
    }

    private var line: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        case .empty(let file): "\(file): the file is empty; expected a Huntress or Cortex XDR export"
        case .encoding(let at, let expected, let found): "\(at): expected \(expected), found \(found)"
        case .syntax(let at, let expected, let found): "\(at): malformed: expected \(expected), found \(found)"
        case .unrecognized(let file, let expected, let found):
            "\(file): not a recognised export: expected \(expected), found \(found) (if it is no export, leave it out with --exclude '\((file as NSString).lastPathComponent)')"
        case .invalid(let at, let expected, let found): "\(at): expected \(expected), found \(found)"
        case .noInputs(let paths): "no export files found in \(paths.joined(separator: ", "))"
        case .tooLarge(let file, let size, let limit):
            "\(file): cannot read: the file is \(ErrorText.bytes(size)), above the limit of \(ErrorText.bytes(limit)) (raise it with --max-file-size if the file is a real export)"
        case .conflict(let files, let problem, let advice): "\(files.joined(separator: ", ")): \(problem); \(advice)"
        case .several: ""
        }
    }
}

/// Keeps error messages bounded: a value quoted from an export is cut, and no line is longer
/// than `maxLine` characters, whatever the export holds.
enum ErrorText {
    static let maxValue = 80
    static let maxLine = 1000

    /// A value from an export, cut to `maxValue` characters.
    static func cut(_ s: String, to limit: Int = maxValue) -> String {
        // Counting characters of a huge string costs its length: look at a bounded prefix only.
        let head = s.utf8.count <= limit ? s : String(decoding: s.utf8.prefix(limit * 4), as: UTF8.self)
        guard head.count > limit || head.utf8.count < s.utf8.count else { return s }
        return String(head.prefix(limit)) + "…"
    }

    /// A value from an export in double quotes, cut.
    static func quote(_ s: String) -> String { "\"" + cut(s) + "\"" }

    static func line(_ s: String) -> String { cut(s, to: maxLine) }

    static func bytes(_ n: Int) -> String {
        switch n {
        case ..<(1 << 10): "\(n) bytes"
        case ..<(1 << 20): "\(n >> 10) KiB"
        case ..<(1 << 30): String(format: "%.1f MiB", Double(n) / Double(1 << 20))
        default: String(format: "%.1f GiB", Double(n) / Double(1 << 30))
        }
    }
}
