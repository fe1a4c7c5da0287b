import Foundation
import Testing

/// The person view, the roster and the XP rules, through the built executable on exports each test
/// writes: every rule fires on the person built for it and stays silent on the clean one.
struct PeopleTests {
    static let now = "2026-11-23T00:00:00Z"

    /// gone@ is Inactive on Cortex and still an Admin of a Huntress organization (under another
    /// letter case); stays@ is active in both; stranger@gmail.com holds a membership nobody listed;
    /// j.doe@ (Cortex, Inactive) and jane@ (Huntress) are one person only by the policy's identities.
    static func exports() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-people-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("exports"), withIntermediateDirectories: true)
        let snapshot = """
            {
              "roleaudit_snapshot": 1,
              "accounts": [{"platform": "huntress", "id": "310", "name": "MSP"}],
              "organizations": [{"platform": "huntress", "id": "9021", "name": "Acme", "account": "310"},
                                {"platform": "cortex-xdr", "id": "prod", "name": "prod"}],
              "principals": [{"platform": "cortex-xdr", "email": "gone@corp.example", "status": "Inactive", "user_type": "SSO"},
                             {"platform": "cortex-xdr", "email": "stays@corp.example", "status": "Active", "user_type": "SSO"},
                             {"platform": "cortex-xdr", "email": "j.doe@corp.example", "status": "Inactive", "user_type": "SSO"},
                             {"platform": "huntress", "email": "Gone@Corp.example"},
                             {"platform": "huntress", "email": "stays@corp.example"},
                             {"platform": "huntress", "email": "jane@corp.example"},
                             {"platform": "huntress", "email": "stranger@gmail.com"}],
              "grants": [{"platform": "cortex-xdr", "principal": "gone@corp.example", "role": "Viewer", "level": "tenant", "target": "prod"},
                         {"platform": "cortex-xdr", "principal": "stays@corp.example", "role": "Viewer", "level": "tenant", "target": "prod"},
                         {"platform": "cortex-xdr", "principal": "j.doe@corp.example", "role": "Viewer", "level": "tenant", "target": "prod"},
                         {"platform": "huntress", "principal": "Gone@Corp.example", "role": "Admin", "level": "organization", "target": "9021"},
                         {"platform": "huntress", "principal": "stays@corp.example", "role": "Admin", "level": "organization", "target": "9021"},
                         {"platform": "huntress", "principal": "jane@corp.example", "role": "User", "level": "organization", "target": "9021"},
                         {"platform": "huntress", "principal": "stranger@gmail.com", "role": "User", "level": "organization", "target": "9021"}]
            }
            """
        try Data(snapshot.utf8).write(to: dir.appendingPathComponent("exports/snapshot.json"))
        let policy = """
            version: 1
            identities:
              - name: Jane Doe
                emails: [j.doe@corp.example, Jane@corp.example]
            """
        try Data(policy.utf8).write(to: dir.appendingPathComponent("roleaudit.yml"))
        return dir
    }

    /// A roster as Excel saves "Unicode text" in a semicolon locale: UTF-16LE with a BOM, `;`, CRLF.
    static func writeRoster(_ rows: [String], to url: URL) throws {
        let text = (["Email;Name;Status;Left_On"] + rows).joined(separator: "\r\n") + "\r\n"
        var data = Data([0xFF, 0xFE])
        for unit in text.utf16 { data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        try data.write(to: url)
    }

    struct Scan {
        let status: Int32
        let stderr: String
        let findings: [[String: Any]]
        let json: [String: Any]
        let dir: URL

        func fired(_ rule: String) -> [String] {
            findings.filter { $0["rule_id"] as? String == rule }.compactMap { $0["principal"] as? String }.sorted()
        }
    }

    static func scan(_ dir: URL, _ extra: [String]) throws -> Scan {
        let out = dir.appendingPathComponent("reports-\(UUID().uuidString)")
        let r = try Executable.run(
            ["scan", "exports", "--policy", "roleaudit.yml", "--output", out.path, "--now", now, "--fail-on", "never"] + extra, in: dir)
        let data = (try? Data(contentsOf: out.appendingPathComponent("findings.json"))) ?? Data("{}".utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Scan(status: r.status, stderr: r.stderr, findings: json["findings"] as? [[String: Any]] ?? [], json: json, dir: out)
    }

    @Test func accessLeftBehindFiresOnTheSwitchedOffPersonOnly() throws {
        let dir = try Self.exports()
        let s = try Self.scan(dir, [])
        #expect(s.status == 0, "\(s.stderr)")
        // gone@ by letter case, jane@ through the identity; never stays@ nor stranger@.
        #expect(s.fired("XP-001") == ["gone@corp.example", "jane@corp.example"])
        let f = try #require(s.findings.first { $0["rule_id"] as? String == "XP-001" && $0["principal"] as? String == "jane@corp.example" })
        #expect((f["message"] as? String)?.contains("Jane Doe is Inactive on Cortex XDR (j.doe@corp.example)") == true, "\(f)")
        #expect(f["severity"] as? String == "high")
        // Without a roster, the roster's rules have nothing to read.
        #expect(s.fired("XP-002").isEmpty && s.fired("XP-003").isEmpty)
    }

    /// Two Cortex tenants' user lists (get_users, as `collect` saves them, one folder per tenant)
    /// and a Huntress membership. gone@ is Inactive in dev and an Investigator in prod; left@ is
    /// Inactive in dev, holds nothing in prod and is a Huntress Admin; off@ is Inactive in both
    /// tenants it holds a role in; clean@ is Active in both. Each tenant's list is written in
    /// either order of the inputs, so the merge of one user's records cannot depend on it.
    static func twoTenants(prodFirst: Bool) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-tenants-\(UUID().uuidString)")
        func user(_ email: String, _ status: String, _ role: String) -> String {
            #"{"user_email": "\#(email)", "user_first_name": "", "user_last_name": "", "role_name": "\#(role)", "status": "\#(status)", "#
                + #""last_logged_in": 1795000000000, "user_type": "SSO", "groups": [], "scope": null}"#
        }
        let tenants = [
            ("dev", [user("gone@corp.example", "Inactive", "Viewer"), user("left@corp.example", "Inactive", ""),
                     user("off@corp.example", "Inactive", "Viewer"), user("clean@corp.example", "Active", "Viewer")]),
            ("prod", [user("Gone@Corp.example", "Active", "Investigator"), user("left@corp.example", "Active", ""),
                      user("off@corp.example", "Inactive", "Investigator"), user("clean@corp.example", "Active", "Investigator")]),
        ]
        for (i, (tenant, users)) in (prodFirst ? tenants.reversed() : tenants).enumerated() {
            // Folders sort in the order given: the importer reads them so.
            let folder = dir.appendingPathComponent("exports/\(i)-cortex-\(tenant)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(#"{"platform": "cortex-xdr", "tenant": "\#(tenant)"}"#.utf8).write(to: folder.appendingPathComponent("roleaudit-source.json"))
            try Data(("{\"reply\": [" + users.joined(separator: ",\n") + "]}").utf8).write(to: folder.appendingPathComponent("get_users.json"))
        }
        let huntress = """
            {"roleaudit_snapshot": 1,
             "accounts": [{"platform": "huntress", "id": "310"}],
             "organizations": [{"platform": "huntress", "id": "9021", "account": "310"}],
             "grants": [{"platform": "huntress", "principal": "left@corp.example", "role": "Admin", "level": "organization", "target": "9021"},
                        {"platform": "huntress", "principal": "clean@corp.example", "role": "Admin", "level": "organization", "target": "9021"}]}
            """
        try Data(huntress.utf8).write(to: dir.appendingPathComponent("exports/huntress.json"))
        try Data("version: 1\n".utf8).write(to: dir.appendingPathComponent("roleaudit.yml"))
        return dir
    }

    @Test(arguments: [false, true])
    func inactiveInOneTenantActiveInAnotherIsAccessLeftBehind(prodFirst: Bool) throws {
        let dir = try Self.twoTenants(prodFirst: prodFirst)
        let s = try Self.scan(dir, [])
        #expect(s.status == 0, "\(s.stderr)")
        let fired = s.findings.filter { $0["rule_id"] as? String == "XP-001" }
        #expect(fired.map { "\($0["platform"] ?? ""):\($0["principal"] ?? "")" }.sorted() == ["cortex-xdr:gone@corp.example", "huntress:left@corp.example"], "\(fired)")
        let gone = try #require(fired.first { $0["principal"] as? String == "gone@corp.example" })
        #expect(gone["message"] as? String == "gone@corp.example is Inactive on Cortex XDR tenant dev (gone@corp.example) but gone@corp.example still holds Investigator in tenant prod on Cortex XDR", "\(gone)")
        // The evidence cites dev's user record for the status and prod's for the grant left behind.
        let evidence = try #require(gone["evidence"] as? [[String: Any]])
        let files = evidence.compactMap { ($0["source"] as? [String: Any])?["file"] as? String }
        #expect(files.count == 2 && files[0].hasSuffix("-cortex-dev/get_users.json") && files[1].hasSuffix("-cortex-prod/get_users.json"), "\(evidence)")
        let left = try #require(fired.first { $0["principal"] as? String == "left@corp.example" })
        #expect((left["message"] as? String)?.hasPrefix("left@corp.example is Inactive on Cortex XDR tenant dev (left@corp.example) but left@corp.example still holds Admin on Huntress") == true, "\(left)")

        // The worksheet says each grant's status where it is held.
        let csv = try String(contentsOf: s.dir.appendingPathComponent("entitlements.csv"), encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = Self.header(lines[0])
        let status = try #require(header["user_status"])
        let rows = lines.dropFirst().map(Self.fields)
        let gones = rows.filter { Self.key($0, header).hasPrefix("cortex-xdr,,,") && Self.key($0, header).hasSuffix(",gone@corp.example,") }
        #expect(gones.map { "\(Self.key($0, header)) \($0[status])" }.sorted() == [
            "cortex-xdr,,,dev,gone@corp.example, Inactive", "cortex-xdr,,,prod,gone@corp.example, Active",
        ])

        // The person view says both.
        let view = try Executable.run(["inspect", "exports", "--person", "gone@corp.example", "--now", Self.now], in: dir)
        #expect(view.status == 0, "\(view.stderr)")
        #expect(view.stdout.contains("Cortex XDR gone@corp.example, status Inactive in dev, Active in prod"), "\(view.stdout)")
    }

    /// One user, Active in two tenants: Instance Administrator in dev, last signed in there 400
    /// days ago; Viewer in prod, signed in two days ago. The merged record's last login is prod's;
    /// dev's privileged grant is dormant all the same (LP-002), in either order of the inputs.
    @Test(arguments: [false, true])
    func dormantInOneTenantIsDormantThereWhateverTheOtherSays(prodFirst: Bool) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-logins-\(UUID().uuidString)")
        func user(_ role: String, _ lastLogin: Int) -> String {
            #"{"user_email": "ada@corp.example", "user_first_name": "", "user_last_name": "", "role_name": "\#(role)", "status": "Active", "#
                + #""last_logged_in": \#(lastLogin), "user_type": "SSO", "groups": [], "scope": null}"#
        }
        // 2026-11-23 less 400 days, and less 2 days, in milliseconds.
        let tenants = [("dev", user("Instance Administrator", 1_760_832_000_000)), ("prod", user("Viewer", 1_795_219_200_000))]
        for (i, (tenant, record)) in (prodFirst ? tenants.reversed() : tenants).enumerated() {
            let folder = dir.appendingPathComponent("exports/\(i)-cortex-\(tenant)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(#"{"platform": "cortex-xdr", "tenant": "\#(tenant)"}"#.utf8).write(to: folder.appendingPathComponent("roleaudit-source.json"))
            try Data("{\"reply\": [\(record)]}".utf8).write(to: folder.appendingPathComponent("get_users.json"))
        }
        try Data("version: 1\n".utf8).write(to: dir.appendingPathComponent("roleaudit.yml"))
        let s = try Self.scan(dir, [])
        #expect(s.status == 0, "\(s.stderr)")
        let dormant = s.findings.filter { $0["rule_id"] as? String == "LP-002" }
        #expect(dormant.map { "\($0["tenant"] ?? ""):\($0["principal"] ?? "")" } == ["dev:ada@corp.example"], "\(dormant)")
        #expect((dormant.first?["message"] as? String)?.contains("in dev and last signed in 400 days ago") == true, "\(dormant)")
        // The worksheet gives each row the last login in its tenant.
        let csv = try String(contentsOf: s.dir.appendingPathComponent("entitlements.csv"), encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = Self.header(lines[0])
        let (tenant, login) = (try #require(header["tenant"]), try #require(header["last_login"]))
        #expect(lines.dropFirst().map(Self.fields).map { "\($0[tenant]) \($0[login])" }.sorted() == [
            "dev 2025-10-19T00:00:00Z", "prod 2026-11-21T00:00:00Z",
        ])
    }

    @Test func leaversAndUnknownPeopleFromAUTF16SemicolonRoster() throws {
        let dir = try Self.exports()
        try Self.writeRoster(
            ["GONE@corp.example;Gone Person;left;2026-10-31", "stays@corp.example;Stays;active;", "jane@corp.example;Jane Doe;active;"],
            to: dir.appendingPathComponent("roster.csv"))
        let s = try Self.scan(dir, ["--roster", "roster.csv"])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.fired("XP-002") == ["gone@corp.example", "gone@corp.example"])  // on Huntress and on Cortex
        let leaver = try #require(s.findings.first { $0["rule_id"] as? String == "XP-002" && $0["platform"] as? String == "huntress" })
        #expect(leaver["severity"] as? String == "critical")
        #expect((leaver["message"] as? String)?.contains("left on 2026-10-31 (roster roster.csv:2)") == true, "\(leaver)")
        let evidence = try #require(leaver["evidence"] as? [[String: Any]])
        #expect(evidence.contains { ($0["source"] as? [String: Any])?["record"] as? String == "grants[3]" }, "\(evidence)")
        // j.doe@ is on the roster as jane@ (one identity); only the stranger is unknown.
        #expect(s.fired("XP-003") == ["stranger@gmail.com"])
        // The roster is an input: its digest is recorded with the exports'.
        let inputs = try #require(s.json["inputs"] as? [[String: Any]])
        let roster = try #require(inputs.first { $0["format"] as? String == "roster.csv" })
        #expect(roster["path"] as? String == "roster.csv")
        #expect((roster["sha256"] as? String)?.count == 64)
        #expect(roster["records"] as? Int == 3)
    }

    @Test func serviceAccountsAreNoUnknownPeople() throws {
        let dir = try Self.exports()
        try Data("version: 1\nservice_accounts: [Stranger@gmail.com]\n".utf8).write(to: dir.appendingPathComponent("roleaudit.yml"))
        try Data("email,name,status,left_on\ngone@corp.example,,active,\nstays@corp.example,,active,\njane@corp.example,,active,\nj.doe@corp.example,,active,\n".utf8)
            .write(to: dir.appendingPathComponent("roster.csv"))
        let s = try Self.scan(dir, ["--roster", "roster.csv"])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.fired("XP-003").isEmpty && s.fired("XP-002").isEmpty)
    }

    @Test(arguments: [
        ("email,status\nx@corp.example,gone\n", "roster.csv:2 (row 1, column \"status\"): expected active or left, found \"gone\""),
        ("email,status,left_on\nx@corp.example,left,31/10/2026\n", "roster.csv:2 (row 1, column \"left_on\"): expected a date YYYY-MM-DD, found \"31/10/2026\""),
        ("email,status\nx@corp.example,active\nnobody,active\n", "roster.csv:3 (row 2, column \"email\"): expected an email address, found \"nobody\""),
        ("name,status\nX,active\n", "roster.csv:1: expected a roster header with columns email, name, status, left_on"),
    ])
    func aBadRosterRowIsALocatedErrorExitTwo(roster: String, message: String) throws {
        let dir = try Self.exports()
        try Data(roster.utf8).write(to: dir.appendingPathComponent("roster.csv"))
        let r = try Executable.run(
            ["scan", "exports", "--policy", "roleaudit.yml", "--output", "out", "--now", Self.now, "--roster", "roster.csv"], in: dir)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("roleaudit: " + message), "\(r.stderr)")
    }

    @Test func inspectPersonShowsEveryAccountAndTheFindings() throws {
        let dir = try Self.exports()
        let r = try Executable.run(
            ["inspect", "exports", "--person", "JANE@corp.example", "--policy", "roleaudit.yml", "--now", Self.now, "--format", "json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["person"] as? String == "Jane Doe")
        let accounts = try #require(json["accounts"] as? [[String: Any]])
        #expect(accounts.compactMap { $0["principal"] as? String } == ["j.doe@corp.example", "jane@corp.example"])
        let grants = accounts.flatMap { $0["grants"] as? [[String: Any]] ?? [] }
        #expect(grants.contains { $0["organization"] as? String == "9021" && $0["account"] as? String == "310" && ($0["source"] as? String)?.contains("exports/snapshot.json") == true })
        #expect(grants.contains { $0["tenant"] as? String == "prod" && $0["role"] as? String == "Viewer" })
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["rule"] as? String == "XP-001" })

        let table = try Executable.run(["inspect", "exports", "--person", "stays@corp.example", "--policy", "roleaudit.yml"], in: dir)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("stays@corp.example: 2 account(s), 2 grant(s)"), "\(table.stdout)")
        #expect(!table.stdout.contains("XP-001"))

        let unknown = try Executable.run(["inspect", "exports", "--person", "nobody@corp.example"], in: dir)
        #expect(unknown.status == 64)
    }

    @Test func entitlementsNameThePersonInTheLastColumn() throws {
        let dir = try Self.exports()
        let s = try Self.scan(dir, [])
        let csv = try String(contentsOf: s.dir.appendingPathComponent("entitlements.csv"), encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasSuffix(",comment,person"))
        let header = Self.header(lines[0])
        let rows = lines.dropFirst().filter { !$0.isEmpty }.map(Self.fields)
        #expect(rows.contains { Self.key($0, header) == "huntress,310,9021,,jane@corp.example," && $0.last == "Jane Doe" })
        #expect(rows.contains { Self.key($0, header) == "cortex-xdr,,,prod,stays@corp.example," && $0.last == "stays@corp.example" })
    }

    /// report.html's people section: on one platform it lists a person only when the policy's
    /// identities join two addresses (the section skips its dictionary when nothing can), and across
    /// platforms one address on both consoles is one person.
    @Test(arguments: [false, true])
    func reportListsPeopleUnderSeveralAccounts(identities: Bool) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-people-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("exports"), withIntermediateDirectories: true)
        let snapshot = """
            {
              "roleaudit_snapshot": 1,
              "organizations": [{"platform": "huntress", "id": "9021", "name": "Acme"}],
              "principals": [{"platform": "huntress", "email": "alex@corp.example"}, {"platform": "huntress", "email": "a.smith@corp.example"},
                             {"platform": "huntress", "email": "other@corp.example"}],
              "grants": [{"platform": "huntress", "principal": "alex@corp.example", "role": "User", "level": "organization", "target": "9021"},
                         {"platform": "huntress", "principal": "a.smith@corp.example", "role": "Admin", "level": "organization", "target": "9021"},
                         {"platform": "huntress", "principal": "other@corp.example", "role": "User", "level": "organization", "target": "9021"}]
            }
            """
        try Data(snapshot.utf8).write(to: dir.appendingPathComponent("exports/snapshot.json"))
        let policy = identities ? "version: 1\nidentities:\n  - name: Alex Smith\n    emails: [alex@corp.example, A.Smith@corp.example]\n" : "version: 1\n"
        try Data(policy.utf8).write(to: dir.appendingPathComponent("roleaudit.yml"))
        let s = try Self.scan(dir, ["--format", "html"])
        #expect(s.status == 0, "\(s.stderr)")
        let html = try String(contentsOf: s.dir.appendingPathComponent("report.html"), encoding: .utf8)
        let start = try #require(html.range(of: "<section id=\"people\""))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = String(html[start.lowerBound..<end.upperBound])
        if identities {
            #expect(section.contains("<th scope=\"row\" dir=\"auto\">Alex Smith</th><td class=\"wrap\" dir=\"auto\">Huntress a.smith@corp.example; Huntress alex@corp.example</td><td>2</td>"), "\(section)")
            #expect(!section.contains("other@corp.example"))
        } else {
            #expect(section.contains("Nobody holds access under more than one account."), "\(section)")
        }

        // Both consoles: stays@ and gone@ hold a grant on each (the fixture of the other tests).
        let both = try Self.scan(try Self.exports(), ["--format", "html"])
        let page = try String(contentsOf: both.dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<th scope=\"row\" dir=\"auto\">stays@corp.example</th>"))
        #expect(page.contains("<th scope=\"row\" dir=\"auto\">Jane Doe</th>"))
    }

    /// A CSV line's fields as written, quotes kept: a quoted cell (`"privileged 2, write 1"`) holds
    /// commas. Enough for these fixtures, whose cells hold no line break.
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], cell = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() }
            if ch == "," && !quoted {
                out.append(cell)
                cell = ""
            } else {
                cell.append(ch)
            }
        }
        out.append(cell)
        return out
    }

    /// Column name to index in a worksheet's header line (a BOM before the first name dropped).
    static func header(_ line: String) -> [String: Int] {
        let names = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).replacingOccurrences(of: "\u{FEFF}", with: "") }
        return Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// `platform,account,organization,tenant,principal,` of a worksheet row (no cell of these
    /// fixtures holds a comma).
    static func key(_ fields: [String], _ header: [String: Int]) -> String {
        ["platform", "account", "organization", "tenant", "principal"].map { name in
            header[name].flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
        }.joined(separator: ",") + ","
    }

    @Test func anAddressInTwoIdentitiesIsAPolicyError() throws {
        let dir = try Self.exports()
        let policy = "version: 1\nidentities:\n  - {name: A, emails: [x@corp.example]}\n  - {name: B, emails: [X@corp.example]}\n"
        try Data(policy.utf8).write(to: dir.appendingPathComponent("roleaudit.yml"))
        let r = try Executable.run(["scan", "exports", "--policy", "roleaudit.yml", "--output", "out", "--now", Self.now], in: dir)
        #expect(r.status == 3)
        #expect(r.stderr.contains("roleaudit.yml:4: 'identities[1].emails': expected each address in one identity, found 'x@corp.example' also under 'A'"), "\(r.stderr)")
    }

    @Test(arguments: ["XP-001", "XP-002", "XP-003", "CERT-001"])
    func explainGivesTheFrameworks(rule: String) throws {
        let r = try Executable.run(["explain", rule.lowercased()])
        #expect(r.status == 0, "\(r.stderr)")
        for framework in ["NIST SP 800-53 AC-2", "ISO/IEC 27001:2022 A.5.18", "SOC 2 CC6.2", "SOC 2 CC6.3"] {
            #expect(r.stdout.contains(framework), "\(rule): \(framework)")
        }
        let list = try Executable.run(["rules", "--format", "csv"])
        #expect(list.stdout.contains(rule + ","))
    }
}
