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

    /// What becomes of a byte: written as it is, replaced by an entity, shown as a control
    /// (`[U+0007]`; XML 1.0 has no way to carry it), or the first byte of a UTF-8 sequence that may
    /// be the noncharacter U+FFFE or U+FFFF. The one statement of the escaping: the tables below
    /// are made from it.
    private enum Action { case pass, entity(StaticString), control, maybeNoncharacter }

    private static func action(_ b: UInt8, attribute: Bool) -> Action {
        switch b {
        case 0x26: .entity("&amp;")
        case 0x3C: .entity("&lt;")
        case 0x3E: .entity("&gt;")
        case 0x22 where attribute: .entity("&quot;")
        case 0x27 where attribute: .entity("&#39;")
        case 0x0A where attribute: .entity("&#10;")
        case 0x09 where attribute: .entity("&#9;")
        case 0x0D: .entity("&#13;")
        case 0x0A, 0x09: .pass
        case 0x00..<0x20: .control
        case 0xEF: .maybeNoncharacter
        default: .pass
        }
    }

    /// Per byte: whether `action` passes it on, in character data and in an attribute. Most bytes
    /// are passed: one table load each, not the switch.
    private static func plainTable(attribute: Bool) -> [Bool] {
        (0..<256).map { b in if case .pass = action(UInt8(b), attribute: attribute) { true } else { false } }
    }
    private static let plainInText = plainTable(attribute: false)
    private static let plainInAttribute = plainTable(attribute: true)

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
                    switch Self.action(b, attribute: attribute) {
                    case .pass:
                        i += 1
                    case .entity(let entity):
                        sink.append(UnsafeBufferPointer(rebasing: p[start..<i]))
                        sink.append(entity)
                        i += 1
                        start = i
                    case .control:
                        sink.append(UnsafeBufferPointer(rebasing: p[start..<i]))
                        sink.append(Escape.bytes(UInt32(b)))
                        i += 1
                        start = i
                    case .maybeNoncharacter:
                        guard i + 2 < p.count, p[i + 1] == 0xBF, p[i + 2] == 0xBE || p[i + 2] == 0xBF else {
                            i += 1
                            continue
                        }
                        sink.append(UnsafeBufferPointer(rebasing: p[start..<i]))
                        sink.append(Escape.bytes(p[i + 2] == 0xBE ? 0xFFFE : 0xFFFF))
                        i += 3
                        start = i
                    }
                }
                sink.append(UnsafeBufferPointer(rebasing: p[start..<p.count]))
            }
        }
    }
}
