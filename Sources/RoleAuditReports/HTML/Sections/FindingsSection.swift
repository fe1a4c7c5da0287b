import RoleAuditModel
import RoleAuditRules

/// Every finding, most severe first, with the filters report.js runs (hidden without JavaScript);
/// past `findingRowLimit`, the rest counted by rule and scope.
enum FindingsSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        let titles = Dictionary(RuleEngine.descriptions.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        out.write("<section id=\"findings\" aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">Findings</h2>\n")
        let shown = r.findings.prefix(HTMLReportWriter.findingRowLimit)
        func options(_ values: [String], _ label: (String) -> String = { $0 }) -> HTML {
            HTML(values.map { "<option value=\"\($0)\">\(label($0))</option>" })
        }
        // The filter matches the id-based scope; its options read with the names.
        var scopeLabels: [String: String] = [:]
        for f in shown where scopeLabels[f.scope] == nil { scopeLabels[f.scope] = r.scopeLabel(of: f) }
        let scopes = scopeLabels.keys.sorted { (scopeLabels[$0] ?? $0, $0) < (scopeLabels[$1] ?? $1, $1) }
        out.write("""
            <form id="filters" class="filters" hidden aria-label="Filter findings">
            <label>Severity<select name="severity"><option value="">all</option>\(options(Severity.allCases.reversed().map(\.rawValue)))</select></label>
            <label>Rule<select name="rule"><option value="">all</option>\(options(Set(shown.map(\.ruleID)).sorted()) { "\($0) \(titles[$0] ?? "")" })</select></label>
            <label>Platform<select name="platform"><option value="">all</option>\(options(Platform.allCases.map(\.rawValue)))</select></label>
            <label>Organization or tenant<select name="scope"><option value="">all</option>\(options(scopes) { scopeLabels[$0] ?? $0 })</select></label>
            <label>Status<select name="status"><option value="">all</option>\(options(Set(shown.map(\.status.rawValue)).sorted()))</select></label>
            <label>Search<input type="search" name="q" placeholder="principal, role, message"></label>
            <button type="reset">Clear</button>
            <output id="filter-count" aria-live="polite"></output>
            </form>

            """)
        if r.findings.count > shown.count {
            out.write("<p class=\"note\"><strong>Showing the first \(shown.count) of \(r.findings.count) findings</strong> (most severe first). All of them are in <code>findings.csv</code> and <code>findings.json</code>; the rest are counted by rule and scope below the table.</p>\n")
        }
        let printed = HTMLReportWriter.printedFindingLimit
        if shown.count > printed {
            out.write("<p class=\"note print-only\" id=\"print-cut\"><strong>Printed: the first \(printed) findings of this table</strong> (most severe first, of those the filters show). All \(r.findings.count) are in <code>findings.csv</code> and <code>findings.json</code>.</p>\n")
        }
        out.write("<table id=\"findings-table\" data-print-limit=\"\(printed)\">\n<caption>Findings, most severe first</caption>\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Platform</th><th scope=\"col\">Where</th><th scope=\"col\">Principal</th><th scope=\"col\">Role</th><th scope=\"col\">Finding</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n")
        for (i, f) in shown.enumerated() {
            let waivedClass: HTML = f.status == .waived ? " class=\"status-waived\"" : .empty
            // report.js moves the mark when a filter hides rows; without JavaScript it stays here.
            let beyond: HTML = i >= printed ? " class=\"beyond-print\"" : .empty
            out.write("<tr\(beyond) data-severity=\"\(f.severity)\" data-rule=\"\(f.ruleID)\" data-platform=\"\(f.platform)\" data-scope=\"\(f.scope)\" data-status=\"\(f.status)\">")
            out.write("<td>\(HTMLReportWriter.sev(f.severity))</td><td><a href=\"#rule-\(HTMLReportWriter.anchor(f.ruleID))\">\(f.ruleID)</a></td><td>\(f.platform.displayName)</td>")
            out.write("<td class=\"wrap\" dir=\"auto\">\(r.scopeLabel(of: f))</td><td class=\"wrap\" dir=\"auto\">\(f.principal)</td><td class=\"wrap\" dir=\"auto\">\(f.role)</td>")
            out.write("<td class=\"wrap\" dir=\"auto\">\(f.message)</td>")
            out.write("<td\(waivedClass)>\(f.status)\(f.waiver.map { " (\($0))" })</td></tr>\n")
        }
        if shown.isEmpty { out.write("<tr><td colspan=\"8\">No findings.</td></tr>\n") }
        out.write("</tbody>\n</table>\n")
        if r.findings.count > shown.count {
            struct Place: Hashable, Comparable {
                let rule: String, location: String
                static func < (a: Place, b: Place) -> Bool { (a.rule, a.location) < (b.rule, b.location) }
            }
            // Counted by rule and scope parts first: a label per place, not per finding.
            struct Key: Hashable { let rule: String, scope: Finding.ScopeKey }
            var byKey: [Key: Int] = [:]
            for f in r.findings.dropFirst(shown.count) { byKey[Key(rule: f.ruleID, scope: f.scopeKey), default: 0] += 1 }
            var rest: [Place: Int] = [:]
            for (k, n) in byKey { rest[Place(rule: k.rule, location: HTMLReportWriter.location(of: k.scope, in: r)), default: 0] += n }
            out.write("<table>\n<caption>The other \(r.findings.count - shown.count) findings, by rule and scope</caption>\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Where</th><th scope=\"col\" class=\"num\">Findings</th></tr></thead>\n<tbody>\n")
            for (place, n) in rest.sorted(by: { $0.key < $1.key }).prefix(1_000) {
                out.write("<tr><td>\(place.rule)</td><td class=\"wrap\" dir=\"auto\">\(place.location)</td><td class=\"num\">\(n)</td></tr>\n")
            }
            out.write("</tbody>\n</table>\n")
        }
        out.write("</section>\n")
    }
}
