import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

/// What issue 12 asks of the isolation and escalation rules beyond their examples.
struct IsolationTests {
    let catalog: RoleCatalog
    init() throws { catalog = try Shared.catalog.get() }

    func scan(_ s: ExampleSnapshot, _ policy: Policy = Policy()) -> [Finding] {
        RuleEngine.scan(snapshot: s.snapshot, catalog: catalog, policy: policy, now: ExampleSnapshot.now).findings
    }

    /// ISO-002 rates a customer's account-level member by what the role reaches (H:10, 76, 112, 117).
    @Test(arguments: [
        ("Admin", Severity.critical, "sees every other customer's organization"),
        ("Security Engineer", .critical, "sees every other customer's organization"),
        ("Provisioner", .critical, "any organization-level role in every organization"),
        ("User", .high, "may see every other customer's organization"),
        ("Read-only", .high, "may see every other customer's organization"),
        ("Finance", .medium, "billing"),
        ("Marketing", .low, "reaches no customer's data"),
        ("Admin-Read-only", .high, "no vendor document describes"),
    ])
    func customerUserAtAccountLevelIsRatedByReach(role: String, severity: Severity, says: String) throws {
        let s = ExampleSnapshot().huntress("ops@msp.example", "Admin").huntress("x@acme.example", role)
            .huntress("dr@acme.example", "User", org: "10").huntress("nurse@acme.example", "User", org: "10")
        let f = try #require(scan(s).first { $0.ruleID == "ISO-002" && $0.principal == "x@acme.example" })
        #expect(f.severity == severity && f.message.contains(says), "\(f.severity): \(f.message)")
        #expect(f.assumptions.contains { $0.contains("H-ORGANIZATION-REACH") } == (severity == .high && role != "Admin-Read-only"))
    }

    /// A policy that raises or lowers ISO-002 moves the default (critical) findings, never a lower one up.
    @Test func severityOverrideKeepsTheLowerRatings() throws {
        var p = Policy()
        p.mspDomains = ["msp.example"]
        p.rules["ISO-002"] = .init(severity: .high)
        let s = ExampleSnapshot().huntress("ops@msp.example", "Admin").huntress("a@acme.example", "Admin").huntress("m@acme.example", "Marketing")
            .huntress("dr@acme.example", "User", org: "10").huntress("nurse@acme.example", "User", org: "10")
        let found = Dictionary(uniqueKeysWithValues: scan(s, p).filter { $0.ruleID == "ISO-002" }.map { ($0.principal ?? "", $0.severity) })
        #expect(found == ["a@acme.example": .high, "m@acme.example": .low])
    }

    /// A domain the policy lists for two organizations belongs to both (a customer with two
    /// organizations): a member of either is at home, and the result never depends on order.
    @Test func aDomainListedForTwoOrganizationsBelongsToBoth() throws {
        var p = Policy()
        p.orgDomains = ["10": ["acme.example"], "11": ["acme.example"], "12": ["birch.example"]]
        let s = ExampleSnapshot().huntress("ops@msp.example", "Admin")
            .huntress("a@acme.example", "User", org: "10").huntress("b@acme.example", "User", org: "11")
            .huntress("c@acme.example", "User", org: "12").huntress("it@acme.example", "Read-only")
        let findings = scan(s, p)
        #expect(findings.filter { $0.ruleID == "ISO-003" }.map(\.principal) == ["c@acme.example"])
        #expect(findings.first { $0.ruleID == "ISO-003" }?.message.contains("belongs to organization 10, 11") == true)
        #expect(findings.first { $0.ruleID == "ISO-002" }?.message.contains("organization 10, 11") == true)
    }

    /// ESC-002 says which reading of H:146 it rests on, and rates itself by it.
    @Test func escalationInsideAnOrganizationStatesItsReading() throws {
        let s = ExampleSnapshot().huntress("ops@msp.example", "Admin").huntress("sec@c1.example", "Security Engineer", org: "10")
        let f = try #require(scan(s).first { $0.ruleID == "ESC-002" })
        #expect(f.severity == .medium && f.organization == "10" && f.role == "Security Engineer")
        #expect(f.assumptions.contains { $0.contains("passage H-ORG-ROLES") })
        #expect(f.message.contains("itdr.rules.manage"))
    }

