import RoleAuditPolicy
import RoleAuditModel

/// ISO-001: an organization-level Huntress user in more than one organization.
public struct ISO001MemberOfSeveralOrganizations: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-001", title: "Organization-level user in several organizations", category: .isolation, defaultSeverity: .high,
        rationale: "Organization-level roles exist to keep a customer's people inside their own organization: the vendor says an organization-level User cannot view or access any other organization. One person with memberships in two customers' organizations crosses that line, usually a contractor or a shared mailbox.",
        seed: [.huntress(166, "View or access any other organization")],
        frameworks: Frameworks.isolation,
        remediation: "Give each customer's people their own accounts; if a person really serves several customers, list them under allowed_cross_org in the policy.",
        triggering: [RuleExample("one contractor in two customers' organizations", ExampleSnapshot()
            .huntress("sam@gmail.com", "User", org: "10").huntress("sam@gmail.com", "User", org: "11"), flags: ["sam@gmail.com"])],
        nonTriggering: [
            RuleExample("two roles in the same organization", ExampleSnapshot()
                .huntress("sam@c1.example", "User", org: "10").huntress("sam@c1.example", "Read-only", org: "10")),
            RuleExample("allowed by the policy", ExampleSnapshot()
                .huntress("sam@gmail.com", "User", org: "10").huntress("sam@gmail.com", "User", org: "11"),
                policy: { var p = Policy(); p.allowedCrossOrg = ["sam@gmail.com"]; return p }()),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.sortedPrincipals(on: .huntress).compactMap { who, grants in
            // Most people sit in one organization: find a second one before building anything.
            guard RuleContext.spansSeveralOrganizations(grants),
                !c.policy.allowedCrossOrg.contains(who.key)
            else { return nil }
            let org = grants.filter { $0.level == .organization }
            let orgs = Set(org.map(\.target)).sorted()
            guard orgs.count > 1 else { return nil }
            return Finding(
                rule: Self.description, platform: .huntress, account: org.first.flatMap { c.account(of: $0) }, principal: who.key,
                message: "\(who.key) is an organization-level member of \(orgs.count) organizations: \(orgs.joined(separator: ", "))",
                evidence: c.evidence(org) { "member of organization \($0.target) as \($0.role)" })
        }
    }
}

/// ISO-002: a customer's user at account level, which sees every customer.
public struct ISO002CustomerUserAtAccountLevel: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-002", title: "Customer's user at account level", category: .isolation, defaultSeverity: .critical,
        rationale: "Account-level roles see the account and the organizations their role allows; Admins and Security Engineers reach every organization. A customer's employee there can see, and depending on the role act on, every other customer of the MSP.",
        seed: [
            .huntress(10, "can see the account and any organizations their role allows"),
            .huntress(10, "Account-level Admins and Security Engineers can access any organizations under the account"),
        ],
        frameworks: Frameworks.isolation,
        remediation: "Replace the account-level membership with an organization-level one in the customer's own organization.",
        triggering: [RuleExample("a customer's IT manager with account-level Read-only", ExampleSnapshot()
            .huntress("ops@msp.example", "Admin").huntress("it@acme.example", "Read-only").huntress("dr@acme.example", "User", org: "10")
            .huntress("front@acme.example", "Read-only", org: "10"), flags: ["it@acme.example"])],
        nonTriggering: [RuleExample("the MSP's own staff at account level", ExampleSnapshot()
            .huntress("ops@msp.example", "Admin").huntress("eng@msp.example", "Security Engineer").huntress("dr@acme.example", "User", org: "10"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0 == nil || $0?.level == .account }).compactMap { g in
            guard g.platform == .huntress, g.level == .account, let domain = DomainModel.domain(of: g.principal),
                let org = c.domains.organizationOf[domain], !c.domains.mspDomains.contains(domain)
            else { return nil }
            return Finding(
                rule: Self.description, platform: .huntress, account: g.target, principal: g.principal, role: g.role,
                message: "\(g.principal) (\(domain), the domain of organization \(org)) holds the account-level \(g.role) role and so sees other customers",
                evidence: c.evidence([g]), assumptions: [c.domains.assumption(for: domain)].compactMap { $0 })
        }
    }
}

