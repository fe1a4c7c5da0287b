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
            RuleExample("Inactive in one Cortex tenant, an Investigator in another", ExampleSnapshot()
                .cortex("gone@corp.example", "Viewer", tenant: "dev", status: "Inactive")
                .cortex("gone@corp.example", "Investigator", tenant: "prod", status: "Active"),
                flags: ["gone@corp.example"]),
            RuleExample("Inactive in one Cortex tenant, Active in another and a Huntress Admin", ExampleSnapshot()
                .cortex("gone@corp.example", nil, tenant: "dev", status: "Inactive")
                .cortex("gone@corp.example", "Viewer", tenant: "prod", status: "Active").huntress("gone@corp.example", "Admin", org: "88101"),
                flags: ["gone@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("Active on Cortex and on Huntress", ExampleSnapshot()
                .cortex("a@corp.example", "Viewer", status: "Active").huntress("a@corp.example", "Admin", org: "88101")),
            RuleExample("Inactive on Cortex, no access elsewhere", ExampleSnapshot().cortex("gone@corp.example", "Viewer", status: "Inactive")),
            RuleExample("another person with access on Huntress", ExampleSnapshot()
                .cortex("gone@corp.example", "Viewer", status: "Inactive").huntress("stays@corp.example", "Admin", org: "88101")),
            RuleExample("two addresses the policy does not join", ExampleSnapshot()
                .cortex("j.doe@corp.example", "Viewer", status: "Inactive").huntress("jane@corp.example", "User", org: "88101")),
            RuleExample("Active in two Cortex tenants", ExampleSnapshot()
                .cortex("a@corp.example", "Viewer", tenant: "dev", status: "Active").cortex("a@corp.example", "Investigator", tenant: "prod", status: "Active")),
            RuleExample("Inactive in both Cortex tenants it holds roles in", ExampleSnapshot()
                .cortex("gone@corp.example", "Viewer", tenant: "dev", status: "Inactive")
                .cortex("gone@corp.example", "Investigator", tenant: "prod", status: "Inactive")),
        ])

    /// Where a person is switched off: a Cortex user, the tenant whose record says so (nil: a
    /// record that names no tenant, which then holds wherever the user holds a grant), the status.
    struct SwitchedOff: Comparable {
        let key: String
        let tenant: String?
        let status: String
        let source: Provenance?
        static func < (a: Self, b: Self) -> Bool { (a.key, a.tenant ?? "") < (b.key, b.tenant ?? "") }
        static func == (a: Self, b: Self) -> Bool { (a.key, a.tenant) == (b.key, b.tenant) }

        var label: String { "\(status) on Cortex XDR\(tenant.map { " tenant \($0)" } ?? "") (\(key))" }
    }

    /// The tenants a Cortex user record is switched off in (Sources/RoleAuditModel/Snapshot.swift
    /// keeps each tenant's status).
    static func switchedOff(_ record: Principal) -> [SwitchedOff] {
        guard record.tenantStatuses.isEmpty else {
            return record.tenantStatuses.filter { !Principal.isActive($0.value.status) }
                .map { SwitchedOff(key: record.key, tenant: $0.key, status: $0.value.status, source: $0.value.source) }.sorted()
        }
        guard let status = record.status, !Principal.isActive(status) else { return [] }
        return [SwitchedOff(key: record.key, tenant: nil, status: status, source: record.source)]
    }

    /// Whether a grant is held where its holder is switched off (nothing is left behind there).
    static func isSwitchedOff(_ g: Grant, holder: Principal?) -> Bool {
        guard g.platform == .cortexXDR, let status = holder?.status(in: g.level == .tenant ? g.target : nil) else { return false }
        return !Principal.isActive(status)
    }

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var off: [String: [SwitchedOff]] = [:]
        for record in c.allPrincipals where record.platform == .cortexXDR {
            let here = Self.switchedOff(record)
            guard !here.isEmpty, let person = c.graph.people.person(of: record) else { continue }
            off[person, default: []] += here
        }
        var findings: [Finding] = []
        for (person, places) in off.sorted(by: { $0.key < $1.key }) {
            let places = places.sorted()
            // Every account of the person, the switched-off user itself included: Inactive in one
            // tenant, it may still hold a role in another.
            for other in c.graph.principals(ofPerson: person) {
                let live = other.grants.filter { !Self.isSwitchedOff($0, holder: other.record) }
                guard !live.isEmpty else { continue }
                let cortex = other.id.platform == .cortexXDR
                let roles = Set(live.map { cortex ? "\($0.role) in tenant \($0.target)" : $0.role }).sorted().joined(separator: ", ")
                let shown = places.prefix(3).map(\.label).joined(separator: " and ") + (places.count > 3 ? " and \(places.count - 3) more" : "")
                findings.append(Finding(
                    rule: Self.description, platform: other.id.platform, principal: other.id.key,
                    message: "\(person) is \(shown) but \(other.id.key) still holds \(roles) on \(other.id.platform.displayName)",
                    evidence: places.map { .record($0.source, "\($0.key) is \($0.status)\($0.tenant.map { " in tenant \($0)" } ?? "")") }
                        + c.evidence(live) { "still holds \($0.role) at \($0.level.rawValue) \($0.target) (\($0.path.label))" }))
            }
        }
        return findings
    }
}
