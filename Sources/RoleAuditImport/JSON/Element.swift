import Foundation

/// One JSON value of an export with where it sits (`memberships[3].user`), so that every field
/// read can fail with the file, line, column, record, what was expected and what was found.
struct Element {
    let value: JSONValue
    /// The list (or member) the element is in: shared, never built per element.
    let root: String
    let index: Int?
    /// `.user.email`, `.groups[2]`: built only when a field is looked into.
    let suffix: String
    let locator: Locator

    init(value: JSONValue, root: String, index: Int? = nil, suffix: String = "", locator: Locator) {
        self.value = value
        self.root = root
        self.index = index
        self.suffix = suffix
        self.locator = locator
    }

    init(value: JSONValue, path: String, locator: Locator) {
        self.init(value: value, root: path, locator: locator)
    }

    /// `memberships[3].user.email`, for messages.
    var path: String { root + (index.map { "[\($0)]" } ?? "") + suffix }

    func error(_ expected: String, found: JSONValue? = nil, at offset: Int? = nil) -> ImportError {
        let v = found ?? value
        return .invalid(locator.location(offset ?? v.offset, record: path), expected: expected, found: v.kindName)
    }

    func missing(_ key: String) -> ImportError {
        .invalid(locator.location(value.offset, record: path), expected: "a member \"\(key)\"", found: "an object without it")
    }

    func child(_ key: String) -> Element? { value[key].map { member(key, $0) } }

    /// The element of a member: its path (a new string) is built only where one is needed, for an
    /// element read further or for a message, not for every field a record reads.
    private func member(_ key: String, _ v: JSONValue) -> Element {
        Element(value: v, root: root, index: index, suffix: suffix + "." + key, locator: locator)
    }

    /// The object under `key`; nil when absent or null.
    func object(_ key: String) throws -> Element? {
        guard let c = child(key), !c.value.isNull else { return nil }
        guard case .object = c.value else { throw c.error("an object or null for \"\(key)\"") }
        return c
    }

    func requireObject() throws {
        guard case .object = value else { throw error("an object") }
    }

    /// A string member; nil when absent or null. `allowNumber` accepts ids written as numbers.
    func string(_ key: String, allowNumber: Bool = false) throws -> String? {
        guard let v = value[key] else { return nil }
        switch v {
        case .null: return nil
        case .string(let s, _): return s
        case .number(let n, _) where allowNumber: return n
        default: throw member(key, v).error(allowNumber ? "a string or number for \"\(key)\"" : "a string for \"\(key)\"")
        }
    }

    func requiredString(_ key: String, allowNumber: Bool = false) throws -> String {
        guard value[key] != nil else { throw missing(key) }
        guard let s = try string(key, allowNumber: allowNumber) else {
            throw child(key)?.error("a string for \"\(key)\"") ?? missing(key)
        }
        return s
    }

    /// An id: numbers and strings both occur (`group_id` is "1234" in one SDK type and 1234 in another).
    func id(_ key: String) throws -> String? { try string(key, allowNumber: true) }

    func bool(_ key: String) throws -> Bool? {
        guard let v = value[key] else { return nil }
        switch v {
        case .null: return nil
        case .bool(let b, _): return b
        default: throw member(key, v).error("true or false for \"\(key)\"")
        }
    }

    /// Seconds since 1970 of the dates an export can plausibly hold (1990 to 2100): anything else is
    /// a wrong unit or a broken value, never a last login.
    static let plausibleEpoch: ClosedRange<Double> = 631_152_000...4_102_444_800

    /// Epoch milliseconds (Cortex). nil when absent; `.never` when null.
    func epochMilliseconds(_ key: String) throws -> LastLoginValue {
        guard let v = value[key] else { return .absent }
        // The member's element for messages only (see `member`).
        let c = { member(key, v) }
        switch v {
        case .null: return .null
        case .number(let n, _):
            guard let ms = Double(n), ms.isFinite, ms >= 0 else { throw c().error("epoch milliseconds for \"\(key)\"") }
            if ms == 0 { return .null }
            guard Self.plausibleEpoch.contains(ms / 1000) else {
                let seconds = Self.plausibleEpoch.contains(ms) ? " (that looks like seconds)" : ""
                throw c().error("epoch milliseconds of a date between 1990 and 2100 for \"\(key)\"\(seconds)")
            }
            return .date(Date(timeIntervalSince1970: ms / 1000))
        default: throw c().error("epoch milliseconds (a number) or null for \"\(key)\"")
        }
    }

    /// Elements of the array under `key`; empty when absent or null.
    func array(_ key: String) throws -> [Element] {
        guard let v = value[key], !v.isNull else { return [] }
        guard case .array(let items, _) = v, !items.isEmpty else {
            if case .array = v { return [] }
            throw member(key, v).error("an array for \"\(key)\"")
        }
        let c = member(key, v)
        return items.enumerated().map { Element(value: $1, root: root, index: index, suffix: "\(c.suffix)[\($0)]", locator: locator) }
    }

    /// An array of strings; nulls dropped (the vendor's own example shows `[null]` for an empty group).
    func strings(_ key: String) throws -> [String] {
        try array(key).compactMap { e in
            switch e.value {
            case .null: return nil
            case .string(let s, _): return s
            default: throw e.error("a string")
            }
        }
    }
}

enum LastLoginValue {
    case absent, null
    case date(Date)
}
