import RoleAuditPolicy
import RoleAuditModel

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
            .huntress("a@birchwood.example", "Admin", org: "10").huntress("sam@gmail.com", "User", org: "10"))],
        needs: [.platform(.huntress)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        // Every organization-level grant of the member in that organization: a membership may hold
        // several roles, and repeats are visited once.
        let all = c.grantsByPrincipal
        var seen: Set<Int> = []
        var out: [Finding] = []
        for start in c.domains.foreignMemberships {
            let principal = all[start].principal, target = all[start].target
            guard let domain = DomainModel.domain(of: principal), let home = c.domains.organizationsOf[domain] else { continue }
            var j = start
            while j > 0, all[j - 1].platform == .huntress, all[j - 1].principal == principal { j -= 1 }
            while j < all.count, all[j].platform == .huntress, all[j].principal == principal {
                defer { j += 1 }
                guard all[j].level == .organization, all[j].target == target, seen.insert(j).inserted else { continue }
                let g = all[j]
                out.append(Finding(
                    rule: Self.description, platform: .huntress, account: c.account(of: g), organization: g.target,
                    principal: g.principal, role: g.role,
                    message: "\(g.principal) is a member of organization \(g.target) but \(domain) belongs to organization \(home.joined(separator: ", "))",
                    evidence: c.evidence([g]), assumptions: [c.domains.assumption(for: domain)].compactMap { $0 }))
            }
        }
        return out
    }
}
