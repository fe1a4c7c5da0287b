import Foundation
import Testing

enum Chromium {
    static let isInstalled = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"]
        .contains { FileManager.default.isExecutableFile(atPath: $0) }
}

/// report.html printed as an auditor prints it: headless Chromium's "Save as PDF", read back with
/// poppler (`pdfinfo`, `pdftotext -layout`). The samples' scan (about 50 findings over 3
/// organizations and 2 tenants) must fit in 25 pages, summary first, with the findings table's
/// header on every page it spans, no word broken inside, the access matrix whole, and the scan
/// time and page numbers on every page. Skipped only where Chromium is not installed
/// (`bash .ci/run` installs it and poppler-utils).
@Suite(.enabled(if: Chromium.isInstalled, "chromium is not installed: bash .ci/run installs it"))
struct PrintTests {
    /// The samples' report.html, printed once for the suite: the PDF's page count and pages as text,
    /// and the words of the findings' rule ids, principals and roles.
    struct Printed: Sendable {
        let pageCount: Int
        let pages: [String]
        let findingWords: Set<String>
        let findingCount: Int
    }

    struct ToolFailed: Error, CustomStringConvertible {
        let description: String
    }

    static let printed = Result { try printSamples() }

    static func printSamples() throws -> Printed {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-print-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        func run(_ arguments: [String], executable: URL = URL(fileURLWithPath: "/usr/bin/env")) throws -> String {
            let r = try Executable.run(arguments, executable: executable, in: CommittedReportsTests.root)
            guard r.status == 0 else {
                throw ToolFailed(description: "\(arguments.joined(separator: " ")) exited \(r.status)\(r.status == 127 ? " (not installed: bash .ci/run installs it)" : ""): \(r.stderr)")
            }
            return r.stdout
        }
        _ = try run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            executable: Executable.url)
        let pdf = out.appendingPathComponent("report.pdf")
        _ = try run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=\(pdf.path)", out.appendingPathComponent("report.html").absoluteString])
        let pagesLine = try run(["pdfinfo", pdf.path]).split(separator: "\n").first { $0.hasPrefix("Pages:") }
        var pages = try run(["pdftotext", "-layout", pdf.path, "-"]).components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        var words = Set<String>()
        for f in findings {
            for key in ["rule_id", "principal", "role"] {
                for w in (f[key] as? String ?? "").split(separator: " ") { words.insert(String(w)) }
            }
        }
        return Printed(pageCount: Int(pagesLine?.split(separator: " ").last ?? "") ?? -1, pages: pages, findingWords: words, findingCount: findings.count)
    }

    /// A page's lines with text, the margin boxes' lines (scan time, page number, version) left out.
    static func content(_ page: String) -> [String] {
        page.split(separator: "\n").map(String.init).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.contains("Role audit, scan of") && !$0.contains("roleaudit 0.")
                && $0.firstMatch(of: /Page \d+ of \d+\s*$/) == nil
        }
    }

    @Test func samplesPrintInAtMost25PagesSummaryFirstEveryPageDatedAndNumbered() throws {
        let p = try Self.printed.get()
        #expect(p.findingCount >= 40, "the samples have about 50 findings")
        #expect((1...25).contains(p.pageCount), "report.html prints to \(p.pageCount) pages")
        #expect(p.pages.count == p.pageCount)
        let first = Self.content(p.pages.first ?? "")
        #expect(first.prefix(4).contains { $0.contains("Role audit: Huntress and Cortex XDR") })
        #expect(first.contains { $0.trimmingCharacters(in: .whitespaces) == "Summary" })
        #expect(first.contains { $0.contains("open finding(s); the most severe is") })
        for (i, page) in p.pages.enumerated() {
            #expect(page.contains("Role audit, scan of 2026-11-23T00:00:00Z"), "page \(i + 1) has no scan time")
            #expect(page.contains("Page \(i + 1) of \(p.pageCount)"), "page \(i + 1) has no page number")
        }
    }

    /// Every page the findings table runs onto starts with its header row, and every principal,
    /// role and rule id of the findings stands whole on those pages (a cell squeezed narrower than
    /// its longest word broke "Scoped Agent Admin" into "Scope" and "d Agent Admin").
    @Test func findingsTableRepeatsItsHeaderAndBreaksNoWord() throws {
        let p = try Self.printed.get()
        let start = try #require(p.pages.firstIndex { $0.contains("Findings, most severe first") })
        let header = /^\s*Severity\s+Rule\s+Platform\s+Where\s+Principal\s+Role\s+Finding\s+Status\s*$/
        // The table ends where the Rules section's heading stands alone on its line.
        let end = try #require(p.pages.indices.first { $0 > start && Self.content(p.pages[$0]).contains { $0.trimmingCharacters(in: .whitespaces) == "Rules" } })
        #expect(end > start + 1, "the findings table of the samples spans more than one page")
        for i in (start + 1)...end {
            let lines = Self.content(p.pages[i])
            if i == end, lines.first?.trimmingCharacters(in: .whitespaces) == "Rules" { break }
            #expect(lines.first?.firstMatch(of: header) != nil, "page \(i + 1) starts with \(lines.first ?? "nothing")")
        }
        let tokens = Set((p.pages[start...end].joined(separator: "\n")).split { $0 == " " || $0 == "\n" }.map(String.init))
        let words = p.findingWords
        #expect(words.count > 30)
        let broken = words.filter { !tokens.contains($0) }.sorted()
        #expect(broken.isEmpty, "broken across lines in print: \(broken)")
    }

    /// The access matrix prints whole: every tenant, account and organization heads a column that
    /// is on the page (a single table of all ten ran off its right edge).
    @Test func accessMatrixFitsThePage() throws {
        let p = try Self.printed.get()
        let start = try #require(p.pages.firstIndex { $0.contains("Access matrix: organizations and tenants by principal") })
        let rest = p.pages[start...].joined(separator: "\n")
        let matrix = rest.components(separatedBy: "Waivers").first ?? rest
        for column in ["acme-prod", "birchwood-xdr", "41207", "52001", "88101", "88102", "88103", "88104", "88105", "88106"] {
            #expect(matrix.contains(column), "the matrix column \(column) is not on the printed page")
        }
        #expect(matrix.contains("Cortex XDR: roles held, by principal and tenant"))
        #expect(matrix.contains("Huntress: roles held, by principal and account or organization"))
    }
}

