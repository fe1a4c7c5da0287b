import Foundation
import RoleAuditImport
import Testing

/// `roleaudit collect` and `scan` on what it collected, through the built executable, against mock
/// servers on 127.0.0.1: what a user or a nightly job sees.
@Suite struct CollectCommandTests {
    let scale = ["--time-scale", String(Harness.timeScale)]

    /// `roleaudit collect huntress` into `dir` from the mock at `url`, with the mock's credentials.
    func collectHuntress(_ mock: MockHuntress, _ url: URL, into dir: URL) async throws -> Launched.Output {
        try await Launched.run(
            ["collect", "huntress", "--output", dir.path, "--base-url", url.absoluteString] + scale, environment: Harness.environment(huntress: mock))
    }

    func manifest(_ dir: URL) throws -> CollectionManifest {
        try CollectionManifest.read(dir.appendingPathComponent(CollectionManifest.fileName).path)
    }

    /// A child account answers 404: that scope is incomplete, collect exits 2, and scan refuses the
    /// folder (exit 2, coverage names the scope) unless --allow-incomplete.
    @Test func childAccountNotFoundIsPartialAndScanRefusesIt() async throws {
        let mock = try MockHuntress.samplesReseller()
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/v1/accounts/52001/memberships", times: 10, reply: .json(["errors": ["Not Found"]], status: 404)))
        let dir = try Harness.scratch()
        let r = try await collectHuntress(mock, url, into: dir)
        #expect(r.status == 2, "\(r.printed)")
        #expect(r.stderr.contains("huntress-52001: INCOMPLETE") && r.stderr.contains("404"))
        #expect(r.stdout.contains("INCOMPLETE huntress-52001"))
        let m = try manifest(dir)
        #expect(m.state == .incomplete)
        #expect(m.scopes.first { $0.id == "huntress-52001" }?.state == .incomplete)
        #expect(m.scopes.first { $0.id == "huntress-41207" }?.state == .complete)

        let (scan, _, reports) = try await Harness.scan([dir.path])
        #expect(scan.status == 2, "\(scan.printed)")
        let html = try String(contentsOf: reports.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("collection-incomplete") && html.contains("huntress-52001"))
        let (allowed, findings, _) = try await Harness.scan([dir.path], extra: ["--allow-incomplete"])
        #expect(allowed.status == 0, "\(allowed.printed)")
        #expect(!findings.isEmpty)
    }

