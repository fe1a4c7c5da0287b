import Foundation
import RoleAuditModel
import RoleAuditRules

/// `findings.json`: the whole scan result, schema `roleaudit.findings` version 1 (README), streamed
/// through `JSONOutput`. Keys are sorted and every key is always present (`null` when empty).
public enum JSONReportWriter: ReportWriter {
    public static let schemaVersion = 1

    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        try folder.write("findings.json") { document(input.result, input.context, JSONOutput($0)) }
    }

    static func document(_ r: ScanResult, _ context: ReportContext, _ j: JSONOutput) {
        let titles = Dictionary(r.rules.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        var bySeverity: [String: Int] = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, 0) })
        var byRule: [String: Int] = [:]
        for f in r.findings where f.isOpen {
            bySeverity[f.severity.rawValue, default: 0] += 1
            byRule[f.ruleID, default: 0] += 1
        }
        let enabled = Set(r.rules.map(\.id))
        j.beginObject()
        j.key("baseline")
        if let b = r.baseline {
            j.beginObject()
            j.field("entries", b.entries)
            j.field("matched", b.matched)
            j.field("source", b.source)
            j.array("stale", b.stale) { entry($0, j) }
            j.endObject()
        } else {
            j.string(nil)
        }
        j.field("catalog_version", r.catalogVersion)
        j.key("changes")
        if let c = r.changes {
            j.beginObject()
            j.field("after", c.after)
            j.field("before", c.before)
            j.array("grants", c.changes) { ch in
                let g = ch.grant
                j.beginObject()
                j.field("change", ch.kind.rawValue)
                j.strings("gained", ch.gained.map(\.rawValue))
                j.field("level", g.level.rawValue)
                j.strings("lost", ch.lost.map(\.rawValue))
                j.field("platform", g.platform.rawValue)
                j.field("principal", g.principal)
                j.field("risk", ch.tier?.rawValue)
                j.field("role", g.role)
                source(g.provenance, j)
                j.field("target", g.target)
                j.field("via", via(g.path))
                j.endObject()
            }
            j.strings("introduced", c.introduced.map(\.fingerprint))
            j.array("resolved", c.resolved) { entry($0, j) }
            j.endObject()
        } else {
            j.string(nil)
        }
        j.field("complete", r.snapshot.isComplete)
        j.array("coverage", r.snapshot.coverage) { c in
            j.beginObject()
            j.field("detail", c.detail)
            j.field("file", c.file)
            j.field("incomplete", c.makesInputIncomplete)
            j.field("kind", c.kind.rawValue)
            j.field("platform", c.platform?.rawValue)
            j.field("scope", c.scope)
            j.endObject()
        }
        // Rendered on every core (each run with a clock text cache of its own).
        j.array("findings", concurrently: r.findings) {
            let time = TimeText()
            return { f, j in
                j.beginObject()
                j.field("account", f.account)
                j.field("account_name", r.accountName(of: f))
                j.strings("assumptions", f.assumptions)
                j.field("category", f.category.rawValue)
                j.field("customer", r.customer(of: f))
                j.array("evidence", f.evidence) { e in
                    j.beginObject()
                    j.field("detail", e.detail)
                    j.field("level", e.grant?.level.rawValue)
                    j.field("role", e.grant?.role)
                    j.key("source")
                    if let p = e.source { provenance(p, j) } else { j.string(nil) }
                    j.field("target", e.grant?.target)
                    j.field("via", e.grant.map { via($0.path) })
                    j.endObject()
                }
                j.field("fingerprint", f.fingerprint)
                j.field("first_seen", time(f.firstSeen))
                j.field("message", f.message)
                j.field("organization", f.organization)
                j.field("organization_name", r.placeName(of: f))
                j.field("platform", f.platform.rawValue)
                j.field("principal", f.principal)
                j.field("role", f.role)
                j.field("rule_id", f.ruleID)
                j.field("severity", f.severity.rawValue)
                j.field("status", f.status.rawValue)
                j.field("tenant", f.tenant)
                j.field("title", titles[f.ruleID] ?? f.ruleID)
                j.field("waiver", f.waiver)
                j.endObject()
            }
        }
        j.field("generated_at", context.generatedAt.iso8601)
        j.key("history")
        if let h = r.history {
            j.beginObject()
            j.field("database", h.database)
            j.field("previous", h.previous?.iso8601)
            j.array("resolved", h.resolved) { entry($0, j) }
            j.field("scan", h.scan)
            j.array("trend", h.trend) { p in
                j.beginObject()
                j.object("open") {
                    for (severity, n) in p.open.map({ ($0.key.rawValue, $0.value) }).sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }) {
                        j.key(severity)
                        j.number(n)
                    }
                }
                j.field("scan", p.scan)
                j.field("time", p.time.iso8601)
                j.endObject()
            }
            j.endObject()
        } else {
            j.string(nil)
        }
        j.array("inputs", r.snapshot.sources) { s in
            j.beginObject()
            j.field("format", s.format)
            j.field("path", s.path)
            j.field("platform", s.platform?.rawValue)
            j.field("records", s.records)
            j.field("scope", s.scope)
            j.field("sha256", s.sha256)
            j.field("size", s.size)
            j.endObject()
        }
        j.strings("limitations", r.limitations)
        j.object("policy") {
            j.field("path", r.policy.path)
            j.field("sha256", r.policy.sha256)
        }
        j.array("rules", RuleEngine.descriptions) { d in
            j.beginObject()
            j.field("category", d.category.rawValue)
            j.field("enabled", enabled.contains(d.id))
            j.field("id", d.id)
            let state = r.state(of: d.id)
            j.field("reason", state?.reason)
            j.field("severity", r.policy.severity(of: d.id, default: d.defaultSeverity).rawValue)
            j.field("state", (state?.kind ?? .passed).rawValue)
            j.field("title", d.title)
            j.endObject()
        }
        j.field("schema", "roleaudit.findings")
        j.field("schema_version", schemaVersion)
        j.object("summary") {
            counts("by_rule", byRule, j)
            counts("by_severity", bySeverity, j)
            j.field("open", r.findings.count { $0.isOpen })
            j.field("total", r.findings.count)
            j.field("waived", r.findings.count { $0.status == .waived })
        }
        j.object("tool") {
            j.field("name", "roleaudit")
            j.field("version", context.toolVersion)
        }
        j.array("waivers", r.waivers) { w in
            j.beginObject()
            j.field("expires", w.expires)
            j.strings("findings", w.findings)
            j.field("id", w.id)
            if let m = w.mitigatingControl { j.field("mitigatingControl", m) }
            j.field("owner", w.owner)
            j.field("reason", w.reason)
            j.field("rule", w.rule)
            j.field("state", w.state.rawValue)
            if let t = w.ticket { j.field("ticket", t) }
            j.endObject()
        }
        j.endObject()
        j.newline()
    }

    /// A finding a baseline (or the state compared with) held; `principal` and `role` are left out
    /// when empty, as the baseline file has them.
    static func entry(_ e: Baseline.Entry, _ j: JSONOutput) {
        j.beginObject()
        j.field("fingerprint", e.fingerprint)
        j.field("message", e.message)
        j.field("platform", e.platform)
        if let p = e.principal { j.field("principal", p) }
        if let role = e.role { j.field("role", role) }
        j.field("rule_id", e.rule_id)
        j.field("scope", e.scope)
        j.field("severity", e.severity)
        j.endObject()
    }

    /// `{file, line, record}`: where the export says it.
    static func provenance(_ p: Provenance, _ j: JSONOutput) {
        j.beginObject()
        j.field("file", p.file)
        j.field("line", p.line)
        j.field("record", p.record)
        j.endObject()
    }

    static func source(_ p: Provenance, _ j: JSONOutput) {
        j.key("source")
        provenance(p, j)
    }

    /// `direct`, or `group NAME` for the group the grant comes through.
    static func via(_ path: GrantPath) -> String { path.groupName.map { "group \($0)" } ?? "direct" }

    /// Counts by name, sorted as the encoder sorts keys.
    static func counts(_ key: StaticString, _ counts: [String: Int], _ j: JSONOutput) {
        j.object(key) {
            for (name, n) in counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                j.key(name)
                j.number(n)
            }
        }
    }
}
