import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// CAT-004: a grant that relies on a capability the seed documents ambiguously.
public struct CAT004AmbiguousCapability: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-004", title: "Grant relies on an ambiguous documented capability", category: .catalog, defaultSeverity: .info,
        rationale: "Where the vendor's document contradicts itself or reads two ways (the Cortex Responder has 'no ... rule editing' and 'the ability to edit detection rules'), roleaudit assumes the broader reading, the worst case for least privilege. This finding names each contested passage a role's grants rest on, with both readings and their lines, so an auditor can check the role in the console (the README explains each passage).",
        seed: [.cortex(29, "but no Live Terminal, rule editing, or configuration access"), .cortex(29, "plus the ability to edit detection rules")],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Check the role's permissions in the console (Settings, Access Management, Roles) and record the answer in a waiver.",
        triggering: [RuleExample("two Responders: one note for the tenant", ExampleSnapshot()
            .cortex("r@corp.example", "Responder").cortex("s@corp.example", "Responder"), flags: ["tenant t1"])],
        nonTriggering: [RuleExample("an Investigator", ExampleSnapshot().cortex("i@corp.example", "Investigator"))])

    /// One finding per role and Huntress account or Cortex tenant, with everyone who holds it as
    /// evidence: an MSP with a thousand organization Admins gets one note, not a thousand. Grants are
    /// visited by position and only the ones shown are copied: a role can have half a million holders.
    public func evaluate(_ c: RuleContext) -> [Finding] {
        let ambiguousOf: (CatalogRole) -> [CapabilityGrant] = { role in
            role.grants.filter { $0.alternative != nil && (c.catalog.tier(of: $0.capability) ?? .read) > .read }
        }
        var findings: [Finding] = []
        let all = c.grantsByPrincipal
        for case let (role?, positions) in c.grantPositionsByRole({ $0.map { !ambiguousOf($0).isEmpty } ?? false }) {
            let ambiguous = ambiguousOf(role)
            var byScope: [String: Holders] = [:]
            var last = (target: "", scope: "")
            for i in positions {
                if all[i].target != last.target || last.scope.isEmpty {
                    let target = all[i].target
                    last = (target, role.platform == .huntress && role.level == .organization ? c.accountOfOrganization[target] ?? target : target)
                }
                let principal = all[i].principal
                byScope[last.scope, default: Holders()].add(i, principal, shown: RuleEngine.evidenceLimit)
            }
            let notes = Self.notes(ambiguous, c.catalog)
            let passages = Self.byPassage(ambiguous).map { "\($0.passage) (\($0.capabilities.map(\.rawValue).joined(separator: ", ")))" }
            for (scope, h) in byScope.sorted(by: { $0.key < $1.key }) {
                let shown = c.evidence(h.positions.map { all[$0] }) { "\($0.principal) holds \(role.name)" }
                findings.append(Finding(
                    rule: Self.description, platform: role.platform, account: role.platform == .huntress ? scope : nil,
                    tenant: role.platform == .cortexXDR ? scope : nil, role: role.id,
                    message: "\(h.peopleCount) principal(s) hold \(role.name) (\(role.level.rawValue)), whose grants rest on passages that read two ways: \(passages.joined(separator: "; ")); roleaudit assumes the broader reading: \(h.people.joined(separator: ", "))\(h.peopleCount > 5 ? ", ..." : "")",
                    evidence: RuleEngine.capped(notes + shown, total: notes.count + h.count),
                    assumptions: Self.byPassage(ambiguous).map { "\($0.passage): \($0.capabilities.count) capabilit\($0.capabilities.count == 1 ? "y" : "ies") assumed granted (the broader reading)" }))
            }
        }
        return findings
    }
}

extension CAT004AmbiguousCapability {
    /// A role's ambiguous capabilities grouped by the passage they rest on, in passage order.
    static func byPassage(_ grants: [CapabilityGrant]) -> [(passage: String, capabilities: [CapabilityID])] {
        Dictionary(grouping: grants) { $0.passage ?? "unrecorded" }.sorted { $0.key < $1.key }
            .map { ($0.key, $0.value.map(\.capability).sorted()) }
    }

    /// One note per passage and pair of readings: which capabilities, granted per which of the
    /// vendor's words, and what the other reading gives per which. Each passage is quoted once in
    /// the finding (`RoleCatalog.quotations(of:)`); a later note names it by its line.
    static func notes(_ grants: [CapabilityGrant], _ catalog: RoleCatalog) -> [Finding.Evidence] {
        func key(_ cs: [SeedCitation]) -> String { cs.map { "\($0) \"\($0.quote)\"" }.joined(separator: "; ") }
        let groups = Dictionary(grouping: grants) { g in
            [g.passage ?? "unrecorded", key(g.citations), g.alternative?.grant.rawValue ?? "", key(g.alternative?.citations ?? [])]
        }
        var quoted = Set<String>()
        func cite(_ cs: [SeedCitation]) -> String {
            catalog.quotations(of: cs).map { quoted.insert($0.text).inserted ? $0.description : "\($0.reference) (quoted above)" }
                .joined(separator: "; ")
        }
        return groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { k in
            let g = groups[k] ?? []
            let caps = g.map(\.capability.rawValue).sorted().joined(separator: ", ")
            let granted = cite(g.first?.citations ?? []), other = cite(g.first?.alternative?.citations ?? [])
            return .note("\(k[0]): \(caps): granted per \(granted); \(k[2]) per \(other)")
        }
    }
}

/// Holders of one role in one scope: counts of grants and people, and the first few of each. Grants
/// arrive in principal order, so a new person is one that differs from the last.
private struct Holders {
    var positions: [Int] = []
    var count = 0
    var people: [String] = []
    var peopleCount = 0
    var lastPrincipal: String?

    mutating func add(_ position: Int, _ principal: String, shown: Int) {
        count += 1
        if positions.count < shown { positions.append(position) }
        if lastPrincipal != principal {
            lastPrincipal = principal
            peopleCount += 1
            if people.count < 5 { people.append(principal) }
        }
    }
}
