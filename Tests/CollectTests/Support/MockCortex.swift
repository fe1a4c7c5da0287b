import Crypto
import Foundation

/// A Cortex XDR tenant's legacy public API as the collector uses it, checking every request's
/// authentication as the vendor documents it: for an advanced key the SHA-256 of key + nonce +
/// timestamp, a 64-character nonce never seen before and a timestamp within five minutes of the
/// server's clock; for a standard key the key itself. Names in get_roles and get_user_group are
/// required (an empty list answers 500, as real tenants do).
final class MockCortex: @unchecked Sendable {
    let keyID = "17"
    let key = "XDRKEY-test-0123456789abcdefghijklmnopqrstuvwxyz"
    var advanced = true
    var users: [[String: Any]] = []
    /// Role objects by pretty_name.
    var roles: [String: [String: Any]] = [:]
    var groups: [[String: Any]] = []
    var apiKeys: [[String: Any]] = []
    /// Whether GET /platform/iam/v1/user-group answers (newer tenants) or 404s.
    var iam = true
    private var nonces = Set<String>()
    private let lock = NSLock()
    /// Requests refused, with why, for assertions.
    private(set) var refusals: [String] = []

    func route(_ r: Received) -> Reply {
        if let refusal = authenticate(r) {
            lock.withLock { refusals.append(refusal) }
            return .json(["reply": ["err_code": 401, "err_msg": "API request Unauthorized", "err_extra": refusal]], status: 401)
        }
        if r.method == "GET", r.path == "/platform/iam/v1/user-group" {
            guard iam else { return .json(["errors": ["Not Found"]], status: 404) }
            let data = groups.map { g -> [String: Any] in
                let name = g["group_name"] as? String ?? ""
                let role = roles.values.first { ($0["groups"] as? [String] ?? []).contains(name) }?["pretty_name"] ?? ""
                return ["group_id": name, "group_name": name, "pretty_role_name": role, "users": g["user_email"] ?? []]
            }
            return .json(["data": data, "metadata": ["total_count": data.count]])
        }
        guard r.method == "POST", let body = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any],
            let request = body["request_data"] as? [String: Any]
        else { return .json(["reply": ["err_code": 400, "err_msg": "Got an invalid JSON"]], status: 400) }
        switch r.path {
        case "/public_api/v1/rbac/get_users":
            return .json(["reply": users])
        case "/public_api/v1/rbac/get_roles":
            guard let names = request["role_names"] as? [String], !names.isEmpty else {
                return .json(["reply": ["err_code": 500, "err_msg": "role_names param is missing"]], status: 500)
            }
            return .json(["reply": names.map { n in roles[n].map { [$0] } ?? [] }])
        case "/public_api/v1/rbac/get_user_group":
            guard let names = request["group_names"] as? [String], !names.isEmpty else {
                return .json(["reply": ["err_code": 500, "err_msg": "group_names param is missing"]], status: 500)
            }
            return .json(["reply": groups.filter { names.contains($0["group_name"] as? String ?? "") }])
        case "/public_api/v1/api_keys/get_api_keys":
            let from = request["search_from"] as? Int ?? 0
            let to = min(request["search_to"] as? Int ?? 100, apiKeys.count)
            let page = from < to ? Array(apiKeys[from..<to]) : []
            return .json(["reply": ["DATA": page, "TOTAL_COUNT": apiKeys.count, "FILTER_COUNT": apiKeys.count]])
        default:
            return .json(["reply": ["err_code": 404, "err_msg": "Not found"]], status: 404)
        }
    }

    private func authenticate(_ r: Received) -> String? {
        guard r.header("x-xdr-auth-id") == keyID else { return "unknown key id" }
        guard advanced else { return r.header("authorization") == key ? nil : "wrong key" }
        guard let nonce = r.header("x-xdr-nonce"), nonce.count == 64, nonce.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return "nonce missing or not 64 characters"
        }
        guard let stamp = r.header("x-xdr-timestamp"), let ms = Double(stamp) else { return "timestamp missing" }
        guard abs(r.at.timeIntervalSince1970 - ms / 1000) <= 300 else { return "stale timestamp" }
        let expected = SHA256.hash(data: Data((key + nonce + stamp).utf8)).map { String(format: "%02x", $0) }.joined()
        guard r.header("authorization") == expected else { return "bad signature" }
        let fresh = lock.withLock { nonces.insert(nonce).inserted }
        return fresh ? nil : "nonce reused"
    }
}

extension MockCortex {
    /// The tenant acme-prod of samples/cortex-acme-prod, and two API keys.
    static func samplesAcme() throws -> MockCortex {
        let m = MockCortex()
        m.users = try MockHuntress.load("cortex-acme-prod/get_users.json")["reply"] as? [[String: Any]] ?? []
        for list in try MockHuntress.load("cortex-acme-prod/get_roles.json")["reply"] as? [[[String: Any]]] ?? [] {
            for role in list { m.roles[role["pretty_name"] as? String ?? ""] = role }
        }
        m.groups = try MockHuntress.load("cortex-acme-prod/get_user_group.json")["reply"] as? [[String: Any]] ?? []
        m.apiKeys = [
            ["id": 1, "roles": ["Instance Administrator"], "created_by": "backup.admin@acmedental.com", "creation_time": 1_700_000_000_000, "expiration": NSNull(), "comment": "SIEM"],
            ["id": 2, "roles": ["Viewer"], "created_by": "soc1@northwind-msp.com", "creation_time": 1_700_000_000_000, "expiration": 1_900_000_000_000, "comment": "report"],
        ]
        return m
    }
}
