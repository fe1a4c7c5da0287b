import CSV
import Foundation
import Testing

/// Names beside ids (issue 14 A) and the access-review worksheet (issue 14 E), through the
/// executable on the samples: the CSV columns as a spreadsheet reads them, report.html, the
/// terminal summary and `inspect --principal`.
@Suite struct NamesAndWorksheetTests {
    static let root = CommittedReportsTests.root

    static func scan(_ formats: String) throws -> (dir: URL, stdout: String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-names-\(UUID().uuidString)")
        let r = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--output", out.path, "--format", formats, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            in: root)
        #expect(r.status == 0, "\(r.stderr)")
        return (out, r.stdout)
    }

    static func rows(_ file: URL) throws -> (header: [String], rows: [[String: String]]) {
        let bytes = try Data(contentsOf: file)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let reader = try CSVReader(string: String(decoding: bytes.dropFirst(3), as: UTF8.self), hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var rows: [[String: String]] = []
        while let row = reader.next() {
            #expect(row.count == header.count)
            rows.append(Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a }))
        }
        return (header, rows)
    }

    @Test func findingsCSVNamesAccountsOrganizationsAndCustomers() throws {
        let (dir, _) = try Self.scan("csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, rows) = try Self.rows(dir.appendingPathComponent("findings.csv"))
        // Names sit beside the id columns, which stay.
        let expected = ["account", "account_name", "organization", "tenant", "organization_name", "customer", "principal"]
        let start = try #require(header.firstIndex(of: "account"))
        #expect(Array(header[start..<(start + expected.count)]) == expected)
        // A Huntress organization is its own customer, by name.
        let cedar = try #require(rows.first { $0["organization"] == "88103" })
        #expect(cedar["organization_name"] == "Cedar Valley Credit Union")
        #expect(cedar["customer"] == "Cedar Valley Credit Union")
        // A Cortex tenant's customer comes from its roleaudit-source.json.
        let acme = try #require(rows.first { $0["tenant"] == "acme-prod" })
        #expect(acme["customer"] == "Acme Dental Group")
    }

    @Test func entitlementsIsAWorksheetForOneScan() throws {
        let (dir, _) = try Self.scan("csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, rows) = try Self.rows(dir.appendingPathComponent("entitlements.csv"))
        #expect(header.first == "scan_date")
        // The reviewer's three columns, then who the principal is across both consoles.
        #expect(Array(header.suffix(4)) == ["decision", "reviewer", "comment", "person"])
        #expect(rows.allSatisfy { $0["scan_date"] == "2026-11-23T00:00:00Z" })
        // Names beside ids.
        let fairview = try #require(rows.first { $0["organization"] == "88106" })
        #expect(fairview["organization_name"] == "Fairview Dental" && fairview["customer"] == "Fairview Dental")
        let harbor = try #require(rows.first { $0["account"] == "52001" })
        #expect(harbor["account_name"] == "Harbor IT Partners")
        // The user the export lists with no role has a row, its role empty.
        let former = try #require(rows.first { $0["principal"] == "former.paralegal@birchwoodlaw.com" })
        #expect(former["role"] == "" && former["risk_tier"] == "")
        #expect(former["open_findings"] == "HYG-003")
        #expect(former["source_file"]?.isEmpty == false)
        // Capability cells are bounded: counts by tier, never the id list.
        for row in rows {
            let cell = row["capabilities"] ?? ""
            #expect(cell.count < 60, "\(cell)")
            #expect(cell.isEmpty || cell.range(of: #"^(privileged \d+)?(, )?(write \d+)?(, )?(read \d+)?$"#, options: .regularExpression) != nil, "\(cell)")
        }
        let admin = try #require(rows.first { $0["role"] == "Instance Administrator" })
        #expect(admin["capabilities"]?.hasPrefix("privileged ") == true)
    }

    /// Re-checked tiers (issue 14 E): a billing-only role is not privileged (H:109-110); full
    /// administrators still are, and the share of privileged grants went down from 48 of 66.
    @Test func privilegedMeansPrivileged() throws {
        let (dir, _) = try Self.scan("csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, rows) = try Self.rows(dir.appendingPathComponent("entitlements.csv"))
        let granted = rows.filter { !($0["role"] ?? "").isEmpty }
        #expect(granted.contains { $0["role"] == "Finance" })
        #expect(granted.filter { $0["role"] == "Finance" }.allSatisfy { $0["risk_tier"] == "write" })
        #expect(granted.filter { ["Admin", "Instance Administrator", "Account Admin"].contains($0["role"] ?? "") }.allSatisfy { $0["risk_tier"] == "privileged" })
        let privileged = granted.count { $0["risk_tier"] == "privileged" }
        #expect(privileged < 48, "\(privileged) of \(granted.count) grants are privileged")
    }

    @Test func reportAndTerminalShowNames() throws {
        let (dir, stdout) = try Self.scan("html")
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("organization Cedar Valley Credit Union (88103)"))
        // The filter's option keeps the id as its value and reads with the name.
        #expect(html.contains("<option value=\"organization 88103\">organization Cedar Valley Credit Union (88103)</option>"))
        // The matrix's column heading.
        #expect(html.contains(">Fairview Dental (organization 88106)</th>"))
        #expect(stdout.contains("Top findings:"))
        let top = stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  ") && $0.contains("organization ") }
        #expect(top.contains { $0.range(of: #"organization [^(]+ \(\d+\): "#, options: .regularExpression) != nil }, "\(stdout)")
    }

    @Test func inspectPrincipalShowsOrganizationNamesAndScopeTags() throws {
        let r = try Executable.run(["inspect", "samples/", "--principal", "soc1@northwind-msp.com"], in: Self.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Birchwood HQ"), "\(r.stdout)")
        let csv = try Executable.run(["inspect", "samples/", "--principal", "soc1@northwind-msp.com", "--format", "csv"], in: Self.root)
        let reader = try CSVReader(string: csv.stdout, hasHeaderRow: true)
        let header = reader.headerRow ?? []
        #expect(header.contains("scope") && header.contains("over"))
        var scopes: [String] = []
        while let row = reader.next() { scopes.append(Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a })["scope"] ?? "") }
        #expect(scopes.contains { $0.contains("endpoints: Birchwood HQ") }, "\(scopes)")
    }
}
