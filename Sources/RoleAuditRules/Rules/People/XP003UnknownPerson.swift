import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

/// XP-003: someone holds a grant and the HR roster does not know them.
public struct XP003UnknownPerson: Rule {
    public init() {}

    static let mailbox: Policy = {
        var p = Policy()
        p.serviceAccounts = ["alerts@corp.example"]
        return p
    }()

    public static let description = RuleDescription(
        id: "XP-003", title: "Unknown person", category: .people, defaultSeverity: .low,
        rationale: "Access held by an address the roster does not list belongs to nobody HR knows: a contractor never recorded, a personal address, a shared mailbox, or a leaver whose record was deleted rather than marked. Only with an HR roster (--roster) can it be told; without one this rule finds nothing. API keys, and the addresses the policy lists under service_accounts, are no person and are exempt.",
        seed: [.cortex(3, "users, based on their roles, are granted minimal access required to accomplish their tasks")],
        frameworks: Frameworks.people,
        remediation: "Add the person to the roster, list a shared or integration address under service_accounts in the policy, or remove the access.",
        triggering: [
            RuleExample("a Huntress member the roster does not list", ExampleSnapshot()
                .huntress("a@corp.example", "Admin").huntress("stranger@gmail.com", "User", org: "88101"),
                roster: ExampleSnapshot.roster([("a@corp.example", .active, nil)]), flags: ["stranger@gmail.com"]),
        ],
        nonTriggering: [
            RuleExample("listed, in another letter case", ExampleSnapshot().cortex("A.Person@corp.example", "Viewer"),
                roster: ExampleSnapshot.roster([("a.person@CORP.example", .active, nil)])),
            RuleExample("a service account the policy lists", ExampleSnapshot().huntress("alerts@corp.example", "Read-only"),
                policy: mailbox, roster: ExampleSnapshot.roster([("a@corp.example", .active, nil)])),
            RuleExample("an API key", ExampleSnapshot().apiKey("7", roles: ["Viewer"]),
                roster: ExampleSnapshot.roster([("admin@corp.example", .active, nil)])),
            RuleExample("no roster: not evaluated", ExampleSnapshot().huntress("stranger@gmail.com", "User", org: "88101")),
        ],
        needs: [.roster])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        guard let roster = c.roster else { return [] }
        let people = c.graph.people
        let known = Set(roster.entries.compactMap { people.person(ofEmail: $0.email) })
        var findings: [Finding] = []
        for i in c.graph.principals.indices {
            let id = c.graph.principals[i]
            let r = Int(c.graph.recordOf[i])
            guard let person = people.person(of: id, record: r >= 0 ? c.graph.records[r] : nil), !known.contains(person),
                !people.isServiceAccount(person)
            else { continue }
            let grants = c.graph.grants[c.graph.grantRange[i]]
            let roles = Set(grants.map(\.role)).sorted().joined(separator: ", ")
            findings.append(Finding(
                rule: Self.description, platform: id.platform, principal: id.key,
                message: "\(id.key) holds \(roles) on \(id.platform.displayName) and is not on the roster \(roster.source.path)",
                evidence: c.evidence(grants)))
        }
        return findings
    }
}
