import Foundation
import RoleAuditCollect
import RoleAuditImport
import Testing

/// Collection from a mock Cortex XDR tenant that checks every advanced-key signature as the vendor
/// documents it (../shared/reference/live-collection.md §2.2).
@Suite struct CortexCollectTests {
    func target(_ mock: MockCortex, _ url: URL) -> CortexTarget {
        CortexTarget(credential: Harness.credential(mock), tenant: "acme-prod", customer: "Acme Dental Group", apiURL: url)
    }

    @Test func knownAnswerSignature() {
        // live-collection.md §2.2: key TESTKEY, nonce "A" x 64, timestamp 1700000000000.
        #expect(CortexSigner.signature(key: "TESTKEY", nonce: String(repeating: "A", count: 64), timestamp: "1700000000000")
            == "2c7faf196d455a60b2efde2ba38d17b6106e075b60dea0c2f2a6b8d085c90317")
        let headers = CortexSigner.headers(keyID: "9", key: "K", advanced: true, nonce: "n", now: Date(timeIntervalSince1970: 1_700_000_000.1239))
        #expect(headers.first { $0.0 == "x-xdr-timestamp" }?.1 == "1700000000123")
        #expect(!headers.contains { $0.1 == "K" })
        #expect(CortexSigner.randomNonce().count == 64 && CortexSigner.randomNonce() != CortexSigner.randomNonce())
    }

    @Test func tenantCollectedWithSignedRequestsEachRetryResigned() async throws {
        let mock = try MockCortex.samplesAcme()
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/public_api/v1/rbac/get_users", times: 1, reply: Reply(status: 503, body: Data())))
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, cortex: [target(mock, url)])
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(mock.refusals.isEmpty, "\(mock.refusals)")
        let scope = try Harness.scope(outcome, "cortex-acme-prod")
        #expect(scope.files.map(\.path) == [
            "cortex-acme-prod/roleaudit-source.json", "cortex-acme-prod/get_users.json", "cortex-acme-prod/get_roles-001.json",
            "cortex-acme-prod/get_user_group-001.json", "cortex-acme-prod/get_api_keys-001.json",
        ])
        #expect(scope.requests.first?.attempts == 2)
        let requests = await server.requests
        let nonces = requests.compactMap { $0.header("x-xdr-nonce") }
        #expect(nonces.count == requests.count && Set(nonces).count == nonces.count)
        #expect(!requests.contains { $0.header("authorization") == mock.key })
        // Roles named by users and those held only through a group (found through the IAM group list).
        let asked = try #require(requests.first { $0.path.hasSuffix("get_roles") }).body
        let names = try #require((try JSONSerialization.jsonObject(with: asked) as? [String: Any])?["request_data"] as? [String: Any])["role_names"] as? [String]
        #expect(Set(names ?? []).isSuperset(of: ["Instance Administrator", "Investigator", "Privileged Responder", "Acme Helpdesk"]))
        let source = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cortex-acme-prod/roleaudit-source.json"))) as? [String: Any]
        #expect(source?["tenant"] as? String == "acme-prod" && source?["customer"] as? String == "Acme Dental Group")
        #expect(outcome.manifest.credentials.first?.keyID == "17" && outcome.manifest.credentials.first?.keyType == "advanced")
    }

    @Test func reusedNonceIsRefusedAndTheScopeIsIncomplete() async throws {
        let mock = try MockCortex.samplesAcme()
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let fixed = String(repeating: "N", count: 64)
        let (outcome, lines) = try await Harness.collect(into: dir, cortex: [target(mock, url)], nonce: { fixed })
        #expect(outcome.exitCode == 2)
        #expect(mock.refusals == ["nonce reused"])
        let scope = try Harness.scope(outcome, "cortex-acme-prod")
        #expect(scope.reason?.contains("Cortex key id 17 for 'acme-prod' (CORTEX_API_KEY_ID, advanced key) was refused (401") == true, "\(scope.reason ?? "")")
        #expect(scope.reason?.contains("clock") == true)
        #expect(scope.requests.last?.attempts == 1)
        Harness.expectNoSecrets([mock.key], in: [dir], printed: lines + [outcome.summary])
    }

    @Test func staleTimestampIsRefused() async throws {
        let mock = try MockCortex.samplesAcme()
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, cortex: [target(mock, url)], clock: ShiftedClock(offset: -600))
        #expect(outcome.exitCode == 2)
        #expect(mock.refusals == ["stale timestamp"])
        #expect(await server.requests.count == 1)
    }

    @Test func standardKeyIsSentAsIs() async throws {
        let mock = try MockCortex.samplesAcme()
        mock.advanced = false
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, cortex: [target(mock, url)])
        #expect(outcome.exitCode == 0)
        #expect(mock.refusals.isEmpty)
        #expect(await server.requests.allSatisfy { $0.header("x-xdr-nonce") == nil })
    }

    @Test func apiKeysArePagedAndTenantsWithoutIAMStillComplete() async throws {
        let mock = try MockCortex.samplesAcme()
        mock.iam = false
        mock.apiKeys = (1...230).map { ["id": $0, "roles": ["Viewer"], "created_by": "a@b.example", "creation_time": 1_700_000_000_000, "expiration": NSNull()] }
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, cortex: [target(mock, url)])
        #expect(outcome.exitCode == 0)
        let pages = try Harness.scope(outcome, "cortex-acme-prod").files.filter { $0.list == "get_api_keys" }
        #expect(pages.map(\.records) == [100, 100, 30])
        #expect(pages.map(\.pageToken) == [nil, "100", "200"])
        #expect(try Harness.scope(outcome, "cortex-acme-prod").requests.contains { $0.endpoint == "/platform/iam/v1/user-group" && $0.status == 404 })
    }

    @Test func noRoleNamesMeansNoGetRolesCall() async throws {
        let mock = MockCortex()
        mock.users = [["user_email": "a@corp.example", "role_name": "", "groups": [], "last_logged_in": NSNull(), "user_type": "SSO"]]
        let (server, url) = try await Harness.cortexServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, cortex: [target(mock, url)])
        #expect(outcome.exitCode == 0)
        #expect(await !server.requests.contains { $0.path.hasSuffix("get_roles") || $0.path.hasSuffix("get_user_group") })
    }
}
