import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

/// Issue 11, part B, in the engine: separation of duties and waivers stay linear on the shapes that
/// made them quadratic. The assertions are about what is found; the five-minute limits only stop a
/// run that would otherwise take far longer (one minute was a timing assertion: a debug build
/// running the whole suite on two busy cores took longer than that). Speed is the benchmark's.
struct BoundedRuleWorkTests {
    let catalog: RoleCatalog
    init() throws { catalog = try Shared.catalog.get() }

    /// One person holding organization-level Admin in 4,000 organizations plus Finance: the Admin
    /// grants all give the same, so they are judged once, not pair by pair.
    @Test(.timeLimit(.minutes(5))) func separationOfDutiesOnThousandsOfGrantsOfOnePerson() async throws {
        var s = ExampleSnapshot().huntress("boss@msp.example", "Finance").snapshot
        for org in 0..<4000 {
            s.organizations.append(Organization(platform: .huntress, kind: .organization, id: "\(1000 + org)", accountID: "1"))
            s.grants.append(Grant(
                platform: .huntress, principal: "boss@msp.example", role: "Admin", level: .organization, target: "\(1000 + org)",
                provenance: Provenance(file: "m.json", collection: "memberships", index: org + 1)))
        }
        let (snapshot, catalog) = (s, catalog)
        let r = try await offPool { RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: Policy(), now: ExampleSnapshot.now) }
        let sod = r.findings.filter { $0.category == .separationOfDuties && $0.principal == "boss@msp.example" }
        // Finance (billing) against the organization Admins (security operations); the Admins hold
        // provisioning and operations both, each by design, so SOD-002 has nothing to say.
        #expect(sod.map(\.ruleID) == ["SOD-001"])
        let finding = try #require(sod.first)
        #expect(finding.evidence.count == RuleEngine.evidenceLimit)
        #expect(finding.role == "Finance + Admin")
    }

    /// Thousands of waivers over a hundred thousand findings: each waiver looks only at the
    /// findings of its rule and principal.
    @Test(.timeLimit(.minutes(5))) func thousandsOfWaiversOverAHundredThousandFindings() async throws {
        var snapshot = Snapshot()
        snapshot.organizations = [Organization(platform: .cortexXDR, kind: .tenant, id: "t1", name: "t1")]
        snapshot.principals = (0..<100_000).map { i in
            let email = String(format: "u%06d@corp.example", i)
            return Principal(platform: .cortexXDR, key: email, email: email, userType: "SSO", lastLogin: .at(ExampleSnapshot.now))
        }
        var policy = Policy()
        policy.waivers = (0..<5000).map { i in
            Policy.Waiver(
                id: "W\(i)", rule: "HYG-003", principal: String(format: "u%06d@corp.example", i * 20), reason: "leaving soon",
                owner: "it", expires: ExampleSnapshot.now.addingTimeInterval(86_400), line: i + 1)
        }
        policy.waivers.append(Policy.Waiver(
            id: "W-all", rule: "HYG-003", reason: "all of them", owner: "it", expires: ExampleSnapshot.now.addingTimeInterval(-86_400),
            line: 9999))
        let (input, rules, catalog) = (snapshot, policy, catalog)
        let r = try await offPool { RuleEngine.scan(snapshot: input, catalog: catalog, policy: rules, now: ExampleSnapshot.now) }
        #expect(r.findings.filter { $0.ruleID == "HYG-003" }.count == 100_000)
        #expect(r.findings.filter { $0.status == .waived }.count == 5000)
        #expect(r.waivers.filter { $0.state == .active }.count == 5000)
        let all = try #require(r.waivers.first { $0.id == "W-all" })
        #expect(all.state == .expired && all.findings.count == 100_000)
    }
}

/// Runs blocking work on a thread of its own: a test awaiting it does not hold one of the few
/// threads Swift Testing shares among all tests, which the tests that run servers need meanwhile.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
