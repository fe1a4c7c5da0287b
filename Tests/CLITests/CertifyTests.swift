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
}
