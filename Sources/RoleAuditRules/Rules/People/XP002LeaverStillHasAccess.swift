import Foundation
import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

/// XP-002: the HR roster says the person left, and the person still holds a grant.
public struct XP002LeaverStillHasAccess: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "XP-002", title: "Leaver still has access", category: .people, defaultSeverity: .critical,
        rationale: "A person who has left keeps whatever access nobody removed, and a former employee's account on a security console can stop detections, isolate hosts or read every customer's incidents. Only an HR roster (--roster) says who has left; without one this rule has nothing to read and finds nothing. A leaving date after the scan's time is a leaver still to come and is not reported yet.",
        seed: [
            .huntress(87, "Create, update, or delete account-level users or memberships"),
            .cortex(3, "users, based on their roles, are granted minimal access required to accomplish their tasks"),
        ],
        frameworks: Frameworks.people,
        remediation: "Remove every grant the evidence lists (each with the record that gives it) on the day the person leaves, and disable the Cortex user.",
        triggering: [
            RuleExample("left in October, still an Admin on Huntress and a Viewer on Cortex", ExampleSnapshot()
                .huntress("gone@corp.example", "Admin").cortex("gone@corp.example", "Viewer"),
                roster: ExampleSnapshot.roster([("Gone@corp.example", .left, "2026-10-31")]), flags: ["gone@corp.example"]),
            RuleExample("left, no date on the roster", ExampleSnapshot().huntress("gone@corp.example", "User", org: "88101"),
                roster: ExampleSnapshot.roster([("gone@corp.example", .left, nil)]), flags: ["gone@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("active on the roster", ExampleSnapshot().huntress("a@corp.example", "Admin"),
                roster: ExampleSnapshot.roster([("a@corp.example", .active, nil)])),
            RuleExample("left, and every grant removed", ExampleSnapshot().cortex("gone@corp.example", nil),
                roster: ExampleSnapshot.roster([("gone@corp.example", .left, "2026-10-31")])),
            RuleExample("leaves next month", ExampleSnapshot().huntress("soon@corp.example", "Admin"),
                roster: ExampleSnapshot.roster([("soon@corp.example", .left, "2026-12-31")])),
            RuleExample("no roster: not evaluated", ExampleSnapshot().huntress("gone@corp.example", "Admin")),
        ],
        needs: [.roster])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        guard let roster = c.roster else { return [] }
        var findings: [Finding] = []
        for entry in roster.entries where entry.status == .left {
            if let day = entry.leftOn, day > c.now { continue }
            guard let person = c.graph.people.person(ofEmail: entry.email) else { continue }
            let left = entry.leftOn.map { "left on \(String($0.iso8601.prefix(10)))" } ?? "left (the roster gives no date)"
            let row = "\(roster.source.path):\(entry.line)"
            for p in c.graph.principals(ofPerson: person) where !p.grants.isEmpty {
                let roles = Set(p.grants.map(\.role)).sorted().joined(separator: ", ")
                findings.append(Finding(
                    rule: Self.description, platform: p.id.platform, principal: p.id.key,
                    message: "\(p.id.key) \(left) (roster \(row)) and still holds \(p.grants.count) grant(s) on \(p.id.platform.displayName): \(roles)",
                    evidence: [.note("\(row): \(entry.email) \(left)")]
                        + c.evidence(p.grants) { "holds \($0.role) at \($0.level.rawValue) \($0.target) (\($0.path.label))" }))
            }
        }
        return findings
    }
}
