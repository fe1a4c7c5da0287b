import Foundation

/// A JSON object the mock serves (immutable once the test built it).
struct JSONObject: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}

/// The Huntress API v1 as the collector uses it: Basic auth, `/v1/actor`, the own account's and a
/// reseller's child accounts' lists, paged by `limit` and `page_token`. Page tokens carry `+`, `/`
/// and `=` (so encoding mistakes show); `next_page_url` may name another server (`nextPageHost`),
/// which the collector must never call.
struct MockHuntress: Sendable {
    var key = "hk_test_0123456789abcdef"
    var secret = "hs_test_SECRET_fedcba9876543210"
    var reseller: JSONObject?
    var account: JSONObject?
    var user = JSONObject(["id": 1, "email": "api@northwind-msp.com", "name": "API"])
    /// Every account a reseller lists, in order.
    var accounts: [JSONObject] = []
    var organizations: [String: [JSONObject]] = [:]
    var memberships: [String: [JSONObject]] = [:]
    var nextPageHost: URL?

    var basic: String { "Basic " + Data("\(key):\(secret)".utf8).base64EncodedString() }

    func route(_ r: Received) -> Reply {
        guard r.header("authorization") == basic else { return .json(["errors": ["Unauthorized"]], status: 401) }
        guard r.method == "GET" else { return .json(["errors": ["method"]], status: 405) }
        let parts = r.path.split(separator: "/").map(String.init)
        let own = account.flatMap { text($0.value["id"]) }
        switch parts {
        case ["v1", "actor"]:
            let none: Any = NSNull()
            return .json(["reseller": reseller.map { $0.value as Any } ?? none, "account": account.map { $0.value as Any } ?? none, "user": user.value])
        case ["v1", "account"]:
            guard let account else { return .json(["errors": ["Not Found"]], status: 404) }
            return .json(["account": account.value])
        case ["v1", "accounts"]:
            guard reseller != nil else { return .json(["errors": ["Forbidden"]], status: 403) }
            return page(r, "accounts", accounts)
        case ["v1", "organizations"]:
            return page(r, "organizations", organizations[own ?? ""] ?? [])
        case ["v1", "memberships"]:
            return page(r, "memberships", memberships[own ?? ""] ?? [])
        case let p where p.count == 4 && p[0] == "v1" && p[1] == "accounts":
            guard reseller != nil, accounts.contains(where: { text($0.value["id"]) == p[2] }) else {
                return .json(["errors": ["Not Found"]], status: 404)
            }
            switch p[3] {
            case "organizations": return page(r, "organizations", organizations[p[2]] ?? [])
            case "memberships": return page(r, "memberships", memberships[p[2]] ?? [])
            default: return .json(["errors": ["Not Found"]], status: 404)
            }
        default:
            return .json(["errors": ["Not Found"]], status: 404)
        }
    }

    private func page(_ r: Received, _ list: String, _ items: [JSONObject]) -> Reply {
        guard let limit = Int(r.query["limit"] ?? "10"), (1...500).contains(limit) else {
            return .json(["errors": ["limit must be 1-500"]], status: 400)
        }
        var start = 0
        if let token = r.query["page_token"] {
            guard let offset = Self.offset(token) else { return .json(["errors": ["bad page_token"]], status: 400) }
            start = offset
        }
        let end = min(items.count, start + limit)
        let slice = start < end ? items[start..<end].map(\.value) : []
        var pagination: [String: Any] = ["next_page_token": NSNull()]
        if end < items.count {
            let token = Self.token(end)
            pagination["next_page_token"] = token
            let host = nextPageHost?.absoluteString ?? "https://api.huntress.io"
            pagination["next_page_url"] = "\(host)\(r.path)?page_token=\(token)&limit=\(limit)"
        }
        return .json([list: slice, "pagination": pagination])
    }

    static func token(_ offset: Int) -> String { "p+\(offset)/t==" }

    static func offset(_ token: String) -> Int? {
        guard token.hasPrefix("p+"), token.hasSuffix("/t==") else { return nil }
        return Int(token.dropFirst(2).dropLast(4))
    }

    private func text(_ v: Any?) -> String? {
        switch v {
        case let s as String: s
        case let i as Int: String(i)
        default: nil
        }
    }
}

extension MockHuntress {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples")

    static func load(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: samples.appendingPathComponent(path))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func objects(_ path: String, _ list: String) throws -> [JSONObject] {
        ((try load(path))[list] as? [[String: Any]] ?? []).map(JSONObject.init)
    }

    /// The Northwind reseller of samples/huntress: its own account 41207 and child 52001, with the
    /// organizations and memberships the hand-saved files there hold.
    static func samplesReseller() throws -> MockHuntress {
        var m = MockHuntress()
        let account = try load("huntress/account.json")["account"] as? [String: Any] ?? [:]
        m.reseller = JSONObject(["id": 41207, "name": "Northwind Managed Services"])
        m.account = JSONObject(account)
        m.accounts = try objects("huntress/accounts.json", "accounts")
        m.organizations["41207"] = try objects("huntress/organizations.json", "organizations")
        m.memberships["41207"] = try objects("huntress/memberships-page-1.json", "memberships") + objects("huntress/memberships-page-2.json", "memberships")
        m.organizations["52001"] = try objects("huntress/account-52001-organizations.json", "organizations")
        m.memberships["52001"] = try objects("huntress/account-52001-memberships.json", "memberships")
        return m
    }

    /// An account key for one account with `count` memberships: org-level Read-only users spread
    /// over 40 organizations, plus two planted findings: a Provisioner (ESC-001, SOD-002 material)
    /// and one org-level user in two organizations (ISO-001).
    static func large(count: Int, accountID: Int = 7001) -> MockHuntress {
        var m = MockHuntress()
        let account: [String: Any] = ["id": accountID, "name": "Large MSP", "subdomain": "large", "status": "enabled"]
        m.account = JSONObject(account)
        let ref: [String: Any] = ["id": accountID, "name": "Large MSP"]
        m.organizations["\(accountID)"] = (0..<40).map { i in
            JSONObject(["id": 90000 + i, "account_id": accountID, "name": "Customer \(i)", "key": "c\(i)", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"])
        }
        var members: [JSONObject] = []
        func member(_ id: Int, _ role: String, _ email: String, org: Int?) -> JSONObject {
            JSONObject([
                "id": id, "permissions": role, "account": ref,
                "organization": org.map { ["id": $0, "name": "Customer \($0 - 90000)"] as [String: Any] } ?? NSNull(),
                "user": ["id": 500000 + id, "email": email, "name": "User \(id)"],
                "created_at": "2024-02-12 16:20:05 UTC", "updated_at": "2024-02-12 16:20:05 UTC",
            ])
        }
        members.append(member(1, "Admin", "owner@large-msp.example", org: nil))
        members.append(member(2, "Provisioner", "provisioner@large-msp.example", org: nil))
        members.append(member(3, "User", "roamer@customer3.example", org: 90003))
        members.append(member(4, "User", "roamer@customer3.example", org: 90004))
        for i in 5...max(5, count) {
            let org = 90000 + i % 40
            members.append(member(i, "Read-only", "user\(i)@customer\(i % 40).example", org: org))
        }
        m.memberships["\(accountID)"] = Array(members.prefix(count))
        return m
    }
}
