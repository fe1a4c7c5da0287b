import RoleAuditPolicy
import RoleAuditModel

/// ISO-001: an organization-level Huntress user in more than one organization.
public struct ISO001MemberOfSeveralOrganizations: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-001", title: "Organization-level user in several organizations", category: .isolation, defaultSeverity: .high,
        rationale: "Organization-level roles keep a person inside the organizations they are a member of: the vendor says an organization-level User sees investigations within their organization(s) and cannot view or access any other organization. The vendor allows memberships in several organizations; for an MSP, whose organizations are different customers, one person in two of them links those customers (usually a contractor or a shared mailbox), so each such person should be a decision on record: allowed_cross_org in the policy, or separate accounts.",
        seed: [.huntress(161, "View investigations within their organization(s)"), .huntress(166, "View or access any other organization")],
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
        ],
        needs: [.platform(.huntress)])

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
