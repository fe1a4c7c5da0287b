import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditModel
import RoleAuditRules

/// One effective grant as an access review sees it: who, what role where, through which path, what
/// the role gives and how risky that is, and where the export says so. `entitlements.csv` writes a
/// row per entitlement; the HTML report's per-principal section and access matrix read the same.
///
/// The principal's record is not part of it: writers read it in place (`Entitlements.recordIndex(ofGrant:)`), and a
/// copy per row (a retain per string the record holds) was a sixth of entitlements.csv.
struct Entitlement: Sendable {
    let grant: Grant
    /// Whether the catalog documents the role's label (false for custom or unknown roles).
    let documented: Bool
    /// What the role gives (the catalog's, or the policy's permission_map for a custom role), as
    /// capability ids, space-separated.
    let capabilityList: String
    /// The same, counted by tier (`privileged 3, write 5, read 12`): the worksheet's bounded cell.
    let capabilityTiers: String
    let tier: RiskTier?
    let account: String?
    /// The organization's or tenant's name, as the graph's place records give it.
    let placeName: String?
    /// The Huntress account's name, if an export names it.
    let accountName: String?
    /// The customer of the organization or tenant (Sources/RoleAuditGraph/Customers.swift).
    let customer: String?

    var organization: String? { grant.platform == .huntress && grant.level == .organization ? grant.target : nil }
    var tenant: String? { grant.platform == .cortexXDR ? grant.target : nil }

    var via: String { grant.path.label }

    /// `documented`, `custom` (mapped through the policy) or `unknown`.
    var roleStatus: String { documented ? "documented" : capabilitiesKnown ? "custom" : "unknown" }
    let capabilitiesKnown: Bool

    /// `organization Acme Health (7002)`, `tenant acme-prod`: the id, named where an export names it.
    var scopeLabel: String {
        let place = placeName.map { "\($0) (\(grant.target))" } ?? grant.target
        switch (grant.platform, grant.level) {
        case (.huntress, .account): return "account \(place)"
        case (.huntress, _): return "organization \(place)"
        default: return "tenant \(place)"
        }
    }
}

/// Every grant of the snapshot with what it gives, grouped by principal: the scan's access graph
/// (Sources/RoleAuditGraph/AccessGraph.swift) as entitlements.csv and report.html read it. Holds
/// the graph, not a copy of any grant: an entitlement is assembled when a writer reads it.
struct Entitlements: Sendable {
    let graph: AccessGraph
    /// Per role id: the capability ids, space-separated, as the reports print them.
    private let capabilityLists: [String]
    /// Per role id: the capabilities counted by tier, most severe first.
    private let capabilityTiers: [String]
    /// Per role id: whether the catalog documents it, its tier, whether its capabilities are
    /// known. Read per row from here: reading them from the resolved role copied its catalog entry.
    private let roleFacts: [(documented: Bool, tier: RiskTier?, known: Bool)]
    /// Principals the exports list with no role and no group that gives one: the worksheet lists
    /// them too (with an empty role), since a review must see every account, in the graph's order.
    let roleless: [Principal]

    /// Per principal id: how many open findings name the principal, and their rule ids, sorted
    /// and space-separated. Each finding is placed once (a binary search of the graph's principals)
    /// rather than every grant looking its principal up by name: a million lookups of a string key
    /// were a tenth of a large scan's reports.
    let openCount: [Int32]
    /// Per principal id: which of `ruleLists` names its open findings' rules (0: none). The lists
    /// repeat (a few dozen on a large scan): one index per principal, not a string each.
    private let ruleListOf: [Int32]
    private let ruleLists: [String]
    /// Per principal of `roleless`: the same index.
    private let rolelessListOf: [Int32]

    /// Per place id (the graph's `places`): its name, its customer, and for a Huntress place the
    /// name of the account above it as an organization (AccessGraph.accountAbovePlace), and its
    /// name as an account.
    /// Looked up once per place, not once per grant (five string-keyed lookups a row were a fifth of
    /// a million-row worksheet).
    private let placeNames: [String?], placeCustomers: [String?]
    private let accountAboveName: [String?], nameAsAccount: [String?]

    var grants: [Grant] { graph.grants }
    var count: Int { graph.grants.count }

