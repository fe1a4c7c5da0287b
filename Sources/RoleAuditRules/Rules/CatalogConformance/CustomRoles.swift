import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// Custom roles an export defines that the catalog does not document, each with its holders.
func customRoles(_ c: RuleContext) -> [(RoleDefinition, [Grant])] {
    let holders = Dictionary(grouping: c.grants(ofRoles: { $0 == nil })) { g in
        c.definedRole(of: g).map { "\($0.platform.rawValue)|\($0.tenant ?? "")|\($0.name)" } ?? ""
    }
    // Not documented, and not marked predefined by the export (`is_custom: false`).
    return c.snapshot.roles.filter { r in r.isCustom != false && c.catalog.role(r.name, on: r.platform) == nil }
        .map { ($0, holders["\($0.platform.rawValue)|\($0.tenant ?? "")|\($0.name)"] ?? []) }
}
