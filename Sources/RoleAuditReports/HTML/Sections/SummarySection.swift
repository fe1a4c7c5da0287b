import RoleAuditModel
import RoleAuditRules

/// Open findings by severity, category and place; every rule's state (passed, failed, disabled,
/// not evaluated), as the gate's result holds it.
enum SummarySection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        let (waived, baselined, openCount, bySeverity) = (r.counts.waived, r.counts.baselined, r.counts.open, r.counts.bySeverity)
        // The open findings by category and place, in one pass without copying them.
        var byCategory: [RuleCategory: Int] = [:], byKey: [Finding.ScopeKey: Int] = [:]
        for f in r.findings where f.isOpen {
            byCategory[f.category, default: 0] += 1
            byKey[f.scopeKey, default: 0] += 1
        }
        // A label per place, not per finding.
        var byScope: [String: Int] = [:]
        for (k, n) in byKey { byScope[HTMLReportWriter.location(of: k, in: r), default: 0] += n }
        let worst = r.counts.worst
        let verdict = worst.map { "\(openCount) open finding(s); the most severe is \($0.rawValue)." } ?? "No open finding."
        let incomplete: HTML = r.snapshot.isComplete ? .empty : " The input is incomplete: see the coverage in the scan scope."
        out.write("<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n")
        out.write("<p class=\"verdict \(worst.map { $0 >= .high ? "fail" : "pass" } ?? "pass")\">\(verdict)\(incomplete)</p>\n<ul class=\"cards\" aria-label=\"Open findings by severity\">\n")
        for s in Severity.allCases.reversed() {
            out.write("<li class=\"\(s)\"><span class=\"n\">\(bySeverity[s] ?? 0)</span>\(s)</li>\n")
        }
        out.write("<li class=\"waived\"><span class=\"n\">\(waived)</span>waived</li>\n")
        if baselined > 0 { out.write("<li class=\"waived\"><span class=\"n\">\(baselined)</span>baselined</li>\n") }
        out.write("<li class=\"passed\"><span class=\"n\">\(r.ruleStates.count { $0.kind == .passed }) / \(r.rules.count)</span>rules passed</li>\n")
        let unevaluated = r.ruleStates.count { $0.kind == .notEvaluated }
        if unevaluated > 0 { out.write("<li class=\"waived\"><span class=\"n\">\(unevaluated)</span>rules not evaluated</li>\n") }
        out.write("</ul>\n")
        out.write("<div class=\"grid2\">\n")
        countTable(out, "Open findings by category", "Category", RuleCategory.allCases.map { c in (c.rawValue, byCategory[c] ?? 0) })
        countTable(
            out, "Open findings by organization, account or tenant", "Where",
            byScope.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(25).map { ($0.key, $0.value) },
            note: byScope.count > 25 ? "The 25 with most findings of \(byScope.count)." : nil)
        out.write("</div>\n<table>\n<caption>Rules</caption>\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Title</th><th scope=\"col\">Severity</th><th scope=\"col\" class=\"num\">Open</th><th scope=\"col\" class=\"num\">Waived or baselined</th><th scope=\"col\">Result</th></tr></thead>\n<tbody>\n")
        var counts: [String: (open: Int, waived: Int)] = [:]
        for f in r.findings {
            if f.isOpen { counts[f.ruleID, default: (0, 0)].open += 1 } else { counts[f.ruleID, default: (0, 0)].waived += 1 }
        }
        for d in RuleEngine.descriptions {
            let (openCount, waivedCount) = counts[d.id] ?? (0, 0)
            let result = r.state(of: d.id)?.label ?? ""
            out.write("<tr><td><a href=\"#rule-\(HTMLReportWriter.anchor(d.id))\">\(d.id)</a></td><td>\(d.title)</td><td>\(HTMLReportWriter.sev(r.policy.severity(of: d.id, default: d.defaultSeverity)))</td>")
            out.write("<td class=\"num\">\(openCount)</td><td class=\"num\">\(waivedCount)</td><td class=\"wrap\">\(result)</td></tr>\n")
        }
        out.write("</tbody>\n</table>\n</section>\n")
    }

    static func countTable(_ out: HTMLOutput, _ caption: String, _ what: String, _ rows: [(String, Int)], note: String? = nil) {
        out.write("<table>\n<caption>\(caption)</caption>\n<thead><tr><th scope=\"col\">\(what)</th><th scope=\"col\" class=\"num\">Open</th></tr></thead>\n<tbody>\n")
        for (label, n) in rows { out.write("<tr><td class=\"wrap\" dir=\"auto\">\(label)</td><td class=\"num\">\(n)</td></tr>\n") }
        if rows.isEmpty { out.write("<tr><td colspan=\"2\">None.</td></tr>\n") }
        out.write("</tbody>\n</table>\n")
        if let note { out.write("<p class=\"note\">\(note)</p>\n") }
    }
}
