import Foundation
import RoleAuditModel

/// roleaudit's own snapshot format (JSON and XML, documented in the README): the canonical model
/// written plainly, so that any other system can feed roleaudit with a small script.
struct SnapshotDocument: Codable {
    struct AccountRecord: Codable { var platform: Platform; var id: String; var name: String? }
    struct OrganizationRecord: Codable {
        var platform: Platform; var id: String; var name: String?; var account: String?; var customer: String?
    }
    struct PrincipalRecord: Codable {
        var platform: Platform; var email: String?; var id: String?; var name: String?; var kind: Principal.Kind?
        /// The Cortex tenant whose user record gives `status` (a user may be Inactive in one tenant
        /// and Active in another); absent: the status holds wherever the principal holds a grant.
        var user_type: String?; var status: String?; var tenant: String?; var last_login: String?; var hidden: Bool?
    }
    struct RoleRecord: Codable {
        var platform: Platform; var tenant: String?; var name: String; var id: String?; var custom: Bool?
        var permissions: [String]?; var description: String?
    }
    struct GroupRecord: Codable {
        var tenant: String; var name: String; var roles: [String]?; var members: [String]?
        var nested_groups: [String]?; var idp_groups: [String]?; var type: String?
    }
    struct GrantRecord: Codable {
        var platform: Platform; var principal: String; var role: String; var level: Level; var target: String
        var group: String?; var scope: [String: [String]]?; var created_at: String?
    }

    var roleaudit_snapshot: Int
    var accounts: [AccountRecord]?
    var organizations: [OrganizationRecord]?
    var principals: [PrincipalRecord]?
    var roles: [RoleRecord]?
    var groups: [GroupRecord]?
    var grants: [GrantRecord]?
    var api_keys: [APIKeyRecord]?

    var recordCount: Int {
        (accounts?.count ?? 0) + (organizations?.count ?? 0) + (principals?.count ?? 0) + (roles?.count ?? 0)
            + (groups?.count ?? 0) + (grants?.count ?? 0) + (api_keys?.count ?? 0)
    }

