import RoleAuditModel

/// Effective access through Cortex user groups: a member of a group gets the roles of the group
/// and of every group it is nested in (a parent lists it under `nested_groups`), directly or
/// further up.
///
/// Each group is resolved once: the roles it gives, each through its nearest giver, are computed
/// from those of its parents, parents first (the groups in order of their strongly connected
/// components, so that a cycle of nested groups is one component, walked once and reported).
/// Time and memory stay proportional to the groups, nestings and roles, whatever their shape
/// (a cycle of 2,000 groups, a chain of 8,000): the old walk, one per member group and path,
/// grew with the square or worse and ran out of memory.
struct GroupResolution {
    struct Group {
        let name: String
        let tenant: String
        let file: String
        /// Role ids (indexes into `roleNames`), sorted.
        let roles: [Int32]
        /// Groups that list this one under `nested_groups`, sorted.
        let parents: [Int32]
        /// Members, lower-cased, with the record that says so.
        let members: [String: Provenance]
    }

    /// One grant through groups: the nearest group giving `role`, and how many other groups the
    /// user is in that give it too.
    struct Result {
        let user: String
        let tenant: String
        let role: String
        let giver: String
        let chain: [String]
        let provenance: Provenance
        let otherGroups: Int
    }

    let groups: [Group]
    /// Sorted (and so without repeats): a role id's order is its name's, and roles are sorted by id.
    let roleNames: [String]

    /// The groups from the member's group to the giving one. A chain longer than `limit` keeps
    /// its first `keepHead` and last `keepTail` groups and counts the rest.
    struct Chain {
        static let limit = 16, keepHead = 8, keepTail = 7
        private var head: [Int32]
        private var tail: [Int32]
        private(set) var length: Int

        init(_ path: [Int32]) {
            length = path.count
            if path.count <= Chain.limit {
                (head, tail) = (path, [])
            } else {
                (head, tail) = (Array(path.prefix(Chain.keepHead)), Array(path.suffix(Chain.keepTail)))
            }
        }

        private init(head: [Int32], tail: [Int32], length: Int) {
            (self.head, self.tail, self.length) = (head, tail, length)
        }

        private var elided: Bool { length > Chain.limit }
        private func first(_ k: Int) -> ArraySlice<Int32> { head.prefix(k) }
        private func last(_ k: Int) -> ArraySlice<Int32> { elided ? tail.suffix(k) : head.suffix(k) }

        static func + (a: Chain, b: Chain) -> Chain {
            let length = a.length + b.length
            guard length > limit else { return Chain(head: a.head + b.head, tail: [], length: length) }
            let fromA = min(keepHead, a.length)
            let fromB = min(keepTail, b.length)
            return Chain(
                head: Array(a.first(fromA) + b.first(keepHead - fromA)), tail: Array(a.last(keepTail - fromB) + b.last(fromB)),
                length: length)
        }

        func names(_ groups: [Group]) -> [String] {
            let name = { (g: Int32) in groups[Int(g)].name }
            guard elided else { return head.map(name) }
            return head.map(name) + ["… \(length - Chain.keepHead - Chain.keepTail) more groups …"] + tail.map(name)
        }
    }

    /// The nearest way to a role from one group.
    struct Reach {
        let distance: Int
        let chain: Chain
        let giver: Int32
    }

    /// Every member's grants through groups, and the cycles of nested groups.
    func resolve() -> (grants: [Result], cycles: [[Int32]]) {
        let (components, cycles) = components()
        var component = [Int32](repeating: 0, count: groups.count)
        for (i, c) in components.enumerated() { for g in c { component[Int(g)] = Int32(i) } }
        // How many groups still need a group's roles: its children in other components. Freed at
        // zero, so that a long chain holds a few maps at a time, not one per group.
        var pending = [Int](repeating: 0, count: groups.count)
        for (g, group) in groups.enumerated() {
            for p in group.parents where component[Int(p)] != component[g] { pending[Int(p)] += 1 }
        }
        var reach = [[Int32: Reach]?](repeating: nil, count: groups.count)
        let walk = Walk(groups.count)
        var best: [TenantName: [Int32: (reach: Reach, provenance: Provenance, others: Int)]] = [:]  // by tenant and user
        best.reserveCapacity(groups.reduce(0) { $0 + $1.members.count })
        // Parents' components come first in Tarjan's order (its edges go from child to parent).
        for c in components {
            if c.count == 1, let g = c.first, !groups[Int(g)].parents.contains(g) {
                reach[Int(g)] = single(Int(g), reach)
            } else {
                for g in c { reach[Int(g)] = within(Int(g), component, reach, walk) }
            }
            for g in c {
                let group = groups[Int(g)]
                guard !group.members.isEmpty, let roles = reach[Int(g)] else { continue }
                for (user, provenance) in group.members {
                    // Changed in place through the defaulted subscript: one hash of the user, where
                    // taking the map out, removing it and putting it back made three.
                    take(roles, provenance, into: &best[TenantName(tenant: group.tenant, name: user), default: [:]])
                }
            }
            for g in c {
                for p in groups[Int(g)].parents where component[Int(p)] != component[Int(g)] {
                    pending[Int(p)] -= 1
                    if pending[Int(p)] == 0 { reach[Int(p)] = nil }
                }
            }
        }
        var out: [Result] = []
        for who in best.keys.sorted() {
            guard let roles = best[who] else { continue }
            for (role, b) in roles.sorted(by: { $0.key < $1.key }) {
                out.append(Result(
                    user: who.name, tenant: who.tenant, role: roleNames[Int(role)],
                    giver: groups[Int(b.reach.giver)].name, chain: b.reach.chain.names(groups), provenance: b.provenance,
                    otherGroups: b.others))
            }
        }
        return (out, cycles)
    }

