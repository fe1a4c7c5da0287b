import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

/// XP-001: a person switched off in one console who keeps access in another.
public struct XP001AccessLeftBehind: Rule {
    public init() {}

    /// Jane Doe signs in to Cortex as j.doe@ and to Huntress as jane@ (the policy's identities).
    static let janeDoe: Policy = {
        var p = Policy()
        p.identities = [Policy.Identity(name: "Jane Doe", emails: ["j.doe@corp.example", "jane@corp.example"], line: 1)]
        return p
    }()

    public static let description = RuleDescription(
        id: "XP-001", title: "Access left behind", category: .people, defaultSeverity: .high,
        rationale: "When a person is switched off in one console the other is rarely told: a Huntress membership, or a role under another address, outlives the decision that the person should no longer have access. Cortex exports carry a user's status (Active or Inactive); Huntress exports carry none, so only a Cortex status other than Active can say a person was switched off. People are matched by email, ignoring case, and by the policy's identities.",
        seed: [
            .huntress(87, "Create, update, or delete account-level users or memberships"),
            .cortex(3, "users, based on their roles, are granted minimal access required to accomplish their tasks"),
        ],
        frameworks: Frameworks.people,
        remediation: "Remove the grants the evidence lists (each with the record that gives it), or make the Cortex user Active again if the person is still meant to work there.",
        triggering: [
            RuleExample("Inactive on Cortex, still an Admin of a Huntress organization", ExampleSnapshot()
                .cortex("gone@corp.example", "Viewer", status: "Inactive").huntress("gone@corp.example", "Admin", org: "88101"),
                flags: ["gone@corp.example"]),
            RuleExample("one person under two addresses (policy identities)", ExampleSnapshot()
                .cortex("j.doe@corp.example", "Viewer", status: "Inactive").huntress("jane@corp.example", "User", org: "88101"),
                policy: janeDoe, flags: ["jane@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("Active on Cortex and on Huntress", ExampleSnapshot()
                .cortex("a@corp.example", "Viewer", status: "Active").huntress("a@corp.example", "Admin", org: "88101")),
            RuleExample("Inactive on Cortex, no access elsewhere", ExampleSnapshot().cortex("gone@corp.example", "Viewer", status: "Inactive")),
            RuleExample("another person with access on Huntress", ExampleSnapshot()
                .cortex("gone@corp.example", "Viewer", status: "Inactive").huntress("stays@corp.example", "Admin", org: "88101")),
            RuleExample("two addresses the policy does not join", ExampleSnapshot()
                .cortex("j.doe@corp.example", "Viewer", status: "Inactive").huntress("jane@corp.example", "User", org: "88101")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for record in c.allPrincipals where record.platform == .cortexXDR {
            guard let status = record.status, !Self.isActive(status), let person = c.graph.people.person(of: record) else { continue }
            let own = PrincipalID(platform: record.platform, key: record.key)
            for other in c.graph.principals(ofPerson: person) where other.id != own && !other.grants.isEmpty {
                // Switched off there too: nothing left behind on that account.
                if let s = other.record?.status, !Self.isActive(s) { continue }
                let roles = Set(other.grants.map(\.role)).sorted().joined(separator: ", ")
                findings.append(Finding(
                    rule: Self.description, platform: other.id.platform, principal: other.id.key,
                    message: "\(person) is \(status) on Cortex XDR (\(record.key)) but \(other.id.key) still holds \(roles) on \(other.id.platform.displayName)",
                    evidence: [.note("\(record.source?.description ?? "the Cortex export"): \(record.key) is \(status)")]
                        + c.evidence(other.grants) { "still holds \($0.role) at \($0.level.rawValue) \($0.target) (\($0.path.label))" }))
            }
        }
        return findings
    }

    /// Cortex says `Active`; anything else (Inactive, Disabled, Pending) is not.
    static func isActive(_ status: String) -> Bool { status.caseInsensitiveCompare("active") == .orderedSame }
}