    init(_ r: ScanResult) {
        graph = r.graph
        capabilityLists = r.graph.roles.map { $0.sortedCapabilities.map(\.rawValue).joined(separator: " ") }
        roleFacts = r.graph.roles.map { ($0.documented != nil, $0.tier, $0.isKnown) }
        let catalog = r.catalog
        capabilityTiers = r.graph.roles.map { role in
            var counts: [RiskTier: Int] = [:]
            for c in role.sortedCapabilities { if let t = catalog.tier(of: c) { counts[t, default: 0] += 1 } }
            return RiskTier.allCases.reversed().compactMap { t in counts[t].map { "\(t.rawValue) \($0)" } }.joined(separator: ", ")
        }
        let graph = r.graph
        placeNames = graph.places.map { graph.name(ofPlace: $0) }
        placeCustomers = graph.places.map { graph.customer(ofPlace: $0) }
        accountAboveName = graph.accountAbovePlace.map { $0.flatMap { graph.name(ofAccount: $0) } }
        nameAsAccount = graph.places.map { $0.platform == .huntress ? graph.name(ofAccount: $0.id) : nil }
        var held = [Bool](repeating: false, count: graph.records.count)
        for i in graph.recordOf where i >= 0 { held[Int(i)] = true }
        roleless = graph.records.indices.filter { !held[$0] }.map { graph.records[$0] }
        var lists = [""], listIndex = ["": Int32(0)]
        // The findings' principals sorted and walked beside the graph's (sorted too): a binary
        // search per finding, twenty string comparisons each, was a sixth of report.html's time on
        // 198,393 findings.
        var named: [(who: PrincipalID, rule: String, prefix: UInt64)] = []
        var ascii = true
        for f in r.findings where f.isOpen {
            guard let p = f.principal else { continue }
            let who = PrincipalID(platform: f.platform, key: p)
            let prefix = who.asciiSortPrefix
            ascii = ascii && prefix != nil
            named.append((who, f.ruleID, prefix ?? 0))
        }
        // By an integer of platform and leading key bytes while every key is ASCII, ids on ties:
        // comparing ids alone was two thirds of this init on a large scan.
        if ascii {
            named.sort { $0.prefix != $1.prefix ? $0.prefix < $1.prefix : $0.who < $1.who }
        } else {
            named.sort { $0.who < $1.who }
        }
        // Per principal of `ids` (sorted): how many of `named` are its, and which list their rules make.
        func walk(_ ids: [PrincipalID]) -> (counts: [Int32], listOf: [Int32]) {
            var counts = [Int32](repeating: 0, count: ids.count), listOf = [Int32](repeating: 0, count: ids.count)
            var id = 0, ruleIDs: Set<String> = []
            // A principal's findings are one run of `named`: its rule list is made when the run ends.
            func close(_ id: Int) {
                guard !ruleIDs.isEmpty else { return }
                let list = ruleIDs.sorted().joined(separator: " ")
                let index = listIndex[list] ?? Int32(lists.count)
                if index == lists.count {
                    lists.append(list)
                    listIndex[list] = index
                }
                listOf[id] = index
                ruleIDs = []
            }
            for (who, rule, _) in named {
                if id < ids.count, ids[id] < who {
                    close(id)
                    repeat { id += 1 } while id < ids.count && ids[id] < who
                }
                guard id < ids.count, ids[id] == who else { continue }
                counts[id] += 1
                ruleIDs.insert(rule)
            }
            if id < ids.count { close(id) }
            return (counts, listOf)
        }
        let (counts, listOf) = walk(r.graph.principals)
        // The principals without a role walked the same way (records are sorted as the graph's
        // principals are), for their rows of the worksheet.
        rolelessListOf = roleless.isEmpty ? [] : walk(roleless.map { PrincipalID(platform: $0.platform, key: $0.key) }).listOf
        openCount = counts
        ruleListOf = listOf
        ruleLists = lists
    }

    /// The rule ids of the open findings of grant `i`'s principal, sorted, space-separated.
    func openRules(ofGrant i: Int) -> String { ruleLists[Int(ruleListOf[Int(graph.principalOf[i])])] }

    /// The rule ids of the open findings of `roleless[k]`, sorted, space-separated.
    func openRules(ofRoleless k: Int) -> String { ruleLists[Int(rolelessListOf[k])] }

    /// How many open findings name grant `i`'s principal.
    func openFindings(ofGrant i: Int) -> Int { Int(openCount[Int(graph.principalOf[i])]) }

