import Foundation
import RoleAuditModel

/// Cortex XDR replies. Legacy public API (`reply`): get_users (users), get_roles (a list of lists
/// of roles), get_user_group (groups, in either of the two shapes seen: `user_email`/`source` or
/// `users`/`group_type`). Platform IAM API (`data` + `metadata`): users, roles, user groups, and a
/// scope object. The shape is told from the first element's members, never from the file name.
struct CortexReader {
    enum Shape: String { case users, roles, groups, scope, apiKeys = "api_keys" }

    let context: ImportContext
    private(set) var shape: Shape?
    /// `legacy` (replies in `reply`) or `iam` (the platform API's `data`).
    var family = "legacy"
    private(set) var singleRecords = 0

    init(context: ImportContext) { self.context = context }

    /// Whether a role name is empty or only spaces and tabs (what trimming `.whitespaces` would
    /// leave empty), without building the trimmed copy: most users of a tenant have no direct role.
    static func isBlank(_ s: String) -> Bool { s.unicodeScalars.allSatisfy(blank.contains) }
    private static let blank = CharacterSet.whitespaces

    var format: String { "cortex.\(family).\(shape?.rawValue ?? "empty")" }

    /// The kind of list this reply is when its API returns the list whole (a tenant's users; and
    /// in the platform API its roles and user groups): two of a kind for one tenant are refused.
    /// nil for lists fetched by name in batches (legacy get_roles, get_user_group).
    var listKind: String? {
        switch (family, shape) {
        case (_, .users): "Cortex XDR user list"
        case ("iam", .roles): "Cortex XDR role list"
        case ("iam", .groups): "Cortex XDR user-group list"
        default: nil
        }
    }
    private var tenant: String { context.tenant }
    private var b: SnapshotBuilder { context.builder }

    mutating func element(_ e: Element, list: String, _ provenance: Provenance) throws {
        family = list == "reply" ? "legacy" : "iam"
        let s = try shape ?? detect(e)
        shape = s
        switch s {
        case .roles:
            if case .array = e.value {
                // get_roles answers one inner list per requested name.
                for role in try elements(of: e) { try self.role(role, provenance) }
            } else {
                try role(e, provenance)
            }
        case .users: try user(e, provenance)
        case .groups: try group(e, provenance)
        case .scope, .apiKeys: throw e.error("a user, role or group record")
        }
    }

    private func elements(of e: Element) throws -> [Element] {
        guard case .array(let items, _) = e.value else { throw e.error("a list of roles") }
        return items.enumerated().map { Element(value: $1, root: e.root, index: e.index, suffix: "\(e.suffix)[\($0)]", locator: e.locator) }
    }

    private func detect(_ e: Element) throws -> Shape {
        switch e.value {
        case .array: return .roles
        case .object:
            if e.value["user_email"] != nil, e.value["group_name"] == nil { return .users }
            if e.value["group_name"] != nil { return .groups }
            if e.value["pretty_name"] != nil || e.value["role_id"] != nil { return .roles }
            throw e.error("a Cortex user (\"user_email\"), role (\"pretty_name\") or user group (\"group_name\")")
        default:
            throw e.error("a Cortex user, role or user group object")
        }
    }

    // MARK: records

