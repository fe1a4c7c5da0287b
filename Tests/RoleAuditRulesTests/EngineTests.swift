import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

struct EngineTests {
    let catalog: RoleCatalog
    init() throws { catalog = try Shared.catalog.get() }

    func scan(_ s: ExampleSnapshot, _ policy: Policy = Policy()) -> ScanResult {
        RuleEngine.scan(snapshot: s.snapshot, catalog: catalog, policy: policy, now: ExampleSnapshot.now)
    }

    /// Fingerprints come from rule, platform, scope, principal and role: not from where the grant
    /// sat in the file, nor from the order of records.
    @Test func fingerprintsIgnoreFilePositionAndOrder() {
        let a = ExampleSnapshot().huntress("sam@gmail.com", "User", org: "10").huntress("sam@gmail.com", "User", org: "11")
        var b = a
        b.snapshot.grants.reverse()
        for i in b.snapshot.grants.indices { b.snapshot.grants[i].provenance = Provenance(file: "other.json", collection: "memberships", index: 40 + i, line: 900 + i) }
        let fa = scan(a).findings.map(\.fingerprint).sorted()
        let fb = scan(b).findings.map(\.fingerprint).sorted()
        #expect(!fa.isEmpty && fa == fb)
    }

    @Test func policyTurnsRulesOffAndOverridesSeverity() {
        var p = Policy()
        p.rules["ISO-001"] = .init(enabled: false, severity: nil)
        p.rules["LP-008"] = .init(enabled: nil, severity: .critical)
        let s = ExampleSnapshot().huntress("sam@gmail.com", "User", org: "10").huntress("sam@gmail.com", "User", org: "11")
            .huntress("jo@msp.example", "User")
        let r = scan(s, p)
        #expect(!r.findings.contains { $0.ruleID == "ISO-001" })
        #expect(r.disabledRules == ["ISO-001"])
        #expect(r.findings.first { $0.ruleID == "LP-008" }?.severity == .critical)
    }

    @Test func waiversApplyExpireAndGoUnused() throws {
        let s = ExampleSnapshot().huntress("sam@gmail.com", "User", org: "10").huntress("sam@gmail.com", "User", org: "11")
            .huntress("jo@msp.example", "User")
        var p = Policy()
        let future = ExampleSnapshot.now.addingTimeInterval(86_400 * 30)
        let past = ExampleSnapshot.now.addingTimeInterval(-86_400)
        p.waivers = [
            .init(id: "W1", rule: "ISO-001", principal: "sam@gmail.com", reason: "r", owner: "o", expires: future, line: 1),
            .init(id: "W2", rule: "LP-008", principal: "jo@msp.example", reason: "r", owner: "o", expires: past, line: 2),
            .init(id: "W3", rule: "LP-004", principal: "nobody@x.example", reason: "r", owner: "o", expires: future, line: 3),
        ]
        let r = scan(s, p)
        #expect(r.findings.first { $0.ruleID == "ISO-001" }?.status == .waived)
        #expect(r.findings.first { $0.ruleID == "ISO-001" }?.waiver == "W1")
        #expect(r.findings.first { $0.ruleID == "LP-008" }?.status == .open)
        #expect(r.waivers.map(\.state) == [.active, .expired, .unused])
    }

    /// Organization domains come from the data when the policy has none, and findings say so.
    @Test func inferredDomainsAreSaidToBeInferred() throws {
        let s = ExampleSnapshot().huntress("ops@msp.example", "Admin").huntress("ops2@msp.example", "Admin")
            .huntress("it@acme.example", "Read-only").huntress("dr@acme.example", "User", org: "10")
        let f = try #require(scan(s).findings.first { $0.ruleID == "ISO-002" })
        #expect(f.assumptions.contains { $0.contains("acme.example is taken to belong to organization 10") })
        var p = Policy()
        p.orgDomains = ["10": ["acme.example"]]
        let stated = try #require(scan(s, p).findings.first { $0.ruleID == "ISO-002" })
        #expect(stated.assumptions.isEmpty)
    }

    /// Linear in grants: doubling the input roughly doubles the time, never squares it.
    @Test func engineScalesLinearly() {
        func build(_ n: Int) -> ExampleSnapshot {
            var s = ExampleSnapshot().huntress("ops@msp.example", "Admin")
            for i in 0..<n {
                s.snapshot.principals.append(Principal(platform: .huntress, key: "u\(i)@c\(i % 50).example", email: "u\(i)@c\(i % 50).example"))
                s.snapshot.grants.append(Grant(platform: .huntress, principal: "u\(i)@c\(i % 50).example", role: "User", level: .organization,
                    target: "\(i % 50)", provenance: Provenance(file: "x", collection: "m", index: i)))
            }
            s.snapshot.organizations += (0..<50).map { Organization(platform: .huntress, kind: .organization, id: "\($0)", accountID: "1") }
            return s
        }
        let clock = ContinuousClock()
        let small = clock.measure { _ = scan(build(1_500)) }
        let large = clock.measure { _ = scan(build(6_000)) }
        // 4x the grants: quadratic would be 16x; allow generous noise for a shared CI machine.
        #expect(large < small * 10, "1.5k: \(small), 6k: \(large)")
    }
}