    /// ESC-001: escalation means reaching more than one holds (a Provisioner who is also the
    /// account Admin gains nothing).
    @Test func provisionerWhoIsAlsoAdminDoesNotEscalate() {
        let s = ExampleSnapshot().huntress("a@msp.example", "Admin").huntress("a@msp.example", "Provisioner").huntress("x@c1.example", "User", org: "10")
        #expect(!scan(s).contains { $0.ruleID == "ESC-001" })
    }
}

/// ISO-006's finding holds in `principal` and `role` what they name (issue 14 C): the member and
/// the role of the membership that names the missing organization, never the reference; a user in
/// two groups that were not exported gets two findings with fingerprints of their own.
struct DanglingReferenceFieldTests {
    func iso006(_ s: ExampleSnapshot) throws -> [Finding] {
        RuleEngine.scan(snapshot: s.snapshot, catalog: try Shared.catalog.get(), policy: Policy(), now: ExampleSnapshot.now)
            .findings.filter { $0.ruleID == "ISO-006" }
    }

    @Test func membershipInAnUnlistedOrganizationNamesMemberAndRole() throws {
        let s = ExampleSnapshot().huntress("a@msp.example", "Admin").huntress("t@c1.example", "Security Engineer", org: "9")
            .coverage(.undefinedOrganization, "membership memberships[1] is in organization 9, which the exported organization list of account 1 does not contain",
                platform: .huntress, scope: "1", principal: "t@c1.example", reference: "organization 9", role: "Security Engineer", index: 1)
        let f = try #require(try iso006(s).first)
        #expect(f.principal == "t@c1.example" && f.role == "Security Engineer" && f.account == "1", "\(f)")
        #expect(f.message.contains("organization 9"))
    }

    @Test func userInTwoMissingGroupsHasNoRoleAndTwoFingerprints() throws {
        let s = ExampleSnapshot().cortex("a@corp.example", "Viewer")
            .coverage(.undefinedGroup, "user 'a@corp.example' is in group 'Ghost', which was not exported", principal: "a@corp.example", reference: "group Ghost")
            .coverage(.undefinedGroup, "user 'a@corp.example' is in group 'Shade', which was not exported", principal: "a@corp.example", reference: "group Shade")
        let found = try iso006(s)
        #expect(found.count == 2 && found.allSatisfy { $0.principal == "a@corp.example" && $0.role == nil }, "\(found.map { ($0.principal, $0.role) })")
        #expect(Set(found.map(\.fingerprint)).count == 2)
    }

    /// The subject joins the fingerprint only where a finding has one: every other finding keeps
    /// the fingerprint it had before (ESC-002's on the samples, as reports/findings.json holds it),
    /// so baselines and waivers made before still match.
    @Test func findingsWithoutSubjectKeepTheirFingerprint() {
        let d = ESC002EscalationInsideOrganization.description
        let plain = Finding(rule: d, platform: .huntress, account: "41207", organization: "88103", principal: "secops@cedarvalleycu.org", role: "Security Engineer", message: "m")
        let withSubject = Finding(rule: d, platform: .huntress, account: "41207", organization: "88103", principal: "secops@cedarvalleycu.org", role: "Security Engineer", subject: "organization 9", message: "m")
        #expect(plain.fingerprint == "b70eea5eb2cbdfb733af" && withSubject.fingerprint != plain.fingerprint)
    }
}

/// HYG-002's finding holds the role the empty group gives in `role` and the group as its subject;
/// a group that was not exported has no known role, and never its message in `role`.
struct OrphanGroupFieldTests {
    func hyg002(_ s: ExampleSnapshot) throws -> [Finding] {
        RuleEngine.scan(snapshot: s.snapshot, catalog: try Shared.catalog.get(), policy: Policy(), now: ExampleSnapshot.now)
            .findings.filter { $0.ruleID == "HYG-002" }
    }

    @Test func emptyGroupGivesItsRoleAndIsTheSubject() throws {
        let f = try #require(try hyg002(ExampleSnapshot().group("Break Glass", role: "Instance Administrator", members: [])).first)
        #expect(f.role == "Instance Administrator" && f.subject == "group Break Glass" && f.tenant == "t1", "\(f)")
    }

    @Test func undefinedGroupHasNoRole() throws {
        let s = ExampleSnapshot().cortex("a@corp.example", "Viewer")
            .coverage(.undefinedGroup, "user 'a@corp.example' is in group 'Ghost', which was not exported", principal: "a@corp.example", reference: "group Ghost")
        let found = try hyg002(s)
        #expect(found.count == 1 && found.allSatisfy { $0.role == nil && $0.subject == "group Ghost" }, "\(found.map { ($0.role, $0.subject) })")
    }
}
