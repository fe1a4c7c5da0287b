import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// CAT-001: a role label neither documented nor defined in the export.
public struct CAT001UnknownRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-001", title: "Unknown role", category: .catalog, defaultSeverity: .medium,
        rationale: "roleaudit can only judge roles it knows: those the vendors document and the custom roles an export defines. An unknown label (Huntress's API can return 'Admin-Read-only', which no document describes) gives access nobody can state.",
        seed: [.huntress(12, "| Permission | Admin | Security Engineer | Provisioner | User | Finance | Read-only |")],
        frameworks: Frameworks.accountManagement,
        remediation: "Replace the label with a documented role, or export the custom role's definition.",
        triggering: [RuleExample("Huntress 'Admin-Read-only'", ExampleSnapshot().huntress("legacy@msp.example", "Admin-Read-only"), flags: ["legacy@msp.example"])],
        nonTriggering: [
            RuleExample("documented roles", ExampleSnapshot().huntress("a@msp.example", "Read-only").cortex("b@corp.example", "Viewer")),
            RuleExample("a custom role the export defines", ExampleSnapshot()
                .customRole("Helpdesk", permissions: ["endpoint_view"]).cortex("b@corp.example", "Helpdesk")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0 == nil }).compactMap { g in
            guard c.documentedRole(of: g) == nil, c.definedRole(of: g) == nil else { return nil }
            return Finding(
                rule: Self.description, platform: g.platform, account: g.platform == .huntress ? c.account(of: g) : nil,
                organization: g.platform == .huntress && g.level == .organization ? g.target : nil,
                tenant: g.platform == .cortexXDR ? g.target : nil, principal: g.principal, role: g.role,
                message: "\(g.principal) holds '\(g.role)', which neither the \(g.platform.displayName) documentation nor the export defines",
                evidence: c.evidence([g]))
        }
    }
}

/// Custom roles an export defines that the catalog does not document, each with its holders.
private func customRoles(_ c: RuleContext) -> [(RoleDefinition, [Grant])] {
    let holders = Dictionary(grouping: c.grants(ofRoles: { $0 == nil })) { g in
        c.definedRole(of: g).map { "\($0.platform.rawValue)|\($0.tenant ?? "")|\($0.name)" } ?? ""
    }
    // Not documented, and not marked predefined by the export (`is_custom: false`).
    return c.snapshot.roles.filter { r in r.isCustom != false && c.catalog.role(r.name, on: r.platform) == nil }
        .map { ($0, holders["\($0.platform.rawValue)|\($0.tenant ?? "")|\($0.name)"] ?? []) }
}

/// CAT-002: a custom role whose mapped permissions are privileged.
public struct CAT002PrivilegedCustomRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-002", title: "Custom role with privileged permissions", category: .catalog, defaultSeverity: .high,
        rationale: "Custom roles are copies of predefined ones, edited; what they grant is not in any vendor document. Mapped through the policy's permission_map, a custom role with privileged capabilities deserves the same scrutiny as the predefined role it resembles.",
        seed: [.cortex(12, "they can be copied and customized to meet your organization's specific security requirements")],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Compare the custom role with the nearest predefined role named in the finding; remove what the job does not need.",
        triggering: [RuleExample("a helpdesk role that opens Live Terminal", ExampleSnapshot()
            .customRole("Helpdesk", permissions: ["endpoint_view", "live_terminal"]).cortex("h@corp.example", "Helpdesk"),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"], "live_terminal": ["response.live_terminal"]]; return p }(),
            flags: ["tenant t1"])],
        nonTriggering: [RuleExample("a read-only custom role", ExampleSnapshot()
            .customRole("Watcher", permissions: ["endpoint_view"]).cortex("h@corp.example", "Watcher"),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"]]; return p }())])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        customRoles(c).compactMap { role, holders in
            let caps = Set(role.permissions.flatMap { c.policy.permissionMap[$0] ?? [] })
            let privileged = caps.filter { c.catalog.tier(of: $0) == .privileged }.sorted()
            guard !privileged.isEmpty else { return nil }
            // Nearest predefined role: the most shared capabilities, the fewest extra.
            let nearest = c.catalog.roles(on: role.platform).max { a, b in
                let sa = (a.capabilities.intersection(caps).count, -a.capabilities.subtracting(caps).count, a.name)
                let sb = (b.capabilities.intersection(caps).count, -b.capabilities.subtracting(caps).count, b.name)
                return (sa.0, sa.1) < (sb.0, sb.1) || ((sa.0, sa.1) == (sb.0, sb.1) && sa.2 > sb.2)
            }
            return Finding(
                rule: Self.description, platform: role.platform, tenant: role.tenant, role: role.name,
                message: "custom role '\(role.name)' gives privileged capabilities \(privileged.map(\.rawValue).joined(separator: ", ")); nearest predefined role: \(nearest?.name ?? "none")",
                evidence: [.note("defined in \(role.provenance) with permissions \(role.permissions.joined(separator: ", "))")]
                    + c.evidence(holders) { "\($0.principal) holds it" })
        }
    }
}

