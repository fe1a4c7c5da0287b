import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

/// LP-005 compares a principal's grants pair by pair when there are a few and by class when there
/// are many (LP005RedundantGrant.pairwiseLimit): the two ways must find the same. Random grant sets
/// (a fixed sequence, so a failure repeats) are scanned as they are, and again with nine more grants in places
/// they cannot touch, which sends the principal down the other way: the findings are the same.
struct RedundantGrantPathsTests {
    static let cortexRoles = [
        "Investigator", "Responder", "Viewer", "Privileged Responder", "Security Admin", "Scoped Agent Admin",
        "Compliance Administrator", "Privileged Security Admin", "IT Admin",
    ]
    static let huntressRoles = ["Admin", "Security Engineer", "Read-only", "User", "Finance", "Provisioner", "Marketing"]

    @Test func fewAndManyGrantsAreJudgedAlike() throws {
        let catalog = try Shared.catalog.get()
        // A linear congruential sequence (Knuth's MMIX constants): the same rounds on every run.
        var state: UInt64 = 13
        func pick(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var found = 0
        for round in 0..<80 {
            let cortex = round % 2 == 0
            var small = ExampleSnapshot()
            for n in 0..<(2 + pick(6)) {
                if cortex {
                    let role = Self.cortexRoles[pick(Self.cortexRoles.count)]
                    let tenant = pick(2) == 0 ? "t1" : "t2"
                    switch pick(3) {
                    case 0: small = small.cortex("a@corp.example", role, tenant: tenant)
                    case 1: small = small.cortex("a@corp.example", role, tenant: tenant, scope: [pick(2) == 0 ? "East" : "West"])
                    default: small = small.group("G\(n)", role: role, members: ["a@corp.example"], tenant: tenant)
                    }
                } else {
                    let org = [nil, "10", "11"][pick(3)]
                    small = small.huntress("a@msp.example", Self.huntressRoles[pick(Self.huntressRoles.count)], org: org)
                }
            }
            var padded = small
            for p in 0..<9 {
                padded = cortex
                    ? padded.cortex("a@corp.example", "Investigator", tenant: "pad\(p)")
                    : padded.huntress("a@msp.example", "Read-only", org: "9\(p)", account: "8\(p)")
            }
            let few = redundant(small.snapshot, catalog), many = redundant(padded.snapshot, catalog)
            #expect(few == many, "round \(round)")
            found += few.count
        }
        // The rounds do find redundant grants (the comparison is not of two empty lists).
        #expect(found > 20)
    }

    private func redundant(_ snapshot: Snapshot, _ catalog: RoleCatalog) -> [String] {
        RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: Policy(), now: ExampleSnapshot.now).findings
            .filter { $0.ruleID == "LP-005" }
            .map { "\($0.fingerprint) \($0.message) \($0.evidence.map { "\($0)" })" }
    }
}
