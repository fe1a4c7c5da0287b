import RoleAuditCatalog
import RoleAuditModel
import RoleAuditRules

/// One section per rule: its rationale, the vendor's words quoted whole with the document's title,
/// frameworks, remediation, and the evidence of its first findings.
enum RulesSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        // Positions, not copies: a copy of a finding retains every string it holds.
        var byRule: [String: [Int]] = [:]
        for (i, f) in r.findings.enumerated() { byRule[f.ruleID, default: []].append(i) }
        let limit = HTMLReportWriter.evidencePerRuleLimit
        out.write("<section id=\"rules\" aria-labelledby=\"rules-h\">\n<h2 id=\"rules-h\">Rules</h2>\n")
        let builtIn = RuleEngine.descriptions
        for d in builtIn {
            let mine = (byRule[d.id] ?? []).lazy.map { r.findings[$0] }
            let anchor = HTMLReportWriter.anchor(d.id)
            out.write("<section class=\"rule\" id=\"rule-\(anchor)\" aria-labelledby=\"rule-\(anchor)-h\">\n")
            out.write("<h3 id=\"rule-\(anchor)-h\">\(d.id) \(d.title) \(HTMLReportWriter.sev(r.policy.severity(of: d.id, default: d.defaultSeverity)))</h3>\n")
            out.write("<p>\(d.rationale)</p>\n")
            for q in d.quotations(in: r.catalog) { HTMLReportWriter.quote(q, out) }
            out.write("<p><strong>Remediation:</strong> \(d.remediation)</p>\n")
            out.write("<p><strong>Frameworks:</strong> \(d.frameworks.joined(separator: "; "))</p>\n")
            let state = r.state(of: d.id)
            if let state, mine.isEmpty, state.kind != .passed {
                // Not evaluated (or disabled) is no pass: said in words, not in the pass colour.
                if state.kind == .notEvaluated {
                    out.write("<p class=\"verdict not-evaluated\"><strong>Not evaluated</strong>: \(state.reason ?? "")</p>\n")
                } else {
                    out.write("<p class=\"verdict\">Disabled by the policy.</p>\n")
                }
            } else if mine.isEmpty {
                out.write("<p class=\"verdict pass\">No finding.</p>\n")
                if let reason = state?.reason { out.write("<p class=\"note\">Evaluated in part: \(reason).</p>\n") }
            } else {
                if let reason = state?.reason { out.write("<p class=\"note\">Evaluated in part: \(reason).</p>\n") }
                out.write("<p>\(mine.count) finding(s).</p>\n")
                let printed = HTMLReportWriter.printedEvidencePerRuleLimit
                if mine.count > printed && mine.contains(where: { $0.severity != .info }) {
                    out.write("<p class=\"note print-only\">Printed: the evidence of the first \(printed) of these findings, the others as their one line; <code>findings.json</code> holds all of it.</p>\n")
                }
                for (i, f) in mine.prefix(limit).enumerated() { details(f, out, printed: i < printed) }
                if mine.count > limit {
                    out.write("<p class=\"note\">The evidence of the other \(mine.count - limit) finding(s) of this rule is in <code>findings.json</code> and <code>findings.csv</code>.</p>\n")
                }
            }
            out.write("</section>\n")
        }
        let known = Set(builtIn.map(\.id))
        let custom = r.findings.filter { !known.contains($0.ruleID) }
        if !custom.isEmpty {
            out.write("<section class=\"rule\" id=\"rule-policy\" aria-labelledby=\"rule-policy-h\">\n<h3 id=\"rule-policy-h\">Conflicts defined by the policy</h3>\n")
            for (i, f) in custom.prefix(limit).enumerated() { details(f, out, printed: i < HTMLReportWriter.printedEvidencePerRuleLimit) }
            out.write("</section>\n")
        }
        out.write("</section>\n")
    }

    /// A finding, collapsed: its message, then the evidence with the export record behind each
    /// piece, what it assumes, and its fingerprint.
    static func details(_ f: Finding, _ out: HTMLOutput, printed: Bool) {
        let waived: HTML = f.status == .waived ? " <span class=\"status-waived\">(waived: \(f.waiver))</span>" : .empty
        let beyond: HTML = printed ? .empty : " class=\"beyond-print\""
        out.write("<details\(beyond) data-severity=\"\(f.severity)\"><summary>\(HTMLReportWriter.sev(f.severity)) <span dir=\"auto\">\(f.message)</span>\(waived)</summary>\n")
        out.write("<table>\n<thead><tr><th scope=\"col\">Evidence</th><th scope=\"col\">Role</th><th scope=\"col\">Via</th><th scope=\"col\">Source</th></tr></thead>\n<tbody>\n")
        for e in f.evidence {
            let g = e.grant
            out.write("<tr><td class=\"wrap\" dir=\"auto\">\(e.detail)</td><td dir=\"auto\">\(g?.role)</td><td dir=\"auto\">\(g?.path.label)</td>")
            out.write("<td class=\"wrap\">\(e.source.map { HTMLReportWriter.source($0) } ?? .empty)</td></tr>\n")
        }
        out.write("</tbody>\n</table>\n")
        for a in f.assumptions { out.write("<p class=\"note\">Assumes: \(a)</p>\n") }
        out.write("<p class=\"note\">Fingerprint <code>\(f.fingerprint)</code></p>\n</details>\n")
    }
}