/// ISO-003: an organization-level member whose domain belongs to another customer.
public struct ISO003ForeignDomainInOrganization: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-003", title: "Foreign domain in an organization", category: .isolation, defaultSeverity: .high,
        rationale: "An organization's members should be its own people or the MSP's. A member whose email belongs to another customer sees this customer's investigations, reports and endpoints.",
        seed: [.huntress(161, "View investigations within their organization(s)"), .huntress(166, "View or access any other organization")],
        frameworks: Frameworks.isolation,
        remediation: "Remove the membership, or confirm the relationship and set org_domains and a waiver.",
        triggering: [RuleExample("a Birchwood employee in Dunmore's organization", ExampleSnapshot()
            .huntress("a@birchwood.example", "Admin", org: "10").huntress("b@birchwood.example", "User", org: "10")
            .huntress("ops@dunmore.example", "Admin", org: "11").huntress("j@birchwood.example", "User", org: "11"),
            flags: ["j@birchwood.example"])],
        nonTriggering: [RuleExample("members from the customer's own domain and public mail", ExampleSnapshot()
            .huntress("a@birchwood.example", "Admin", org: "10").huntress("sam@gmail.com", "User", org: "10"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        // Every organization-level grant of the member in that organization: a membership may hold
        // several roles, and repeats are visited once.
        let all = c.grantsByPrincipal
        var seen: Set<Int> = []
        var out: [Finding] = []
        for start in c.domains.foreignMemberships {
            let principal = all[start].principal, target = all[start].target
            guard let domain = DomainModel.domain(of: principal), let home = c.domains.organizationOf[domain] else { continue }
            var j = start
            while j > 0, all[j - 1].platform == .huntress, all[j - 1].principal == principal { j -= 1 }
            while j < all.count, all[j].platform == .huntress, all[j].principal == principal {
                defer { j += 1 }
                guard all[j].level == .organization, all[j].target == target, seen.insert(j).inserted else { continue }
                let g = all[j]
                out.append(Finding(
                    rule: Self.description, platform: .huntress, account: c.account(of: g), organization: g.target,
                    principal: g.principal, role: g.role,
                    message: "\(g.principal) is a member of organization \(g.target) but \(domain) belongs to organization \(home)",
                    evidence: c.evidence([g]), assumptions: [c.domains.assumption(for: domain)].compactMap { $0 }))
            }
        }
        return out
    }
}

/// ISO-004: a role that needs an SBAC scope, held without one.
public struct ISO004ScopedRoleWithoutScope: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-004", title: "Scoped role without a scope", category: .isolation, defaultSeverity: .high,
        rationale: "Scoped Agent Admin is designed for SBAC: its permissions are meant to be limited to the endpoint scope assigned to the user. With no scope, the role acts on every endpoint of the tenant.",
        seed: [.cortex(24, "Scoped Agent Admin is designed for SBAC. All permissions are limited to the endpoint scope assigned to the user")],
        frameworks: Frameworks.isolation,
        remediation: "Assign the endpoint scope (region, business unit or customer) the role is meant for.",
        triggering: [RuleExample("Scoped Agent Admin without scope", ExampleSnapshot().cortex("tech@corp.example", "Scoped Agent Admin"), flags: ["tech@corp.example"])],
        nonTriggering: [RuleExample("with an endpoint scope", ExampleSnapshot().cortex("tech@corp.example", "Scoped Agent Admin", scope: ["Clinic East"]))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0?.scopeRequired == true }).compactMap { g in
            guard let role = c.documentedRole(of: g), role.scopeRequired, !(g.scope?.limitsEndpoints ?? false) else { return nil }
            return Finding(
                rule: Self.description, platform: g.platform, tenant: g.target, principal: g.principal, role: role.name,
                message: "\(g.principal) holds \(role.name) in \(g.target) with no endpoint scope: it reaches every endpoint of the tenant",
                evidence: c.evidence([g]))
        }
    }
}

