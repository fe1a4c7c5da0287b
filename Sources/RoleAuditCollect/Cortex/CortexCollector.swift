import Foundation
import RoleAuditImport
import RoleAuditModel

/// What to collect from one Cortex XDR tenant.
public struct CortexTarget: Sendable {
    public var credential: CortexCredential
    /// Names the folder (`cortex-TENANT`) and the tenant in reports.
    public var tenant: String
    public var customer: String?
    /// The tenant's `https://api-FQDN`.
    public var apiURL: URL

    public init(credential: CortexCredential, tenant: String, customer: String? = nil, apiURL: URL) {
        self.credential = credential
        self.tenant = tenant
        self.customer = customer
        self.apiURL = apiURL
    }
}

/// The headers that authenticate one Cortex request (../shared/reference/live-collection.md §2.2).
/// An advanced key is never sent: the request carries SHA-256(key + nonce + timestamp) with a
/// fresh 64-character nonce and the time in milliseconds, so every attempt is signed anew.
public enum CortexSigner {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public static func randomNonce() -> String {
        var rng = SystemRandomNumberGenerator()
        return String(decoding: (0..<64).map { _ in alphabet[Int(rng.next(upperBound: UInt(alphabet.count)))] }, as: UTF8.self)
    }

    public static func headers(keyID: String, key: String, advanced: Bool, nonce: String, now: Date) -> [(String, String)] {
        guard advanced else { return [("x-xdr-auth-id", keyID), ("Authorization", key)] }
        let timestamp = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        return [
            ("x-xdr-auth-id", keyID), ("x-xdr-nonce", nonce), ("x-xdr-timestamp", timestamp),
            ("Authorization", signature(key: key, nonce: nonce, timestamp: timestamp)),
        ]
    }

    public static func signature(key: String, nonce: String, timestamp: String) -> String {
        CollectionManifest.sha256(Data((key + nonce + timestamp).utf8))
    }
}

/// The legacy public API's RBAC calls (§2.4) and the API keys (§2.5), for one tenant: users first,
/// then the roles and groups they name (both calls need names), then every page of API keys.
struct CortexCollector: Sendable {
    let target: CortexTarget
    let fetcher: Fetcher
    /// Names per get_roles / get_user_group call (a lab probe of real tenants used 20).
    static let batch = 20
    /// API keys per page (`search_from`/`search_to`); the maximum is not documented.
    static let keysPage = 100

    func collect(into scope: ScopeRecorder, fetchedAt: Date) async throws {
        var source: [String: String] = ["platform": Platform.cortexXDR.rawValue, "tenant": target.tenant, "fetched_at": Timestamp.iso(fetchedAt)]
        if let customer = target.customer { source["customer"] = customer }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try scope.write("roleaudit-source.json", try encoder.encode(source), records: 0)

        let users = try await call("rbac/get_users", [:], into: scope)
        let userList = try JSONBody.list(users.object, "reply", "rbac/get_users")
        try scope.write("get_users.json", users.body, records: userList.count)

        var roles = Set<String>()
        var groups = Set<String>()
        for case let user as [String: Any] in userList {
            if let role = user["role_name"] as? String, !role.trimmingCharacters(in: .whitespaces).isEmpty { roles.insert(role) }
            for group in user["groups"] as? [Any] ?? [] {
                let name = (group as? String) ?? ((group as? [String: Any])?["group_name"] as? String)
                if let name, !name.isEmpty { groups.insert(name) }
            }
        }
        // A role held only through a group is named by no user. The platform IAM API's group list
        // names each group's role where the tenant has that API (§2.6); its answer serves for the
        // names only and is not written (get_user_group describes the groups).
        if !groups.isEmpty { roles.formUnion(try await groupRoles(groups, into: scope)) }
        // Both calls answer 500 to an empty list of names, so a tenant with none is not asked.
        for (i, names) in Self.batches(roles.sorted()).enumerated() {
            let reply = try await call("rbac/get_roles", ["role_names": names], into: scope)
            let list = try JSONBody.list(reply.object, "reply", "rbac/get_roles")
            try scope.write(Self.name("get_roles", i), reply.body, records: list.count)
        }
        for (i, names) in Self.batches(groups.sorted()).enumerated() {
            let reply = try await call("rbac/get_user_group", ["group_names": names], into: scope)
            let list = try JSONBody.list(reply.object, "reply", "rbac/get_user_group")
            try scope.write(Self.name("get_user_group", i), reply.body, records: list.count)
        }
        try await apiKeys(into: scope)
    }

