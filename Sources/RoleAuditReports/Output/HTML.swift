/// Markup that is safe by construction. Its literal parts can only be string literals written in
/// roleaudit's source (`StaticString`: no value computed at run time can become one), and every
/// value interpolated into it is escaped on its way in; there is no initializer from a run-time
/// `String`. So a report section cannot put text from an export into the page unescaped:
///
///     out.write("<td class=\"wrap\" dir=\"auto\">\(finding.principal)</td>")
///
/// writes the principal escaped, whatever it holds. Attribute values are always written between
/// double quotes, where the same escaping makes them safe.
///
/// report.html is built with this type, section by section, straight into the file, rather than
/// with a template library from the mirror. Measured on the project machine (2 cores, release, a
/// scratch harness outside the repository rendering the page's heaviest sections as a
/// 1,000,000-membership scan fills them: 5,000 finding rows, 500 principals with their grants, a
/// 200 x 60 access matrix; 3.7 MB of HTML): this type 30 to 41 ms and 21 MB peak; swift-mustache
/// 2.1.1 from dictionaries 1.46 to 1.55 s and 36 MB; JohnSundell/Plot 0.14.0 1.49 to 1.63 s and
/// 68 MB. Both libraries build the whole page as one `String` before it can be written, and
/// neither is fit for export text as it is: Mustache leaves the C0 controls HTML forbids, and
/// Plot writes attribute values unescaped (`data-scope="` then the value as given) and leaves
/// text that looks like an entity reference (`&lt;`) unescaped, so that it shows as `<`.
public struct HTML: ExpressibleByStringInterpolation, Sendable {
    var bytes: [UInt8]

    public static let empty = HTML(bytes: [])

    init(bytes: [UInt8]) { self.bytes = bytes }

    public init(stringLiteral literal: StaticString) {
        bytes = literal.withUTF8Buffer { Array($0) }
    }

    public init(stringInterpolation: StringInterpolation) { bytes = stringInterpolation.bytes }

    /// The markup as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The stylesheet and script compiled into roleaudit (Sources/RoleAuditReports/HTML/Resources).
    init(embedded resource: [UInt8]) { bytes = resource }

    /// `parts` one after another.
    public init(_ parts: some Sequence<HTML>) {
        bytes = []
        for p in parts { bytes += p.bytes }
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var bytes: [UInt8]

        public init(literalCapacity: Int, interpolationCount: Int) {
            bytes = []
            bytes.reserveCapacity(literalCapacity + interpolationCount * 24)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        /// Text, escaped; nothing for nil.
        public mutating func appendInterpolation(_ text: String?) {
            guard var text else { return }
            text.withUTF8 { HTML.escape($0, into: &bytes) }
        }

        /// A word of roleaudit's vocabulary (severity, status, platform), escaped all the same.
        public mutating func appendInterpolation<T: RawRepresentable>(_ value: T) where T.RawValue == String {
            appendInterpolation(value.rawValue)
        }

        public mutating func appendInterpolation(_ n: Int) { bytes += Array(String(n).utf8) }
        public mutating func appendInterpolation(_ n: Int64) { bytes += Array(String(n).utf8) }

        /// A coordinate of the trend chart: digits, `.`, `-` and `e` only.
        public mutating func appendInterpolation(_ x: Double) { bytes += Array(x.description.utf8) }

        /// Markup already safe.
        public mutating func appendInterpolation(_ markup: HTML) { bytes += markup.bytes }
    }

    /// HTML text and attribute values (always between `"`): `&`, `<`, `>`, `"` and `'` as
    /// references; C0 controls other than tab and line feed, which are parse errors in HTML, shown
    /// as `[U+000D]`.
    static func escape(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var start = 0
        for i in 0..<text.count {
            let b = text[i]
            guard b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 else { continue }
            if b == 0x0A || b == 0x09 { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i]))
            switch b {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            default: out += Escape.bytes(UInt32(b))
            }
            start = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<text.count]))
    }
}

/// report.html as it is written: markup goes straight to the file.
public final class HTMLOutput {
    private let sink: ByteSink

    init(_ sink: ByteSink) { self.sink = sink }

    public func write(_ markup: HTML) { sink.append(markup.bytes) }
}
