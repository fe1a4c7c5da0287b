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
        // A conflict needs two grants: most principals have one.
        for (who, grants) in context.sortedPrincipals where grants.count > 1 {
            let byScope = Dictionary(grouping: grants) { g in
                g.platform == .huntress ? context.account(of: g) ?? g.target : g.target
            }
            for scope in byScope.keys.sorted() {
                // Grants by what they give (in the order of their first grant); those giving nothing
                // on either side play no part.
                var classes: [Powers: [Grant]] = [:]
                var order: [Powers] = []
                for g in byScope[scope] ?? [] {
                    let p = Powers(left: left.powers(g, context), right: right.powers(g, context))
                    guard !p.left.isEmpty || !p.right.isEmpty else { continue }
                    if classes[p] == nil { order.append(p) }
                    classes[p, default: []].append(g)
                }
                // Two grants of one class never conflict: each holds what the other does (a class
                // giving both sides covers its twin; one giving one side is on that side only).
                // A left grant and a right grant of two classes conflict unless one class covers the other.
                var inLeft = Set<Powers>(), inRight = Set<Powers>()
                for a in order where !a.left.isEmpty {
                    for b in order where b != a && !b.right.isEmpty && !a.covers(b) && !b.covers(a) {
                        inLeft.insert(a)
                        inRight.insert(b)
                    }
                }
                guard !inLeft.isEmpty else { continue }
                func grants(_ chosen: Set<Powers>) -> [Grant] {
                    let gs = order.filter(chosen.contains).flatMap { classes[$0] ?? [] }
                    // By role; grants of one role in the order the principal's grants come (sorted).
                    return gs.enumerated().sorted { ($0.element.role, $0.offset) < ($1.element.role, $1.offset) }.map(\.element)
                }
                out.append((who, scope, grants(inLeft), grants(inRight)))
            }
        }
        return out
    }
}
