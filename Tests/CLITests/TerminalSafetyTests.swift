import CSV
import Foundation
import Testing

/// Issue 11 D1 and D2: what roleaudit prints to stdout and stderr (the scan summary, `inspect` in
/// every format, errors) shows control characters, bidirectional controls and CI command openings
/// as visible escapes, whatever the export holds; `inspect --format csv` is formula-safe CSV.
@Suite struct TerminalSafetyTests {
    static let root = CommittedReportsTests.root

    static func expectSafe(_ r: Executable.Result, _ what: String) {
        #expect(HostileExport.terminalProblem(r.stdout) == nil, "\(what) stdout: \(HostileExport.terminalProblem(r.stdout) ?? "")")
        #expect(HostileExport.terminalProblem(r.stderr) == nil, "\(what) stderr: \(HostileExport.terminalProblem(r.stderr) ?? "")")
    }

    @Test func scanSummaryShowsHostileTextAsEscapes() throws {
        // Few enough principals for every finding to be among the summary's top eight.
        let dir = try HostileExport.folder([0, 4, 5, 6].map { HostileExport.texts[$0] })
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(["scan", dir.path, "--output", dir.appendingPathComponent("out").path, "--fail-on", "never", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectSafe(r, "scan")
        // The role labels reach the summary, escaped (a test that passes on empty output proves nothing).
        #expect(r.stdout.contains("esc [U+001B][2J[U+001B]]0;owned[U+0007] bell"), "\(r.stdout)")
        #expect(r.stdout.contains("[U+000A]::error file=ci.yml::owned"), "\(r.stdout)")
        #expect(r.stdout.contains("#[U+0023]vso[task.setvariable"), "\(r.stdout)")
    }

    @Test(arguments: ["table", "csv", "json"])
    func inspectShowsHostileTextAsEscapes(format: String) throws {
        let dir = try HostileExport.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try Executable.run(["inspect", dir.path, "--format", format])
        #expect(summary.status == 0, "\(summary.stderr)")
        Self.expectSafe(summary, "inspect --format \(format)")
        // The organization names reach the summary: ESC shown (JSON's own escape is visible text too).
        #expect(summary.stdout.contains(format == "json" ? "\\u001b" : "[U+001B]"), "\(summary.stdout)")
        for i in HostileExport.texts.indices {
            let access = try Executable.run(["inspect", dir.path, "--principal", "p\(i)@hostile.example", "--format", format])
            #expect(access.status == 0, "\(access.stderr)")
            Self.expectSafe(access, "inspect --principal p\(i) --format \(format)")
            #expect(access.stdout.contains("p\(i)@hostile.example"))
        }
        let named = try Executable.run(["inspect", dir.path, "--principal", "p0@hostile.example", "--format", format])
        // The user's name (table) or role label (every format) is there, escaped.
        #expect(named.stdout.contains(format == "json" ? "esc \\u001b[2J" : "esc [U+001B][2J"), "\(named.stdout)")
    }

    /// Errors quote exports (here the principals a mistyped name resembles) and file names.
    @Test func errorsShowHostileTextAsEscapes() throws {
        let dir = try HostileExport.folder(extraPrincipal: "pwn\u{1B}]0;x\u{07}\u{202E}@hostile.example")
        defer { try? FileManager.default.removeItem(at: dir) }
        let unknown = try Executable.run(["inspect", dir.path, "--principal", "pwned@elsewhere.example"])
        #expect(unknown.status == 64)
        Self.expectSafe(unknown, "unknown principal")
        #expect(unknown.stderr.contains("pwn[U+001B]]0;x[U+0007][U+202E]@hostile.example"), "\(unknown.stderr)")

        let bad = dir.appendingPathComponent("bad\n::error::owned\u{1B}[31m.json")
        try Data("{\"memberships\": [".utf8).write(to: bad)
        let malformed = try Executable.run(["inspect", bad.path])
        #expect(malformed.status == 2)
        Self.expectSafe(malformed, "malformed file")
        #expect(malformed.stderr.split(separator: "\n").count == 1, "\(malformed.stderr)")
        #expect(malformed.stderr.contains("bad[U+000A]::error::owned[U+001B][31m.json"), "\(malformed.stderr)")
    }

    /// `inspect --format csv` is CSV a spreadsheet reads safely: formulas (also after leading
    /// whitespace) neutralised, quoting that Python's csv module reads back to the same bytes.
    @Test(arguments: [nil, "p7@hostile.example"])
    func inspectCSVIsFormulaSafe(principal: String?) throws {
        let dir = try HostileExport.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(["inspect", dir.path, "--format", "csv"] + (principal.map { ["--principal", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.appendingPathComponent("inspect.csv")
        try Data(r.stdout.utf8).write(to: out)
        let check = try ReportConsumerTests.tool([Python.executable, ReportConsumerTests.fixtures.appendingPathComponent("consumers/csv_readback.py").path, "--no-bom", out.path])
        #expect(check.status == 0, "\(check.stdout)")
        let reader = try CSVReader(string: r.stdout, hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var cells: [String] = []
        while let row = reader.next() { cells += row }
        #expect(header.first == (principal == nil ? "entry" : "platform"))
        if principal != nil {
            // p7's role is ` =HYPERLINK(...)`: neutralised, not dropped.
            #expect(cells.contains("' =HYPERLINK(\"http://evil.example\",\"x\")"), "\(cells)")
        } else {
            #expect(cells.contains("source") && cells.contains("organization"))
        }
    }
}
