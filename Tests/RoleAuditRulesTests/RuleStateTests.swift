import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

/// One state per rule and scan (issue 14 B): a rule that saw none of the data it needs is "not
/// evaluated" with the reason, never "passed"; one that saw part of it says which places it missed.
struct RuleStateTests {
    let catalog: RoleCatalog
    init() throws { catalog = try Shared.catalog.get() }

    func scan(_ s: ExampleSnapshot, _ policy: Policy = Policy()) -> ScanResult {
        RuleEngine.scan(snapshot: s.snapshot, catalog: catalog, policy: policy, now: ExampleSnapshot.now)
    }

    @Test func everyBuiltInRuleHasExactlyOneState() {
        let r = scan(ExampleSnapshot().huntress("a@msp.example", "Admin"))
        #expect(r.ruleStates.map(\.rule) == RuleEngine.descriptions.map(\.id))
    }

    @Test func huntressOnlyLeavesTheLastLoginRulesNotEvaluated() throws {
        let r = scan(ExampleSnapshot().huntress("a@msp.example", "Admin").huntress("b@msp.example", "Admin"))
        for id in ["LP-002", "LP-003"] {
            let s = try #require(r.state(of: id))
            #expect(s.kind == .notEvaluated)
            #expect(s.reason?.contains("last-login") == true, "\(s.label)")
            #expect(s.label.hasPrefix("not evaluated: "))
        }
        // Cortex-only rules have no Cortex export to read.
        #expect(r.state(of: "LP-009")?.kind == .notEvaluated)
        #expect(r.state(of: "LP-009")?.reason == "no Cortex XDR export in the scan")
        // A rule that needs no particular data and found nothing passed.
        #expect(r.state(of: "SOD-003")?.kind == .passed)
        #expect(r.state(of: "SOD-003")?.reason == nil)
    }

    @Test func cortexOnlyLeavesTheHuntressRulesNotEvaluated() {
        let r = scan(ExampleSnapshot().cortex("a@corp.example", "Viewer"))
        #expect(r.state(of: "HYG-001")?.kind == .notEvaluated)
        #expect(r.state(of: "HYG-001")?.reason == "no Huntress export in the scan")
        #expect(r.state(of: "LP-002")?.kind == .passed)
        #expect(r.state(of: "LP-002")?.reason == nil)
    }

    @Test func mixedExportsEvaluateTheLastLoginRulesInPartAndSayWhere() throws {
        let r = scan(ExampleSnapshot().huntress("a@msp.example", "Admin", account: "52001").cortex("v@corp.example", "Viewer", tenant: "acme"))
        let s = try #require(r.state(of: "LP-002"))
        #expect(s.kind == .passed)
        let reason = try #require(s.reason)
        #expect(reason.contains("acme") && reason.contains("Huntress account MSP 52001 (52001)"), "\(reason)")
    }

    @Test func aCortexTenantWithoutAnyLastLoginIsNotCountedAsEvaluated() throws {
        let r = scan(ExampleSnapshot().cortex("v@corp.example", "Instance Administrator", tenant: "t9", lastLogin: .unknown))
        let s = try #require(r.state(of: "LP-003"))
        #expect(s.kind == .notEvaluated, "\(s.label)")
    }

    @Test func aRuleWithAFindingFailedAndADisabledRuleSaysSo() {
        let old = ExampleSnapshot().cortex(
            "old@corp.example", "Instance Administrator", lastLogin: .at(ExampleSnapshot.now.addingTimeInterval(-400 * 86_400)))
        #expect(scan(old).state(of: "LP-002")?.kind == .failed)
        var policy = Policy()
        policy.rules["LP-002"] = Policy.RuleSetting(enabled: false)
        let s = scan(old, policy).state(of: "LP-002")
        #expect(s?.kind == .disabled)
        #expect(s?.label == "disabled: disabled by the policy")
    }

    /// States follow the gate's later steps: a rule whose only finding a baseline holds has no
    /// open finding left, as the gate's exit code says.
    @Test func statesFollowTheBaselineStep() {
        let old = ExampleSnapshot().cortex(
            "old@corp.example", "Instance Administrator", lastLogin: .at(ExampleSnapshot.now.addingTimeInterval(-400 * 86_400)))
        let first = scan(old)
        let next = Gate.baseline(Baseline(findings: first.findings, generatedAt: "x"), source: "b.json", to: first)
        #expect(first.state(of: "LP-002")?.kind == .failed)
        #expect(next.state(of: "LP-002")?.kind == .passed)
    }
}
