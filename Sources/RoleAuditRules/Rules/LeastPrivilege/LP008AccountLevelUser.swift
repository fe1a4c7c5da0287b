import RoleAuditModel
import RoleAuditPolicy

/// LP-008: Huntress roles the vendor says it may change: the account-level User, whose one extra
/// power it may remove (H:94), and the organization-level Security Engineer, under review (H:156).
public struct LP008AccountLevelUser: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-008", title: "Huntress role the vendor may change", category: .leastPrivilege, defaultSeverity: .low,
        rationale: "The account-level User differs from the Security Engineer only in that it can create, modify and delete organizations, with fewer security controls; the vendor says it is considering removing that capability, so the role's meaning may change under its holders. The organization-level Security Engineer is under review too: the vendor is evaluating whether it is needed and what it should lose compared to the organization-level Admin. Holders of the first are reported (low); grants of the second get one info note per account, so that a change by the vendor finds them listed.",
        seed: [
            .huntress(93, "Create, modify, and delete organizations"),
            .huntress(94, "This is the only access Users have that Security Engineers do not. We are considering removing this capability from the User role in the future"),
            .huntress(156, "We’re evaluating whether the Organization-level Security Engineer role is necessary and, if so, what should be limited compared to Organization-level Admins"),
        ],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Account-level User: give the person Security Engineer if the work is security; if it is creating and deleting organizations, keep the grant on record and review it when the vendor changes the role. Do not move them to Provisioner instead: it can assign any role, Admin included, at the organization level (line 76; ESC-001). Organization-level Security Engineer: nothing to change now; review the listed grants when the vendor decides the role's future.",
        triggering: [
            RuleExample("an account-level User", ExampleSnapshot().huntress("jo@msp.example", "User"), flags: ["jo@msp.example"]),
            RuleExample("organization-level Security Engineers: one note for the account", ExampleSnapshot()
                .huntress("sec@c1.example", "Security Engineer", org: "10").huntress("sec@c2.example", "Security Engineer", org: "11"),
                flags: ["account 1"]),
        ],
        nonTriggering: [
            RuleExample("an organization-level User", ExampleSnapshot().huntress("jo@c1.example", "User", org: "10")),
            RuleExample("an account-level Security Engineer", ExampleSnapshot().huntress("jo@msp.example", "Security Engineer")),
        ],
        needs: [.platform(.huntress)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        let users = c.grants(ofRoles: { $0?.platform == .huntress && $0?.level == .account && $0?.name == "User" }).compactMap { g -> Finding? in
            guard g.platform == .huntress, g.level == .account, c.documentedRole(of: g)?.name == "User" else { return nil }
            return Finding(
                rule: Self.description, platform: .huntress, account: g.target, principal: g.principal, role: "User",
                message: "\(g.principal) is an account-level User: it can delete organizations, a capability the vendor may remove",
                evidence: c.evidence([g]))
        }
        return users + underReview(c)
    }

    /// One note per account on its organization-level Security Engineers (H:156). Read by grant
    /// position and principal id: a large export has hundreds of thousands of them, and only the
    /// hundred cited as evidence are copied.
    private func underReview(_ c: RuleContext) -> [Finding] {
        let graph = c.graph
        let positions = c.grantPositionsByRole { $0?.platform == .huntress && $0?.level == .organization && $0?.name == "Security Engineer" }
            .flatMap(\.positions).sorted()
        var byAccount: [String: [Int]] = [:]
        for i in positions { byAccount[graph.accountAbovePlace[Int(graph.placeOf[i])] ?? "", default: []].append(i) }
        return byAccount.keys.sorted().compactMap { account in
            let at = byAccount[account] ?? []
            // Principal ids ascend as their keys do (one platform here).
            let people = Set(at.map { graph.principalOf[$0] }).sorted().map { graph.principals[Int($0)].key }
            guard !people.isEmpty else { return nil }
            let cited = at.prefix(RuleEngine.evidenceLimit).map { graph.grants[$0] }
            return Finding(
                rule: Self.description, platform: .huntress, account: account.isEmpty ? nil : account, role: "organization/Security Engineer",
                message: "\(people.count) principal(s) hold the organization-level Security Engineer role, which the vendor is reviewing (it may be removed or limited): \(people.prefix(5).joined(separator: ", "))\(people.count > 5 ? ", ..." : "")",
                evidence: RuleEngine.capped(c.evidence(cited) { "\($0.principal) holds Security Engineer in organization \($0.target)" }, total: at.count),
                severity: .info)
        }
    }
}
