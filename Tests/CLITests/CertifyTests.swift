import Foundation
import Testing

/// The review loop through the built executable: a scan's worksheet, reviewed as a spreadsheet
/// saves it, read back by `certify`, and a later scan that finds the revocation not carried out.
struct CertifyTests {
    /// The scan's entitlements.csv with `decide` filling decision, reviewer and comment per row,
    /// saved with ';' and a BOM, CRLF (Excel in a semicolon locale). `decide` is given the row's
    /// `platform,account,organization,tenant,principal,` (found by the header's names, wherever the
    /// worksheet puts them).
    static func review(_ dir: URL, _ decide: (String) -> (String, String, String)?) throws -> URL {
        let s = try PeopleTests.scan(dir, [])
        let csv = try String(contentsOf: s.dir.appendingPathComponent("entitlements.csv"), encoding: .utf8)
        var lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = PeopleTests.header(lines[0])
        for i in lines.indices.dropFirst() {
            var f = PeopleTests.fields(lines[i])
            if let (decision, reviewer, comment) = decide(PeopleTests.key(f, header)) {
                let (d, r, c) = (try #require(header["decision"]), try #require(header["reviewer"]), try #require(header["comment"]))
                (f[d], f[r], f[c]) = (decision, reviewer, comment)
            }
            lines[i] = f.joined(separator: ";")
        }
        lines[0] = lines[0].replacingOccurrences(of: ",", with: ";")
        let url = dir.appendingPathComponent("reviewed.csv")
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
        return url
    }

    @Test func revokedGrantsStillPresentAreCERT001AndDoneOnesAreNot() throws {
        let dir = try PeopleTests.exports()
        _ = try Self.review(dir) { line in
            if line.hasPrefix("huntress,310,9021,,stays@") { return ("Revoke", "lead@corp.example", "no longer on the team") }
            if line.hasPrefix("huntress,310,9021,,stranger@gmail.com,") { return ("revoke", "lead@corp.example", "-contractor gone") }
            if line.hasPrefix("cortex-xdr,") { return ("keep", "soc@corp.example", "") }
            return nil
        }
        let c = try Executable.run(["certify", "reviewed.csv", "--output", "review", "--now", "2026-11-30T00:00:00Z"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("reviewed.csv: 7 rows, 3 keep, 2 revoke, 2 undecided"), "\(c.stdout)")
        let revocations = try String(contentsOf: dir.appendingPathComponent("review/revocations.csv"), encoding: .utf8)
        let rows = revocations.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(try Data(contentsOf: dir.appendingPathComponent("review/revocations.csv")).starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(rows.first == "platform,account,organization,tenant,principal,role,via,reviewer,comment")
        #expect(rows.dropFirst().sorted() == [
            "huntress,310,9021,,stays@corp.example,Admin,direct,lead@corp.example,no longer on the team",
            "huntress,310,9021,,stranger@gmail.com,User,direct,lead@corp.example,'-contractor gone",
        ])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("review/certification.json"))) as? [String: Any])
        #expect(json["schema"] as? String == "roleaudit.certification")
        #expect(json["reviewed_at"] as? String == "2026-11-30T00:00:00Z")
        let reviewers = try #require(json["reviewers"] as? [String: [String: Int]])
        #expect(reviewers["lead@corp.example"] == ["keep": 0, "revoke": 2, "undecided": 0])
        #expect(reviewers["soc@corp.example"]?["keep"] == 3)
        #expect(((json["worksheet"] as? [String: Any])?["sha256"] as? String)?.count == 64)

        // The stranger's User role is taken away (Read-only instead); stays@'s Admin is not.
        let snapshot = dir.appendingPathComponent("exports/snapshot.json")
        let before = try String(contentsOf: snapshot, encoding: .utf8)
        let text = before.replacingOccurrences(of: "\"principal\": \"stranger@gmail.com\", \"role\": \"User\"", with: "\"principal\": \"stranger@gmail.com\", \"role\": \"Read-only\"")
        #expect(text != before)
        try Data(text.utf8).write(to: snapshot)
        let out = dir.appendingPathComponent("after")
        let r = try Executable.run(
            ["scan", "exports", "--policy", "roleaudit.yml", "--output", out.path, "--now", PeopleTests.now, "--fail-on", "never",
             "--certification", "review/certification.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Access review review/certification.json (2026-11-30): 5 reviewed, 2 revoked, 1 done, 1 still open (CERT-001)"), "\(r.stdout)")
        let findings = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any])?["findings"] as? [[String: Any]])
        let cert = findings.filter { $0["rule_id"] as? String == "CERT-001" }
        #expect(cert.compactMap { $0["principal"] as? String } == ["stays@corp.example"])
        #expect((cert.first?["message"] as? String)?.contains("which lead@corp.example revoked in the review of 2026-11-30 (\"no longer on the team\")") == true)
    }

    @Test func anUnknownDecisionIsALocatedErrorAndNothingIsWritten() throws {
        let dir = try PeopleTests.exports()
        _ = try Self.review(dir) { $0.hasPrefix("huntress,310,9021,,jane@") ? ("remove", "lead@corp.example", "") : nil }
        let c = try Executable.run(["certify", "reviewed.csv", "--output", "review", "--now", "2026-11-30T00:00:00Z"], in: dir)
        #expect(c.status == 2)
        #expect(c.stderr.hasPrefix("roleaudit: reviewed.csv:"), "\(c.stderr)")
        #expect(c.stderr.contains("column \"decision\"): expected keep, revoke or nothing, found \"remove\""), "\(c.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("review/certification.json").path))
    }

    @Test func aRowThatNoLongerNamesAGrantIsALocatedError() throws {
        let dir = try PeopleTests.exports()
        let url = try Self.review(dir) { _ in nil }
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\r\n")
        lines[2] = lines[2].replacingOccurrences(of: "cortex-xdr;", with: "okta;")
        try Data(lines.joined(separator: "\r\n").utf8).write(to: url)
        let c = try Executable.run(["certify", "reviewed.csv", "--output", "review"], in: dir)
        #expect(c.status == 2)
        #expect(c.stderr.contains("reviewed.csv:3 (row 2, column \"platform\"): expected huntress or cortex-xdr"), "\(c.stderr)")
    }

    /// reviewed.csv's lines, edited by `edit` (given the header's column indexes and each row's
    /// fields), written back with ';' as the review saved it.
    static func edit(_ url: URL, _ edit: ([String: Int], inout [[String]]) throws -> Void) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = PeopleTests.header(lines[0].replacingOccurrences(of: ";", with: ","))
        var rows = lines.dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        try edit(header, &rows)
        try Data(([lines[0]] + rows.map { $0.joined(separator: ";") }).joined(separator: "\r\n").utf8 + Data("\r\n".utf8)).write(to: url)
    }

    static func certify(_ dir: URL, _ extra: [String] = []) throws -> Executable.Result {
        try Executable.run(["certify", "reviewed.csv", "--output", "review", "--now", "2026-11-30T00:00:00Z"] + extra, in: dir)
    }

    /// The row of `principal` on `platform` (1 = the first after the header), and its fields.
    static func row(_ rows: [[String]], _ header: [String: Int], _ platform: String, _ principal: String) throws -> Int {
        let (p, q) = (try #require(header["platform"]), try #require(header["principal"]))
        return try #require(rows.firstIndex { $0[p] == platform && $0[q] == principal })
    }

    @Test(arguments: [
        // A Huntress grant moved to a tenant, or made tenant-level: no such grant was ever written.
        ("tenant", "prod", "column \"tenant\"): expected nothing for a huntress grant (the row no longer matches its grant), found \"prod\""),
        ("level", "tenant", "column \"level\"): expected account or organization for a huntress grant (the row no longer matches its grant), found \"tenant\""),
        ("via", "", "column \"via\"): expected direct or the groups the grant comes through (the row no longer matches its grant), found nothing"),
        ("scan_date", "2026-08-01T00:00:00Z", "column \"scan_date\"): expected 2026-11-23T00:00:00Z, the scan of row 1 (one worksheet, one scan) (the row no longer matches its grant), found \"2026-08-01T00:00:00Z\""),
    ])
    func anEditedGrantIsALocatedError(column: String, value: String, message: String) throws {
        let dir = try PeopleTests.exports()
        let url = try Self.review(dir) { _ in ("keep", "lead@corp.example", "") }
        var line = 0
        try Self.edit(url) { header, rows in
            let i = try Self.row(rows, header, "huntress", "stranger@gmail.com")
            rows[i][try #require(header[column])] = value
            line = i + 2
        }
        let c = try Self.certify(dir)
        #expect(c.status == 2, "\(c.stdout)")
        #expect(c.stderr.hasPrefix("roleaudit: reviewed.csv:\(line) (row \(line - 1), \(message)"), "\(c.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("review").path))
    }

    @Test func oneGrantTwiceWithTwoDecisionsIsALocatedError() throws {
        let dir = try PeopleTests.exports()
        let url = try Self.review(dir) { $0.hasPrefix("huntress,310,9021,,stays@") ? ("keep", "a@corp.example", "") : nil }
        // The same grant pasted again at the end, revoked by another reviewer.
        var copied = 0
        try Self.edit(url) { header, rows in
            let i = try Self.row(rows, header, "huntress", "stays@corp.example")
            var again = rows[i]
            again[try #require(header["decision"])] = "revoke"
            again[try #require(header["reviewer"])] = "b@corp.example"
            rows.append(again)
            copied = i + 1
        }
        let c = try Self.certify(dir)
        #expect(c.status == 2)
        #expect(c.stderr.hasPrefix("roleaudit: reviewed.csv:9 (row 8): expected one decision per grant: row \(copied) is the same grant (Admin of stays@corp.example at organization 9021 (direct)) and says keep, found \"revoke\""), "\(c.stderr)")

        // The same decision twice is one decision: one revocation.
        try Self.edit(url) { header, rows in
            rows[copied - 1][try #require(header["decision"])] = "revoke"
        }
        let ok = try Self.certify(dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        let revocations = try String(contentsOf: dir.appendingPathComponent("review/revocations.csv"), encoding: .utf8)
        #expect(revocations.components(separatedBy: "\r\n").filter { $0.contains("stays@corp.example") }.count == 1, "\(revocations)")
    }

    @Test func aPrincipalWithoutARoleIsKeptOrLeftButNotRevoked() throws {
        // left@ holds no Cortex role: the worksheet lists it with an empty role.
        let dir = try PeopleTests.twoTenants(prodFirst: false)
        let url = try Self.review(dir) { $0.hasPrefix("cortex-xdr,,,,left@") ? ("keep", "lead@corp.example", "") : nil }
        let c = try Self.certify(dir)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("reviewed.csv: 9 rows, 1 keep, 0 revoke, 8 undecided"), "\(c.stdout)")
        try Self.edit(url) { header, rows in
            rows[try Self.row(rows, header, "cortex-xdr", "left@corp.example")][try #require(header["decision"])] = "Revoke"
        }
        let revoke = try Self.certify(dir)
        #expect(revoke.status == 2)
        #expect(revoke.stderr.contains("column \"decision\"): expected keep or nothing: the principal holds no role, so no grant to revoke (remove the user in the console), found \"Revoke\""), "\(revoke.stderr)")
    }

    @Test func againstTheCurrentExportsARowWhoseGrantIsGoneIsALocatedError() throws {
        let dir = try PeopleTests.exports()
        let url = try Self.review(dir) { $0.hasPrefix("huntress,310,9021,,stranger@") ? ("revoke", "lead@corp.example", "contractor") : nil }
        let same = try Self.certify(dir, ["--against", "exports"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("reviewed.csv: 7 rows, 0 keep, 1 revoke, 6 undecided"), "\(same.stdout)")

        // The stranger's User membership is gone from the exports since the scan.
        let snapshot = dir.appendingPathComponent("exports/snapshot.json")
        let before = try String(contentsOf: snapshot, encoding: .utf8)
        try Data(before.replacingOccurrences(of: "\"principal\": \"stranger@gmail.com\", \"role\": \"User\"", with: "\"principal\": \"stranger@gmail.com\", \"role\": \"Read-only\"").utf8).write(to: snapshot)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("review"))
        var line = 0
        try Self.edit(url) { header, rows in line = try Self.row(rows, header, "huntress", "stranger@gmail.com") + 2 }
        let gone = try Self.certify(dir, ["--against", "exports"])
        #expect(gone.status == 2)
        #expect(gone.stderr.hasPrefix("roleaudit: reviewed.csv:\(line) (row \(line - 1)): expected a grant the current exports (exports) hold (the row no longer matches its grant), found none: User of stranger@gmail.com at organization 9021 (direct)"), "\(gone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("review").path))
        // Without --against, the worksheet alone is consistent.
        #expect(try Self.certify(dir).status == 0)
    }
}
