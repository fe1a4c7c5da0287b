import RoleAuditModel
import RoleAuditPolicy

/// ISO-006: a grant that points at something the export does not contain.
public struct ISO006DanglingReference: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-006", title: "Dangling reference", category: .isolation, defaultSeverity: .medium,
        rationale: "A grant to an organization, group or role the export does not contain cannot be judged: what it gives, and to whom, is unknown. It also often marks access left behind by a deleted or moved organization.",
        seed: [.cortex(8, "All users must have at least one role or belong to at least one user group")],
        frameworks: Frameworks.accountManagement,
        remediation: "Export the missing organization, group or role, or remove the reference.",
        triggering: [
            RuleExample("a user in a group that was not exported", ExampleSnapshot()
                .cortex("a@corp.example", "Viewer")
                .coverage(.undefinedGroup, "user 'a@corp.example' is in group 'Ghost', which was not exported", principal: "a@corp.example", reference: "group Ghost"),
                flags: ["a@corp.example"]),
            RuleExample("a membership in an organization the account's list lacks", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("t@c1.example", "User", org: "9")
                .coverage(.undefinedOrganization, "membership memberships[1] is in organization 9, which the exported organization list of account 1 does not contain",
                    platform: .huntress, scope: "1", principal: "t@c1.example", reference: "organization 9", role: "User", index: 1),
                flags: ["t@c1.example"]),
            RuleExample("an organization under two accounts", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").coverage(.foreignOrganization, "organization 9 belongs to account 2 but memberships place it under account 1",
                    platform: .huntress, scope: "2", reference: "organization 9"),
                flags: ["account 2"]),
        ],
        nonTriggering: [RuleExample("complete input", ExampleSnapshot().cortex("a@corp.example", "Viewer"))])

    static let kinds: Set<CoverageIssue.Kind> = [.undefinedGroup, .undefinedRole, .undefinedOrganization, .foreignOrganization]

    /// One finding per principal (where a principal's record holds the reference) and missing thing,
    /// identified by what is missing, never by where the record sat: re-sorting an export keeps it.
    /// `principal` and `role` hold who and which role: the member and the role of a membership in
    /// an organization the list lacks, the role that names a group not exported; none where the
    /// record names no role (a user in a group not exported: what the group gives is unknown). What
    /// is missing (`organization 9`, `group Ghost`) is in the message and the fingerprint.
    public func evaluate(_ c: RuleContext) -> [Finding] {
        // An organization placed under two accounts has no one record to cite: the memberships
        // that place it are the evidence. One pass over the grants, for those organizations only.
        let unplaced = Set(c.snapshot.coverage.filter { $0.kind == .foreignOrganization && $0.record == nil }.compactMap(\.reference))
        var placing: [String: [Grant]] = [:]
        var placingCount: [String: Int] = [:]
        if !unplaced.isEmpty {
            let grants = c.grantsByPrincipal
            for i in grants.indices where grants[i].platform == .huntress && grants[i].level == .organization {
                let key = "organization \(grants[i].target)"
                guard unplaced.contains(key) else { continue }
                placingCount[key, default: 0] += 1
                if placing[key, default: []].count < RuleEngine.evidenceLimit { placing[key, default: []].append(grants[i]) }
            }
        }
        return c.snapshot.coverage.compactMap { issue in
            guard Self.kinds.contains(issue.kind), let platform = issue.platform else { return nil }
            var evidence: [Finding.Evidence] =
                [issue.record != nil ? .record(issue.record, issue.detail) : .note(issue.file.map { "\($0): \(issue.detail)" } ?? issue.detail)]
            if issue.record == nil, let reference = issue.reference, let gs = placing[reference] {
                evidence += RuleEngine.capped(gs.map { .grant($0, "membership in \(reference)") }, total: placingCount[reference] ?? gs.count)
            }
            return Finding(
                rule: Self.description, platform: platform, account: platform == .huntress ? issue.scope : nil,
                tenant: platform == .cortexXDR ? issue.scope : nil, principal: issue.principal, role: issue.role, subject: issue.reference ?? issue.detail,
                message: issue.detail, evidence: evidence)
        }
    }
}