    mutating func user(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        let email = try e.requiredString("user_email")
        guard email.utf8.contains(UInt8(ascii: "@")) else { throw e.child("user_email")?.error("an email address") ?? e.missing("user_email") }
        let key = email.lowercased()
        let lastLogin: LastLogin
        switch try e.epochMilliseconds("last_logged_in") {
        case .absent: lastLogin = .unknown
        case .null: lastLogin = .never
        case .date(let d): lastLogin = .at(d)
        }
        let first = try e.string("user_first_name")
        let last = try e.string("user_last_name")
        let name = [first, last].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let principal = b.add(principal: Principal(
            platform: .cortexXDR, key: key, email: email, name: name.isEmpty ? nil : name, userType: try e.string("user_type"),
            status: try e.string("status"), tenant: tenant, lastLogin: lastLogin, hidden: try e.bool("is_hidden") ?? e.bool("hidden"), source: provenance))
        let scope = try e.child("scope").flatMap { try CortexReader.scope($0) }
        if let role = try e.string("role_name"), !CortexReader.isBlank(role) {
            // A record without `scope` (the platform API's users) says nothing about it: the scope
            // files do.
            b.add(grant: Grant(
                platform: .cortexXDR, principal: principal, role: role, level: .tenant, target: tenant, scope: scope,
                provenance: provenance), scopeStated: e.value["scope"] != nil)
        }
        for g in try e.array("groups") {
            let name: String?
            switch g.value {
            case .string(let s, _): name = s
            case .object: name = try g.string("group_name") ?? g.id("group_id")
            case .null: name = nil
            default: throw g.error("a group name or {group_id, group_name}")
            }
            if let name, !name.isEmpty { b.claim(tenant: tenant, principal: principal, group: name, provenance: provenance) }
        }
    }

    mutating func role(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        let name = try e.requiredString("pretty_name")
        let roleID = try e.id("role_id")
        b.add(role: RoleDefinition(
            platform: .cortexXDR, tenant: tenant, id: roleID, name: name, isCustom: try e.bool("is_custom"),
            permissions: try permissions(e), description: try e.string("description"), provenance: provenance))
        for group in try e.strings("groups") {
            b.role(name, namesGroup: group, tenant: tenant, provenance: provenance)
        }
        for user in try e.strings("users") where user.utf8.contains(UInt8(ascii: "@")) {
            let principal = b.add(principal: Principal(platform: .cortexXDR, key: user.lowercased(), email: user))
            // The role's user list carries no scope: get_users says it for the same grant.
            b.add(grant: Grant(
                platform: .cortexXDR, principal: principal, role: name, level: .tenant, target: tenant,
                provenance: provenance), scopeStated: false)
        }
    }

    /// `permissions` (legacy) or `component_permissions` (IAM create body), as strings.
    private func permissions(_ e: Element) throws -> [String] {
        let list = e.value["permissions"] != nil ? "permissions" : "component_permissions"
        return try e.array(list).compactMap { p in
            switch p.value {
            case .string(let s, _): return s
            case .null: return nil
            case .object: return try p.string("name")
            default: throw p.error("a permission name")
            }
        }
    }

    mutating func group(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        let name = try e.requiredString("group_name")
        // The legacy shape lists members under "user_email" (with nulls); the platform shape under "users".
        let members = try (e.strings("user_email") + e.strings("users")).filter { $0.utf8.contains(UInt8(ascii: "@")) }.map { $0.lowercased() }
        var roles: [String] = []
        if let r = try e.string("pretty_role_name") ?? e.string("role_name"), !r.isEmpty { roles.append(r) }
        let nested = try e.array("nested_groups").compactMap { n -> String? in
            switch n.value {
            case .string(let s, _): return s
            case .object: return try n.string("group_name") ?? n.id("group_id")
            default: throw n.error("a nested group {group_id, group_name}")
            }
        }
        b.add(group: Group(
            platform: .cortexXDR, tenant: tenant, id: try e.id("group_id"), name: name, roles: roles, members: members,
            idpGroups: try e.strings("idp_groups"), nestedGroups: nested,
            type: try e.string("group_type") ?? e.string("source"), provenance: provenance))
        if roles.isEmpty, let roleID = try e.id("role_id"), !roleID.isEmpty {
            b.group(roleID: roleID, ofGroup: name, tenant: tenant, file: context.path)
        }
        if let scope = try e.child("scope").flatMap({ try CortexReader.scope($0) }) {
            b.add(scope: scope, tenant: tenant, entity: name, isGroup: true)
        }
    }

    // MARK: single objects