    /// `api_keys/get_api_keys`, paged until the reply's count is reached or a page comes back empty.
    private func apiKeys(into scope: ScopeRecorder) async throws {
        var from = 0
        var page = 0
        var token: String?
        while true {
            guard page < fetcher.pacing.pageCap else { throw ScopeFailure(reason: "api_keys/get_api_keys: more than \(fetcher.pacing.pageCap) pages") }
            let reply = try await call(
                "api_keys/get_api_keys", ["search_from": from, "search_to": from + Self.keysPage], pageToken: token, into: scope)
            guard let body = reply.object["reply"] as? [String: Any] else {
                throw ScopeFailure(reason: "api_keys/get_api_keys answered without a \"reply\" object")
            }
            // xsoar8, xsiam and xdr5 tenants answer DATA/TOTAL_COUNT/FILTER_COUNT, agentix lower case (§2.5).
            let keys = (body["DATA"] ?? body["data"]) as? [Any] ?? []
            let total = JSONBody.text(body["FILTER_COUNT"] ?? body["filter_count"] ?? body["TOTAL_COUNT"] ?? body["total_count"]).flatMap { Int($0) }
            from += keys.count
            let next = !keys.isEmpty && from < (total ?? Int.max) ? String(from) : nil
            page += 1
            try scope.write(Self.name("get_api_keys", page - 1), reply.body, list: "get_api_keys", pageToken: token, next: next, records: keys.count)
            guard let next else { return }
            token = next
        }
    }

    /// The roles of the named groups, from `GET /platform/iam/v1/user-group`; none where the
    /// tenant has no such API (404; the request stays in the manifest with its status). Any other
    /// failure stops the scope: roles held through groups would go missing unnoticed.
    private func groupRoles(_ groups: Set<String>, into scope: ScopeRecorder) async throws -> Set<String> {
        let endpoint = "/platform/iam/v1/user-group"
        let result = try await send("GET", endpoint, body: nil, pageToken: nil, into: scope)
        guard let answer = result.answer else {
            guard result.record.status == 404 else { throw RequestFailure(record: result.record, reason: result.failure?.reason ?? "failed") }
            scope.record(result.record)
            return []
        }
        scope.record(result.record)
        let object = try JSONBody.object(answer.body, "GET \(endpoint)")
        guard let list = object["data"] as? [Any] else { throw ScopeFailure(reason: "GET \(endpoint) answered without the list \"data\"") }
        var names = Set<String>()
        for case let group as [String: Any] in list where groups.contains(group["group_name"] as? String ?? "") {
            if let role = (group["pretty_role_name"] ?? group["role_name"]) as? String, !role.isEmpty { names.insert(role) }
        }
        return names
    }

    private func call(_ api: String, _ data: [String: Any], pageToken: String? = nil, into scope: ScopeRecorder) async throws -> (body: Data, object: [String: Any]) {
        let endpoint = "/public_api/v1/\(api)"
        let body = try JSONSerialization.data(withJSONObject: ["request_data": data], options: [.sortedKeys])
        let result = try await send("POST", endpoint, body: body, pageToken: pageToken, into: scope)
        guard let answer = result.answer else { throw RequestFailure(record: result.record, reason: result.failure?.reason ?? "failed") }
        scope.record(result.record)
        return (answer.body, try JSONBody.object(answer.body, "POST \(endpoint)"))
    }

    private func send(_ method: String, _ endpoint: String, body: Data?, pageToken: String?, into scope: ScopeRecorder) async throws -> Fetcher.Result {
        let base = target.apiURL.absoluteString.hasSuffix("/") ? String(target.apiURL.absoluteString.dropLast()) : target.apiURL.absoluteString
        guard let url = URL(string: base + endpoint) else { throw ScopeFailure(reason: "cannot build a URL for \(endpoint)") }
        return try await fetcher.send(HTTPCall(method: method, url: url, body: body), endpoint: endpoint, pageToken: pageToken, retries: &scope.retries)
    }

    static func batches(_ names: [String]) -> [[String]] {
        stride(from: 0, to: names.count, by: batch).map { Array(names[$0..<min($0 + batch, names.count)]) }
    }

    static func name(_ call: String, _ index: Int) -> String { "\(call)-\(String(format: "%03d", index + 1)).json" }
}
