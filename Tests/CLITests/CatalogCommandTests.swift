import CSV
import Foundation
import Testing

/// `roleaudit catalog`, through the built executable.
struct CatalogCommandTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/RoleAuditCatalog/Resources/catalog")

    func csvRows(_ text: String) throws -> [[String: String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        var rows: [[String: String]] = []
        while reader.next() != nil {
            rows.append(try #require(reader.currentRow.map { row in
                Dictionary(uniqueKeysWithValues: zip(reader.headerRow ?? [], row))
            }))
        }
        return rows
    }

    @Test func csvListsEveryRoleOfBothPlatformsWithSources() throws {
        let result = try Executable.run(["catalog", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("platform,level,role,capability,tier,grant,limit,basis,ambiguous,source,quote,alternative,note,passage\r\n"))
        let rows = try csvRows(result.stdout)
        let huntress = Set(rows.filter { $0["platform"] == "huntress" }.map { "\($0["level"]!)/\($0["role"]!)" })
        let cortex = Set(rows.filter { $0["platform"] == "cortex-xdr" }.map { $0["role"]! })
        #expect(huntress.count == 11)
        #expect(cortex.count == 27)
        #expect(rows.allSatisfy { !($0["source"] ?? "").isEmpty && !($0["quote"] ?? "").isEmpty })
    }

    /// `--passages`: every contested passage with both readings, each passage's cells being the
    /// ambiguous rows of the role listing that name it.
    @Test func passagesListBothReadingsOfEveryContestedPassage() throws {
        let result = try Executable.run(["catalog", "--passages", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try csvRows(result.stdout)
        let byPassage = Dictionary(grouping: rows) { $0["passage"] ?? "" }
        let roles = try csvRows(try Executable.run(["catalog", "--format", "csv"]).stdout)
        let cited = Set(roles.compactMap { $0["ambiguous"] == "yes" ? $0["passage"] : nil })
        #expect(!cited.isEmpty)
        #expect(Set(byPassage.keys) == cited, "every passage the catalog's cells cite is listed, and no other")
        for (id, readings) in byPassage {
            #expect(readings.map { $0["reading"] ?? "" }.sorted() == ["broader (assumed)", "narrower"], "\(id)")
            #expect(readings.allSatisfy { !($0["says"] ?? "").isEmpty && !($0["lines"] ?? "").isEmpty }, "\(id)")
        }
        let table = try Executable.run(["catalog", "--passages", "--platform", "HUNTRESS"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("H-ORGANIZATION-REACH") && !table.stdout.contains("C-RESPONSE"))
        let refused = try Executable.run(["catalog", "--passages", "--role", "Admin"])
        #expect(refused.status == 64)
    }

    /// The promise of issue 2: from the CLI output to the seed line, for every capability. The
    /// source names the vendor's document by title, line and address (issue 14 C); the quote is
    /// the whole sentence(s) of one cell of that line, or a matrix row as its label and marks.
    @Test func everyRowTracesToTheSeedLineItQuotes() throws {
        let result = try Executable.run(["catalog", "--format", "csv"])
        // Each platform file names its seed and the document's title and address.
        var documents: [String: (seed: [Substring], url: String)] = [:]
        for file in ["huntress.yml", "cortex-xdr.yml"] {
            let yml = try String(contentsOf: Self.seeds.appendingPathComponent(file), encoding: .utf8)
            func value(_ key: String) -> String? {
                yml.split(separator: "\n").first { $0.hasPrefix("\(key): ") }.map { String($0.dropFirst(key.count + 2)) }
            }
            let seed = try String(contentsOf: Self.seeds.appendingPathComponent("seed_" + (try #require(value("seed")))), encoding: .utf8)
            documents[try #require(value("title"))] = (seed.split(separator: "\n", omittingEmptySubsequences: false), try #require(value("url")))
        }
        func cells(_ line: Substring) -> [String] {
            var l = line.trimmingCharacters(in: .whitespaces)
            if l.hasPrefix("- ") { l.removeFirst(2) }
            return l.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try csvRows(result.stdout)
        // Empty output traces nothing: the catalog has hundreds of rows, and both seeds are cited.
        #expect(rows.count > 200, "\(rows.count) rows")
        for row in rows {
            let source = try #require(row["source"]), quote = row["quote"] ?? ""
            let parts = try #require(source.firstMatch(of: /^(.+), lines? ([0-9, ]+), (https:\/\/\S+)$/), "\(source)")
            let document = try #require(documents[String(parts.output.1)], "\(source) names no document of the catalog")
            #expect(document.url == parts.output.3)
            #expect(!source.contains(".txt") && !quote.contains("|"))
            for n in parts.output.2.split(separator: ", ").compactMap({ Int($0) }) {
                let line = try #require(document.seed.indices.contains(n - 1) ? document.seed[n - 1] : nil)
                let previous = n > 1 && document.seed[n - 2].hasPrefix("|") ? cells(document.seed[n - 2]) : []
                let says = cells(line).contains { $0.contains(quote) }
                    || [cells(line), previous + cells(line)].contains { $0.count > 1 && "\($0[0]): \($0.dropFirst().joined(separator: ", "))" == quote }
                #expect(says, "\(source) does not say \(quote)")
            }
        }
        #expect(Set(rows.compactMap { row in documents.keys.first { row["source"]?.hasPrefix($0 + ", line") ?? false } }) == Set(documents.keys))
    }

    /// Issue 12: each ambiguity shows both readings, each with its seed line, and the passage whose
    /// derivation the README gives.
    @Test func everyAmbiguityShowsBothReadingsAndItsPassage() throws {
        let rows = try csvRows(try Executable.run(["catalog", "--format", "csv"]).stdout)
        let ambiguous = rows.filter { $0["ambiguous"] == "yes" }
        #expect(ambiguous.count > 50)
        for row in ambiguous {
            let alternative = row["alternative"] ?? ""
            #expect(alternative.range(of: #"^(none|limited|allowed) per "[^|]+" \(.+, lines? \d+[0-9, ]*, https://"#, options: .regularExpression) != nil,
                "\(row["role"] ?? "") \(row["capability"] ?? ""): '\(alternative)'")
            #expect(!(row["quote"] ?? "").isEmpty && !(row["passage"] ?? "").isEmpty)
        }
        #expect(rows.filter { $0["ambiguous"] != "yes" }.allSatisfy { ($0["alternative"] ?? "").isEmpty && ($0["passage"] ?? "").isEmpty })
    }

    @Test func roleNarrowsTheListingAcrossLevels() throws {
        let result = try Executable.run(["catalog", "--platform", "huntress", "--role", "read-only", "--format", "json"])
        #expect(result.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        #expect(Set(rows.map { $0["role"] }) == ["Read-only"])
        #expect(Set(rows.map { $0["level"] }) == ["account", "organization"])
        #expect(rows.allSatisfy { $0["tier"] == "read" })
    }

    @Test func tableShowsAmbiguousGrants() throws {
        let result = try Executable.run(["catalog", "--platform", "cortex-xdr", "--role", "Responder"])
        #expect(result.status == 0)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("detection_rules.edit") })
        #expect(line.contains("yes") && line.contains("Set up users, groups, and roles (Cortex XDR 5.x Documentation), line 29"))
    }

    @Test func unknownRoleIsAUsageError() throws {
        let result = try Executable.run(["catalog", "--platform", "cortex-xdr", "--role", "Overlord"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("unknown role 'Overlord'"))
        #expect(result.stderr.contains("Account Admin"))
    }

    @Test(arguments: [["catalog", "--format", "xml"], ["catalog", "--platform", "okta"], ["frobnicate"]])
    func badArgumentsExitWithUsage(arguments: [String]) throws {
        let result = try Executable.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

/// `reports/` holds what the README's main command writes; it must not go stale.
struct CommittedReportsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let reportFiles = ["report.html", "findings.csv", "entitlements.csv", "junit.xml", "findings.json", "findings.sarif"]

    /// The README's main command, run again into a scratch folder, gives the committed bytes, in
    /// every format.
    @Test func committedReportsAreCurrent() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            in: Self.root)
        #expect(r.status == 0, "\(r.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(written == Self.reportFiles.sorted())
        for name in Self.reportFiles {
            let committed = try Data(contentsOf: Self.root.appendingPathComponent("reports/\(name)"))
            let fresh = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(committed == fresh, "reports/\(name) is out of date: run the README's main command")
        }
    }

    /// The screenshot the README shows: a 1280x900 PNG of report.html.
    @Test func screenshotIsCommitted() throws {
        let png = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("reports/report.png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 24 && Array(png[16..<24]) == [0, 0, 0x05, 0x00, 0, 0, 0x03, 0x84])
    }

    @Test func catalogCSVIsCurrent() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("reports/catalog.csv"), encoding: .utf8)
        let fresh = try Executable.run(["catalog", "--format", "csv"]).stdout
        #expect(committed == fresh, "reports/catalog.csv is out of date: run the README's main command")
    }
}
