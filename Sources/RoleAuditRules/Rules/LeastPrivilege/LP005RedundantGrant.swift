import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// LP-005: a grant whose capabilities another grant of the same principal already gives.
public struct LP005RedundantGrant: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-005", title: "Redundant grant", category: .leastPrivilege, defaultSeverity: .low,
        rationale: "A grant that adds nothing still has to be removed when the other one is: left behind, it keeps the access alive. Typical cases are a direct Cortex role beside a group that gives as much, and a Huntress organization-level membership under an account-level Admin or Security Engineer, the two roles the vendor says reach every organization. Advice to remove a grant must not cut real access, so the covering grant counts only what the documentation says without doubt: no capability whose passage reads two ways, and no account-level reach but line 10's.",
        seed: [
            .huntress(10, "Account-level Admins and Security Engineers can access any organizations under the account"),
            .cortex(9, "All permissions and roles are specific to the tenant"),
        ],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Remove the redundant grant so that removing the broader one removes the access.",
        triggering: [
            RuleExample("direct Investigator beside a Responder group", ExampleSnapshot()
                .cortex("a@corp.example", "Investigator").group("SOC", role: "Responder", members: ["a@corp.example"]), flags: ["a@corp.example"]),
            RuleExample("organization Read-only under account Admin", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("a@msp.example", "Read-only", org: "10"), flags: ["a@msp.example"]),
        ],
        nonTriggering: [
            RuleExample("two roles that each add something", ExampleSnapshot()
                .cortex("a@corp.example", "Compliance Administrator").group("SOC", role: "Responder", members: ["a@corp.example"])),
            RuleExample("same role in two tenants", ExampleSnapshot()
                .cortex("a@corp.example", "Investigator", tenant: "t1").cortex("a@corp.example", "Investigator", tenant: "t2")),
            RuleExample("a scoped grant does not cover an unscoped one", ExampleSnapshot()
                .cortex("a@corp.example", "Scoped Agent Admin", scope: ["East"]).group("Ops", role: "Investigator", members: ["a@corp.example"])),
            RuleExample("account Read-only reaches every organization only on the broad reading of line 10", ExampleSnapshot()
                .huntress("a@msp.example", "Read-only").huntress("a@msp.example", "Read-only", org: "10")),
            RuleExample("a Privileged Security Admin's threat intel rests on one sentence of line 33", ExampleSnapshot()
                .cortex("a@corp.example", "Privileged Security Admin").group("SOC", role: "Responder", members: ["a@corp.example"])),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        let graph = c.graph
        // Per role id (a grant's position names it, AccessGraph.roleOf): what the role gives, what
        // of it the documentation states without doubt, and a number for that pair. Worked out
        // once per role, not once per grant: a tenant of 50,000 users in nested groups has 160,000
        // grants of a few dozen roles, and hashing sets per grant was most of this rule's time.
        var ofRole: [Int32: (caps: Set<CapabilityID>, sure: Set<CapabilityID>, kind: Int)?] = [:]
        var kinds: [[Set<CapabilityID>]: Int] = [:]
        func resolved(_ role: Int32) -> (caps: Set<CapabilityID>, sure: Set<CapabilityID>, kind: Int)? {
            if let known = ofRole[role] { return known }
            let r = graph.roles[Int(role)]
            var value: (caps: Set<CapabilityID>, sure: Set<CapabilityID>, kind: Int)?
            if let caps = r.capabilities, !caps.isEmpty {
                let sure = r.documented == nil ? caps : caps.subtracting(r.ambiguous.map(\.capability))
                let kind = kinds[[caps, sure]] ?? kinds.count
                kinds[[caps, sure]] = kind
                value = (caps, sure, kind)
            }
            ofRole[role] = value
            return value
        }
        var subset: [Int: Bool] = [:]
        for (who, grants) in c.sortedPrincipals where grants.count > 1 {
            // Each grant's capabilities, and those of them the documentation states without doubt
            // (the slice's indices are the grants' positions in the graph).
            let known = grants.indices.compactMap { i in resolved(graph.roleOf[i]).map { (grants[i], $0.caps, $0.sure, $0.kind) } }
            guard known.count > 1 else { continue }
            let covering = known.count <= Self.pairwiseLimit ? Self.pairwise(known, c, &subset) : Self.byClass(known, c)
            for (gi, (g, _, _, _)) in known.enumerated() {
                guard let cover = covering[gi] else { continue }
                let by = known[cover].0
                out.append(Finding(
                    rule: Self.description, platform: who.platform, account: who.platform == .huntress ? c.account(of: g) : nil,
                    organization: g.level == .organization ? g.target : nil, tenant: who.platform == .cortexXDR ? g.target : nil,
                    principal: who.key, role: g.role,
                    message: "\(who.key): \(g.role) \(Self.where_(g)) gives nothing that \(by.role) \(Self.where_(by)) does not already give",
                    evidence: [.grant(g, "redundant"), .grant(by, "already gives every capability")]))
            }
        }
        return out
    }

    /// Up to this many grants, a principal's grants are compared pair by pair; above, by class
    /// (`byClass`). A tenant of 50,000 users in nested groups has a handful of grants per user, and
    /// the classes' dictionaries, built per user, were most of this rule's time there.
    static let pairwiseLimit = 8

    /// For each grant, the position of the first grant that covers it, if any: the same answer as
    /// `byClass`, from each pair's properties instead of classes (a class is the grants of one
    /// place that share exactly these properties, so a member qualifies exactly when its class does,
    /// and the class path's choice is its first qualifying member).
    private static func pairwise(
        _ known: [(Grant, Set<CapabilityID>, Set<CapabilityID>, Int)], _ c: RuleContext, _ subset: inout [Int: Bool]
    ) -> [Int?] {
        // What the pairs compare, as numbers read once per grant: reading a grant and its sets per
        // pair copied them (a tuple in an array is read whole), and that was most of the rule.
        // Places and scopes are numbered by equality within the principal's grants.
        struct Facts {
            let platform: Platform
            let level: Level
            let kind: Int
            let target: Int
            let scope: Int
            /// An organization-level Huntress grant's account, numbered as targets are; else -1.
            let account: Int
        }
        var targets: [String] = []
        var scopes: [Scope?] = []
        func number<T: Equatable>(_ x: T, _ list: inout [T]) -> Int {
            if let i = list.firstIndex(of: x) { return i }
            list.append(x)
            return list.count - 1
        }
        let facts = known.map { g, _, _, kind in
            let account = g.platform == .huntress && g.level == .organization ? c.account(of: g).map { number($0, &targets) } : nil
            return Facts(
                platform: g.platform, level: g.level, kind: kind, target: number(g.target, &targets),
                scope: g.platform == .cortexXDR ? number(g.scope, &scopes) : 0, account: account ?? -1)
        }
        let unscoped = scopes.firstIndex { $0 == nil } ?? -1
        var ranks = [String?](repeating: nil, count: known.count)
        func rank(_ i: Int) -> String {
            if let r = ranks[i] { return r }
            let r = Self.rank(known[i].0)
            ranks[i] = r
            return r
        }
        var reach = [Bool?](repeating: nil, count: known.count)
        func reaches(_ i: Int) -> Bool {
            if let r = reach[i] { return r }
            let r = reachesEveryOrganization(known[i].0, c)
            reach[i] = r
            return r
        }
        // Whether all that grant `a` gives, grant `b` gives without doubt: it depends on their
        // kinds alone, which are few, so each pair of kinds is worked out once.
        func covered(_ a: Int, by b: Int) -> Bool {
            let key = facts[a].kind << 32 | facts[b].kind
            if let answer = subset[key] { return answer }
            let answer = known[a].1.isSubset(of: known[b].2)
            subset[key] = answer
            return answer
        }
        return facts.indices.map { gi -> Int? in
            let g = facts[gi]
            for j in facts.indices where j != gi {
                let k = facts[j]
                let inPlace = k.platform == g.platform && (g.platform == .cortexXDR || k.level == g.level) && k.target == g.target
                guard inPlace || (g.account >= 0 && k.platform == .huntress && k.level == .account && k.target == g.account) else { continue }
                let covers =
                    k.platform == .cortexXDR
                    ? k.scope == unscoped || k.scope == g.scope
                    : k.level == g.level || (k.level == .account && g.level == .organization && reaches(j))
                guard covers else { continue }
                if k.kind == g.kind {
                    if rank(j) < rank(gi) { return j }
                } else if covered(gi, by: j) {
                    return j
                }
            }
            return nil
        }
    }

    /// For each grant, the position of the first grant that covers it, by class: a principal with
    /// Admin in 4,000 organizations is 16 million pairs but a few classes.
    private static func byClass(_ known: [(Grant, Set<CapabilityID>, Set<CapabilityID>, Int)], _ c: RuleContext) -> [Int?] {
        let places = Self.places(known, c)
        return known.enumerated().map { gi, entry in
            let (g, caps, sure, _) = entry
            // Only a grant in the same place, or an account-level one over an organization, can
            // cover another; and grants that give the same in one place are judged once, as a
            // class.
            var candidates = places[Place(g)] ?? []
            if g.platform == .huntress, g.level == .organization, let account = c.account(of: g) {
                candidates += places[Place(platform: .huntress, level: .account, target: account)] ?? []
            }
            // The first covering grant in the principal's order, as a walk over all its grants meets them.
            return candidates.compactMap { k -> Int? in
                guard k.covers(g) else { return nil }
                // The same capabilities read the same way: one of the two is redundant; keep the
                // first in a stable order.
                if k.capabilities == caps && k.undoubted == sure {
                    // A class of one holds no ranks (they are strings, built only where two
                    // grants must be told apart): usually it is the grant itself.
                    guard k.members.count == 1 else { return k.first(rankedBelow: Self.rank(g)) }
                    let only = k.members[0]
                    return only != gi && Self.rank(known[only].0) < Self.rank(g) ? only : nil
                }
                return caps.isSubset(of: k.undoubted) ? k.members[0] : nil
            }.min()
        }
    }

    /// Where a grant applies: a Cortex tenant (whatever the level), a Huntress organization or account.
    private struct Place: Hashable {
        let platform: Platform
        let level: Level
        let target: String
        init(platform: Platform, level: Level, target: String) {
            self.platform = platform
            self.level = platform == .cortexXDR ? .tenant : level
            self.target = target
        }
        init(_ g: Grant) { self.init(platform: g.platform, level: g.level, target: g.target) }
    }

    /// Grants of one place that give the same and reach as far: as a covering grant, one is as good
    /// as another but for which comes first.
    private struct Class {
        let capabilities: Set<CapabilityID>
        let undoubted: Set<CapabilityID>
        let platform: Platform
        let level: Level
        let scope: Scope?
        /// An account-level Huntress role that sees every organization of the account (line 10).
        let reachesOrganizations: Bool
        /// Positions in the principal's grants, ascending, with their ranks and the lowest rank so far.
        var members: [Int] = []
        var lowestRank: [String] = []

        /// Whether the class's grants reach everything `narrow` reaches (a grant in the same place
        /// or, for an organization, in its account): no narrower Cortex scope; an account-level
        /// Huntress role over an organization only where line 10 states it.
        func covers(_ narrow: Grant) -> Bool {
            if platform == .cortexXDR { return scope == nil || scope == narrow.scope }
            if level == narrow.level { return true }
            return level == .account && narrow.level == .organization && reachesOrganizations
        }

        /// The first member ranked below `rank` (a grant is never ranked below itself).
        func first(rankedBelow rank: String) -> Int? {
            // `lowestRank` never rises: the first position below `rank` is found by bisection.
            var (low, high) = (0, lowestRank.count)
            while low < high {
                let mid = (low + high) / 2
                if lowestRank[mid] < rank { high = mid } else { low = mid + 1 }
            }
            return low < members.count ? members[low] : nil
        }
    }

    private struct ClassKey: Hashable {
        /// What the grants give and give without doubt, numbered (equal sets, equal numbers).
        let kind: Int
        let scope: Scope?
        let level: Level
        let role: String
    }

    /// A principal's grants by place, and in each place by what they give, classes in the order of
    /// their first grant.
    private static func places(_ known: [(Grant, Set<CapabilityID>, Set<CapabilityID>, Int)], _ c: RuleContext) -> [Place: [Class]] {
        var classes: [Place: [Class]] = [:]
        var index: [Place: [ClassKey: Int]] = [:]
        for (i, (g, caps, sure, kind)) in known.enumerated() {
            let place = Place(g)
            // The role matters only where it decides the reach (an account-level Huntress grant).
            let reaches = g.platform == .huntress && g.level == .account && reachesEveryOrganization(g, c)
            let key = ClassKey(kind: kind, scope: g.platform == .cortexXDR ? g.scope : nil, level: g.level, role: reaches ? "reach" : "")
            let n: Int
            if let found = index[place]?[key] {
                n = found
            } else {
                n = classes[place]?.count ?? 0
                index[place, default: [:]][key] = n
                classes[place, default: []].append(Class(
                    capabilities: caps, undoubted: sure, platform: g.platform, level: g.level,
                    scope: g.platform == .cortexXDR ? g.scope : nil, reachesOrganizations: reaches))
            }
            classes[place]?[n].members.append(i)
        }
        // Each member's rank, and the lowest so far, for the classes of several grants only.
        for (place, list) in classes {
            for n in list.indices where list[n].members.count > 1 {
                var lowest: String?
                classes[place]?[n].lowestRank = list[n].members.map { m in
                    let rank = Self.rank(known[m].0)
                    lowest = lowest.map { min($0, rank) } ?? rank
                    return lowest ?? rank
                }
            }
        }
        return classes
    }

    /// Line 10 states that account-level Admins and Security Engineers see every organization.
    private static func reachesEveryOrganization(_ g: Grant, _ c: RuleContext) -> Bool {
        guard let reach = c.documentedRole(of: g)?.grant("organizations.view_all") else { return false }
        return reach.basis == .stated && !reach.isAmbiguous
    }

    /// Direct grants first, then by place and role: decides which of two equal grants is kept.
    static func rank(_ g: Grant) -> String {
        "\(g.path == .direct ? 0 : 1)|\(g.level.rawValue)|\(g.target)|\(g.role)|\(g.path.groupName ?? "")|\(g.provenance)"
    }

    static func where_(_ g: Grant) -> String {
        switch g.path {
        case .direct: "(\(g.level.rawValue) \(g.target))"
        case .group(let name, _): "(through group \(name) in \(g.target))"
        }
    }
}