    /// Adds the document to the snapshot being built. `line(collection, index)` gives the line of
    /// a record where the format knows it (XML).
    func add(to b: SnapshotBuilder, file: String, line: (String, Int) -> Int? = { _, _ in nil }) throws {
        guard roleaudit_snapshot == Snapshot.formatVersion else {
            throw ImportError.invalid(
                InputLocation(file: file, record: "roleaudit_snapshot"), expected: "snapshot format version \(Snapshot.formatVersion)",
                found: "version \(roleaudit_snapshot)")
        }
        for a in accounts ?? [] { b.add(account: Account(platform: a.platform, id: a.id, name: a.name)) }
        for o in organizations ?? [] {
            b.add(organization: Organization(
                platform: o.platform, kind: o.platform == .huntress ? .organization : .tenant, id: o.id, name: o.name,
                accountID: o.account, customer: o.customer))
        }
        for (i, p) in (principals ?? []).enumerated() {
            guard let key = (p.email ?? p.id)?.lowercased(), !key.isEmpty else {
                throw ImportError.invalid(
                    InputLocation(file: file, line: line("principal", i), record: "principals[\(i)]"),
                    expected: "\"email\" (people) or \"id\" (API keys, service accounts)", found: "neither")
            }
            b.add(principal: Principal(
                platform: p.platform, key: key, kind: p.kind ?? (p.email == nil ? .nonHuman : .human), email: p.email,
                name: p.name, vendorIDs: p.id.map { [$0] } ?? [], userType: p.user_type, status: p.status, tenant: p.tenant,
                lastLogin: try lastLogin(p.last_login, file: file, record: "principals[\(i)].last_login", line: line("principal", i)),
                hidden: p.hidden, source: Provenance(file: file, collection: "principals", index: i, line: line("principal", i))))
        }
        try addAPIKeys(to: b, file: file, line: line)
        for (i, r) in (roles ?? []).enumerated() {
            b.add(role: RoleDefinition(
                platform: r.platform, tenant: r.tenant, id: r.id, name: r.name, isCustom: r.custom,
                permissions: r.permissions ?? [], description: r.description,
                provenance: Provenance(file: file, collection: "roles", index: i, line: line("role", i))))
        }
        for (i, g) in (groups ?? []).enumerated() {
            b.add(group: Group(
                platform: .cortexXDR, tenant: g.tenant, name: g.name, roles: g.roles ?? [],
                members: (g.members ?? []).map { $0.lowercased() }, idpGroups: g.idp_groups ?? [],
                nestedGroups: g.nested_groups ?? [], type: g.type,
                provenance: Provenance(file: file, collection: "groups", index: i, line: line("group", i))))
        }
        for (i, g) in (grants ?? []).enumerated() {
            let provenance = Provenance(file: file, collection: "grants", index: i, line: line("grant", i))
            var createdAt: Date?
            if let text = g.created_at {
                guard let d = Timestamps.parse(text) else {
                    throw ImportError.invalid(
                        InputLocation(file: file, line: provenance.line, record: "grants[\(i)].created_at"),
                        expected: "an ISO-8601 time such as 2026-01-22T01:07:08Z", found: ErrorText.quote(text))
                }
                createdAt = d
            }
            let principal = b.add(principal: Principal(platform: g.platform, key: g.principal.lowercased(), email: g.principal.utf8.contains(UInt8(ascii: "@")) ? g.principal : nil))
            b.add(grant: Grant(
                platform: g.platform, principal: principal, role: g.role, level: g.level, target: g.target,
                path: g.group.map { .group(name: $0, chain: [$0]) } ?? .direct,
                scope: g.scope.map { Scope(areas: $0) }, createdAt: createdAt, provenance: provenance))
        }
    }

    private func lastLogin(_ text: String?, file: String, record: String, line: Int?) throws -> LastLogin {
        guard let text else { return .unknown }
        if text == "never" { return .never }
        guard let d = Timestamps.parse(text) else {
            throw ImportError.invalid(
                InputLocation(file: file, line: line, record: record), expected: "\"never\" or an ISO-8601 time such as 2026-01-22T01:07:08Z",
                found: ErrorText.quote(text))
        }
        return .at(d)
    }

    /// Reads the JSON form. roleaudit's reader checks it first, so that malformed JSON, a repeated
    /// member name or a number out of range is an error with its line and column (and never
    /// something JSONDecoder decides on its own); decoding errors then name the record path.
    static func decodeJSON(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> SnapshotDocument {
        var reader = JSONReader(bytes: bytes, file: file)
        try reader.skipValue()
        try reader.expectEnd()
        do {
            return try JSONDecoder().decode(SnapshotDocument.self, from: Data(buffer: bytes))
        } catch let DecodingError.typeMismatch(type, ctx), let DecodingError.valueNotFound(type, ctx) {
            throw ImportError.invalid(InputLocation(file: file, record: path(ctx.codingPath)), expected: "\(describe(type))", found: ErrorText.cut(ctx.debugDescription, to: 200))
        } catch DecodingError.keyNotFound(let key, let ctx) {
            throw ImportError.invalid(
                InputLocation(file: file, record: path(ctx.codingPath)), expected: "a member \"\(key.stringValue)\"", found: "an object without it")
        } catch DecodingError.dataCorrupted(let ctx) {
            throw ImportError.invalid(InputLocation(file: file, record: path(ctx.codingPath)), expected: "a valid value", found: ErrorText.cut(ctx.debugDescription, to: 200))
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce("") { s, k in k.intValue.map { "\(s)[\($0)]" } ?? (s.isEmpty ? k.stringValue : "\(s).\(k.stringValue)") }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        default: "a value of type \(type)"
        }
    }
}
