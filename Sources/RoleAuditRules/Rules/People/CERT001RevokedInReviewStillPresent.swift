import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

/// CERT-001: a reviewer revoked a grant in the last access review, and the exports still hold it.
public struct CERT001RevokedInReviewStillPresent: Rule {
    public init() {}

    static func review(_ principal: String, _ role: String, organization: String) -> Certification {
        Certification(
            worksheet: .init(path: "entitlements.csv", sha256: "", rows: 1), scanDate: nil, reviewedAt: "2026-11-01T00:00:00Z",
            reviewers: ["lead@corp.example": { var t = Certification.Tally(); t.revoke = 1; return t }()],
            revocations: [.init(
                platform: .huntress, account: "1", organization: organization, tenant: nil, principal: principal, role: role, level: .organization,
                via: "direct", reviewer: "lead@corp.example", comment: "left the project", row: 1)])
    }

    public static let description = RuleDescription(
        id: "CERT-001", title: "Revoked in review, still present", category: .people, defaultSeverity: .high,
        rationale: "An access review is only worth its revocations: a grant a reviewer decided to remove that the next exports still hold is a decision nobody carried out, and the review's evidence to an auditor is false. Only with --certification (the certification.json that roleaudit certify writes from a reviewed worksheet) can it be told; without one this rule finds nothing.",
        seed: [.huntress(87, "Create, update, or delete account-level users or memberships")],
        frameworks: Frameworks.people,
        remediation: "Remove the grant (revocations.csv lists each with its place, path and reviewer), or record in the next review why it stays.",
        triggering: [
            RuleExample("revoked in November, still a member", ExampleSnapshot().huntress("a@corp.example", "Admin", org: "88101"),
                certification: review("a@corp.example", "Admin", organization: "88101"), flags: ["a@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("revoked and removed", ExampleSnapshot().huntress("b@corp.example", "Admin", org: "88101"),
                certification: review("a@corp.example", "Admin", organization: "88101")),
            RuleExample("the same person, another organization", ExampleSnapshot().huntress("a@corp.example", "Admin", org: "88102"),
                certification: review("a@corp.example", "Admin", organization: "88101")),
            RuleExample("no certification: not evaluated", ExampleSnapshot().huntress("a@corp.example", "Admin", org: "88101")),
        ],
        needs: [.certification])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        guard let review = c.certification else { return [] }
        let day = String(review.reviewed_at.prefix(10))
        return review.revocations.compactMap { r in
            guard let target = r.target else { return nil }
            let held = c.grants(of: r.principal, on: r.platform).filter { $0.role == r.role && $0.level == r.level && $0.target == target }
            guard !held.isEmpty else { return nil }
            let who = r.reviewer ?? "an unnamed reviewer"
            return Finding(
                rule: Self.description, platform: r.platform, account: r.platform == .huntress ? r.account : nil,
                organization: r.platform == .huntress && r.level == .organization ? r.organization : nil,
                tenant: r.platform == .cortexXDR ? r.tenant : nil, principal: r.principal, role: r.role,
                message: "\(r.principal) still holds \(r.role) at \(r.level.rawValue) \(target), which \(who) revoked in the review of \(day)"
                    + (r.comment.map { " (\"\($0)\")" } ?? ""),
                evidence: [.note("\(review.worksheet.path) row \(r.row): revoke by \(who), \(day)")]
                    + c.evidence(held) { "still holds \($0.role) (\($0.path.label))" })
        }
    }
}
