import Foundation
import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

/// `Gate.customers`: each customer's part of a scan, and nothing of any other customer's.
@Suite struct CustomerViewTests {
    let catalog: RoleCatalog
    init() throws { catalog = try Shared.catalog.get() }

    static func org(_ id: String, _ name: String) -> Organization {
        Organization(platform: .huntress, kind: .organization, id: id, name: name, accountID: "A1")
    }

    static func grant(_ who: String, _ role: String, _ level: Level, _ target: String, _ platform: Platform = .huntress) -> Grant {
        Grant(platform: platform, principal: who, role: role, level: level, target: target, provenance: Provenance(file: "x.json", collection: "memberships"))
    }

    /// An MSP with staff everywhere, a freelancer in two customers, and a customer whose
    /// organization and tenant share its name.
    func scan(_ policy: Policy = Policy()) -> ScanResult {
        let snapshot = Snapshot(
            accounts: [Account(platform: .huntress, id: "A1", name: "The MSP")],
            organizations: [
                Self.org("O1", "Alpha Co"), Self.org("O2", "Beta Co"), Self.org("O3", "Gamma Co"),
                Organization(platform: .cortexXDR, kind: .tenant, id: "alpha-xdr", name: "alpha-xdr", customer: "Alpha Co"),
            ],
            grants: [
                Self.grant("staff@msp.example", "Admin", .account, "A1"),
                Self.grant("free@lance.example", "User", .organization, "O1"),
                Self.grant("free@lance.example", "User", .organization, "O2"),
                Self.grant("boss@beta.example", "Admin", .organization, "O2"),
                Self.grant("ann@alpha.example", "Instance Administrator", .tenant, "alpha-xdr", .cortexXDR),
            ])
        return RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: policy, now: ExampleSnapshot.now)
    }

    @Test func aCustomerIsItsOrganizationsAndTenantsByName() {
        let result = scan()
        #expect(result.graph.customer(ofPlace: PlaceID(platform: .huntress, id: "O1")) == "Alpha Co")
        #expect(result.graph.customer(ofPlace: PlaceID(platform: .cortexXDR, id: "alpha-xdr")) == "Alpha Co")
        #expect(result.graph.customer(ofPlace: PlaceID(platform: .huntress, id: "A1")) == nil)
        let views = Gate.customers(result)
        #expect(views.map(\.customer.name) == ["Alpha Co", "Beta Co", "Gamma Co"])
        #expect(views[0].customer.organizations == ["O1"] && views[0].customer.tenants == ["alpha-xdr"])
    }

    @Test func policyDomainsSharedByOrganizationsMakeOneCustomer() {
        var policy = Policy()
        policy.orgDomains = ["O1": ["alpha.example"], "O3": ["alpha.example"]]
        let views = Gate.customers(scan(policy))
        #expect(views.map(\.customer.name) == ["Alpha Co", "Beta Co"])
        #expect(views[0].customer.organizations == ["O1", "O3"])
    }

    @Test func viewsHoldOnlyTheirGrantsPeopleAndFindings() {
        let views = Gate.customers(scan())
        func people(_ v: CustomerView) -> Set<String> { Set(v.result.snapshot.grants.map(\.principal)) }
        #expect(people(views[0]) == ["staff@msp.example", "free@lance.example", "ann@alpha.example"])
        #expect(people(views[1]) == ["staff@msp.example", "free@lance.example", "boss@beta.example"])
        #expect(people(views[2]) == ["staff@msp.example"])
        for v in views {
            let others = views.filter { $0.customer != v.customer }
            let text = v.result.findings.map { ([$0.message] + $0.evidence.map(\.detail) + $0.assumptions).joined(separator: " ") }.joined(separator: "\n")
            for o in others {
                #expect(!text.contains(o.customer.name), "\(v.customer.name): \(text)")
                for id in o.customer.organizations + o.customer.tenants { #expect(!text.contains(id), "\(v.customer.name): \(text)") }
            }
            #expect(v.result.snapshot.grants.allSatisfy { CustomerMap.reaches($0, v.customer) })
        }
        // The freelancer's finding is in both customers' views, worded for each.
        let alpha = views[0].result.findings.first { $0.ruleID == "ISO-001" }
        #expect(alpha?.message.contains("this and other organizations") == true, "\(alpha?.message ?? "none")")
        #expect(views[1].result.findings.contains { $0.ruleID == "ISO-001" })
        #expect(!views[2].result.findings.contains { $0.ruleID == "ISO-001" })
    }

    @Test func rewriterReplacesWholeNamesEmailsInsideWordsAndPhrases() {
        let r = TextRewriter(["88101": "X", "a@b.example": "u-1@b.example", "Acme Dental": "org-1"])
        #expect(r("in 88101, 881012 and 88101.") == "in X, 881012 and X.")
        #expect(r("scope_user_a@b.example.json") == "scope_user_u-1@b.example.json")
        #expect(r("Acme Dental Group and Acme Dental") == "org-1 Group and org-1")
    }
}
