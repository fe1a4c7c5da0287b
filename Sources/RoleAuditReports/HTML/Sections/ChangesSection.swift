import RoleAuditModel
import RoleAuditRules

/// In a diff: every grant added, removed or changed, with what the principal gains or loses, and
/// the findings the change resolves.
enum ChangesSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        guard let c = r.changes else { return }
        out.write("<section id=\"changes\" aria-labelledby=\"changes-h\">\n<h2 id=\"changes-h\">Access changes</h2>\n")
        out.write("<p>From <code>\(c.before)</code> to <code>\(c.after)</code>: \(c.changes.count { $0.kind == .added }) grant(s) added, ")
        out.write("\(c.changes.count { $0.kind == .removed }) removed, \(c.changes.count { $0.kind == .changed }) changed; ")
        out.write("<strong>\(c.introduced.count) finding(s) introduced</strong>, \(c.resolved.count) resolved. Findings present before the change are listed as baselined and do not fail the gate.</p>\n")
        out.write("<table>\n<caption>Grants added, removed or changed, riskiest first</caption>\n<thead><tr><th scope=\"col\">Change</th><th scope=\"col\">Principal</th><th scope=\"col\">Role</th><th scope=\"col\">Where</th><th scope=\"col\">Via</th><th scope=\"col\">Risk</th><th scope=\"col\">Capabilities gained</th><th scope=\"col\">Capabilities lost</th></tr></thead>\n<tbody>\n")
        for ch in c.changes.prefix(HTMLReportWriter.findingRowLimit) {
            let g = ch.grant
            out.write("<tr><td>\(ch.kind)</td><td class=\"wrap\" dir=\"auto\">\(g.principal)</td><td dir=\"auto\">\(g.role)</td><td dir=\"auto\">\(g.platform.displayName) \(g.target)</td><td dir=\"auto\">\(g.path.label)</td>")
            out.write("<td\(HTMLReportWriter.tierClass(ch.tier))>\(ch.tier?.rawValue ?? "unknown")</td>")
            out.write("<td class=\"wrap\"><code>\(ch.gained.map(\.rawValue).joined(separator: " "))</code></td><td class=\"wrap\"><code>\(ch.lost.map(\.rawValue).joined(separator: " "))</code></td></tr>\n")
        }
        if c.changes.isEmpty { out.write("<tr><td colspan=\"8\">No grant changed.</td></tr>\n") }
        out.write("</tbody>\n</table>\n")
        resolvedTable(out, "Findings the change resolves", c.resolved)
        out.write("</section>\n")
    }

    /// Findings gone since the state compared with (the diff's BEFORE, or the previous scan).
    static func resolvedTable(_ out: HTMLOutput, _ caption: String, _ entries: [Baseline.Entry]) {
        guard !entries.isEmpty else {
            out.write("<p>\(caption): none.</p>\n")
            return
        }
        out.write("<table>\n<caption>\(caption)</caption>\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Where</th><th scope=\"col\">Principal</th><th scope=\"col\">Finding</th></tr></thead>\n<tbody>\n")
        for e in entries.prefix(HTMLReportWriter.findingRowLimit) {
            out.write("<tr><td>\(e.severity)</td><td>\(e.rule_id)</td><td dir=\"auto\">\(e.scope)</td><td class=\"wrap\" dir=\"auto\">\(e.principal)</td><td class=\"wrap\" dir=\"auto\">\(e.message)</td></tr>\n")
        }
        out.write("</tbody>\n</table>\n")
    }
}
