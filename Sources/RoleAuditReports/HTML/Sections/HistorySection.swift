import Foundation
import RoleAuditModel
import RoleAuditRules

/// With `--history`: the trend of open findings by severity, the oldest open findings, and what
/// was resolved since the previous scan.
enum HistorySection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        guard let hist = r.history else { return }
        let new = r.findings.count { $0.status == .new }, persisting = r.findings.count { $0.status == .persisting }
        out.write("<section id=\"history\" aria-labelledby=\"history-h\">\n<h2 id=\"history-h\">History</h2>\n")
        out.write("<p>Scan \(hist.scan) of <code>\(hist.database)</code>: \(new) new, \(persisting) persisting, \(hist.resolved.count) resolved since \(hist.previous?.iso8601 ?? "(this is the first scan)").</p>\n")
        trend(hist.trend, out)
        let oldest = r.findings.filter { $0.isOpen && $0.firstSeen != nil }.sorted { ($0.firstSeen ?? r.now, $0.fingerprint) < ($1.firstSeen ?? r.now, $1.fingerprint) }.prefix(10)
        if !oldest.isEmpty {
            out.write("<table>\n<caption>Oldest open findings</caption>\n<thead><tr><th scope=\"col\" class=\"num\">Age (days)</th><th scope=\"col\">First seen</th><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Finding</th></tr></thead>\n<tbody>\n")
            for f in oldest {
                let days = Int((r.now.timeIntervalSince(f.firstSeen ?? r.now) / 86_400).rounded(.down))
                out.write("<tr><td class=\"num\">\(days)</td><td>\(f.firstSeen?.iso8601)</td><td>\(HTMLReportWriter.sev(f.severity))</td><td><a href=\"#rule-\(HTMLReportWriter.anchor(f.ruleID))\">\(f.ruleID)</a></td><td class=\"wrap\" dir=\"auto\">\(f.message)</td></tr>\n")
            }
            out.write("</tbody>\n</table>\n")
        }
        ChangesSection.resolvedTable(out, "Resolved since the previous scan", hist.resolved)
        out.write("</section>\n")
    }

    /// Open findings by severity across scans, as an inline SVG line chart (no library, no request).
    static func trend(_ points: [HistoryReport.Point], _ out: HTMLOutput) {
        guard !points.isEmpty else { return }
        let width = 760.0, height = 220.0, left = 48.0, bottom = 30.0, top = 12.0, right = 110.0
        let maxValue = max(1, points.flatMap { $0.open.values }.max() ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ i: Int) -> Double { points.count == 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(points.count - 1) }
        func y(_ v: Int) -> Double { top + plotH * (1 - Double(v) / Double(maxValue)) }
        let colours: [(Severity, StaticString)] = [(.critical, "#8b0000"), (.high, "#b3261e"), (.medium, "#8a4b00"), (.low, "#1d5b8f"), (.info, "#4a5361")]
        out.write("<figure>\n<svg role=\"img\" aria-labelledby=\"trend-title\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n")
        out.write("<title id=\"trend-title\">Open findings by severity over \(points.count) scan(s)</title>\n")
        out.write("<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#1b1f24\"/>\n<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#1b1f24\"/>\n")
        out.write("<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\" font-size=\"12\">\(maxValue)</text>\n<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\" font-size=\"12\">0</text>\n")
        for (i, p) in points.enumerated() where i == 0 || i == points.count - 1 {
            out.write("<text x=\"\(x(i))\" y=\"\(height - 8)\" text-anchor=\"middle\" font-size=\"12\">\(String(p.time.iso8601.prefix(10)))</text>\n")
        }
        for (n, (severity, colour)) in colours.enumerated() {
            let c = HTML(stringLiteral: colour)
            let coords = points.enumerated().map { i, p in "\(x(i)),\(y(p.open[severity] ?? 0))" }.joined(separator: " ")
            out.write("<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" points=\"\(coords)\"/>\n")
            for (i, p) in points.enumerated() { out.write("<circle cx=\"\(x(i))\" cy=\"\(y(p.open[severity] ?? 0))\" r=\"3\" fill=\"\(c)\"/>\n") }
            out.write("<text x=\"\(left + plotW + 12)\" y=\"\(top + 14 + Double(n) * 18)\" font-size=\"12\" fill=\"\(c)\">\(severity): \(points.last?.open[severity] ?? 0)</text>\n")
        }
        out.write("</svg>\n<figcaption>Open findings by severity, scan by scan (latest values on the right).</figcaption>\n</figure>\n")
    }
}
