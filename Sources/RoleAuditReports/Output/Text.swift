import Foundation
import RoleAuditModel

/// Text from an export is anything its vendor let a user type.
enum Text {
    /// One line: runs of whitespace and line breaks become one space, with a limit on length so
    /// that a 10,000-character name does not become a 10,000-character test name or message.
    static func oneLine(_ s: String, limit: Int = 400) -> String {
        // Plain ASCII with single inner spaces is already one line: checked in one pass over the
        // bytes, as most cells of a large scan are, and returned without a copy.
        if s.utf8.count <= limit, isOneLine(s.utf8) { return s }
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

    private static func isOneLine(_ u: String.UTF8View) -> Bool {
        var previous: UInt8 = 0x20
        for b in u {
            if b < 0x20 || b >= 0x7F || (b == 0x20 && previous == 0x20) { return false }
            previous = b
        }
        return previous != 0x20 || u.isEmpty
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
