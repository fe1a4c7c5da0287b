import Foundation
import Testing

/// Issue 12 B6 and issue 11 A7, through the built executable: outputs that do not depend on the
/// order of anything, and fingerprints that survive a re-sorted export.
struct FidelityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-fidelity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A domain listed for two organizations in `org_domains` (a customer with two organizations)
    /// belongs to both: two processes (each with its own hash seed) write the same bytes.
    @Test func aDomainListedForTwoOrganizationsGivesTheSameReportsEveryRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.yml")
        try Data("""
            version: 1
            msp_domains: [northwind-msp.com, harbor-it.com]
            org_domains:
              "88101": [acmedental.com]
              "88104": [acmedental.com, dunmorelogistics.com]
              "88102": [birchwoodlaw.com]

            """.utf8).write(to: policy)
        var outputs: [[String: Data]] = []
        for run in 0..<2 {
            let out = dir.appendingPathComponent("run\(run)")
            let r = try Executable.run(
                ["scan", "samples/huntress", "--policy", policy.path, "--output", out.path, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
                in: Self.root)
            #expect(r.status == 0, "\(r.stderr)")
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
                files[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
            outputs.append(files)
        }
        #expect(outputs[0].count == 6 && outputs[0] == outputs[1])
        let json = try #require(try JSONSerialization.jsonObject(with: outputs[0]["findings.json"] ?? Data()) as? [String: Any])
        let iso3 = (json["findings"] as? [[String: Any]] ?? []).filter { $0["rule_id"] as? String == "ISO-003" }
        #expect(iso3.map { $0["principal"] as? String } == ["j.reyes@birchwoodlaw.com"])
        let iso2 = (json["findings"] as? [[String: Any]] ?? []).first { $0["rule_id"] as? String == "ISO-002" }
        #expect((iso2?["message"] as? String)?.contains("organization 88101, 88104") == true)
    }

    /// ISO-006 on a membership in an organization the account's list lacks: the finding names the
    /// member and the membership's role, cites the membership record, and keeps its fingerprint when the page is re-sorted
    /// (the record's index, which the coverage note quotes, changes).
    @Test func danglingMembershipsNameTheMemberAndSurviveResorting() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        func membership(_ id: Int, _ email: String, org: Int?) -> String {
            let organization = org.map { #"{"id": \#($0), "name": "Org \#($0)"}"# } ?? "null"
            return #"{"id": \#(id), "permissions": "\#(org == nil ? "Admin" : "User")", "account": {"id": 9, "name": "MSP"}, "organization": \#(organization), "user": {"id": \#(id), "email": "\#(email)", "name": "U"}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}"#
        }
        let members = [membership(1, "ops@msp.example", org: nil), membership(2, "a@c1.example", org: 1), membership(3, "gone@c2.example", org: 2)]
        let organizations = #"{"organizations": [{"id": 1, "account_id": 9, "name": "Org 1"}], "pagination": {"next_page_token": null}}"#
        func findings(_ order: [String]) throws -> [[String: Any]] {
            let input = dir.appendingPathComponent("in-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try Data(organizations.utf8).write(to: input.appendingPathComponent("organizations.json"))
            try Data(#"{"memberships": [\#(order.joined(separator: ",\n"))], "pagination": {"next_page_token": null}}"#.utf8)
                .write(to: input.appendingPathComponent("memberships.json"))
            let out = input.appendingPathComponent("out")
            let r = try Executable.run(
                ["scan", input.path, "--format", "json", "--output", out.path, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never", "--allow-incomplete"],
                in: Self.root)
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any]
            return (json?["findings"] as? [[String: Any]] ?? []).filter { $0["rule_id"] as? String == "ISO-006" }
        }
        let forward = try findings(members)
        let backward = try findings(members.reversed())
        #expect(forward.map { $0["principal"] as? String } == ["gone@c2.example"])
        // The role field holds the membership's role, not the reference (issue 14 C).
        #expect(forward.map { $0["role"] as? String } == ["User"])
        #expect(forward.map { $0["fingerprint"] as? String } == backward.map { $0["fingerprint"] as? String })
        // The evidence cites the membership record that names the missing organization.
        func source(_ f: [String: Any]?) -> [String: Any] { ((f?["evidence"] as? [[String: Any]])?.first?["source"] as? [String: Any]) ?? [:] }
        let cited = source(forward.first)
        #expect((cited["file"] as? String)?.hasSuffix("memberships.json") == true && cited["record"] as? String == "memberships[2]", "\(cited)")
        #expect(source(backward.first)["record"] as? String != cited["record"] as? String)
    }

    /// Every JSON list of the samples reversed (and the CSV rows too): every record moves, every
    /// record index changes, and the findings keep their fingerprints.
    @Test func fingerprintsSurviveResortedSamples() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = Self.root.appendingPathComponent("samples")
        let copy = dir.appendingPathComponent("samples")
        try FileManager.default.copyItem(at: samples, to: copy)
        let walker = try #require(FileManager.default.enumerator(atPath: copy.path))
        var moved = 0
        while let relative = walker.nextObject() as? String {
            let file = copy.appendingPathComponent(relative)
            if relative.hasSuffix(".json"), !relative.hasSuffix("roleaudit-source.json"),
                var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            {
                for (key, value) in object {
                    if let list = value as? [Any], list.count > 1 {
                        object[key] = Array(list.reversed())
                        moved += 1
                    }
                }
                try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: file)
            } else if relative.hasSuffix(".csv") {
                let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
                try Data(([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n").utf8 + [0x0A]).write(to: file)
                moved += 1
            }
        }
        #expect(moved > 5)
        func prints(_ input: URL) throws -> [String] {
            let out = dir.appendingPathComponent("out-\(UUID().uuidString)")
            let r = try Executable.run(
                ["scan", input.path, "--policy", samples.appendingPathComponent("roleaudit.yml").path, "--format", "json", "--output", out.path,
                 "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"], in: Self.root)
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any]
            return (json?["findings"] as? [[String: Any]] ?? []).map { "\($0["rule_id"] ?? "") \($0["fingerprint"] ?? "")" }.sorted()
        }
        let original = try prints(samples)
        #expect(original.count > 30)
        #expect(try prints(copy) == original)
    }
}
