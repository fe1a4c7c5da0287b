import RoleAuditPolicy
import RoleAuditModel

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
