import Foundation
import RoleAuditModel

/// Cortex `POST /public_api/v1/api_keys/get_api_keys` replies: who can call the tenant's API.
///
///     {"reply": {"DATA": [{"id": 17, "roles": ["Generic Collector"], "created_by": "ana@corp.example",
///                          "creation_time": 1767607200000, "expiration": null, "comment": "Snyk",
///                          "user_name": "ana", "security_level": "Advanced"}],
///                "TOTAL_COUNT": 1, "FILTER_COUNT": 1}}
///
/// Upper-case `DATA` / `TOTAL_COUNT` / `FILTER_COUNT` on most tenants, lower-case on some
/// (../shared/reference/live-collection.md §2.5). Each key becomes a non-human principal keyed by
/// tenant and id, holding each of its roles in the tenant; `expiration: null` means it never expires.
struct CortexAPIKeys {
    let context: ImportContext

    private static let dataKeys = ["DATA", "data"]
    private static let countKeys = ["TOTAL_COUNT", "FILTER_COUNT", "total_count", "filter_count"]

    /// Whether a `reply` object is a get_api_keys reply: an upper-case `DATA`, a key count, or key
    /// records (`roles` and `created_by` or `expiration`) where other replies have users or groups.
    static func recognises(_ reply: Element) -> Bool {
        if reply.value["DATA"] != nil || countKeys.contains(where: { reply.value[$0] != nil }) { return true }
        guard case .array(let items, _)? = reply.value["data"], let first = items.first else { return false }
        return first["roles"] != nil && (first["created_by"] != nil || first["expiration"] != nil) && first["user_email"] == nil
    }

    /// Reads the reply's keys into the snapshot; returns how many there were.
    func read(_ reply: Element) throws -> Int {
        let list = Self.dataKeys.first { reply.value[$0] != nil } ?? "DATA"
        let keys = try reply.array(list)
        var cursor = (offset: 0, line: 1)
        for (i, key) in keys.enumerated() {
            let line = key.locator.line(at: key.value.offset, cursor: &cursor)
            try add(key, Provenance(file: context.path, collection: "reply.\(list)", index: i, line: line))
        }
        // One reply should hold every key the filter matched (fetch every page into one file);
        // fewer means keys are missing, as with any other list whose count disagrees.
        let counted = try ["FILTER_COUNT", "filter_count", "TOTAL_COUNT", "total_count"].lazy
            .compactMap { name in try reply.child(name).flatMap { c in c.value.isNull ? nil : try c.value.intValue(in: c) }.map { (name, $0) } }
            .first
        if let (name, total) = counted, total != keys.count {
            context.builder.add(coverage: CoverageIssue(
                kind: .countMismatch, platform: .cortexXDR, scope: context.tenant, file: context.path,
                detail: "reply.\(name) says \(total) API key(s) but the file holds \(keys.count)"))
        }
        return keys.count
    }

    private func add(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        guard let id = try e.id("id"), !id.isEmpty else { throw e.child("id")?.error("a key id") ?? e.missing("id") }
        let createdAt: Date? = switch try e.epochMilliseconds("creation_time") {
        case .date(let d): d
        case .absent, .null: nil
        }
        let expiration: APIKey.Expiry = switch try e.epochMilliseconds("expiration") {
        case .absent: .unknown
        case .null: .never
        case .date(let d): .at(d)
        }
        let tenant = context.tenant
        let details = APIKey(
            id: id, tenant: tenant, createdBy: try e.string("created_by"), createdAt: createdAt, expiration: expiration,
            comment: try e.string("comment"), userName: try e.string("user_name"), securityLevel: try e.string("security_level"))
        let principal = context.builder.add(principal: Principal(
            platform: .cortexXDR, key: APIKey.principalKey(tenant: tenant, id: id), kind: .nonHuman, name: "API key \(id)",
            vendorIDs: [id], apiKey: details, source: provenance))
        for role in try Self.roles(e) {
            context.builder.add(grant: Grant(
                platform: .cortexXDR, principal: principal, role: role, level: .tenant, target: tenant, createdAt: createdAt,
                provenance: provenance))
        }
    }

    /// `roles` as names; one name as a plain string is taken too, and empty names are dropped.
    private static func roles(_ e: Element) throws -> [String] {
        if case .string(let one, _)? = e.value["roles"] { return one.isEmpty ? [] : [one] }
        return try e.strings("roles").filter { !CortexReader.isBlank($0) }
    }
}

/// The snapshot's `api_keys` (JSON) and `<api-key>` (XML): the same keys, written by any tool.
/// `expires` is an ISO-8601 time, `"never"`, or absent (unknown).
extension SnapshotDocument {
    struct APIKeyRecord: Codable {
        var platform: Platform?; var tenant: String; var id: String; var roles: [String]?
        var created_by: String?; var created_at: String?; var expires: String?; var comment: String?
        var user_name: String?; var security_level: String?
    }

    func addAPIKeys(to b: SnapshotBuilder, file: String, line: (String, Int) -> Int?) throws {
        for (i, k) in (api_keys ?? []).enumerated() {
            let provenance = Provenance(file: file, collection: "api_keys", index: i, line: line("api-key", i))
            func time(_ text: String?, _ field: String) throws -> Date? {
                guard let text else { return nil }
                guard let d = Timestamps.parse(text) else {
                    throw ImportError.invalid(
                        InputLocation(file: file, line: provenance.line, record: "api_keys[\(i)].\(field)"),
                        expected: field == "expires" ? "\"never\" or an ISO-8601 time such as 2027-01-22T00:00:00Z" : "an ISO-8601 time such as 2026-01-22T01:07:08Z",
                        found: "\"\(text)\"")
                }
                return d
            }
            guard !k.id.isEmpty, !k.tenant.isEmpty else {
                throw ImportError.invalid(
                    InputLocation(file: file, line: provenance.line, record: "api_keys[\(i)]"), expected: "a non-empty \"id\" and \"tenant\"",
                    found: "an empty one")
            }
            let platform = k.platform ?? .cortexXDR
            let createdAt = try time(k.created_at, "created_at")
            let expiration: APIKey.Expiry = k.expires == "never" ? .never : try time(k.expires, "expires").map { .at($0) } ?? .unknown
            let principal = b.add(principal: Principal(
                platform: platform, key: APIKey.principalKey(tenant: k.tenant, id: k.id), kind: .nonHuman, name: "API key \(k.id)",
                vendorIDs: [k.id],
                apiKey: APIKey(
                    id: k.id, tenant: k.tenant, createdBy: k.created_by, createdAt: createdAt, expiration: expiration, comment: k.comment,
                    userName: k.user_name, securityLevel: k.security_level),
                source: provenance))
            for role in k.roles ?? [] where !role.isEmpty {
                b.add(grant: Grant(
                    platform: platform, principal: principal, role: role, level: .tenant, target: k.tenant, createdAt: createdAt,
                    provenance: provenance))
            }
        }
    }
}
