import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// ISO-002: a customer's user at account level, rated by what the role reaches.
public struct ISO002CustomerUserAtAccountLevel: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-002", title: "Customer's user at account level", category: .isolation, defaultSeverity: .critical,
        rationale: "Account-level roles see the account and the organizations their role allows; Admins and Security Engineers reach every organization, and a Provisioner can give any organization-level role in any of them. A customer's employee in such a role can see, or act on, every other customer of the MSP: critical. Where the reach rests on the broader reading of line 10 (account-level User and Read-only) the finding is high and says so; Finance sees the account's billing, which breaks agents down per organization (medium); Marketing reaches only the Hub (low).",
        seed: [
            .huntress(10, "can see the account and any organizations their role allows"),
            .huntress(10, "Account-level Admins and Security Engineers can access any organizations under the account"),
            .huntress(76, "Create, update, and remove org-level users, and assign any role (including Admin) at the org level"),
            .huntress(112, "View breakdown of agents per organization in an invoice"),
            .huntress(117, "Marketing users can only access the Huntress Hub"),
        ],
        frameworks: Frameworks.isolation,
        remediation: "Replace the account-level membership with an organization-level one in the customer's own organization.",
        triggering: [
            RuleExample("a customer's IT manager with account-level Read-only (high: line 10 read broadly)", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("it@acme.example", "Read-only").huntress("dr@acme.example", "User", org: "10")
                .huntress("front@acme.example", "Read-only", org: "10"), flags: ["it@acme.example"]),
            RuleExample("a customer's owner with account-level Security Engineer (critical)", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("owner@acme.example", "Security Engineer").huntress("dr@acme.example", "User", org: "10"),
                flags: ["owner@acme.example"]),
            RuleExample("a customer's marketer with account-level Marketing (low: the Hub)", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("pr@acme.example", "Marketing").huntress("dr@acme.example", "User", org: "10"),
                flags: ["pr@acme.example"]),
        ],
        nonTriggering: [RuleExample("the MSP's own staff at account level", ExampleSnapshot()
            .huntress("ops@msp.example", "Admin").huntress("eng@msp.example", "Security Engineer").huntress("dr@acme.example", "User", org: "10"))],
        needs: [.platform(.huntress)])

    /// What an account-level role lets its holder reach, from the catalog: the rating, what the
    /// message says, and the reading it rests on where the seed reads two ways.
    struct Reach {
        let severity: Severity
        let says: String
        let assumption: String?

        init(_ role: CatalogRole?, label: String) {
            guard let role else {
                (severity, says, assumption) = (.high, "holds '\(label)', which no vendor document describes: what it reaches is unknown", nil)
                return
            }
            let reach = role.grant("organizations.view_all")
            if let reach, !reach.isAmbiguous, reach.basis == .stated {
                (severity, says, assumption) = (.critical, "sees every other customer's organization", nil)
            } else if role.holds("roles.assign") && role.holds("users.org.manage") {
                (severity, says, assumption) = (.critical, "can give itself or anyone any organization-level role in every organization of the account", nil)
            } else if let reach {
                (severity, says) = (.high, "may see every other customer's organization")
                assumption = "line 10 read broadly (passage \(reach.passage ?? "H-ORGANIZATION-REACH")): an account-level \(role.name) sees every organization; on the narrower reading only the organizations its role allows"
            } else if role.holds("billing.view") {
                (severity, says, assumption) = (.medium, "sees the account's billing, whose invoices break agents down per organization, so every customer's name and size", nil)
            } else {
                let reaches = role.grants.filter { !$0.isAmbiguous }.map(\.capability.rawValue).sorted().joined(separator: ", ")
                (severity, says, assumption) = (.low, "reaches no customer's data (\(reaches.isEmpty ? "nothing stated" : reaches))", nil)
            }
        }
    }

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0 == nil || $0?.level == .account }).compactMap { g in
            guard g.platform == .huntress, g.level == .account, let domain = DomainModel.domain(of: g.principal),
                let orgs = c.domains.organizationsOf[domain], !c.domains.mspDomains.contains(domain)
            else { return nil }
            let reach = Reach(c.documentedRole(of: g), label: g.role)
            return Finding(
                rule: Self.description, platform: .huntress, account: g.target, principal: g.principal, role: g.role,
                message: "\(g.principal) (\(domain), the domain of organization \(orgs.joined(separator: ", "))) holds the account-level \(g.role) role and \(reach.says)",
                evidence: c.evidence([g]), assumptions: [c.domains.assumption(for: domain), reach.assumption].compactMap { $0 },
                severity: reach.severity)
        }
    }
}