/// ISO-005: one person privileged in tenants of different customers.
public struct ISO005PrivilegedAcrossCustomers: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-005", title: "Privileged in tenants of different customers", category: .isolation, defaultSeverity: .high,
        rationale: "Instance-level administration is meant to stay inside one tenant in MSSP environments. Apart from the MSSP's own staff (msp_domains), one person privileged in two customers' tenants links those customers: one compromise reaches both.",
        seed: [.cortex(20, "should not automatically gain access to other instances in the account. Common scenarios include multi-tenant deployments, MSSP environments")],
        frameworks: Frameworks.isolation,
        remediation: "Give the person separate identities per customer, or map their domain as the MSSP's in msp_domains if they are MSSP staff.",
        triggering: [RuleExample("one consultant privileged at two customers", ExampleSnapshot()
            .cortex("kim@consult.example", "Instance Administrator", tenant: "a", customer: "Acme")
            .cortex("kim@consult.example", "Security Admin", tenant: "b", customer: "Birch"), flags: ["kim@consult.example"])],
        nonTriggering: [
            RuleExample("MSSP staff", ExampleSnapshot()
                .cortex("kim@mssp.example", "Instance Administrator", tenant: "a", customer: "Acme")
                .cortex("kim@mssp.example", "Security Admin", tenant: "b", customer: "Birch"),
                policy: { var p = Policy(); p.mspDomains = ["mssp.example"]; return p }()),
            RuleExample("two tenants of one customer", ExampleSnapshot()
                .cortex("kim@acme.example", "Instance Administrator", tenant: "a", customer: "Acme")
                .cortex("kim@acme.example", "Security Admin", tenant: "b", customer: "Acme")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.sortedPrincipals(on: .cortexXDR).compactMap { who, grants in
            guard who.platform == .cortexXDR, let domain = DomainModel.domain(of: who.key), !c.domains.mspDomains.contains(domain) else { return nil }
            let privileged = grants.filter(c.isPrivileged)
            let customers = Set(privileged.map { c.customerOfTenant[$0.target] ?? $0.target })
            guard customers.count > 1 else { return nil }
            return Finding(
                rule: Self.description, platform: .cortexXDR, principal: who.key,
                message: "\(who.key) is privileged in tenants of \(customers.count) customers: \(customers.sorted().joined(separator: ", "))",
                evidence: c.evidence(privileged) { "\($0.role) in \($0.target) (customer \(c.customerOfTenant[$0.target] ?? "unmapped"))" },
                assumptions: c.policy.mspDomains.isEmpty ? ["no msp_domains in the policy: nobody is taken to be MSSP staff"] : [])
        }
    }
}

/// ISO-006: a grant that points at something the export does not contain.
public struct ISO006DanglingReference: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-006", title: "Dangling reference", category: .isolation, defaultSeverity: .medium,
        rationale: "A grant to an organization, group or role the export does not contain cannot be judged: what it gives, and to whom, is unknown. It also often marks access left behind by a deleted or moved organization.",
        seed: [.cortex(8, "All users must have at least one role or belong to at least one user group")],
        frameworks: Frameworks.accountManagement,
        remediation: "Export the missing organization, group or role, or remove the reference.",
        triggering: [
            RuleExample("a user in a group that was not exported", ExampleSnapshot()
                .cortex("a@corp.example", "Viewer").coverage(.undefinedGroup, "user 'a@corp.example' is in group 'Ghost', which was not exported"),
                flags: ["tenant t1"]),
            RuleExample("an organization under two accounts", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").coverage(.foreignOrganization, "organization 9 belongs to account 2 but memberships place it under account 1", platform: .huntress, scope: "2"),
                flags: ["account 2"]),
        ],
        nonTriggering: [RuleExample("complete input", ExampleSnapshot().cortex("a@corp.example", "Viewer"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.snapshot.coverage.compactMap { issue in
            guard [.undefinedGroup, .undefinedRole, .undefinedOrganization, .foreignOrganization].contains(issue.kind), let platform = issue.platform
            else { return nil }
            return Finding(
                rule: Self.description, platform: platform, account: platform == .huntress ? issue.scope : nil,
                tenant: platform == .cortexXDR ? issue.scope : nil, role: issue.detail,
                message: issue.detail, evidence: [.note("\(issue.file ?? "input"): \(issue.detail)")])
        }
    }
}
