import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

/// Issue 14 C: a finding about a person cites, first, the user record that decides it and the
/// deciding value; the grants follow.
struct DecidingEvidenceTests {
    let catalog: RoleCatalog
    init() throws { catalog = try Shared.catalog.get() }

    func finding(_ rule: String, _ s: ExampleSnapshot) throws -> Finding {
        let r = RuleEngine.scan(snapshot: s.snapshot, catalog: catalog, policy: Policy(), now: ExampleSnapshot.now)
        return try #require(r.findings.first { $0.ruleID == rule })
    }

    func record(of key: String, in s: ExampleSnapshot) -> Provenance? {
        s.snapshot.principals.first { $0.key == key }?.source
    }

    @Test func dormantUserCitesTheLastLoginFromTheUserRecord() throws {
        let last = ExampleSnapshot.now.addingTimeInterval(-200 * 86_400)
        let s = ExampleSnapshot().cortex("old@corp.example", "Privileged Security Admin", lastLogin: .at(last))
        let f = try finding("LP-002", s)
        let first = try #require(f.evidence.first)
        #expect(first.grant == nil)
        #expect(first.record != nil && first.record == record(of: "old@corp.example", in: s))
        #expect(first.detail.contains("last login \(last.iso8601)") && first.detail.contains("200 days"), "\(first.detail)")
        #expect(f.evidence.dropFirst().allSatisfy { $0.grant != nil })
    }

    @Test func neverUsedCitesTheUserRecordNotTheRole() throws {
        let s = ExampleSnapshot().cortex("n@corp.example", "Instance Administrator", lastLogin: .never)
        let first = try #require(try finding("LP-003", s).evidence.first)
        #expect(first.source == record(of: "n@corp.example", in: s))
        #expect(first.detail.contains("never"))
    }

    @Test func localAccountCitesTheUserType() throws {
        let s = ExampleSnapshot().cortex("local@corp.example", "Instance Administrator", userType: "CSP")
            .cortex("a@corp.example", "Viewer").cortex("b@corp.example", "Viewer")
        let first = try #require(try finding("LP-006", s).evidence.first)
        #expect(first.source == record(of: "local@corp.example", in: s))
        #expect(first.detail.contains("user_type CSP"))
    }

    @Test func userWithoutRoleCitesItsRecord() throws {
        let s = ExampleSnapshot().cortex("gone@corp.example", nil).cortex("a@corp.example", "Viewer")
        let first = try #require(try finding("HYG-003", s).evidence.first)
        #expect(first.source == record(of: "gone@corp.example", in: s))
    }

    /// Issue 14 E: containment and billing are write; Live Terminal and scripts stay privileged.
    @Test func containmentAndBillingAreNotPrivileged() {
        #expect(catalog.tier(of: "endpoint.isolate") == .write)
        #expect(catalog.tier(of: "response.actions") == .write)
        #expect(catalog.tier(of: "billing.manage") == .write)
        #expect(catalog.tier(of: "response.live_terminal") == .privileged)
        #expect(catalog.tier(of: "response.scripts") == .privileged)
    }
}
