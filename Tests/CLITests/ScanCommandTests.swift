import Foundation
import Testing

/// `roleaudit scan`, `rules` and `explain`, through the built executable.
struct ScanCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let now = "2026-11-23T00:00:00Z"

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func findings(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("findings.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Issue 4's acceptance: exit 1, and every rule id with the principals samples/README.md names.
    @Test func samplesFailTheGateAndEveryRuleFires() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--format", "json", "--output", out.path, "--now", Self.now], in: Self.root)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("FAILED:") && r.stdout.contains("Top findings:"))
        let json = try findings(out)
        let list = try #require(json["findings"] as? [[String: Any]])
        var named: [String: Set<String>] = [:]
        for f in list {
            let who = (f["principal"] as? String) ?? (f["tenant"] as? String) ?? (f["account"] as? String) ?? ""
            named[f["rule_id"] as? String ?? "", default: []].insert(who)
        }
        let expected: [String: Set<String>] = [
            "LP-001": ["41207", "acme-prod"], "LP-002": ["old.admin@acmedental.com"], "LP-003": ["backup.admin@acmedental.com"],
            "LP-004": ["scanner-bot@acmedental.com"],
            "LP-005": ["devlead@birchwoodlaw.com", "nora.fischer@acmedental.com", "soc2@northwind-msp.com"],
            "LP-006": ["backup.admin@acmedental.com"], "LP-007": ["kim.nguyen@secureops-consulting.com", "sam.contractor@gmail.com"],
            "LP-008": ["jess.alvarez@northwind-msp.com", "41207"], "LP-009": ["api-key:acme-prod:23", "api-key:acme-prod:31"], "SOD-001": ["tom.keller@northwind-msp.com"],
            "SOD-002": ["provisioning@northwind-msp.com"], "SOD-003": ["devlead@birchwoodlaw.com"], "SOD-004": ["compliance@acmedental.com"],
            "ISO-001": ["sam.contractor@gmail.com"], "ISO-002": ["it.manager@acmedental.com"], "ISO-003": ["j.reyes@birchwoodlaw.com"],
            "ISO-004": ["branch.tech@acmedental.com"], "ISO-005": ["kim.nguyen@secureops-consulting.com"], "ISO-006": ["52001"], "ISO-007": ["west.tech@acmedental.com"],
            "CAT-001": ["legacy.viewer@northwind-msp.com"], "CAT-002": ["acme-prod"], "CAT-003": ["acme-prod"],
            "HYG-001": ["52001"], "HYG-002": ["birchwood-xdr"], "HYG-003": ["former.paralegal@birchwoodlaw.com"],
            "ESC-001": ["provisioning@northwind-msp.com"], "ESC-002": ["secops@cedarvalleycu.org"], "SOD-NW-1": ["deploy.lead@acmedental.com"],
        ]
        for (rule, who) in expected { #expect(named[rule] == who, "\(rule): \(named[rule] ?? [])") }
        #expect(named["CAT-004"]?.isEmpty == false)
        #expect(Set(named.keys) == Set(expected.keys).union(["CAT-004"]))
    }

    /// Principals that comply stay clean (informational notes aside).
    @Test func compliantPrincipalsHaveNoFindings() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try Executable.run(["scan", "samples", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", Self.now], in: Self.root)
        let list = try #require(try findings(out)["findings"] as? [[String: Any]])
        let flagged = Set(list.filter { ($0["severity"] as? String) != "info" }.compactMap { $0["principal"] as? String })
        for clean in ["priya.raman@northwind-msp.com", "dana.whitfield@northwind-msp.com", "east.tech@acmedental.com", "dr.patel@acmedental.com",
                      "owen.birch@birchwoodlaw.com", "records@birchwoodlaw.com", "office@acmedental.com",
                      "auditor@northwind-msp.com", "billing@northwind-msp.com", "kelly.marsh@northwind-msp.com", "grace.liu@acmedental.com",
                      "api-key:acme-prod:17"] {
            #expect(!flagged.contains(clean), "\(clean) should be clean")
        }
    }

    @Test func waiversAreActiveExpiredAndUnused() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(["scan", "samples", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", Self.now], in: Self.root)
        #expect(r.stdout.contains("Expired waivers (no longer applied): W-2026-002"))
        #expect(r.stdout.contains("Unused waivers (match nothing): W-2025-090"))
        let json = try findings(out)
        let waivers = try #require(json["waivers"] as? [[String: Any]])
        #expect(Dictionary(uniqueKeysWithValues: waivers.map { ($0["id"] as? String ?? "", $0["state"] as? String ?? "") })
            == ["W-2026-014": "active", "W-2026-002": "expired", "W-2025-090": "unused"])
        let list = try #require(json["findings"] as? [[String: Any]])
        let lp6 = try #require(list.first { $0["rule_id"] as? String == "LP-006" })
        #expect(lp6["status"] as? String == "waived" && lp6["waiver"] as? String == "W-2026-014")
        let lp8 = try #require(list.first { $0["rule_id"] as? String == "LP-008" })
        #expect(lp8["status"] as? String == "open")
    }

    /// Same input and --now: same bytes. Reordered records: the same findings.
    @Test func scansAreDeterministicAndOrderIndependent() throws {
        let (a, b, shuffled, c) = (try scratch(), try scratch(), try scratch(), try scratch())
        defer { for d in [a, b, shuffled, c] { try? FileManager.default.removeItem(at: d) } }
        for out in [a, b] {
            _ = try Executable.run(["scan", "samples", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", Self.now], in: Self.root)
        }
        #expect(try Data(contentsOf: a.appendingPathComponent("findings.json")) == Data(contentsOf: b.appendingPathComponent("findings.json")))

        // The same exports with every list reversed, in a copy of samples/.
        let copy = shuffled.appendingPathComponent("samples")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("samples"), to: copy)
        let walker = FileManager.default.enumerator(atPath: copy.path)
        while let rel = walker?.nextObject() as? String {
            guard rel.hasSuffix(".json"), !rel.hasSuffix("roleaudit-source.json") else { continue }
            let url = copy.appendingPathComponent(rel)
            guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else { continue }
            for key in ["memberships", "organizations", "reply", "data"] {
                if let list = object[key] as? [Any] { object[key] = Array(list.reversed()) }
            }
            try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: url)
        }
        _ = try Executable.run(["scan", copy.path, "--policy", "samples/roleaudit.yml", "--output", c.path, "--now", Self.now], in: Self.root)
        func essence(_ dir: URL) throws -> [String] {
            try #require(try findings(dir)["findings"] as? [[String: Any]]).map {
                "\($0["fingerprint"] ?? "") \($0["severity"] ?? "") \($0["status"] ?? "") \($0["message"] ?? "")"
            }
        }
        #expect(try essence(a) == essence(c))
    }

    /// A snapshot file names no platform in its source: the summary counts the platforms it holds.
    @Test func summaryCountsThePlatformsOfASnapshot() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let snapshot = Self.root.appendingPathComponent("Tests/RoleAuditImportTests/Fixtures/snapshot/snapshot.json").path
        let r = try Executable.run(["scan", snapshot, "--format", "json", "--output", out.path, "--now", Self.now, "--fail-on", "never"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 files, 2 platform(s), 1 Huntress account(s)"), "\(r.stdout)")
    }

    @Test func failOnDecidesTheExitCode() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let base = ["scan", "samples", "--policy", "samples/roleaudit.yml", "--output", out.path, "--now", Self.now]
        #expect(try Executable.run(base + ["--fail-on", "never"], in: Self.root).status == 0)
        #expect(try Executable.run(base + ["--fail-on", "critical"], in: Self.root).status == 1)
        let bad = try Executable.run(base + ["--fail-on", "sometimes"], in: Self.root)
        #expect(bad.status == 64 && bad.stderr.contains("The value 'sometimes' is invalid for '--fail-on <fail-on>'"), "\(bad.stderr)")
    }

    @Test func incompleteInputExitsTwoUnlessAllowed() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let input = Self.fixtures.appendingPathComponent("incomplete").path
        let r = try Executable.run(["scan", input, "--output", out.path, "--now", Self.now, "--fail-on", "never"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("Input is INCOMPLETE"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("findings.json").path))
        #expect(try findings(out)["complete"] as? Bool == false)
        let allowed = try Executable.run(["scan", input, "--output", out.path, "--now", Self.now, "--fail-on", "never", "--allow-incomplete"])
        #expect(allowed.status == 0)
    }

    @Test(arguments: [
        ("unknown-key.yml", ":4: 'waviers': expected one of allowed_cross_org, ceilings, customers, identities, msp_domains, org_domains, permission_map, rules, service_accounts, sod_conflicts, thresholds, version, waivers, found an unknown key"),
        ("wrong-type.yml", ":3: 'thresholds.dormant_days': expected a whole number, found 'ninety'"),
        ("bad-date.yml", ":8: 'waivers[0].expires': expected a date YYYY-MM-DD, found '2026-02-30'"),
        ("unknown-rule.yml", ":3: 'rules.LP-999': expected a rule id (roleaudit rules lists them), found 'LP-999'"),
        ("unknown-capability.yml", ":3: 'permission_map.live_terminal': expected a capability id (roleaudit catalog lists them), found 'response.teleport'"),
        ("malformed.yml", ": expected valid YAML, found "),
    ])
    func policyErrorsNameTheKeyAndLineAndExitThree(file: String, message: String) throws {
        let policy = Self.fixtures.appendingPathComponent("policies/\(file)").path
        let r = try Executable.run(["scan", "samples", "--policy", policy, "--output", NSTemporaryDirectory(), "--now", Self.now], in: Self.root)
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("roleaudit: \(policy)"))
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func rulesListsEveryRule() throws {
        let r = try Executable.run(["rules", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: String]])
        #expect(list.count == 33)
        #expect(list.first?["id"] == "LP-001" && list.last?["id"] == "CERT-001")
        #expect(Set(list.compactMap { $0["id"] }).isSuperset(of: ["LP-009", "ISO-007", "ESC-002"]))
    }

    @Test func explainShowsTheVendorsWords() throws {
        let r = try Executable.run(["explain", "iso-004"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("ISO-004  Scoped role without a scope"))
        // The vendor's document by its title, line and address, not the seed's file name.
        #expect(r.stdout.contains("(Set up users, groups, and roles (Cortex XDR 5.x Documentation), line 24, https://docs-cortex.paloaltonetworks.com/"))
        #expect(!r.stdout.contains("003_531c79ba9149ac3a"))
        #expect(r.stdout.contains("Examples that trigger it"))
        let unknown = try Executable.run(["explain", "XYZ-1"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown rule 'XYZ-1'"))
    }
}
