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

        func matches(_ g: Grant, _ context: RuleContext) -> Bool { !powers(g, context).isEmpty }

        /// What the grant gives on this side: its capabilities among the side's, and the role if named.
        func powers(_ g: Grant, _ context: RuleContext) -> Set<String> {
            var out = Set((context.capabilities(of: g) ?? []).intersection(capabilities).map(\.rawValue))
            if roles.contains(g.role.lowercased()) { out.insert("role:" + g.role.lowercased()) }
            return out
        }
    }

    /// `a` holds both sides and `b` gives nothing on either side that `a` does not.
    private func covers(_ a: Grant, _ b: Grant, _ c: RuleContext) -> Bool {
        let aLeft = left.powers(a, c), aRight = right.powers(a, c)
        guard !aLeft.isEmpty, !aRight.isEmpty else { return false }
        return left.powers(b, c).isSubset(of: aLeft) && right.powers(b, c).isSubset(of: aRight)
    }

    let left: Side
    let right: Side

    /// (principal, scope, left grants, right grants) for every conflict, per Huntress account or Cortex tenant.
    func run(_ context: RuleContext) -> [(RuleContext.PrincipalKey, String, [Grant], [Grant])] {
        var out: [(RuleContext.PrincipalKey, String, [Grant], [Grant])] = []
        // A conflict needs two grants: most principals have one.
        for (who, grants) in context.sortedPrincipals where grants.count > 1 {
            let byScope = Dictionary(grouping: grants) { g in
                g.platform == .huntress ? context.account(of: g) ?? g.target : g.target
            }
            for scope in byScope.keys.sorted() {
                let gs = byScope[scope] ?? []
                let l = gs.filter { left.matches($0, context) }
                let r = gs.filter { right.matches($0, context) }
                guard !l.isEmpty, !r.isEmpty else { continue }
                let pairs = l.flatMap { a in r.compactMap { b in a == b || covers(a, b, context) || covers(b, a, context) ? nil : (a, b) } }
                guard !pairs.isEmpty else { continue }
                out.append((who, scope, Array(Set(pairs.map(\.0))).sorted { $0.role < $1.role }, Array(Set(pairs.map(\.1))).sorted { $0.role < $1.role }))
            }
        }
        return out
    }
}
