import RoleAuditRules

/// The policy's waivers: what each covers, why, whose, and until when.
enum WaiversSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        out.write("<section id=\"waivers\" aria-labelledby=\"waivers-h\">\n<h2 id=\"waivers-h\">Waivers</h2>\n")
        guard !r.waivers.isEmpty else {
            out.write("<p>The policy has no waivers.</p>\n</section>\n")
            return
        }
        out.write("<table>\n<thead><tr><th scope=\"col\">Waiver</th><th scope=\"col\">Rule</th><th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Findings</th><th scope=\"col\">Reason</th><th scope=\"col\">Owner</th><th scope=\"col\">Ticket</th><th scope=\"col\">Mitigating control</th><th scope=\"col\">Expires</th></tr></thead>\n<tbody>\n")
        for w in r.waivers {
            out.write("<tr><td>\(w.id)</td><td><a href=\"#rule-\(HTMLReportWriter.anchor(w.rule))\">\(w.rule)</a></td><td>\(w.state)</td><td class=\"num\">\(w.findings.count)</td>")
            out.write("<td class=\"wrap\">\(w.reason)</td><td>\(w.owner)</td><td>\(w.ticket)</td><td class=\"wrap\">\(w.mitigatingControl)</td><td>\(w.expires)</td></tr>\n")
        }
        out.write("</tbody>\n</table>\n</section>\n")
    }
}