/// CAT-003: a custom-role permission string nobody has mapped.
public struct CAT003UnmappedPermission: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-003", title: "Unmapped custom-role permission", category: .catalog, defaultSeverity: .low,
        rationale: "roleaudit knows what a custom role gives only through the policy's permission_map. A permission string with no mapping is access the other rules cannot see.",
        seed: [.cortex(16, "To quickly see exactly which pages and actions a role allows, click on the role name")],
        frameworks: Frameworks.accountManagement,
        remediation: "Add the permission to permission_map with the capabilities it gives (roleaudit catalog lists them).",
        triggering: [RuleExample("an unmapped permission", ExampleSnapshot()
            .customRole("Helpdesk", permissions: ["endpoint_view", "mystery_toggle"]),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"]]; return p }(), flags: ["tenant t1"])],
        nonTriggering: [RuleExample("every permission mapped", ExampleSnapshot().customRole("Helpdesk", permissions: ["endpoint_view"]),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"]]; return p }())])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        customRoles(c).compactMap { role, holders in
            let unmapped = role.permissions.filter { c.policy.permissionMap[$0] == nil }.sorted()
            guard !unmapped.isEmpty else { return nil }
            return Finding(
                rule: Self.description, platform: role.platform, tenant: role.tenant, role: role.name,
                message: "custom role '\(role.name)' has \(unmapped.count) permission(s) no permission_map entry explains: \(unmapped.joined(separator: ", "))",
                evidence: [.note("defined in \(role.provenance)")] + c.evidence(holders) { "\($0.principal) holds it" })
        }
    }
}

/// CAT-004: a grant that relies on a capability the seed documents ambiguously.
public struct CAT004AmbiguousCapability: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-004", title: "Grant relies on an ambiguous documented capability", category: .catalog, defaultSeverity: .info,
        rationale: "Where the vendor's document contradicts itself (the Cortex Responder has 'no ... rule editing' and 'the ability to edit detection rules'), roleaudit assumes the broader reading, the worst case for least privilege. This finding shows both passages so an auditor can check the role in the console.",
        seed: [.cortex(29, "but no Live Terminal, rule editing, or configuration access"), .cortex(29, "plus the ability to edit detection rules")],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Check the role's permissions in the console (Settings, Access Management, Roles) and record the answer in a waiver.",
        triggering: [RuleExample("two Responders: one note for the tenant", ExampleSnapshot()
            .cortex("r@corp.example", "Responder").cortex("s@corp.example", "Responder"), flags: ["tenant t1"])],
        nonTriggering: [RuleExample("an Investigator", ExampleSnapshot().cortex("i@corp.example", "Investigator"))])

    /// One finding per role and Huntress account or Cortex tenant, with everyone who holds it as
    /// evidence: an MSP with a thousand organization Admins gets one note, not a thousand. Grants are
    /// visited by position and only the ones shown are copied: a role can have half a million holders.
    public func evaluate(_ c: RuleContext) -> [Finding] {
        let ambiguousOf: (CatalogRole) -> [CapabilityGrant] = { role in
            role.grants.filter { $0.alternative != nil && (c.catalog.tier(of: $0.capability) ?? .read) > .read }
        }
        var findings: [Finding] = []
        let all = c.grantsByPrincipal
        for case let (role?, positions) in c.grantPositionsByRole({ $0.map { !ambiguousOf($0).isEmpty } ?? false }) {
            let ambiguous = ambiguousOf(role)
            var byScope: [String: Holders] = [:]
            var last = (target: "", scope: "")
            for i in positions {
                if all[i].target != last.target || last.scope.isEmpty {
                    let target = all[i].target
                    last = (target, role.platform == .huntress && role.level == .organization ? c.accountOfOrganization[target] ?? target : target)
                }
                let principal = all[i].principal
                byScope[last.scope, default: Holders()].add(i, principal, shown: RuleEngine.evidenceLimit)
            }
            for (scope, h) in byScope {
                let notes: [Finding.Evidence] = ambiguous.map { a in
                    .note("\(a.capability): granted per " + a.citations.map { "\($0) \"\($0.quote)\"" }.joined(separator: "; ")
                        + "; \(a.alternative?.grant.rawValue ?? "") per " + (a.alternative?.citations.map { "\($0) \"\($0.quote)\"" }.joined(separator: "; ") ?? ""))
                }
                let shown = c.evidence(h.positions.map { all[$0] }) { "\($0.principal) holds \(role.name)" }
                findings.append(Finding(
                    rule: Self.description, platform: role.platform, account: role.platform == .huntress ? scope : nil,
                    tenant: role.platform == .cortexXDR ? scope : nil, role: role.id,
                    message: "\(h.peopleCount) principal(s) hold \(role.name) (\(role.level.rawValue)), whose \(ambiguous.map(\.capability.rawValue).joined(separator: ", ")) the documentation states both ways; roleaudit assumes granted: \(h.people.joined(separator: ", "))\(h.peopleCount > 5 ? ", ..." : "")",
                    evidence: RuleEngine.capped(notes + shown, total: notes.count + h.count),
                    assumptions: ambiguous.map { "\($0.capability) assumed granted (the broader reading)" }))
            }
        }
        return findings
    }
}

/// Holders of one role in one scope: counts of grants and people, and the first few of each. Grants
/// arrive in principal order, so a new person is one that differs from the last.
private struct Holders {
    var positions: [Int] = []
    var count = 0
    var people: [String] = []
    var peopleCount = 0
    var lastPrincipal: String?

    mutating func add(_ position: Int, _ principal: String, shown: Int) {
        count += 1
        if positions.count < shown { positions.append(position) }
        if lastPrincipal != principal {
            lastPrincipal = principal
            peopleCount += 1
            if people.count < 5 { people.append(principal) }
        }
    }
}
