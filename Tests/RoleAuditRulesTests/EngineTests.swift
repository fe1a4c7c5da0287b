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

    /// Every rule's fingerprints on its own triggering examples, with the records re-sorted and
    /// their positions (file, list, index, line) all changed: identical. Fingerprints never hold
    /// file positions, so a re-sorted export keeps its findings and baselines.
    @Test(arguments: RuleEngine.descriptions.map(\.id))
    func fingerprintsSurviveResortedInputs(rule: String) throws {
        let d = try #require(RuleEngine.description(of: rule))
        for example in d.triggering {
            var resorted = example.snapshot
            resorted.grants.reverse()
            resorted.principals.reverse()
            resorted.groups.reverse()
            resorted.roles.reverse()
            resorted.coverage.reverse()
            func moved(_ p: Provenance, _ i: Int) -> Provenance { Provenance(file: "resorted-\(p.file)", collection: p.collection + "2", index: 1_000 + i, line: 5_000 + i) }
            for i in resorted.grants.indices { resorted.grants[i].provenance = moved(resorted.grants[i].provenance, i) }
            for i in resorted.groups.indices { resorted.groups[i].provenance = moved(resorted.groups[i].provenance, i) }
            for i in resorted.roles.indices { resorted.roles[i].provenance = moved(resorted.roles[i].provenance, i) }
            for i in resorted.coverage.indices {
                resorted.coverage[i].record = resorted.coverage[i].record.map { moved($0, i) }
                resorted.coverage[i].file = resorted.coverage[i].file.map { "resorted-" + $0 }
            }
            func prints(_ s: Snapshot) -> [String] {
                RuleEngine.scan(snapshot: s, catalog: catalog, policy: example.policy, now: ExampleSnapshot.now, roster: example.roster, certification: example.certification).findings
                    .filter { $0.ruleID == rule }.map(\.fingerprint).sorted()
            }
            let before = prints(example.snapshot)
            #expect(!before.isEmpty, "\(rule): \(example.name) found nothing")
            #expect(before == prints(resorted), "\(rule): \(example.name)")
        }
    }

    /// Every finding about a person names the principal and cites the record it comes from.
    @Test(arguments: RuleEngine.descriptions.map(\.id))
    func findingsAboutAPersonNameItAndCiteTheRecord(rule: String) throws {
        let d = try #require(RuleEngine.description(of: rule))
        for example in d.triggering {
            let findings = RuleEngine.scan(snapshot: example.snapshot, catalog: catalog, policy: example.policy, now: ExampleSnapshot.now, roster: example.roster, certification: example.certification)
                .findings.filter { $0.ruleID == rule }
            for f in findings where f.principal != nil {
                let cited = f.evidence.contains { $0.source != nil || $0.detail.hasPrefix("example") }
                #expect(cited, "\(rule): a finding about \(f.principal ?? "") cites no record")
            }
            let people = Set(example.snapshot.principals.map(\.key))
            for f in findings where f.principal == nil {
                #expect(!people.contains { f.message.hasPrefix($0 + " ") }, "\(rule): '\(f.message)' is about a person but names no principal")
            }
        }
    }

    /// A policy severity replaces the rule's default; a finding the rule rated lower keeps its
    /// rating unless the override is lower still.
    @Test func severityOverridesRespectTheRulesOwnRatings() {
        #expect(Gate.severity(.critical, default: .critical, override: .high) == .high)
        #expect(Gate.severity(.low, default: .critical, override: .high) == .low)
        #expect(Gate.severity(.medium, default: .critical, override: .info) == .info)
        #expect(Gate.severity(.info, default: .low, override: .low) == .info)
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
        #expect(!stated.assumptions.contains { $0.contains("is taken to belong") })
    }
}
