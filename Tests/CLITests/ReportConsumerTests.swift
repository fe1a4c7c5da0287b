import CSV
import Foundation
import Testing

/// The reports as their real consumers read them: both JUnit schemas (xmllint) and a JUnit
/// reader (junitparser), Python's csv module, the SARIF schema (jsonschema) and headless
/// Chromium. Run on the samples and on exports full of hostile text. `bash .ci/run` installs the
/// tools; a missing tool fails the test with the command that installs it.
@Suite struct ReportConsumerTests {
    static let root = CommittedReportsTests.root
    static let fixtures = root.appendingPathComponent("Tests/CLITests/Fixtures")

    enum Input: String, CaseIterable, CustomTestStringConvertible {
        case samples, adversarial
        var arguments: [String] {
            switch self {
            case .samples: ["samples/", "--policy", "samples/roleaudit.yml"]
            case .adversarial: ["Tests/CLITests/Fixtures/adversarial"]
            }
        }
        var testDescription: String { rawValue }
    }

    /// Scans `input` into a fresh folder with every format, as a user would.
    static func reports(_ input: Input) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-consumers-\(UUID().uuidString)")
        let r = try Executable.run(
            ["scan"] + input.arguments + ["--output", out.path, "--format", "html,csv,junit,json,sarif", "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            in: root)
        #expect(r.status == 0, "\(r.stderr)")
        return out
    }

    /// Runs a tool by name from PATH.
    static func tool(_ arguments: [String], in directory: URL? = nil) throws -> Executable.Result {
        let r = try Executable.run(arguments, executable: URL(fileURLWithPath: "/usr/bin/env"), in: directory)
        #expect(r.status != 127, "\(arguments[0]) is not installed: bash .ci/run installs it")
        return r
    }

    static func findingsJSON(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("findings.json"))) as? [String: Any] ?? [:]
    }

    @Test(arguments: Input.allCases)
    func junitValidatesAgainstBothSchemas(_ input: Input) throws {
        let dir = try Self.reports(input)
        defer { try? FileManager.default.removeItem(at: dir) }
        for schema in ["junit-jenkins-xunit-10.xsd", "junit-windyroad-ant.xsd"] {
            let r = try Self.tool(["xmllint", "--noout", "--schema", Self.fixtures.appendingPathComponent("schemas/\(schema)").path, dir.appendingPathComponent("junit.xml").path])
            #expect(r.status == 0, "\(schema): \(r.stderr)")
        }
    }

    @Test(arguments: Input.allCases)
    func junitReaderSeesTheDeclaredCounts(_ input: Input) throws {
        let dir = try Self.reports(input)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.tool([Python.executable, Self.fixtures.appendingPathComponent("consumers/junit_counts.py").path, dir.appendingPathComponent("junit.xml").path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        // A failing case per open finding, a skipped one per waived finding.
        let summary = try Self.findingsJSON(dir)["summary"] as? [String: Any]
        let open = summary?["open"] as? Int ?? -1
        #expect(r.stdout.contains("failures=\(open) "), "\(r.stdout) vs \(open) open findings")
    }

    @Test(arguments: Input.allCases)
    func csvReadsBackByteForByte(_ input: Input) throws {
        let dir = try Self.reports(input)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = Self.fixtures.appendingPathComponent("consumers/csv_readback.py").path
        // Columns of roleaudit's own vocabulary (never user text) are exempt from the formula check.
        let findings = try Self.tool([Python.executable, script, dir.appendingPathComponent("findings.csv").path,
            "severity", "rule_id", "category", "status", "platform", "evidence_count", "fingerprint", "first_seen"])
        #expect(findings.status == 0, "\(findings.stdout)")
        let count = (try Self.findingsJSON(dir)["findings"] as? [Any])?.count ?? -1
        #expect(findings.stdout.contains("rows=\(count)\n"))
        let entitlements = try Self.tool([Python.executable, script, dir.appendingPathComponent("entitlements.csv").path,
            "platform", "kind", "last_login", "role_status", "level", "risk_tier", "source_line", "open_findings"])
        #expect(entitlements.status == 0, "\(entitlements.stdout)")
    }

    @Test(arguments: Input.allCases)
    func sarifValidatesAgainstTheSchema(_ input: Input) throws {
        let dir = try Self.reports(input)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.tool([Python.executable, Self.fixtures.appendingPathComponent("consumers/sarif_validate.py").path,
            Self.fixtures.appendingPathComponent("schemas/sarif-schema-2.1.0.json").path, dir.appendingPathComponent("findings.sarif").path])
        #expect(r.status == 0, "\(r.stdout)")
    }

    @Test(arguments: Input.allCases)
    func htmlRendersFiltersAndRequestsNothing(_ input: Input) throws {
        let dir = try Self.reports(input)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Nothing to fetch: every src/href/action is an in-page anchor, and the CSP forbids the rest.
        let external = try Regex(#"(src|href|action)\s*=\s*"(?!#)|url\("#)
        #expect(html.firstMatch(of: external) == nil)
        #expect(html.contains("content=\"default-src 'none';"))
        // Chromium renders it (1280x900 PNG) and runs the filters from the address.
        let png = dir.appendingPathComponent("shot.png")
        let shot = try Self.tool(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--screenshot=\(png.path)", "--window-size=1280,900", page.absoluteString])
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try [UInt8](Data(contentsOf: png))
        #expect(bytes.count > 24 && bytes[12..<16] == [0x49, 0x48, 0x44, 0x52][...])  // IHDR
        #expect(bytes.count > 24 && Array(bytes[16..<24]) == [0, 0, 0x05, 0x00, 0, 0, 0x03, 0x84])  // 1280 x 900
        let total = (try Self.findingsJSON(dir)["findings"] as? [[String: Any]]) ?? []
        let high = total.filter { $0["severity"] as? String == "high" }.count
        let dom = try Self.tool(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString + "#severity=high"])
        #expect(dom.stdout.contains("Showing \(high) of \(total.count) findings"), "filter count missing from the DOM")
        #expect(!dom.stdout.contains("<form id=\"filters\" class=\"filters\" hidden"), "the filter form stays hidden")
        if input == .adversarial {
            // Hostile names are text in the DOM, never elements.
            #expect(!dom.stdout.contains("<script>alert") && !dom.stdout.contains("<img src=x"))
            #expect(dom.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.example"))
            #expect(dom.stdout.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(dom.stdout.contains("山田太郎"))
        }
    }

    /// junit.xml's case names are unique within a suite: two principals whose first 300 characters
    /// agree print alike, and the second case takes its fingerprint. With ASCII names (kept by their
    /// bytes) and with accented ones (compared as strings).
    @Test(arguments: ["x", "\u{E9}"])
    func junitCaseNamesStayUnique(letter: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-junit-names-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("exports"), withIntermediateDirectories: true)
        let emails = ["1", "2"].map { String(repeating: letter, count: 310) + "\($0)@a.example" }
        let grants = emails.flatMap { e in
            ["9021", "9022"].map { #"{"platform": "huntress", "principal": "\#(e)", "role": "User", "level": "organization", "target": "\#($0)"}"# }
        }
        let snapshot = """
            {"roleaudit_snapshot": 1,
             "organizations": [{"platform": "huntress", "id": "9021", "name": "A"}, {"platform": "huntress", "id": "9022", "name": "B"}],
             "principals": [\(emails.map { #"{"platform": "huntress", "email": "\#($0)"}"# }.joined(separator: ", "))],
             "grants": [\(grants.joined(separator: ", "))]}
            """
        try Data(snapshot.utf8).write(to: dir.appendingPathComponent("exports/snapshot.json"))
        let r = try Executable.run(
            ["scan", "exports", "--output", "out", "--format", "junit,json", "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try Self.findingsJSON(dir.appendingPathComponent("out"))
        let fingerprints = (json["findings"] as? [[String: Any]] ?? []).filter { $0["rule_id"] as? String == "ISO-001" }.compactMap { $0["fingerprint"] as? String }
        #expect(fingerprints.count == 2)
        let junit = try String(contentsOf: dir.appendingPathComponent("out/junit.xml"), encoding: .utf8)
        let names = junit.components(separatedBy: "classname=\"roleaudit.isolation.ISO-001\" name=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(names.count == 2 && Set(names).count == 2, "\(names)")
        #expect(names.count { name in fingerprints.contains { name.hasSuffix(" [\($0)]") } } == 1, "\(names)")
    }

    /// The terminal summary quotes role labels: escape sequences in them are shown, not run.
    @Test func terminalSummaryShowsControlCharacters() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-term-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(["scan", "Tests/CLITests/Fixtures/adversarial", "--output", out.path, "--fail-on", "never"], in: Self.root)
        #expect(r.status == 0)
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B })
        #expect(r.stdout.contains("Role[U+001B][2J[U+001B][31mred"))
    }

    /// Specific cells of the adversarial entitlements: formulas neutralised in text columns,
    /// control characters shown, numbers left as numbers.
    @Test func hostileCellsAreNeutralised() throws {
        let dir = try Self.reports(.adversarial)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: dir.appendingPathComponent("entitlements.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 BOM")
        let reader = try CSVReader(string: String(decoding: bytes.dropFirst(3), as: UTF8.self), hasHeaderRow: true)
        var rows: [[String: String]] = []
        let header = reader.headerRow ?? []
        while let row = reader.next() { rows.append(Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a })) }
        #expect(rows.count == 11)
        let formula = try #require(rows.first { $0["source_record"] == "memberships[2]" })
        #expect(formula["principal"] == "'=1+2@evil.example")
        #expect(formula["name"] == "'=cmd|' /C calc'!A0")
        #expect(formula["role"] == "'=HYPERLINK(\"http://evil.example\",\"click\")")
        #expect(formula["source_line"] == "35")
        #expect(rows.first { $0["source_record"] == "memberships[3]" }?["name"] == "'-2+3")
        #expect(rows.first { $0["source_record"] == "memberships[5]" }?["name"] == "bell[U+0007] esc[U+001B] nul[U+0000] vt[U+000B] end")
        #expect(reader.headerRow?.first == "scan_date")
        let junit = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(!junit.unicodeScalars.contains { $0.value < 0x20 && ![0x9, 0xA, 0xD].contains($0.value) })
    }

    /// Filters preset from the address survive bad percent-encoding: the malformed value is taken
    /// as typed, and the other filters still apply (today `decodeURIComponent` throws and no filter runs).
    @Test(arguments: [("#q=%E0%A4%A", false), ("#severity=high&rule=%E0%A4%A", true), ("#q=%&severity=high", false)])
    func htmlFiltersTolerateBadPercentEncoding(fragment: String, highOnly: Bool) throws {
        let dir = try Self.reports(.samples)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        let total = (try Self.findingsJSON(dir)["findings"] as? [[String: Any]]) ?? []
        let high = total.filter { $0["severity"] as? String == "high" }.count
        let dom = try Self.tool(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString + fragment])
        #expect(!dom.stdout.contains("<form id=\"filters\" class=\"filters\" hidden"), "the filter form stays hidden")
        // A search for the raw text matches nothing; a malformed rule matches no option and is ignored.
        #expect(dom.stdout.contains("Showing \(highOnly ? high : 0) of \(total.count) findings"), "\(fragment): filter count missing from the DOM")
    }

    /// diff.md as GitHub renders a pull-request comment (cmark-gfm with GitHub's extensions):
    /// names, role labels and messages from exports are code, never a mention, a link, an image or
    /// HTML, and never break the tables.
    @Test func diffMarkdownKeepsExportTextInCode() throws {
        let before = try HostileExport.folder(Array(HostileExport.texts.prefix(2)))
        let after = try HostileExport.folder(extraPrincipal: "@octocat@hostile.example")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-md-\(UUID().uuidString)")
        defer { for d in [before, after, out] { try? FileManager.default.removeItem(at: d) } }
        let r = try Executable.run(["diff", before.path, after.path, "--output", out.path, "--fail-on", "never"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = out.appendingPathComponent("diff.md")
        let html = try Self.tool(["cmark-gfm", "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", md.path]).stdout
        #expect(html.contains("<code>@octocat@hostile.example</code>"), "\(html)")
        #expect(html.contains("<code>`tick``s` | pipe</code>"), "backticks and a pipe inside one cell's code: \(html)")
        let outside = try Regex(#"<code>[^<]*</code>"#)
        let prose = html.replacing(outside, with: "")
        for forbidden in ["@", "<a ", "<img", "<script", "http"] {
            #expect(!prose.contains(forbidden), "\(forbidden) outside code: \(prose)")
        }
        // Every body row has the table's cells: 5 (findings) or 7 (access changes).
        for row in html.components(separatedBy: "<tr>").dropFirst() where row.contains("<td") {
            let cells = row.components(separatedBy: "<td").count - 1
            #expect(cells == 5 || cells == 7, "\(cells) cells: \(row)")
        }
    }

    /// SARIF viewers read `[text](target)` in a plain-text message as a link (SARIF 2.1.0, 3.11.6):
    /// brackets from exports are escaped.
    @Test func sarifMessagesCarryNoLinksFromExports() throws {
        let dir = try HostileExport.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let r = try Executable.run(["scan", dir.path, "--output", out.path, "--format", "sarif", "--fail-on", "never"])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.sarif"))) as? [String: Any]
        let results = ((log?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let texts = results.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
        #expect(texts.contains { $0.contains(#"\[link\](http://evil.example)"#) }, "\(texts)")
        // No `](` whose `]` is not escaped: no embedded link can form.
        func linkable(_ text: String) -> Bool {
            let scalars = Array(text.unicodeScalars)
            return scalars.indices.dropFirst().dropLast().contains { i in scalars[i] == "]" && scalars[i + 1] == "(" && scalars[i - 1] != "\\" }
        }
        #expect(!texts.contains(where: linkable), "\(texts)")
    }
}