    subscript(i: Int) -> Entitlement {
        let g = graph.grants[i]
        let role = Int(graph.roleOf[i])
        let place = Int(graph.placeOf[i])
        let accountLevel = g.level == .account
        let huntress = g.platform == .huntress
        // The account a Huntress grant falls under: its own target, or its organization's account
        // (AccessGraph.account(of:)), read from the place's.
        let account = huntress ? (accountLevel ? g.target : graph.accountAbovePlace[place]) : nil
        return Entitlement(
            grant: g, documented: roleFacts[role].documented,
            capabilityList: capabilityLists[role], capabilityTiers: capabilityTiers[role], tier: roleFacts[role].tier,
            account: account, placeName: placeNames[place],
            accountName: huntress ? (accountLevel ? nameAsAccount[place] : accountAboveName[place]) : nil,
            customer: placeCustomers[place], capabilitiesKnown: roleFacts[role].known)
    }

    /// Whether grant `i` is its principal's first (grants come grouped by principal).
    func startsPrincipal(_ i: Int) -> Bool { i == 0 || graph.principalOf[i] != graph.principalOf[i - 1] }

    /// The principal of grant `i`, without assembling the entitlement.
    func principal(of i: Int) -> Principal? { graph.record(ofGrant: i) }

    /// Where in `records` the principal of grant `i` is, for a writer that reads its fields in place.
    func recordIndex(ofGrant i: Int) -> Int? {
        let r = graph.recordOf[Int(graph.principalOf[i])]
        return r >= 0 ? Int(r) : nil
    }

    /// Every principal the exports list (AccessGraph.records).
    var records: [Principal] { graph.records }

    /// The person behind grant `i` (Sources/RoleAuditGraph/People.swift): an email, or the name of
    /// the policy's identity; nil for an API key.
    func person(of i: Int) -> String? { graph.person(ofPrincipal: Int(graph.principalOf[i])) }

    /// The name an export gives a place.
    func name(of place: PlaceID) -> String? { graph.name(ofPlace: place) }

    /// The name of the place grant `i` points at (organization, tenant or account), if any export names it.
    func placeName(of i: Int) -> String? { placeNames[Int(graph.placeOf[i])] }

    /// The highest risk tier grant `i` carries.
    func tier(of i: Int) -> RiskTier? { roleFacts[Int(graph.roleOf[i])].tier }
}

extension LastLogin {
    /// `never`, the time, or nothing when unknown.
    func label(_ time: TimeText) -> String {
        switch self {
        case .unknown: ""
        case .never: "never"
        case .at(let d): time(d) ?? ""
        }
    }
}

extension ScanResult {
    /// Why a finding does not fail the gate, in one line: its waiver, or the baseline (in a diff,
    /// the state before the change) that knew it. Nil for an open finding.
    func suppression(of f: Finding) -> String? {
        switch f.status {
        case .waived:
            return waivers.first { $0.id == f.waiver }.map { "waiver \($0.id): \($0.reason) (owner \($0.owner), expires \($0.expires))" } ?? "waived"
        case .baselined:
            let source = baseline.map { changes == nil ? "in the baseline \($0.source)" : "already present before the change (\($0.source))" } ?? "baselined"
            return "known finding: \(source)"
        case .open, .new, .persisting:
            return nil
        }
    }
}

extension Finding.Evidence {
    /// One line of plain text: the detail and, for a grant, where the export says it
    /// (`holds Admin (exports/memberships.json:19 memberships[1])`).
    var withSource: String {
        var line = ""
        writeWithSource { line += $0 }
        return line
    }

    /// The same line, piece by piece: junit.xml escapes each piece as it goes (escaping is per
    /// character, so the bytes are the same) rather than building a string per piece of evidence.
    func writeWithSource(_ piece: (String) -> Void) {
        piece(detail)
        guard let p = source else { return }
        piece(" (")
        piece(p.file)
        if let line = p.line {
            piece(":")
            piece(String(line))
        }
        piece(" ")
        piece(p.record)
        piece(")")
    }
}

/// The grants a scan's worksheet names, row by row, as `certify --against` looks them up: the
/// same entitlements, with the same account, place and path columns, as entitlements.csv writes.
public enum WorksheetGrants {
    public static func of(_ r: ScanResult) -> Set<Certification.GrantKey> {
        let all = Entitlements(r)
        var keys = Set<Certification.GrantKey>()
        for i in 0..<all.count {
            let e = all[i]
            keys.insert(Certification.GrantKey(
                platform: e.grant.platform, account: e.account, organization: e.organization, tenant: e.tenant, principal: e.grant.principal,
                role: e.grant.role, level: e.grant.level, via: e.via))
        }
        for p in all.roleless { keys.insert(Certification.GrantKey(platform: p.platform, principal: p.key)) }
        return keys
    }
}