    /// A real process killed while a request is held by the server; --resume fetches only what was
    /// not complete, and the result scans like an uninterrupted collection.
    @Test func resumeAfterKillFetchesOnlyWhatWasNotComplete() async throws {
        var mock = try MockHuntress.samplesReseller()
        mock.accounts.append(JSONObject(["id": 52002, "name": "Third Account"]))
        mock.organizations["52002"] = [JSONObject(["id": 88301, "account_id": 52002, "name": "Third Org", "created_at": "2024-01-01T00:00:00Z"])]
        mock.memberships["52002"] = [JSONObject([
            "id": 9, "permissions": "Admin", "account": ["id": 52002, "name": "Third Account"], "organization": NSNull(),
            "user": ["id": 9, "email": "admin@third.example", "name": "A"], "created_at": "2024-01-01 00:00:00 UTC", "updated_at": "2024-01-01 00:00:00 UTC",
        ])]
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.holdRequest(to: "/v1/accounts/52002/memberships")
        let dir = try Harness.scratch()
        let args = ["collect", "huntress", "--output", dir.path, "--base-url", url.absoluteString, "--parallel", "1"] + scale
        let first = try Launched(args, environment: Harness.environment(huntress: mock))
        await server.heldRequestArrived()
        first.kill()
        let killed = await first.finished()
        await server.releaseHold()
        #expect(killed.status != 0)
        let interrupted = try manifest(dir)
        #expect(interrupted.state == .inProgress)
        #expect(interrupted.scopes.map { "\($0.id) \($0.state.rawValue)" } == [
            "huntress-41207 complete", "huntress-52001 complete", "huntress-52002 in-progress", "huntress-reseller-41207 complete",
        ])
        let (scanKilled, _, _) = try await Harness.scan([dir.path])
        #expect(scanKilled.status == 2)

        let before = await server.requests.count
        let resumed = try await Launched.run(args + ["--resume"], environment: Harness.environment(huntress: mock))
        #expect(resumed.status == 0, "\(resumed.printed)")
        let again = await server.requests.dropFirst(before).map(\.path)
        #expect(Set(again) == ["/v1/accounts/52002/organizations", "/v1/accounts/52002/memberships"], "\(again)")
        #expect(resumed.stderr.contains("huntress-41207: complete in the earlier run, kept"))
        let done = try manifest(dir)
        #expect(done.state == .complete && done.scopes.allSatisfy { $0.state == .complete })

        // The same findings as one uninterrupted collection of the same data.
        let fresh = try Harness.scratch()
        let whole = try await collectHuntress(mock, url, into: fresh)
        #expect(whole.status == 0)
        let (a, resumedFindings, _) = try await Harness.scan([dir.path])
        let (b, freshFindings, _) = try await Harness.scan([fresh.path])
        #expect(a.status == 0 && b.status == 0, "\(a.printed) \(b.printed)")
        #expect(!resumedFindings.isEmpty && Harness.identities(resumedFindings) == Harness.identities(freshFindings))
    }

    /// What the mock data plants is found; a collected file deleted, edited, added to, or a page
    /// taken out of the chain makes scan exit 2 and say exactly what.
    @Test func scanFindsWhatIsPlantedAndRefusesAlteredCollections() async throws {
        let mock = MockHuntress.large(count: 1_234)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let r = try await collectHuntress(mock, url, into: dir)
        #expect(r.status == 0, "\(r.printed)")
        #expect(r.stdout.contains("Collected 1 scope(s): 1 complete, 0 incomplete; 1275 record(s), 6 request(s), 0 retries"))

        let (scan, findings, _) = try await Harness.scan([dir.path])
        #expect(scan.status == 0, "\(scan.printed)")
        func who(_ rule: String) -> Set<String> { Set(findings.filter { $0["rule_id"] as? String == rule }.compactMap { $0["principal"] as? String }) }
        #expect(who("ISO-001") == ["roamer@customer3.example"])
        #expect(who("ESC-001") == ["provisioner@large-msp.example"])

        let page2 = dir.appendingPathComponent("huntress-7001/memberships-002.json")
        let original = try Data(contentsOf: page2)
        let inspect = try await Launched.run(["inspect", dir.path], environment: [:], in: Harness.root)
        #expect(inspect.status == 0, "\(inspect.printed)")

        try FileManager.default.removeItem(at: page2)
        var (s, _, out) = try await Harness.scan([dir.path])
        #expect(s.status == 2, "\(s.printed)")
        #expect(try String(contentsOf: out.appendingPathComponent("findings.json"), encoding: .utf8).contains("collected-file-missing"))

        // Someone makes a Read-only member an Admin: valid JSON, a different file.
        let text = String(decoding: original, as: UTF8.self)
        let first = try #require(text.range(of: "\"Read-only\""))
        try Data(text.replacingCharacters(in: first, with: "\"Admin\"").utf8).write(to: page2)
        (s, _, out) = try await Harness.scan([dir.path])
        #expect(s.status == 2, "\(s.printed)")
        let changed = try String(contentsOf: out.appendingPathComponent("findings.json"), encoding: .utf8)
        #expect(changed.contains("collected-file-changed") && changed.contains("memberships-002.json changed after it was collected"))

        try original.write(to: page2)
        (s, _, _) = try await Harness.scan([dir.path])
        #expect(s.status == 0)

        let extra = dir.appendingPathComponent("huntress-7001/memberships-extra.json")
        let planted = #"{"id": 1, "permissions": "Admin", "account": {"id": 7001}, "organization": null, "user": {"id": 9, "email": "intruder@evil.example"}}"#
        // (Not a second last page of the list: the import refuses that on its own, naming both files.)
        try Data(#"{"memberships": [\#(planted)], "pagination": {"next_page_token": "planted"}}"#.utf8).write(to: extra)
        (s, _, out) = try await Harness.scan([dir.path])
        #expect(s.status == 2)
        #expect(try String(contentsOf: out.appendingPathComponent("findings.json"), encoding: .utf8).contains("collected-file-unlisted"))
        try FileManager.default.removeItem(at: extra)

        // Page 2 gone from disk and from the manifest: the chain of page tokens shows the gap.
        var m = try manifest(dir)
        m.scopes[0].files.removeAll { $0.path.hasSuffix("memberships-002.json") }
        try m.encoded().write(to: dir.appendingPathComponent(CollectionManifest.fileName))
        try FileManager.default.removeItem(at: page2)
        (s, _, out) = try await Harness.scan([dir.path])
        #expect(s.status == 2)
        let gap = try String(contentsOf: out.appendingPathComponent("findings.json"), encoding: .utf8)
        #expect(gap.contains("missing-page") && gap.contains("memberships-001.json points at a next page of memberships"))
    }

    /// Collected folders give the same findings as the hand-saved exports of the same data.
    @Test func collectedHuntressScansLikeTheHandSavedExports() async throws {
        let mock = try MockHuntress.samplesReseller()
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let r = try await collectHuntress(mock, url, into: dir)
        #expect(r.status == 0, "\(r.printed)")
        let policy = Harness.root.appendingPathComponent("samples/roleaudit.yml").path
        let (collected, collectedFindings, _) = try await Harness.scan([dir.path], policy: policy)
        let (saved, savedFindings, _) = try await Harness.scan(["samples/huntress"], policy: policy)
        #expect(collected.status == 0 && saved.status == 0, "\(collected.printed) \(saved.printed)")
        #expect(savedFindings.count > 10)
        #expect(Harness.identities(collectedFindings) == Harness.identities(savedFindings))
    }

    /// The Cortex tenant of samples/cortex-acme-prod, collected, against its hand-saved replies
    /// (get_users, get_roles, get_user_group, roleaudit-source.json, and the same API keys).
    @Test func collectedCortexScansLikeTheHandSavedExports() async throws {
        let mock = try MockCortex.samplesAcme()
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let r = try await Launched.run(
            ["collect", "cortex", "--output", dir.path, "--tenant", "acme-prod", "--customer", "Acme Dental Group", "--api-url", url.absoluteString] + scale,
            environment: Harness.environment(cortex: mock))
        #expect(r.status == 0, "\(r.printed)")
        let saved = try Harness.scratch("hand-saved").appendingPathComponent("acme-prod")
        try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
        for name in ["get_users.json", "get_roles.json", "get_user_group.json", "roleaudit-source.json"] {
            try FileManager.default.copyItem(
                at: Harness.root.appendingPathComponent("samples/cortex-acme-prod/\(name)"), to: saved.appendingPathComponent(name))
        }
        let keys = Reply.json(["reply": ["DATA": mock.apiKeys, "TOTAL_COUNT": mock.apiKeys.count, "FILTER_COUNT": mock.apiKeys.count]]).body
        try keys.write(to: saved.appendingPathComponent("get_api_keys.json"))
        let policy = Harness.root.appendingPathComponent("samples/roleaudit.yml").path
        let (collected, collectedFindings, _) = try await Harness.scan([dir.path], policy: policy)
        let (handSaved, savedFindings, _) = try await Harness.scan([saved.path], policy: policy)
        #expect(collected.status == 0 && handSaved.status == 0, "\(collected.printed) \(handSaved.printed)")
        #expect(savedFindings.count > 5)
        #expect(Harness.identities(collectedFindings) == Harness.identities(savedFindings))
    }

    @Test func usageErrorsExit64() async throws {
        let env = Harness.environment(huntress: MockHuntress())
        let dir = try Harness.scratch()
        let busy = try Harness.scratch()
        try Data("keep".utf8).write(to: busy.appendingPathComponent("notes.txt"))
        let cases: [([String], [String: String], String)] = [
            (["collect", "huntress", "--output", dir.path, "--base-url", "http://api.huntress.example"], env, "only https://"),
            (["collect", "huntress", "--output", dir.path, "--page-size", "0"], env, "--page-size takes 1 to 500"),
            (["collect", "huntress", "--output", dir.path, "--page-size", "501"], env, "--page-size takes 1 to 500"),
            (["collect", "huntress", "--output", dir.path], [:], "HUNTRESS_API_KEY is not set"),
            (["collect", "cortex", "--output", dir.path, "--tenant", "../x", "--api-url", "https://api-x.example"], ["CORTEX_API_KEY_ID": "1", "CORTEX_API_KEY": "k"], "names a folder"),
            (["collect", "huntress", "--output", busy.path, "--base-url", "http://127.0.0.1:9"], env, "is not empty"),
            (["collect", "huntress", "--output", dir.path, "--resume"], env, "holds no roleaudit-collection.json"),
            (["collect", "--output", dir.path], env, "--config"),
        ]
        for (args, environment, message) in cases {
            let r = try await Launched.run(args, environment: environment)
            #expect(r.status == 64, "\(args): \(r.printed)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy.path) == ["notes.txt"])
    }
}
