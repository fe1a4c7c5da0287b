import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// Custom roles an export defines that the catalog does not document, each with its holders.
func customRoles(_ c: RuleContext) -> [(RoleDefinition, [Grant])] {
    let holders = Dictionary(grouping: c.grants(ofRoles: { $0 == nil })) { g in
        c.definedRole(of: g).map(id)
    }
    // Not documented, and not marked predefined by the export (`is_custom: false`).
    return c.snapshot.roles.filter { r in r.isCustom != false && c.catalog.role(r.name, on: r.platform) == nil }
        .map { ($0, holders[id($0)] ?? []) }
}

/// A defined role as a key: the name as exported (two definitions differing in case stay two).
private struct DefinedRole: Hashable {
    let platform: Platform
    let tenant: String
    let name: String
}

private func id(_ r: RoleDefinition) -> DefinedRole { DefinedRole(platform: r.platform, tenant: r.tenant ?? "", name: r.name) }