/// The README's picture of a printed page is committed beside report.png.
struct PrintPictureTests {
    /// The README's page picture: page 4 of the printed samples' report (the findings, on a
    /// landscape page), Letter at 80 dpi.
    @Test func printPictureIsCommitted() throws {
        let png = try [UInt8](Data(contentsOf: CommittedReportsTests.root.appendingPathComponent("reports/report-print.png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // 11 x 8.5 in at 80 dpi: 880 x 680.
        #expect(png.count > 24 && Array(png[16..<24]) == [0, 0, 0x03, 0x70, 0, 0, 0x02, 0xA8])
    }
}

/// A scan whose report.html reaches its print limits: 1,200 people each in two organizations of
/// one account (an ISO-001 finding each) over 1,201 organizations. Printed, the findings table
/// stops after 500 rows, a rule's evidence after 10 findings and the Huntress matrix after 10 of
/// its 60 columns, and each says so.
@Suite(.enabled(if: Chromium.isInstalled, "chromium is not installed: bash .ci/run installs it"))
struct LargePrintTests {
    @Test func aLargeReportPrintsItsFirstRowsAndSaysWhatItLeavesOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-print-large-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("exports"), withIntermediateDirectories: true)
        var memberships: [String] = []
        for person in 0..<1_200 {
            for org in [person, person + 1] {
                memberships.append(#"{"id": \#(memberships.count + 1), "permissions": "User", "account": {"id": 1, "name": "Big MSP"}, "organization": {"id": \#(10_000 + org), "name": "Customer \#(org)"}, "user": {"id": \#(person), "email": "u\#(person)@msp.example", "name": "User \#(person)"}}"#)
            }
        }
        let export = #"{"memberships": [\#(memberships.joined(separator: ",\n"))], "pagination": {"next_page_token": null}}"#
        try Data(export.utf8).write(to: dir.appendingPathComponent("exports/memberships.json"))
        let out = dir.appendingPathComponent("out")
        let scan = try Executable.run(["scan", dir.appendingPathComponent("exports").path, "--output", out.path, "--format", "html,json",
            "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let findings = (try ReportConsumerTests.findingsJSON(out)["findings"] as? [Any])?.count ?? 0
        #expect(findings > 1_000)
        let pdf = dir.appendingPathComponent("report.pdf")
        let print = try ReportConsumerTests.tool(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=\(pdf.path)",
            out.appendingPathComponent("report.html").absoluteString])
        #expect(print.status == 0, "\(print.stderr)")
        let text = try ReportConsumerTests.tool(["pdftotext", "-layout", pdf.path, "-"]).stdout
        let pages = text.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.count < 100, "\(pages.count) pages")
        #expect(text.contains("Printed: the first 500 findings of this table"))
        #expect(text.contains("Printed: the first 10 of 60 columns of Huntress"))
        #expect(text.contains("Printed: the evidence of the first 10 of these findings, the others as their one line"))
        // The findings table's rows: each starts with its severity and rule id.
        let start = try #require(pages.firstIndex { $0.contains("Findings, most severe first") })
        let end = try #require(pages.indices.first { $0 > start && PrintTests.content(pages[$0]).contains { $0.trimmingCharacters(in: .whitespaces) == "Rules" } })
        let rows = pages[start...end].joined(separator: "\n").split(separator: "\n")
            .filter { $0.firstMatch(of: /^\s*(critical|high|medium|low|info)\s+[A-Z]{2,4}-\d{3}\s/) != nil }
        #expect(rows.count == 500)
    }
}
