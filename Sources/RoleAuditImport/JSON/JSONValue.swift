/// A parsed JSON value: one element of an export (a membership, a user, a group). Whole files are
/// never held this way; `JSONReader` streams the top-level lists. `offset` is the byte offset of
/// the value in its file, so errors about a field can name its line and column.
public enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)], offset: Int)
    case array([JSONValue], offset: Int)
    case string(String, offset: Int)
    /// The number's text, as written (ids can exceed Double precision).
    case number(String, offset: Int)
    case bool(Bool, offset: Int)
    case null(offset: Int)

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x, _), .object(let y, _)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x, _), .array(let y, _)): x == y
        case (.string(let x, _), .string(let y, _)): x == y
        case (.number(let x, _), .number(let y, _)): x == y
        case (.bool(let x, _), .bool(let y, _)): x == y
        case (.null, .null): true
        default: false
        }
    }

    public var offset: Int {
        switch self {
        case .object(_, let o), .array(_, let o), .string(_, let o), .number(_, let o), .bool(_, let o), .null(let o): o
        }
    }

    /// The member named `key` of an object, nil otherwise (the reader refuses repeated names).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// What a message calls this kind of value.
    public var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string(let s, _): "the string \(ErrorText.quote(s))"
        case .number(let n, _): "the number \(ErrorText.cut(n))"
        case .bool(let b, _): "\(b)"
        case .null: "null"
        }
    }
}
