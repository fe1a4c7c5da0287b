import RoleAuditModel
import RoleAuditRules

/// What was scanned: catalog and policy versions, disabled rules, the baseline, every input with
/// its size, records and SHA-256, and the coverage of the input.
enum ScopeSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        out.write("<section id=\"scope\" aria-labelledby=\"scope-h\">\n<h2 id=\"scope-h\">Scan scope</h2>\n<ul>\n")
        let seeds = HTML(r.catalog.seeds.enumerated().map { i, s -> HTML in "\(i == 0 ? HTML.empty : " and ")\(s.title) (<span class=\"url\">\(s.url)</span>)" })
        out.write("<li>Catalog: \(r.catalogVersion), from the vendors' documents \(seeds).</li>\n")
        let policy: HTML = r.policy.path.map { "<code>\($0)</code>, SHA-256 <code>\(r.policy.sha256)</code>" } ?? "none (defaults)"
        out.write("<li>Policy: \(policy).</li>\n")
        if !r.disabledRules.isEmpty { out.write("<li>Rules disabled by the policy: \(r.disabledRules.joined(separator: ", ")).</li>\n") }
        if let b = r.baseline, r.changes == nil {
            let stale: HTML = b.stale.isEmpty ? .empty
                : "; <strong>\(b.stale.count) stale</strong> entries match nothing: \(b.stale.prefix(20).map { "\($0.rule_id) \($0.fingerprint)" }.joined(separator: ", "))\(b.stale.count > 20 ? ", ..." : "")"
            out.write("<li>Baseline <code>\(b.source)</code>: \(b.matched) of \(b.entries) known findings still present (listed as baselined, not failing the gate)\(stale).</li>\n")
        }
        let complete: HTML = r.snapshot.isComplete ? "complete" : "<strong>incomplete</strong>"
        out.write("<li>Input: \(r.snapshot.principals.count) principals, \(r.snapshot.grants.count) grants, \(r.snapshot.organizations.count) organizations and tenants; \(complete).</li>\n</ul>\n")
        out.write("<table>\n<caption>Inputs</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Format</th><th scope=\"col\">Platform</th><th scope=\"col\">Account or tenant</th><th scope=\"col\" class=\"num\">Bytes</th><th scope=\"col\" class=\"num\">Records</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n")
        for s in r.snapshot.sources {
            out.write("<tr><td class=\"wrap\"><code>\(s.path)</code></td><td>\(s.format)</td><td>\(s.platform?.displayName)</td><td dir=\"auto\">\(s.scope)</td>")
            out.write("<td class=\"num\">\(s.size)</td><td class=\"num\">\(s.records)</td><td class=\"wrap\"><code>\(s.sha256)</code></td></tr>\n")
        }
        out.write("</tbody>\n</table>\n<h3>Coverage</h3>\n")
        if r.snapshot.coverage.isEmpty && r.limitations.isEmpty {
            out.write("<p>Every page, group, role and organization the exports refer to is present.</p>\n")
        } else {
            out.write("<ul>\n")
            for c in r.snapshot.coverage {
                let incomplete: HTML = c.makesInputIncomplete ? " (makes the input incomplete)" : .empty
                let file: HTML = c.file.map { " in <code>\($0)</code>" } ?? .empty
                out.write("<li><strong>\(c.kind.rawValue)</strong>\(incomplete): <span dir=\"auto\">\(c.detail)</span>\(file)</li>\n")
            }
            for l in r.limitations { out.write("<li><strong>limitation</strong>: \(l)</li>\n") }
            out.write("</ul>\n")
        }
        out.write("</section>\n")
    }
}
