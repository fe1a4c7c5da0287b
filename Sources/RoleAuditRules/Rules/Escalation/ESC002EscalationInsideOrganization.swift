import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// ESC-002: an organization-level role that adds users to its organization can give one of them
/// (a second account of its own) a role stronger than its own.
public struct ESC002EscalationInsideOrganization: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ESC-002", title: "Escalation inside an organization", category: .escalation, defaultSeverity: .high,
        rationale: "Organization-level Admins and Security Engineers may add other organization-level users; the seed does not say which roles they may give them, where it says the Provisioner may give any, Admin included. On the broader reading, which roleaudit assumes (passage H-ORG-ROLES), an organization-level Security Engineer can add an account of its own as organization-level Admin and gain what the Admin has and it lacks (ITDR Unwanted Access rules, the organization's escalations). Each finding says which reading it rests on; on the narrower one (roles no stronger than the adder's own) there is no escalation. So the finding is high where the catalog states the assignment without doubt, and medium where it rests on the broader reading of a contested passage (today: every organization-level Security Engineer, H:146).",
        seed: [
            .huntress(146, "Add other organization-level users"),
            .huntress(76, "assign any role (including Admin) at the org level"),
            .huntress(152, "Admins: can create and modify ITDR Unwanted Access rules"),
            .huntress(155, "Security Engineer: cannot view or respond to escalations"),
        ],
        frameworks: ["NIST SP 800-53 AC-6(1)", "NIST SP 800-53 AC-5", "ISO/IEC 27001:2022 A.8.2", "SOC 2 CC6.3"],
        remediation: "Check in the portal which roles the person can give when adding users; if it can give Admin, give the organization's user management to an Admin (or the MSP) and keep the Security Engineer without it, or accept it with a waiver.",
        triggering: [
            RuleExample("an organization-level Security Engineer", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("sec@c1.example", "Security Engineer", org: "10"), flags: ["sec@c1.example"]),
        ],
        nonTriggering: [
            RuleExample("an organization-level Admin: no role above it", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("boss@c1.example", "Admin", org: "10")),
            RuleExample("a Security Engineer who is also that organization's Admin", ExampleSnapshot()
                .huntress("sec@c1.example", "Security Engineer", org: "10").huntress("sec@c1.example", "Admin", org: "10")),
            RuleExample("an organization-level User adds nobody", ExampleSnapshot().huntress("u@c1.example", "User", org: "10")),
        ],
        needs: [.platform(.huntress)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        guard let top = c.catalog.role("Admin", on: .huntress, level: .organization) else { return [] }
        let graph = c.graph
        var out: [Finding] = []
        // The adders' grants by position, in principal order; fields are read by index, and a grant
        // is copied only into a finding (see AccessGraph.swift on copies).
        let adders = c.grantPositionsByRole { $0?.platform == .huntress && $0?.level == .organization && $0?.holds("roles.assign") == true }
            .flatMap(\.positions).sorted()
        // A large export has hundreds of thousands of adders holding a handful of distinct sets of
        // capabilities, under tens of thousands of role ids (a role id is per place). Each role id
        // is numbered by its set of capabilities once, and what a combination of sets gains, and
        // each role's reading, are worked out once.
        var setOfRole: [Int32: Int] = [:], setNumbers: [Set<CapabilityID>: Int] = [:], sets: [Set<CapabilityID>] = []
        func setNumber(_ role: Int32) -> Int {
            if let known = setOfRole[role] { return known }
            let caps = graph.roles[Int(role)].capabilities ?? []
            let n = setNumbers[caps] ?? sets.count
            if n == sets.count {
                setNumbers[caps] = n
                sets.append(caps)
            }
            setOfRole[role] = n
            return n
        }
        var gainedText: [[Int]: String] = [:]
        var readings: [String: [String]] = [:]
        // Per role id, what the rule reads of the catalog role: its name and whether its
        // `roles.assign` rests on a contested passage. Looked up once per role id: reading the
        // catalog role per adder copied it (a sixth of this rule on a large export).
        struct Adder { let name: String, passage: String?, ambiguous: Bool }
        var adderOfRole: [Int32: Adder?] = [:]
        for i in adders where graph.grants[i].platform == .huntress && graph.grants[i].level == .organization {
            let roleID = graph.roleOf[i]
            if adderOfRole[roleID] == nil {
                adderOfRole[roleID] = graph.roles[Int(roleID)].documented.flatMap { role in
                    role.grant("roles.assign").map { Adder(name: role.name, passage: $0.passage, ambiguous: $0.isAmbiguous) }
                }
            }
            guard let found = adderOfRole[roleID], let role = found else { continue }
            let target = graph.grants[i].target
            let account = graph.accountAbovePlace[Int(graph.placeOf[i])]
            // What the principal already holds in this organization: its grants there, and its
            // account-level grants in the organization's account.
            var held: [Int] = []
            for j in graph.grantRange[Int(graph.principalOf[i])]
            where (graph.grants[j].level == .organization && graph.grants[j].target == target)
                || (graph.grants[j].level == .account && account != nil && graph.grants[j].target == account)
            {
                held.append(setNumber(graph.roleOf[j]))
            }
            if held.count > 1 { held = Array(Set(held)).sorted() }
            let gained: String
            if let known = gainedText[held] {
                gained = known
            } else {
                let all = held.reduce(into: Set<CapabilityID>()) { $0.formUnion(sets[$1]) }
                gained = top.capabilities.subtracting(all).sorted().map(\.rawValue).joined(separator: ", ")
                gainedText[held] = gained
            }
            guard !gained.isEmpty else { continue }
            let reading: [String]
            if let known = readings[role.name] {
                reading = known
            } else {
                reading = [role.passage.map { "the broader reading of H:146 (passage \($0)): an organization-level \(role.name) may give any organization-level role, Admin included; on the narrower reading it may give none stronger than its own and this is no escalation" }].compactMap { $0 }
                readings[role.name] = reading
            }
            let g = graph.grants[i]
            out.append(Finding(
                rule: Self.description, platform: .huntress, account: account, organization: target, principal: g.principal, role: role.name,
                message: "\(g.principal) holds \(role.name) in organization \(target) and can add an organization-level Admin there, gaining \(gained)",
                evidence: [.grant(g, "adds organization-level users (H:146)")], assumptions: reading,
                severity: role.ambiguous ? .medium : .high))
        }
        return out
    }
}
