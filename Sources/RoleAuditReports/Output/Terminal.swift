/// Text for a terminal or a CI log. Every string from an export that roleaudit prints to stdout
/// or stderr goes through `Terminal.text`, so an export can neither drive the terminal nor write
/// a line that a CI runner reads as a command.
public enum Terminal {
    /// `s` with everything that is not plain printable text shown as `[U+001B]`:
    ///
    /// - C0 controls (ESC, BEL, NUL, tab, and line breaks, so that a value stays on its line), DEL
    ///   and the C1 controls (U+0080 to U+009F; U+009B is a one-byte CSI on some terminals);
    /// - the bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069),
    ///   which reorder what the eye sees, and the line and paragraph separators U+2028, U+2029;
    /// - the openings of CI commands: the second `#` of `##` (Azure Pipelines reads `##vso[`
    ///   anywhere in a line, the GitHub runner `##[`), and the first `:` of a value that starts
    ///   with `::` (GitHub Actions reads `::error::` at the start of a line, after spaces).
    public static func text(_ s: String) -> String {
        if isPlain(s) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        var previous: Unicode.Scalar?
        var leading = true
        var scalars = s.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let u = pending {
            let next = scalars.next()
            if leading && u == ":" && next == ":" {
                Escape.append(u, to: &out)
            } else if shown(u) || (u == "#" && previous == "#") {
                Escape.append(u, to: &out)
            } else {
                out.unicodeScalars.append(u)
            }
            if u != " " { leading = false }
            previous = u
            pending = next
        }
        return out
    }

    /// Printable ASCII with nothing to escape: most text, checked on bytes.
    static func isPlain(_ s: String) -> Bool {
        var previous: UInt8 = 0
        var leading = true
        for b in s.utf8 {
            if b < 0x20 || b >= 0x7F { return false }
            if b == UInt8(ascii: "#") && previous == UInt8(ascii: "#") { return false }
            if leading && b == UInt8(ascii: ":") && previous == UInt8(ascii: ":") { return false }
            if b != UInt8(ascii: " ") && b != UInt8(ascii: ":") { leading = false }
            previous = b
        }
        return true
    }

    /// Scalars a terminal would act on or that change what the eye sees.
    static func shown(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }
}

/// `[U+001B]`: how every format shows a character it cannot or must not carry.
enum Escape {
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func append(_ u: Unicode.Scalar, to out: inout String) {
        out += String(decoding: bytes(u.value), as: UTF8.self)
    }

    /// `[U+XXXX]` with at least four upper-case hex digits.
    static func bytes(_ value: UInt32) -> [UInt8] {
        var digits: [UInt8] = []
        var v = value
        repeat {
            digits.append(hexDigits[Int(v & 0xF)])
            v >>= 4
        } while v != 0 || digits.count < 4
        return Array("[U+".utf8) + digits.reversed() + [UInt8(ascii: "]")]
    }
}

/// Text for the terminal built like `HTML`: literal parts from roleaudit's source, every value
/// interpolated into it through `Terminal.text`.
///
///     out += "  \(severity) \(finding.message)\n"
public struct TerminalText: ExpressibleByStringInterpolation, Sendable {
    public private(set) var text: String

    public init(stringLiteral literal: StaticString) { text = literal.description }

    public init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    /// Text already made safe (a listing's table).
    init(verbatim: String) { text = verbatim }

    /// `parts` with `separator` between them.
    public static func joined(_ parts: [TerminalText], separator: StaticString) -> TerminalText {
        TerminalText(verbatim: parts.map(\.text).joined(separator: separator.description))
    }

    /// Each line of `self` indented by `prefix`.
    public func indented(_ prefix: StaticString) -> TerminalText {
        TerminalText(verbatim: text.split(separator: "\n").map { prefix.description + $0 }.joined(separator: "\n"))
    }

    public static func += (a: inout TerminalText, b: TerminalText) { a.text += b.text }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + interpolationCount * 16) }

        public mutating func appendLiteral(_ literal: StaticString) { text += literal.description }

        public mutating func appendInterpolation(_ value: String?) { text += Terminal.text(value ?? "") }

        public mutating func appendInterpolation<T: RawRepresentable>(_ value: T) where T.RawValue == String { appendInterpolation(value.rawValue) }

        public mutating func appendInterpolation(_ n: Int) { text += String(n) }

        public mutating func appendInterpolation(_ n: Int64) { text += String(n) }

        public mutating func appendInterpolation(_ part: TerminalText) { text += part.text }
    }
}
