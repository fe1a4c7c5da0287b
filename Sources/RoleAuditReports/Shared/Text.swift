import Foundation

/// Text from an export is anything its vendor let a user type. These are the few ways every
/// writer makes it safe for its format; each writer calls the one its format needs.
enum Text {
    /// XML 1.0 cannot carry most C0 controls, U+FFFE or U+FFFF even as character references: they
    /// are shown as `[U+001B]` so that the document stays well formed and the reader still sees
    /// that something was there.
    static func xmlSafe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !isXMLChar($0) }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isXMLChar(u) { out.unicodeScalars.append(u) } else { out += String(format: "[U+%04X]", u.value) }
        }
        return out
    }

    static func isXMLChar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Character data: `&`, `<`, `>` escaped (and `"` for attribute values).
    static func xmlEscaped(_ s: String, attribute: Bool = false) -> String {
        // Most text needs nothing: a byte scan is much cheaper than rebuilding it scalar by scalar.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || (attribute && ($0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'"))) || $0 == 0xEF })
        {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in xmlSafe(s).unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&#39;"
            // A parser normalises raw newlines and tabs in attributes to spaces: keep them as references.
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// HTML text and attribute values (always quoted with `"`): the same five characters.
    static func html(_ s: String) -> String {
        if !s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<")
            || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") })
        {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // NUL and other C0 controls are parse errors in HTML: shown, not passed through.
            case _ where u.value < 0x20 && u != "\n" && u != "\t": out += String(format: "[U+%04X]", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// One line: runs of whitespace and line breaks become one space, with a limit on length so
    /// that a 10,000-character name does not become a 10,000-character test name or message.
    static func oneLine(_ s: String, limit: Int = 400) -> String {
        // Plain ASCII with single inner spaces is already one line.
        let u = s.utf8
        if u.count <= limit, u.first != 0x20, u.last != 0x20,
            !zip(u, u.dropFirst()).contains(where: { $0 == 0x20 && $1 == 0x20 }), !u.contains(where: { $0 < 0x20 || $0 >= 0x7F })
        {
            return s
        }
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
}
