import RoleAuditPolicy
import RoleAuditModel

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
        ],
        needs: [.platform(.cortexXDR)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.sortedPrincipals(on: .cortexXDR).compactMap { who, grants in
            guard who.platform == .cortexXDR, let domain = DomainModel.domain(of: who.key), !c.domains.mspDomains.contains(domain) else { return nil }
            let privileged = grants.filter { c.isPrivileged($0) }
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
