import Foundation
import RoleAuditModel

/// Text from an export is anything its vendor let a user type.
enum Text {
    /// One line: runs of whitespace and line breaks become one space, with a limit on length so
    /// that a 10,000-character name does not become a 10,000-character test name or message.
    static func oneLine(_ s: String, limit: Int = 400) -> String {
        // Plain ASCII with single inner spaces is already one line: checked in one pass over the
        // bytes, as most cells of a large scan are, and returned without a copy.
        if s.utf8.count <= limit, s.utf8.withContiguousStorageIfAvailable(isOneLine) ?? isOneLine(s.utf8) { return s }
        var out = ""
        var space = false
        for c in s.unicodeScalars {
            if c.properties.isWhitespace || c.value < 0x20 {
                space = !out.isEmpty
            } else {
                if space { out += " " }
                space = false
                out.unicodeScalars.append(c)
            }
        }
        guard out.count > limit else { return out }
        return String(out.prefix(limit - 1)) + "…"
    }

    /// No control byte, no Unicode white space (what the slow path folds), no space at either end
    /// or next to another. Other non-ASCII text passes: junit.xml's test names are joined with a
    /// middle dot, and sending each through the scalar-by-scalar path was 3 % of a large scan.
    /// Read on the string's bytes in place (an index walk and an array per non-ASCII scalar
    /// before).
    private static func isOneLine<C: Collection<UInt8>>(_ u: C) -> Bool where C.Index == Int {
        var previous: UInt8 = 0x20
        var i = u.startIndex
        while i != u.endIndex {
            let b = u[i]
            if b < 0x20 || b == 0x7F || (b == 0x20 && previous == 0x20) { return false }
            if b >= 0xC2 && b <= 0xE3 && unicodeSpace(u, i) { return false }
            previous = b
            i += 1
        }
        return previous != 0x20 || u.isEmpty
    }

    private static func isOneLine(_ u: String.UTF8View) -> Bool { isOneLine(Array(u)) }

    /// Whether the scalar starting at `i` is white space beyond ASCII: U+0085, U+00A0, U+1680,
    /// U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 (Unicode's White_Space).
    private static func unicodeSpace<C: Collection<UInt8>>(_ u: C, _ i: Int) -> Bool where C.Index == Int {
        let n = u.endIndex - i
        guard n >= 2 else { return false }
        let third: UInt8? = n >= 3 ? u[i + 2] : nil
        switch (u[i], u[i + 1]) {
        case (0xC2, 0x85), (0xC2, 0xA0): return true
        case (0xE1, 0x9A): return third == 0x80
        case (0xE2, 0x80): return third.map { $0 <= 0x8A || $0 == 0xA8 || $0 == 0xA9 || $0 == 0xAF } ?? false
        case (0xE2, 0x81): return third == 0x9F
        case (0xE3, 0x80): return third == 0x80
        default: return false
        }
    }
}

/// Times as every report prints them (`2026-11-23T00:00:00Z`, as `Date.iso8601` does), through
/// one formatter, each distinct time formatted once: `Date.iso8601` creates a formatter per call,
/// and the findings of a scan with history (first seen) or the principals of a large tenant (last
/// login) are hundreds of thousands of calls.
final class TimeText {
    private let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }()
    private var texts: [Date: String] = [:]

    func callAsFunction(_ date: Date?) -> String? {
        guard let date else { return nil }
        if let text = texts[date] { return text }
        let text = formatter.string(from: date)
        if texts.count < 4_096 { texts[date] = text }
        return text
    }
}
