import Foundation
import RoleAuditModel
import RoleAuditRules

/// `diff.md`: what `roleaudit diff` found, short enough for a pull-request comment. Text from
/// exports is escaped for Markdown tables (pipes, backticks, angle brackets, line breaks).
public enum DiffMarkdownWriter: ReportWriter {
    public static let rowLimit = 50

    public static func render(_ r: ScanResult, context: ReportContext) throws -> [(name: String, data: Data)] {
        guard let c = r.changes else { return [] }
        var o = "## roleaudit diff\n\n"
        let failing = c.introduced.filter { $0.severity >= .high }
        o += c.introduced.isEmpty ? "**No new finding.** " : "**\(c.introduced.count) new finding(s)**\(failing.isEmpty ? "" : ", \(failing.count) high or critical"). "
        o += "\(c.resolved.count) resolved. Access: \(c.changes.filter { $0.kind == .added }.count) grant(s) added, "
            + "\(c.changes.filter { $0.kind == .removed }.count) removed, \(c.changes.filter { $0.kind == .changed }.count) changed.\n\n"
        o += "`\(cell(c.before))` → `\(cell(c.after))`, roleaudit \(context.toolVersion), catalog \(r.catalogVersion)\n\n"
        if !c.introduced.isEmpty {
            o += "### Introduced\n\n| Severity | Rule | Principal | Where | Finding |\n| --- | --- | --- | --- | --- |\n"
            for f in c.introduced.prefix(rowLimit) {
                o += "| \(f.severity.rawValue) | \(f.ruleID) | \(cell(f.principal ?? "")) | \(cell(f.scope)) | \(cell(f.message)) |\n"
            }
            o += more(c.introduced.count)
        }
        if !c.resolved.isEmpty {
            o += "### Resolved\n\n| Severity | Rule | Principal | Where | Finding |\n| --- | --- | --- | --- | --- |\n"
            for e in c.resolved.prefix(rowLimit) {
                o += "| \(e.severity) | \(e.rule_id) | \(cell(e.principal ?? "")) | \(cell(e.scope)) | \(cell(e.message)) |\n"
            }
            o += more(c.resolved.count)
        }
        if !c.changes.isEmpty {
            o += "### Access changes\n\n| Change | Principal | Role | Where | Via | Risk | Capabilities gained or lost |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            for ch in c.changes.prefix(rowLimit) {
                let caps = (ch.gained.map { "+\($0.rawValue)" } + ch.lost.map { "−\($0.rawValue)" }).joined(separator: " ")
                o += "| \(ch.kind.rawValue) | \(cell(ch.grant.principal)) | \(cell(ch.grant.role)) | \(ch.grant.platform.rawValue) \(cell(ch.grant.target)) | "
                    + "\(cell(ch.grant.path.label)) | \(ch.tier?.rawValue ?? "unknown") | \(cell(caps)) |\n"
            }
            o += more(c.changes.count)
        }
        o += "\nThe full reports (report.html, junit.xml, findings.csv, findings.json, findings.sarif) are beside this file.\n"
        return [("diff.md", Data(o.utf8))]
    }

    static func more(_ n: Int) -> String { n > rowLimit ? "\n… and \(n - rowLimit) more in the reports.\n\n" : "\n" }

    /// A table cell: one line, no pipes or markup that would break the table or render as HTML.
    static func cell(_ s: String) -> String {
        var out = ""
        for ch in Text.oneLine(s, limit: 200) {
            switch ch {
            case "|": out += "\\|"
            case "`": out += "\\`"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "*", "_", "[", "]", "\\": out += "\\\(ch)"
            default: out.append(ch)
            }
        }
        return out
    }
}
