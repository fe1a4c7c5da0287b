import Foundation
import RoleAuditCollect
import RoleAuditImport
import Testing

/// Collection from a mock Huntress API (../shared/reference/live-collection.md §1): paging, resellers,
/// throttling, server errors, refused credentials and addresses that must not be followed.
@Suite struct HuntressCollectTests {
    @Test func threePagesAtFiveHundred() async throws {
        let mock = MockHuntress.large(count: 1_234)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 0)
        let scope = try Harness.scope(outcome, "huntress-7001")
        #expect(scope.state == .complete)
        let pages = scope.files.filter { $0.list == "memberships" }
        #expect(pages.map(\.records) == [500, 500, 234])
        #expect(pages.map(\.path) == ["huntress-7001/memberships-001.json", "huntress-7001/memberships-002.json", "huntress-7001/memberships-003.json"])
        // Each next page is asked for with the token the previous one gave, exactly (it holds + / =).
        #expect(pages.map(\.pageToken) == [nil, MockHuntress.token(500), MockHuntress.token(1000)])
        #expect(pages.map(\.nextPageToken) == [MockHuntress.token(500), MockHuntress.token(1000), nil])
        let asked = await server.requests.filter { $0.path == "/v1/memberships" }
        #expect(asked.map { $0.query["page_token"] } == [nil, MockHuntress.token(500), MockHuntress.token(1000)])
        #expect(asked.allSatisfy { $0.query["limit"] == "500" })
        #expect(scope.records == 1_234 + 40 + 1)
        // The files are the bodies as served, and the manifest's hashes are theirs.
        for file in scope.files {
            let data = try Data(contentsOf: dir.appendingPathComponent(file.path))
            #expect(data.count == file.size)
        }
    }

    @Test func resellerCollectsEachChildAccountIntoItsOwnFolder() async throws {
        let mock = try MockHuntress.samplesReseller()
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, lines) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url, pageSize: 10)])
        #expect(outcome.exitCode == 0)
        #expect(outcome.manifest.scopes.map(\.id) == ["huntress-41207", "huntress-52001", "huntress-reseller-41207"])
        #expect(outcome.manifest.credentials.first?.actor?.resellerID == "41207")
        let paths = Set(await server.requests.map(\.path))
        #expect(paths.isSuperset(of: ["/v1/actor", "/v1/accounts", "/v1/accounts/41207/memberships", "/v1/accounts/52001/memberships", "/v1/accounts/52001/organizations"]))
        // 28 memberships at 10 a page.
        let pages = try Harness.scope(outcome, "huntress-41207").files.filter { $0.list == "memberships" }.map(\.records)
        #expect(pages == [10, 10, 8], "\(pages)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("huntress-52001/memberships-001.json").path))
        #expect(lines.contains { $0.hasPrefix("huntress-reseller-41207: 2 account(s) to collect") })
        #expect(lines.contains { $0.hasPrefix("huntress-52001: complete") })
    }

    /// A 429 without Retry-After (the API documents none): the collector waits out its rate window
    /// (a minute, scaled here to 60 ms), pausing the credential, and goes on.
    @Test func throttledWithoutRetryAfterWaitsTheWindowAndCompletes() async throws {
        let mock = MockHuntress.large(count: 60)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let second = MockHuntress.token(10)
        await server.inject(Fault(path: "/v1/memberships", times: 2, reply: .json(["errors": ["Too Many Requests"]], status: 429)) { $0.query["page_token"] == second })
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url, pageSize: 10)])
        #expect(outcome.exitCode == 0)
        let scope = try Harness.scope(outcome, "huntress-7001")
        #expect(scope.files.filter { $0.list == "memberships" }.count == 6)
        #expect(scope.requests.contains { $0.pageToken == second && $0.attempts == 3 && $0.status == 200 })
        let window = Harness.pacing.huntressWindow
        let requests = await server.requests
        let throttled = requests.indices.filter { requests[$0].status == 429 }
        #expect(throttled.count == 2 && requests.allSatisfy { $0.header("retry-after") == nil })
        for i in throttled {
            #expect(requests[i + 1].at.timeIntervalSince(requests[i].at) >= window * 0.99)
        }
    }

    @Test func serverErrorThenSuccessIsRetried() async throws {
        let mock = MockHuntress.large(count: 30)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/v1/memberships", times: 1, reply: .json(["errors": ["Internal Server Error"]], status: 500)))
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 0)
        let request = try #require(try Harness.scope(outcome, "huntress-7001").requests.first { $0.endpoint.hasPrefix("/v1/memberships") })
        #expect(request.attempts == 2 && request.status == 200)
        #expect(await server.requests.filter { $0.path == "/v1/memberships" }.count == 2)
    }

    @Test func serverErrorsBeyondTheBudgetMakeTheScopeIncomplete() async throws {
        let mock = MockHuntress.large(count: 30)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/v1/memberships", times: 100, reply: .json(["errors": ["Bad Gateway"]], status: 502)))
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 2)
        let scope = try Harness.scope(outcome, "huntress-7001")
        #expect(scope.state == .incomplete)
        #expect(scope.reason?.contains("gave up after 4 attempt(s)") == true, "\(scope.reason ?? "")")
        #expect(await server.requests.filter { $0.path == "/v1/memberships" }.count == Pacing().attempts)
    }

    /// The server's next_page_url names another server: the collector builds the next URL itself.
    @Test func nextPageURLOnAnotherHostIsNeverRequested() async throws {
        let elsewhere = try MockServer { _ in .json(["memberships": [], "pagination": [:]]) }
        let other = try await elsewhere.start()
        defer { Task { await elsewhere.stop() } }
        var mock = MockHuntress.large(count: 25)
        mock.nextPageHost = other
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url, pageSize: 10)])
        #expect(outcome.exitCode == 0)
        let body = try Data(contentsOf: dir.appendingPathComponent("huntress-7001/memberships-001.json"))
        let pagination = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["pagination"] as? [String: Any]
        #expect((pagination?["next_page_url"] as? String)?.hasPrefix(other.absoluteString) == true)
        #expect(await elsewhere.requests.isEmpty)
        #expect(await server.requests.filter { $0.path == "/v1/memberships" }.count == 3)
    }

    /// A redirect would carry the credential to whatever address it names: refused, not followed.
    @Test func redirectIsNotFollowed() async throws {
        let elsewhere = try MockServer { _ in .json(["organizations": [], "pagination": [:]]) }
        let other = try await elsewhere.start()
        defer { Task { await elsewhere.stop() } }
        let mock = MockHuntress.large(count: 5)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/v1/organizations", times: 10, reply: Reply(status: 302, headers: ["Location": "\(other.absoluteString)/v1/organizations"], body: Data())))
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 2)
        let scope = try Harness.scope(outcome, "huntress-7001")
        #expect(scope.reason?.contains("a redirect to 127.0.0.1, which is not followed") == true, "\(scope.reason ?? "")")
        #expect(scope.requests.last?.attempts == 1)
        #expect(await elsewhere.requests.isEmpty)
    }

    /// A server that echoes the secret back: that response is not written anywhere.
    @Test func responseHoldingTheSecretIsNotWritten() async throws {
        let mock = MockHuntress.large(count: 5)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/v1/memberships", times: 1, reply: .json(["memberships": [], "debug": "auth was \(mock.key):\(mock.secret)"])))
        let dir = try Harness.scratch()
        let (outcome, lines) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 2)
        #expect(try Harness.scope(outcome, "huntress-7001").reason?.contains("the response holds the credential's secret; it was not written") == true)
        Harness.expectNoSecrets([mock.secret, mock.key], in: [dir], printed: lines + [outcome.summary])
    }

    @Test func refusedCredentialIsNamedNotRetriedAndNeverPrinted() async throws {
        var mock = MockHuntress.large(count: 5)
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        mock.secret = "hs_WRONG_secret_value_123456"
        let dir = try Harness.scratch()
        let (outcome, lines) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 2)
        let scope = try Harness.scope(outcome, "huntress-credential-huntress")
        #expect(scope.requests.map(\.attempts) == [1] && scope.requests.first?.status == 401)
        let reason = scope.reason ?? ""
        #expect(reason.contains("Huntress credential 'huntress' (HUNTRESS_API_KEY, key fingerprint"), "\(reason)")
        #expect(!reason.contains(mock.secret) && !reason.contains(mock.key))
        #expect(await server.requests.count == 1)
        Harness.expectNoSecrets([mock.secret, mock.key, mock.basic], in: [dir], printed: lines + [outcome.summary])
    }

    @Test func forbiddenChildAccountIsNotRetried() async throws {
        let mock = try MockHuntress.samplesReseller()
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        await server.inject(Fault(path: "/v1/accounts/52001/organizations", times: 10, reply: .json(["errors": ["Forbidden"]], status: 403)))
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url)])
        #expect(outcome.exitCode == 2)
        let scope = try Harness.scope(outcome, "huntress-52001")
        #expect(scope.state == .incomplete && scope.reason?.contains("lacks permission (403") == true)
        #expect(scope.requests.last?.attempts == 1)
        #expect(try Harness.scope(outcome, "huntress-41207").state == .complete)
    }

    @Test func accountOptionLimitsAResellerToNamedAccounts() async throws {
        let mock = try MockHuntress.samplesReseller()
        let (server, url) = try await Harness.huntressServer(mock)
        defer { Task { await server.stop() } }
        let dir = try Harness.scratch()
        let (outcome, _) = try await Harness.collect(
            into: dir, huntress: [HuntressTarget(credential: Harness.credential(mock), baseURL: url, accounts: ["52001", "99999"])])
        #expect(outcome.exitCode == 2)
        #expect(outcome.manifest.scopes.map(\.id) == ["huntress-52001", "huntress-99999", "huntress-reseller-41207"])
        #expect(try Harness.scope(outcome, "huntress-99999").reason?.contains("not among the accounts") == true)
        #expect(await !server.requests.contains { $0.path.hasPrefix("/v1/accounts/41207") })
    }
}
