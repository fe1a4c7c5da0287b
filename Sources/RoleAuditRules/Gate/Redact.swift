import Foundation
import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

extension Gate {
    /// `--redact`: `result` with every text that can hold an identity (people, and with the
    /// table's say-so organizations and tenants) rewritten through `rewrite`, and the access graph
    /// built again over the rewritten snapshot. Fingerprints are kept: they are hashes, and a
    /// redacted report's findings still match baselines, waivers and history.
    public static func redact(_ result: ScanResult, _ rewrite: TextRewriter) -> ScanResult {
        guard !rewrite.isEmpty else { return result }
        let r: (String) -> String = { rewrite.rewrite($0) }
        func place(_ p: Provenance) -> Provenance {
            var p = p
            p.file = r(p.file)
            return p
        }
        func grant(_ g: Grant) -> Grant {
            var g = g
            g.principal = r(g.principal)
            if g.platform == .cortexXDR { g.target = r(g.target) }
            g.provenance = place(g.provenance)
            g.alsoIn = g.alsoIn.map(place)
            return g
        }
        func finding(_ f: Finding) -> Finding {
            var f = f
            f.tenant = f.tenant.map(r)
            f.principal = f.principal.map(r)
            f.subject = f.subject.map(r)
            f.message = r(f.message)
            f.assumptions = f.assumptions.map(r)
            f.evidence = f.evidence.map { Finding.Evidence(grant: $0.grant.map(grant), detail: r($0.detail), record: $0.record.map(place)) }
            return f
        }
        func entry(_ e: Baseline.Entry) -> Baseline.Entry {
            var e = e
            e.principal = e.principal.map(r)
            e.message = r(e.message)
            e.scope = r(e.scope)
            return e
        }
        let s = result.snapshot
        let snapshot = Snapshot(
            accounts: s.accounts.map { a in
                var a = a
                a.name = a.name.map(r)
                return a
            },
            organizations: s.organizations.map { o in
                var o = o
                if o.kind == .tenant { o.id = r(o.id) }
                o.name = o.name.map(r)
                o.customer = o.customer.map(r)
                return o
            },
            principals: s.principals.map { p in
                var p = p
                p.key = r(p.key)
                p.email = p.email.map(r)
                p.name = p.name.map(r)
                p.vendorIDs = p.vendorIDs.map(r)
                p.source = p.source.map(place)
                // Tenants are renamed with the organizations: the statuses follow their tenant.
                var statuses: [String: Principal.TenantStatus] = [:]
                for (tenant, var t) in p.tenantStatuses {
                    t.source = t.source.map(place)
                    statuses[r(tenant)] = t
                }
                p.tenantStatuses = statuses
                p.tenantLogins = Dictionary(p.tenantLogins.map { (r($0.key), $0.value) }, uniquingKeysWith: LastLogin.latest)
                if var k = p.apiKey {
                    k.tenant = r(k.tenant)
                    k.createdBy = k.createdBy.map(r)
                    k.userName = k.userName.map(r)
                    k.comment = k.comment.map(r)
                    p.apiKey = k
                }
                return p
            }.sorted { ($0.platform, $0.key) < ($1.platform, $1.key) },
            groups: s.groups.map { g in
                var g = g
                g.tenant = r(g.tenant)
                g.members = g.members.map(r)
                g.provenance = place(g.provenance)
                return g
            },
            roles: s.roles.map { d in
                var d = d
                d.tenant = d.tenant.map(r)
                d.provenance = place(d.provenance)
                return d
            },
            grants: s.grants.map(grant),
            sources: s.sources.map { f in
                var f = f
                f.path = r(f.path)
                f.scope = f.scope.map(r)
                return f
            },
            coverage: s.coverage.map { c in
                var c = c
                c.scope = c.scope.map(r)
                c.file = c.file.map(r)
                c.detail = r(c.detail)
                c.principal = c.principal.map(r)
                c.reference = c.reference.map(r)
                c.record = c.record.map(place)
                return c
            })
        var policy = result.policy
        policy.customers = Dictionary(policy.customers.map { (r($0.key), r($0.value)) }, uniquingKeysWith: { a, _ in a })
        policy.path = policy.path.map(r)
        let graph = AccessGraph(snapshot: snapshot, catalog: result.catalog, policy: policy)
        let waivers = result.waivers.map { w in
            var w = w
            w.owner = r(w.owner)
            w.reason = r(w.reason)
            w.mitigatingControl = w.mitigatingControl.map(r)
            return w
        }
        let baseline = result.baseline.map { b in
            BaselineReport(source: r(b.source), entries: b.entries, matched: b.matched, stale: b.stale.map(entry))
        }
        let changes = result.changes.map { c in
            AccessChanges(
                before: r(c.before), after: r(c.after),
                changes: c.changes.map { AccessChanges.Change(kind: $0.kind, grant: grant($0.grant), before: $0.before.map(grant), gained: $0.gained, lost: $0.lost, tier: $0.tier) },
                introduced: c.introduced.map(finding), resolved: c.resolved.map(entry))
        }
        let history = result.history.map { h in
            HistoryReport(database: r(h.database), scan: h.scan, previous: h.previous, resolved: h.resolved.map(entry), trend: h.trend)
        }
        return ScanResult(
            snapshot: snapshot, graph: graph, findings: result.findings.map(finding), waivers: waivers, rules: result.rules,
            disabledRules: result.disabledRules, catalogVersion: result.catalogVersion, catalog: result.catalog, policy: policy,
            now: result.now, limitations: result.limitations.map(r), dataCoverage: result.dataCoverage.rewritingReasons(r), baseline: baseline,
            changes: changes, history: history)
    }
}
