import Foundation
import RoleAuditImport
import RoleAuditModel

/// What to collect with one Huntress credential.
public struct HuntressTarget: Sendable {
    public var credential: HuntressCredential
    /// `https://api.huntress.io` unless a test names a loopback server.
    public var baseURL: URL
    /// Child accounts to collect (a reseller key); empty: every account the key reaches.
    public var accounts: [String]
    public var pageSize: Int

    public static let defaultBaseURL = URL(string: "https://api.huntress.io")!

    public init(credential: HuntressCredential, baseURL: URL = defaultBaseURL, accounts: [String] = [], pageSize: Int = 500) {
        self.credential = credential
        self.baseURL = baseURL
        self.accounts = accounts
        self.pageSize = pageSize
    }
}

/// The Huntress public API v1 (../shared/reference/live-collection.md §1): `/v1/actor` tells an
/// account key from a reseller key; lists are paged by `limit` and `page_token`, each next URL
/// built here on the pinned host (never the server's `next_page_url`, which may name another host).
struct HuntressCollector: Sendable {
    let target: HuntressTarget
    let fetcher: Fetcher

    /// `/v1/actor`: who the key belongs to.
    func actor(retries: inout Int) async throws -> (CollectionManifest.Actor, CollectionManifest.Request) {
        let (body, request) = try await get("/v1/actor", query: [], retries: &retries)
        let object = try JSONBody.object(body, "GET /v1/actor")
        func member(_ name: String) -> [String: Any]? { object[name] as? [String: Any] }
        let actor = CollectionManifest.Actor(
            resellerID: JSONBody.text(member("reseller")?["id"]), resellerName: JSONBody.text(member("reseller")?["name"]),
            accountID: JSONBody.text(member("account")?["id"]), accountName: JSONBody.text(member("account")?["name"]),
            userEmail: JSONBody.text(member("user")?["email"]))
        guard actor.resellerID != nil || actor.accountID != nil else {
            throw ScopeFailure(reason: "GET /v1/actor named neither a reseller nor an account for \(target.credential.label)")
        }
        return (actor, request)
    }

    /// A reseller's `/v1/accounts`, every page, into the reseller's folder. Returns the account ids.
    func accounts(into scope: ScopeRecorder) async throws -> [String] {
        try await pages("/v1/accounts", list: "accounts", into: scope).compactMap { JSONBody.text(($0 as? [String: Any])?["id"]) }
    }

    /// One account's organizations and memberships (and, for the key's own account, the account).
    func account(_ id: String, own: Bool, into scope: ScopeRecorder) async throws {
        if own {
            let (body, request) = try await get("/v1/account", query: [], retries: &scope.retries)
            scope.record(request)
            _ = try JSONBody.object(body, "GET /v1/account")
            try scope.write("account.json", body, records: 1)
        }
        let prefix = own ? "/v1" : "/v1/accounts/\(queryEscaped(id))"
        _ = try await pages("\(prefix)/organizations", list: "organizations", into: scope)
        _ = try await pages("\(prefix)/memberships", list: "memberships", into: scope)
    }

    /// Every page of a list, each written as `LIST-NNN.json`; returns the items.
    private func pages(_ path: String, list: String, into scope: ScopeRecorder) async throws -> [Any] {
        var items: [Any] = []
        var token: String?
        var seen = Set<String>()
        var number = 0
        repeat {
            number += 1
            guard number <= fetcher.pacing.pageCap else {
                throw ScopeFailure(reason: "GET \(path): more than \(fetcher.pacing.pageCap) pages; the paging looks broken")
            }
            var query = [("limit", String(target.pageSize))]
            if let token { query.append(("page_token", token)) }
            let (body, request) = try await get(path, query: query, pageToken: token, retries: &scope.retries)
            scope.record(request)
            let object = try JSONBody.object(body, "GET \(path)")
            let page = try JSONBody.list(object, list, "GET \(path)")
            let next = ((object["pagination"] as? [String: Any])?["next_page_token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            try scope.write("\(list)-\(String(format: "%03d", number)).json", body, list: list, pageToken: token, next: next, records: page.count)
            items += page
            if let next {
                guard seen.insert(next).inserted, next != token else {
                    throw ScopeFailure(reason: "GET \(path): the page token '\(printable(next))' came back twice; the paging loops")
                }
            }
            token = next
        } while token != nil
        return items
    }

    private func get(_ path: String, query: [(String, String)], pageToken: String? = nil, retries: inout Int) async throws -> (Data, CollectionManifest.Request) {
        let endpoint = path + (query.isEmpty ? "" : "?" + query.map { "\($0.0)=\(queryEscaped($0.1))" }.joined(separator: "&"))
        let base = target.baseURL.absoluteString.hasSuffix("/") ? String(target.baseURL.absoluteString.dropLast()) : target.baseURL.absoluteString
        guard let url = URL(string: base + endpoint) else { throw ScopeFailure(reason: "cannot build a URL for \(endpoint)") }
        let result = try await fetcher.send(HTTPCall(method: "GET", url: url), endpoint: endpoint, pageToken: pageToken, retries: &retries)
        guard let answer = result.answer else { throw RequestFailure(record: result.record, reason: result.failure?.reason ?? "failed") }
        return (answer.body, result.record)
    }
}

/// A request that failed after its retries: the scope records it, then stops.
struct RequestFailure: Error {
    var record: CollectionManifest.Request
    var reason: String
}
