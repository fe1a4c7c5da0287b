import Foundation
import Testing

/// The vendor's words as the reports quote them (issue 14 C): each quote whole (whole sentences of
/// one table cell, never raw `|` pipes), distinct within a rule or a finding, and the document
/// named by its title and address, never by the seed's hashed file name. Through the executable,
/// on the samples' reports.
struct CitationTests {
    static let seedFolder = CommittedReportsTests.root.appendingPathComponent("Sources/RoleAuditCatalog/Resources/catalog")

    /// Every seed line as its cells, list markers dropped, and each table row the Huntress
    /// matrices wrap over two lines as one: the units a quote must lie within.
    static let rows: [[String]] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: seedFolder.path)) ?? []
        var out: [[String]] = []
        for name in files where name.hasPrefix("seed_") {
            let text = (try? String(contentsOf: seedFolder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            var previous: [String] = []
            for line in text.split(separator: "\n") {
                var l = line.trimmingCharacters(in: .whitespaces)
                if l.hasPrefix("- ") { l.removeFirst(2) }
                let cells = l.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                out.append(cells)
                if !l.hasPrefix("|") && l.contains("|") { out.append(previous + cells) }
                previous = l.hasPrefix("|") ? cells : []
            }
        }
        return out
    }()
    static let cells = rows.flatMap { $0 }

    /// A quote is whole when some seed cell holds it starting at the cell's start or after a
    /// sentence's end, and ending at the cell's end or a sentence's end. A table row is quoted
    /// whole as its label and its other cells ("Permission: Admin, Security Engineer, ...").
    static func isWhole(_ quote: String) -> Bool {
        if rows.contains(where: { $0.count > 1 && "\($0[0]): \($0.dropFirst().joined(separator: ", "))" == quote }) { return true }
        return cells.contains { cell in
            var from = cell.startIndex
            while let r = cell.range(of: quote, range: from..<cell.endIndex) {
                let before = cell[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                let startsWhole = before.isEmpty || before.hasSuffix(".") || before.hasSuffix("?") || before.hasSuffix("!")
                let endsWhole = r.upperBound == cell.endIndex || quote.hasSuffix(".") || quote.hasSuffix("?") || quote.hasSuffix("!")
                if startsWhole && endsWhole { return true }
                from = cell.index(after: r.lowerBound)
            }
            return false
        }
    }

    static func checkQuotes(_ quotes: [String], in what: String) {
        #expect(!quotes.isEmpty, "\(what) quotes nothing")
        #expect(Set(quotes).count == quotes.count, "\(what) repeats a quote: \(quotes)")
        for q in quotes {
            #expect(!q.contains("|"), "\(what) quotes a raw table row: \(q)")
            #expect(isWhole(q), "\(what) cuts a sentence: \(q)")
        }
    }

    /// The samples scanned into a fresh folder, as the README's main command does.
    static func scan() throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-citations-\(UUID().uuidString)")
        let r = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            in: CommittedReportsTests.root)
        #expect(r.status == 0, "\(r.stderr)")
        return out
    }

    static func report(_ name: String, in dir: URL) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func noReportNamesASeedByItsFileName() throws {
        let dir = try Self.scan()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in CommittedReportsTests.reportFiles {
            let text = try Self.report(name, in: dir)
            #expect(text.firstMatch(of: /\d{3}_[0-9a-f]{16}\.txt/) == nil, "\(name) names a seed by its file name")
        }
        let html = try Self.report("report.html", in: dir)
        #expect(html.contains("Setting Huntress User Permissions"))
        #expect(html.contains("https://support.huntress.io/hc/en-us/articles/4404012728083-Huntress-Portal-User-Permissions"))
        #expect(html.contains("Set up users, groups, and roles (Cortex XDR 5.x Documentation)"))
        #expect(html.contains("https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-5.x-Documentation/Set-up-users-groups-and-roles"))
    }

    /// report.html: each rule's section quotes whole sentences, each once, each with its document's
    /// title, line and address.
    @Test func htmlRuleSectionsQuoteWholeDistinctPassages() throws {
        let dir = try Self.scan()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try Self.report("report.html", in: dir)
        let sections = html.split(separator: "<section class=\"rule\"").dropFirst()
        #expect(sections.count >= 29)
        for section in sections where !section.hasPrefix(" id=\"rule-policy\"") {
            let id = String(section.prefix(30))
            let quotes = section.matches(of: /<blockquote><p>(.*?)<\/p><cite>(.*?)<\/cite><\/blockquote>/).map { m in
                #expect(m.output.2.contains(", line ") && m.output.2.contains("https://"), "\(id): \(m.output.2)")
                return String(m.output.1).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            }
            Self.checkQuotes(quotes, in: id)
        }
    }

    /// findings.sarif: each rule's help text quotes the same way.
    @Test func sarifHelpQuotesWholeDistinctPassages() throws {
        let dir = try Self.scan()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sarif = try JSONSerialization.jsonObject(with: Data(try Self.report("findings.sarif", in: dir).utf8)) as? [String: Any]
        let run = (sarif?["runs"] as? [[String: Any]])?.first
        let rules = ((run?["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        #expect(rules.count >= 29)
        for rule in rules {
            let text = (rule["help"] as? [String: Any])?["text"] as? String ?? ""
            let vendor = text.components(separatedBy: "Vendor documentation: ").dropFirst().first?.components(separatedBy: "\n\n").first ?? ""
            Self.checkQuotes(vendor.matches(of: /"(.*?)" \(/).map { String($0.output.1) }, in: "SARIF \(rule["id"] ?? "")")
        }
    }

    /// findings.json: no finding quotes the same passage twice, and each quote is whole.
    @Test func findingsQuoteEachPassageOnce() throws {
        let dir = try Self.scan()
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try JSONSerialization.jsonObject(with: Data(try Self.report("findings.json", in: dir).utf8)) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        var quoting = 0
        for f in findings {
            let details = (f["evidence"] as? [[String: Any]] ?? []).compactMap { $0["detail"] as? String }
            let quotes = details.flatMap { $0.matches(of: /"([^"]*)" \(/).map { String($0.output.1) } }
            guard !quotes.isEmpty else { continue }
            quoting += 1
            Self.checkQuotes(quotes, in: "\(f["rule_id"] ?? "") \(f["role"] ?? "")")
        }
        #expect(quoting > 5, "the samples' CAT-004 findings quote the passages they rest on")
    }

    /// The listings that cite seed lines without quoting them (`inspect --principal`'s seed
    /// column, `rules`' seed) name each document by its title, never by the seed's file name, and
    /// each line once (`rules` listed SOD-004's C:40 twice, `inspect` C:32 twice for one grant).
    @Test(arguments: [
        ["inspect", "samples/", "--principal", "kim.nguyen@secureops-consulting.com", "--format", "csv"],
        ["inspect", "samples/", "--principal", "soc1@northwind-msp.com", "--format", "json"],
        ["rules", "--format", "csv"],
    ])
    func listingsNameSeedsByTitleAndEachLineOnce(args: [String]) throws {
        let r = try Executable.run(args, in: CommittedReportsTests.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.firstMatch(of: /\d{3}_[0-9a-f]{16}\.txt/) == nil, "\(args[0]) names a seed by its file name")
        #expect(r.stdout.contains("Set up users, groups, and roles (Cortex XDR 5.x Documentation), line"))
        for cited in r.stdout.matches(of: /, lines? (\d+(?:, \d+)*)/) {
            let lines = cited.output.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(Set(lines).count == lines.count, "\(args[0]): a line cited twice: \(cited.output.0)")
        }
        if args[0] == "rules" { #expect(r.stdout.contains("SOD-004,high,separation-of-duties,Compliance oversight and security operations,\"Set up users, groups, and roles (Cortex XDR 5.x Documentation), line 40\"")) }
    }
}
