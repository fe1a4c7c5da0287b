import Foundation
import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditModel

/// How access differs between two sets of exports: grants added, removed or changed (same
/// principal, role and place, but another path or endpoint scope), each with the capabilities the
/// principal gains or loses at that place and the highest risk tier among them; and the findings
/// the change introduces and resolves.
public struct AccessChanges: Sendable {
    public enum Kind: String, Sendable { case added, removed, changed }

    public struct Change: Sendable {
        public let kind: Kind
        public let grant: Grant
        /// For `changed`: the grant before.
        public let before: Grant?
        public let gained: [CapabilityID]
        public let lost: [CapabilityID]
        public let tier: RiskTier?
    }

    public let before: String
    public let after: String
    public let changes: [Change]
    public let introduced: [Finding]
    public let resolved: [Baseline.Entry]

    public static func between(
        before: ScanResult, after: ScanResult, beforeLabel: String, afterLabel: String
    ) -> AccessChanges {
        struct Key: Hashable { let platform: Platform, principal: String, level: Level, target: String, role: String }
        struct Place: Hashable { let platform: Platform, principal: String, target: String }
        func key(_ g: Grant) -> Key { Key(platform: g.platform, principal: g.principal, level: g.level, target: g.target, role: g.role) }
        func place(_ g: Grant) -> Place { Place(platform: g.platform, principal: g.principal, target: g.target) }
        // What each principal can do at each place, before and after, from each side's access graph.
        func powers(_ graph: AccessGraph) -> [Place: Set<CapabilityID>] {
            var out: [Place: Set<CapabilityID>] = [:]
            for i in graph.grants.indices { out[place(graph.grants[i]), default: []].formUnion(graph.role(ofGrant: i).capabilities ?? []) }
            return out
        }
        let was = powers(before.graph), now = powers(after.graph)
        let beforeGrants = Dictionary(grouping: before.snapshot.grants, by: key)
        let afterGrants = Dictionary(grouping: after.snapshot.grants, by: key)
        var changes: [Change] = []
        func change(_ kind: Kind, _ g: Grant, _ previous: Grant?) {
            let p = place(g)
            let gained = (now[p] ?? []).subtracting(was[p] ?? []).sorted()
            let lost = (was[p] ?? []).subtracting(now[p] ?? []).sorted()
            let moved = kind == .removed ? lost : gained
            changes.append(Change(
                kind: kind, grant: g, before: previous, gained: kind == .removed ? [] : gained, lost: kind == .added ? [] : lost,
                tier: (moved.isEmpty ? Array(before.graph.resolution(of: g).capabilities ?? after.graph.resolution(of: g).capabilities ?? []) : moved)
                    .compactMap { after.catalog.tier(of: $0) }.max()))
        }
        for (k, gs) in afterGrants {
            guard let previous = beforeGrants[k] else { gs.forEach { change(.added, $0, nil) }; continue }
            struct Way: Hashable { let path: GrantPath, scope: Scope? }
            let was = Set(previous.map { Way(path: $0.path, scope: $0.scope) })
            for g in gs where !was.contains(Way(path: g.path, scope: g.scope)) {
                change(.changed, g, previous.first)
            }
        }
        for (k, gs) in beforeGrants where afterGrants[k] == nil { gs.forEach { change(.removed, $0, nil) } }
        // Changes alike in all of these (another platform or level, another path) keep an order
        // of their own: they come from dictionaries, whose order changes from run to run.
        changes.sort {
            if ($0.tier ?? .read, $1.grant.principal, $1.grant.target, $1.grant.role, $1.kind.rawValue)
                != ($1.tier ?? .read, $0.grant.principal, $0.grant.target, $0.grant.role, $0.kind.rawValue) {
                return ($0.tier ?? .read, $1.grant.principal, $1.grant.target, $1.grant.role, $1.kind.rawValue)
                    > ($1.tier ?? .read, $0.grant.principal, $0.grant.target, $0.grant.role, $0.kind.rawValue)
            }
            return ($0.grant.platform.rawValue, $0.grant.level.rawValue, $0.grant.path.groupName ?? "", $0.grant.provenance)
                < ($1.grant.platform.rawValue, $1.grant.level.rawValue, $1.grant.path.groupName ?? "", $1.grant.provenance)
        }
        let afterPrints = Set(after.findings.map(\.fingerprint))
        return AccessChanges(
            before: beforeLabel, after: afterLabel, changes: changes,
            introduced: after.findings.filter(\.isOpen),
            resolved: before.findings.filter { $0.isOpen && !afterPrints.contains($0.fingerprint) }.map(Baseline.Entry.init))
    }
}
