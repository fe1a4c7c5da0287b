import RoleAuditModel

/// Separation of duties: one principal holds, through *different* grants, something of each side.
/// A single role that holds both by design is the least-privilege rules' business: a pair of grants
/// is no conflict when one of them holds both sides and the other adds nothing on either side
/// (Admin + Finance), and is one when the second grant brings side powers the first lacks
/// (Provisioner, which manages exclusions itself, + Security Engineer, which isolates endpoints).
struct ConflictCheck {
    struct Side {
        var capabilities: Set<CapabilityID>
        var roles: Set<String>

        init(capabilities: Set<CapabilityID> = [], roles: Set<String> = []) {
            self.capabilities = capabilities
            self.roles = Set(roles.map { $0.lowercased() })
        }

        /// What the grant gives on this side: its capabilities among the side's, and the role if named.
        func powers(_ g: Grant, _ context: RuleContext) -> Set<String> {
            var out = Set((context.capabilities(of: g) ?? []).intersection(capabilities).map(\.rawValue))
            if roles.contains(g.role.lowercased()) { out.insert("role:" + g.role.lowercased()) }
            return out
        }
    }

    let left: Side
    let right: Side

    /// What a grant gives on each side. Grants that give the same are interchangeable here, so a
    /// principal's grants are judged by these, not pair by pair: one person holding a role in
    /// thousands of organizations is a handful of comparisons, not millions.
    private struct Powers: Hashable {
        let left: Set<String>
        let right: Set<String>

        /// `self` holds both sides and `other` gives nothing on either side that `self` does not.
        func covers(_ other: Powers) -> Bool {
            !left.isEmpty && !right.isEmpty && other.left.isSubset(of: left) && other.right.isSubset(of: right)
        }
    }

    /// (principal, scope, left grants, right grants) for every conflict, per Huntress account or Cortex tenant.
    func run(_ context: RuleContext) -> [(RuleContext.PrincipalKey, String, [Grant], [Grant])] {
        var out: [(RuleContext.PrincipalKey, String, [Grant], [Grant])] = []
        let graph = context.graph
        // What a grant gives on each side depends on its role label and capabilities only, so it is
        // worked out once per role id (AccessGraph.roleOf) and numbered; grants are read by
        // position. Per grant, hashing two sets of strings was most of a nested-group tenant's scan.
        var powersOfRole: [Int32: Int] = [:]
        var numbers: [Powers: Int] = [:]
        var powers: [Powers] = []
        func power(_ i: Int) -> Int {
            if let known = powersOfRole[graph.roleOf[i]] { return known }
            let p = Powers(left: left.powers(graph.grants[i], context), right: right.powers(graph.grants[i], context))
            let n = numbers[p] ?? powers.count
            if n == powers.count {
                numbers[p] = n
                powers.append(p)
            }
            powersOfRole[graph.roleOf[i]] = n
            return n
        }
        // A conflict needs two grants: most principals have one.
        for (who, grants) in context.sortedPrincipals where grants.count > 1 {
            var byScope: [String: [Int]] = [:]
            for i in grants.indices {
                let scope = grants[i].platform != .huntress ? grants[i].target
                    : grants[i].level == .account ? grants[i].target : graph.accountOfOrganization[grants[i].target] ?? grants[i].target
                byScope[scope, default: []].append(i)
            }
            for scope in byScope.keys.sorted() {
                // Grants by what they give (in the order of their first grant); those giving nothing
                // on either side play no part.
                var classes: [Int: [Int]] = [:]
                var order: [Int] = []
                for i in byScope[scope] ?? [] {
                    let n = power(i)
                    guard !powers[n].left.isEmpty || !powers[n].right.isEmpty else { continue }
                    if classes[n] == nil { order.append(n) }
                    classes[n, default: []].append(i)
                }
                // Two grants of one class never conflict: each holds what the other does (a class
                // giving both sides covers its twin; one giving one side is on that side only).
                // A left grant and a right grant of two classes conflict unless one class covers the other.
                var inLeft = Set<Int>(), inRight = Set<Int>()
                for a in order where !powers[a].left.isEmpty {
                    for b in order where b != a && !powers[b].right.isEmpty && !powers[a].covers(powers[b]) && !powers[b].covers(powers[a]) {
                        inLeft.insert(a)
                        inRight.insert(b)
                    }
                }
                guard !inLeft.isEmpty else { continue }
                func grants(_ chosen: Set<Int>) -> [Grant] {
                    let gs = order.filter(chosen.contains).flatMap { classes[$0] ?? [] }.map { graph.grants[$0] }
                    // By role; grants of one role in the order the principal's grants come (sorted).
                    return gs.enumerated().sorted { ($0.element.role, $0.offset) < ($1.element.role, $1.offset) }.map(\.element)
                }
                out.append((who, scope, grants(inLeft), grants(inRight)))
            }
        }
        return out
    }
}
