/// XML character data and attribute values, escaped on bytes as they are written.
///
/// XML 1.0 cannot carry most C0 controls, U+FFFE or U+FFFF even as character references: they are
/// shown as `[U+001B]` so that the document stays well formed and the reader still sees that
/// something was there. `&`, `<` and `>` are references; in an attribute (always between `"`)
/// also `"`, `'`, and the line feed and tab that a parser would otherwise normalise to spaces;
/// a carriage return is a reference everywhere.
public final class XMLOutput {
    private let sink: ByteSink

    init(_ sink: ByteSink) { self.sink = sink }

    /// Markup written in roleaudit's source.
    public func markup(_ literal: StaticString) { sink.append(literal) }

    public func number(_ n: Int) { sink.append(n) }

    /// Character data.
    public func text(_ s: String) { escape(s, attribute: false) }

    /// An attribute value; the caller writes the quotes.
    public func attribute(_ s: String) { escape(s, attribute: true) }

    /// Per byte: whether it is written as it is, in character data and in an attribute (every
    /// byte the switch below would pass on). Most bytes are: one table load each, not the switch.
    private static let plainInText: [Bool] = (0..<256).map { b in
        !(b < 0x20 && b != 0x0A && b != 0x09 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0xEF)
    }
    private static let plainInAttribute: [Bool] = (0..<256).map { b in
        !(b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0xEF)
    }

    private func escape(_ s: String, attribute: Bool) {
        var s = s
        let table = attribute ? Self.plainInAttribute : Self.plainInText
        table.withUnsafeBufferPointer { plain in
            s.withUTF8 { p in
                var start = 0
                var i = 0
                while i < p.count {
                    let b = p[i]
                    if plain[Int(b)] {
                        i += 1
                        continue
                    }
                    var replacement: StaticString?
                    var skip = 1
                    switch b {
                    case 0x26: replacement = "&amp;"
                    case 0x3C: replacement = "&lt;"
                    case 0x3E: replacement = "&gt;"
                    case 0x22 where attribute: replacement = "&quot;"
                    case 0x27 where attribute: replacement = "&#39;"
                    case 0x0A where attribute: replacement = "&#10;"
                    case 0x09 where attribute: replacement = "&#9;"
                    case 0x0D: replacement = "&#13;"
                    case 0x0A, 0x09:
                        i += 1
                        continue
                    case 0x00..<0x20: break
                    case 0xEF where i + 2 < p.count && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF):
                        skip = 3
                    default:
                        i += 1
                        continue
                    }
                    sink.append(UnsafeBufferPointer(rebasing: p[start..<i]))
                    if let replacement {
                        sink.append(replacement)
                    } else if skip == 3 {
                        sink.append(Escape.bytes(p[i + 2] == 0xBE ? 0xFFFE : 0xFFFF))
                    } else {
                        sink.append(Escape.bytes(UInt32(b)))
                    }
                    i += skip
                    start = i
                }
                sink.append(UnsafeBufferPointer(rebasing: p[start..<p.count]))
            }
        }
    }
}
