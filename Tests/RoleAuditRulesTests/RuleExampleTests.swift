import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules
import Testing

enum Shared {
    static let catalog = Result { try RoleCatalog.bundled() }
}

/// Every rule's own examples: each triggering example makes exactly the named findings appear,
/// each non-triggering example gives the rule nothing to say.
struct RuleExampleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let example: RuleExample
        let triggers: Bool
        var testDescription: String { "\(rule): \(example.name)" }
    }

    static let cases: [Case] = RuleEngine.builtIn.flatMap { rule in
        let d = rule.description
        return d.triggering.map { Case(rule: d.id, example: $0, triggers: true) }
            + d.nonTriggering.map { Case(rule: d.id, example: $0, triggers: false) }
    }

    @Test(arguments: cases)
    func example(_ c: Case) throws {
        let catalog = try Shared.catalog.get()
        let result = RuleEngine.scan(snapshot: c.example.snapshot, catalog: catalog, policy: c.example.policy, now: ExampleSnapshot.now, roster: c.example.roster, certification: c.example.certification)
        let found = result.findings.filter { $0.ruleID == c.rule }
        let location = SourceLocation(fileID: "RoleAuditRules/\(URL(fileURLWithPath: c.example.file).lastPathComponent)", filePath: c.example.file, line: c.example.line, column: 1)
        if c.triggers {
            let named = Set(found.map { $0.principal ?? $0.scope })
            #expect(named == Set(c.example.flags), "\(c.rule) named \(named.sorted())", sourceLocation: location)
        } else {
            #expect(found.isEmpty, "\(c.rule) fired: \(found.map(\.message))", sourceLocation: location)
        }
    }

    @Test func everyRuleHasTriggeringAndNonTriggeringExamples() {
        for rule in RuleEngine.builtIn {
            let d = rule.description
            #expect(!d.triggering.isEmpty && !d.nonTriggering.isEmpty, "\(d.id)")
            #expect(d.triggering.allSatisfy { !$0.flags.isEmpty }, "\(d.id): a triggering example must say what it flags")
        }
    }
}

/// The rule set is PRODUCT.md's, id for id, and each rule is fully described.
struct RuleCatalogTests {
    @Test func idsAreExactlyTheProductsStableIDs() {
        let ids = RuleEngine.descriptions.map(\.id)
        let expected = (1...9).map { "LP-00\($0)" } + (1...4).map { "SOD-00\($0)" } + (1...7).map { "ISO-00\($0)" }
            + (1...4).map { "CAT-00\($0)" } + (1...3).map { "HYG-00\($0)" } + ["ESC-001", "ESC-002"]
            + ["XP-001", "XP-002", "XP-003", "CERT-001"]
        #expect(ids == expected)
    }

    @Test func everyRuleIsDescribedAndCitesFrameworks() {
        for d in RuleEngine.descriptions {
            #expect(!d.title.isEmpty && d.rationale.count > 40 && d.remediation.count > 20, "\(d.id)")
            #expect(!d.frameworks.isEmpty && !d.seed.isEmpty, "\(d.id)")
        }
    }

    /// Each rule's seed passage stands, word for word, on the line it cites.
    @Test func seedPassagesQuoteTheirLines() throws {
        let catalog = try Shared.catalog.get()
        for d in RuleEngine.descriptions {
            for ref in d.seed {
                let line = try #require(catalog.seed(ref.document)?.line(ref.line), "\(d.id): \(ref.document):\(ref.line)")
                #expect(line.contains(ref.quote), "\(d.id): \(ref.document):\(ref.line) does not say \"\(ref.quote)\"")
            }
        }
    }
}
