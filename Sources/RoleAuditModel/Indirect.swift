/// A value held out of line, with value semantics (it is never changed in place: a new value is a
/// new box): for a large member that few values of a struct have, so that the struct stays small.
/// Encoded and compared as the value itself.
public final class Indirect<Value: Sendable>: Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

extension Indirect: Equatable where Value: Equatable {
    public static func == (a: Indirect, b: Indirect) -> Bool { a === b || a.value == b.value }
}

extension Indirect: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension Indirect: Codable where Value: Codable {
    public convenience init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(Value.self)) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
