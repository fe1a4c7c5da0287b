import Foundation
import RoleAuditReports
import Testing

/// The output layer through its public API: every way it writes a value from an export.
struct OutputLayerTests {
    /// Every scalar a terminal acts on, or that reorders what is shown, is escaped; other text,
    /// any script, passes unchanged.
    @Test func terminalTextShowsControlsAndBidiMarks() {
        let shown = Array(0x00...0x1F) + Array(0x7F...0x9F) + [0x061C, 0x200E, 0x200F] + Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0x2028, 0x2029]
        for value in shown {
            let u = Unicode.Scalar(UInt32(value))!
            let text = Terminal.text("a\(Character(u))b")
            #expect(text == "a[U+\(String(format: "%04X", value))]b", "U+\(String(format: "%04X", value)): \(text)")
        }
        for plain in ["山田太郎", "Zoë O'Brien <zoe@example.com>", "a:b::c", "# heading", "x#y", "C#"] {
            #expect(Terminal.text(plain) == plain)
        }
    }

    @Test(arguments: [
        ("##vso[task.setvariable variable=x]1", "#[U+0023]vso[task.setvariable variable=x]1"),
        ("name ##[error]x", "name #[U+0023][error]x"),
        ("::error file=a::b", "[U+003A]:error file=a::b"),
        ("   ::warning::x", "   [U+003A]:warning::x"),
        ("a::b", "a::b"),
        ("###", "#[U+0023][U+0023]"),
    ])
    func terminalTextBreaksCICommands(input: String, expected: String) {
        #expect(Terminal.text(input) == expected)
    }

    @Test(arguments: [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("``x", "``` ``x ```"),
        ("x`", "`` x` ``"),
        ("a | b", "`a \\| b`"),
        ("@octocat [x](http://e) <img>", "`@octocat [x](http://e) <img>`"),
        ("two\nlines\u{1B}", "`two lines`"),
        ("", ""),
    ])
    func markdownCodeSpans(input: String, expected: String) {
        #expect(Markdown.code(input) == expected)
    }

    @Test func markdownOutsideATableKeepsPipes() {
        #expect(Markdown.code("a | b", inTable: false) == "`a | b`")
    }

    /// Formulas are neutralised also after whitespace; quoting and controls as RFC 4180 and the
    /// README say.
    @Test func csvCellsAreFormulaSafe() {
        let cells = ["=1+2", " =HYPERLINK(\"x\")", "\u{A0}@SUM(A1)", "\n-3", "\tx", "-", "a,b", "say \"hi\"", "bell\u{07}", "x - y", "", "山田"]
        let csv = CSVTable.render(columns: ["cell"], rows: cells.map { [$0] })
        let lines = [
            "cell", "'=1+2", "\"' =HYPERLINK(\"\"x\"\")\"", "'\u{A0}@SUM(A1)", "\"'\n-3\"", "'\tx", "'-", "\"a,b\"",
            "\"say \"\"hi\"\"\"", "bell[U+0007]", "x - y", "", "山田",
        ]
        #expect(csv == lines.map { $0 + "\r\n" }.joined())
    }

    @Test func htmlEscapesEveryInterpolatedValue() {
        let hostile = "\"><script>alert('x')</script>&\u{0}\u{1B}\n\t"
        let markup: HTML = "<td class=\"wrap\" title=\"\(hostile)\">\(hostile)</td>"
        let escaped = "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;[U+0000][U+001B]\n\t"
        #expect(markup.text == "<td class=\"wrap\" title=\"\(escaped)\">\(escaped)</td>")
        let nested: HTML = "<p>\(markup)\(nil as String?)</p>"
        #expect(nested.text == "<p>" + markup.text + "</p>")
    }

    /// JSONOutput writes what JSONEncoder wrote, byte for byte, for every character class.
    @Test func jsonOutputMatchesJSONEncoder() throws {
        struct Sample: Encodable {
            let empty: [String]
            let list: [String]
            let nested: [String: [String: Int]]
            let none: String?
            let number: Int
            let text: String
            let yes: Bool
            enum CodingKeys: String, CodingKey { case empty, list, nested, none, number, text, yes }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(empty, forKey: .empty)
                try c.encode(list, forKey: .list)
                try c.encode(nested, forKey: .nested)
                try c.encode(none, forKey: .none)
                try c.encode(number, forKey: .number)
                try c.encode(text, forKey: .text)
                try c.encode(yes, forKey: .yes)
            }
        }
        var every = ""
        for v in 0..<0x80 { every.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        every += "\u{80}\u{9B}\u{2028}\u{FEFF}é山😀/"
        let sample = Sample(empty: [], list: ["a", every], nested: ["x": [:], "y": ["B": 1, "a": 2]], none: nil, number: -7, text: every, yes: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(sample), as: UTF8.self)
        let written = JSONOutput.render { j in
            j.beginObject()
            j.strings("empty", [String]())
            j.strings("list", sample.list)
            j.object("nested") {
                j.object("x") {}
                j.object("y") {
                    j.field("B", 1)
                    j.field("a", 2)
                }
            }
            j.field("none", nil as String?)
            j.field("number", -7)
            j.field("text", every)
            j.field("yes", true)
            j.endObject()
        }
        #expect(written == expected)
    }
}