    /// `reply` as an object: the Go SDK's `{"reply": {"data": [groups]}}`.
    mutating func replyObject(_ e: Element) throws {
        guard case .object = e.value else { throw e.error("a list or an object for \"reply\"") }
        family = "legacy"
        if CortexAPIKeys.recognises(e) {
            shape = .apiKeys
            singleRecords += try CortexAPIKeys(context: context).read(e)
            return
        }
        for (i, item) in try e.array("data").enumerated() {
            let p = Provenance(file: context.path, collection: "reply.data", index: i)
            if shape == nil { shape = try detect(item) }
            try element(item, list: "reply", p)
            singleRecords += 1
        }
        // An empty list is a tenant with nothing in it yet; no list at all is something else.
        if shape == nil, e.value["data"] == nil { throw e.error("a Cortex reply holding users, roles or user groups") }
    }

    /// `data` as an object: one user (`GET /user/{email}`) or a scope (`GET /scope/{type}/{id}`).
    mutating func dataObject(_ e: Element) throws {
        guard case .object = e.value else { throw e.error("a list or an object for \"data\"") }
        family = "iam"
        singleRecords += 1
        if e.value["user_email"] != nil {
            shape = .users
            return try user(e, Provenance(file: context.path, collection: "data"))
        }
        guard ["assets", "endpoints", "cases_issues", "datasets_rows"].contains(where: { e.value[$0] != nil }) else {
            throw e.error("a Cortex user (\"user_email\") or scope (\"assets\", \"endpoints\", \"cases_issues\")")
        }
        shape = .scope
        let scope = try CortexReader.scope(e) ?? Scope()
        if let entity = try scopeOwner(e) {
            b.add(scope: scope, tenant: tenant, entity: entity.id, isGroup: entity.isGroup)
        } else {
            b.add(coverage: CoverageIssue(
                kind: .unattributedScope, platform: .cortexXDR, scope: tenant, file: context.path,
                detail: "a scope response that does not say whose scope it is: add \"entity_type\" and \"entity_id\", or name the file scope_user_EMAIL.json / scope_group_NAME.json"))
        }
    }

    /// Whose scope: `entity_type`/`entity_id` in the object, else the file name the fetch gave it.
    private func scopeOwner(_ e: Element) throws -> (id: String, isGroup: Bool)? {
        if let type = try e.string("entity_type"), let id = try e.id("entity_id") { return (id, type == "group") }
        let name = (context.path as NSString).lastPathComponent
        for (prefix, isGroup) in [("scope_user_", false), ("scope-user-", false), ("scope_group_", true), ("scope-group-", true)]
        where name.hasPrefix(prefix) && name.hasSuffix(".json") {
            return (String(name.dropFirst(prefix.count).dropLast(5)), isGroup)
        }
        return nil
    }

    /// An SBAC scope in any of its shapes: a list of names (legacy `scope`), or an object of
    /// scoping areas whose leaves name tags, endpoint groups or asset groups. nil when it limits nothing.
    static func scope(_ e: Element) throws -> Scope? {
        func names(_ v: JSONValue) -> [String] {
            switch v {
            case .string(let s, _): return [s]
            case .array(let items, _): return items.flatMap(names)
            case .object(let members, _):
                return members.flatMap { key, value -> [String] in
                    if key.hasSuffix("_name") || key == "name", case .string(let s, _) = value { return [s] }
                    if key == "mode" || key.hasSuffix("_id") || key == "default_filter_mode" { return [] }
                    return names(value)
                }
            default: return []
            }
        }
        switch e.value {
        case .null: return nil
        case .array:
            let list = names(e.value)
            return list.isEmpty ? nil : Scope(areas: ["endpoints": list.sorted()])
        case .object(let members, _):
            var areas: [String: [String]] = [:]
            for (key, value) in members where !["entity_type", "entity_id"].contains(key) {
                let list = names(value)
                if !list.isEmpty { areas[key] = Array(Set(list)).sorted() }
            }
            return areas.isEmpty ? nil : Scope(areas: areas)
        default:
            throw e.error("a scope (a list of names or an object of scoping areas)")
        }
    }
}
