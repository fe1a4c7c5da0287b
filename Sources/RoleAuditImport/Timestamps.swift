import Foundation

/// Parses the two timestamp styles the Huntress API mixes: `2026-01-22 01:07:08 UTC` (memberships)
/// and ISO-8601 `2026-01-22T01:07:08Z` (organizations), with optional fraction and offset.
/// By hand because a million memberships carry two million of them and DateFormatter is far slower.
enum Timestamps {
    static func parse(_ text: String) -> Date? {
        if let date = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return date }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    static func parse(bytes all: UnsafeBufferPointer<UInt8>) -> Date? {
        var utf8 = all
        if utf8.count >= 4, utf8[utf8.count - 4] == 0x20, utf8[utf8.count - 3] == 0x55, utf8[utf8.count - 2] == 0x54,
            utf8[utf8.count - 1] == 0x43
        {
            utf8 = UnsafeBufferPointer(rebasing: utf8[0..<(utf8.count - 4)])
        }
        guard utf8.count >= 19 else { return nil }
        func num(_ at: Int, _ n: Int) -> Int? {
            var v = 0
            for i in at..<(at + n) {
                let c = utf8[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), utf8[4] == 0x2D, let mo = num(5, 2), utf8[7] == 0x2D, let d = num(8, 2),
            utf8[10] == 0x20 || utf8[10] == 0x54, let h = num(11, 2), utf8[13] == 0x3A, let mi = num(14, 2),
            utf8[16] == 0x3A, let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < utf8.count, utf8[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 {
                fraction += Double(utf8[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < utf8.count {
            switch utf8[i] {
            case 0x5A where i == utf8.count - 1: break
            case 0x2B, 0x2D:
                guard utf8.count - i == 6, let oh = num(i + 1, 2), utf8[i + 3] == 0x3A, let om = num(i + 4, 2) else { return nil }
                offset = (oh * 3600 + om * 60) * (utf8[i] == 0x2D ? -1 : 1)
            default: return nil
            }
        }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = Double(days * 86400 + h * 3600 + mi * 60 + s - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}