    /// A user's nearest way to each role, given what one more group of theirs reaches.
    private func take(_ roles: [Int32: Reach], _ provenance: Provenance, into mine: inout [Int32: (reach: Reach, provenance: Provenance, others: Int)]) {
        for (role, r) in roles {
            guard var b = mine[role] else {
                mine[role] = (r, provenance, 0)
                continue
            }
            b.others += 1
            if r.distance < b.reach.distance
                || (r.distance == b.reach.distance && r.chain.names(groups).lexicographicallyPrecedes(b.reach.chain.names(groups)))
            {
                (b.reach, b.provenance) = (r, provenance)
            }
            mine[role] = b
        }
    }

    /// A group in no cycle: its own roles, else each parent's nearest way plus one.
    private func single(_ g: Int, _ reach: [[Int32: Reach]?]) -> [Int32: Reach] {
        var mine: [Int32: Reach] = [:]
        for r in groups[g].roles { mine[r] = Reach(distance: 0, chain: Chain([Int32(g)]), giver: Int32(g)) }
        for p in groups[g].parents {
            for (role, r) in reach[Int(p)] ?? [:] where (mine[role]?.distance ?? .max) > r.distance + 1 {
                mine[role] = Reach(distance: r.distance + 1, chain: Chain([Int32(g)]) + r.chain, giver: r.giver)
            }
        }
        return mine
    }

    /// A group in a cycle: a walk up through its component, nearest first, taking each role from
    /// the nearest group of the component that gives it or from a parent outside.
    /// Scratch for the walks inside a cycle: distance and the group a walk came from, per group
    /// (-1: not reached), reset after each walk.
    private final class Walk {
        var distance: [Int]
        var previous: [Int32]
        init(_ n: Int) {
            distance = Array(repeating: -1, count: n)
            previous = Array(repeating: -1, count: n)
        }
    }

    private func within(_ g: Int, _ component: [Int32], _ reach: [[Int32: Reach]?], _ walk: Walk) -> [Int32: Reach] {
        let here = component[g]
        walk.distance[g] = 0
        var queue: [Int32] = [Int32(g)]
        defer { for x in queue { (walk.distance[Int(x)], walk.previous[Int(x)]) = (-1, -1) } }
        var head = 0
        // (distance, group of the component, parent outside it or nil) per role.
        var found: [Int32: (distance: Int, at: Int32, exit: Int32?)] = [:]
        while head < queue.count {
            let h = queue[head]
            head += 1
            let d = walk.distance[Int(h)]
            for r in groups[Int(h)].roles where (found[r]?.distance ?? .max) > d { found[r] = (d, h, nil) }
            for p in groups[Int(h)].parents {
                if component[Int(p)] == here {
                    if walk.distance[Int(p)] < 0 {
                        walk.distance[Int(p)] = d + 1
                        walk.previous[Int(p)] = h
                        queue.append(p)
                    }
                } else {
                    for (role, r) in reach[Int(p)] ?? [:] where (found[role]?.distance ?? .max) > d + 1 + r.distance {
                        found[role] = (d + 1 + r.distance, h, p)
                    }
                }
            }
        }
        var mine: [Int32: Reach] = [:]
        for (role, f) in found {
            var path: [Int32] = []
            var at = f.at
            while at >= 0 {
                path.append(at)
                at = walk.previous[Int(at)]
            }
            let inside = Chain(path.reversed())
            if let exit = f.exit, let r = reach[Int(exit)]?[role] {
                mine[role] = Reach(distance: f.distance, chain: inside + r.chain, giver: r.giver)
            } else {
                mine[role] = Reach(distance: f.distance, chain: inside, giver: f.at)
            }
        }
        return mine
    }

    /// Strongly connected components of the nesting (Tarjan's, without recursion: a chain of
    /// thousands of groups would overflow the stack), in the order Tarjan finds them: a
    /// component's parents before it. Also those that are cycles.
    private func components() -> ([[Int32]], [[Int32]]) {
        let n = groups.count
        var order = [Int](repeating: -1, count: n)
        var low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        var counter = 0
        var out: [[Int32]] = []
        var cycles: [[Int32]] = []
        for root in 0..<n where order[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            (order[root], low[root]) = (counter, counter)
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let (v, e) = work.last {
                let parents = groups[v].parents
                if e < parents.count {
                    work[work.count - 1].edge += 1
                    let w = Int(parents[e])
                    if order[w] < 0 {
                        (order[w], low[w]) = (counter, counter)
                        counter += 1
                        stack.append(w)
                        onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], order[w])
                    }
                    continue
                }
                work.removeLast()
                if let (u, _) = work.last { low[u] = min(low[u], low[v]) }
                guard low[v] == order[v] else { continue }
                var component: [Int32] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    component.append(Int32(w))
                    if w == v { break }
                }
                component.sort()
                out.append(component)
                if component.count > 1 || parents.contains(Int32(v)) { cycles.append(component) }
            }
        }
        return (out, cycles)
    }
}

/// Something named within a Cortex tenant: a group (by lower-cased name), a user, a role id.
struct TenantName: Hashable, Comparable {
    let tenant: String
    let name: String
    static func < (a: TenantName, b: TenantName) -> Bool { (a.tenant, a.name) < (b.tenant, b.name) }
}
