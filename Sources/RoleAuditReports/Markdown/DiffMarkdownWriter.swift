import Foundation
import RoleAuditModel
import RoleAuditRules

/// `diff.md`: what `roleaudit diff` found, short enough for a pull-request comment. Every value
/// from an export (principals, roles, scopes, paths, messages quoting them) is a code span
/// (`Markdown.code`), so none becomes a mention, a link, an image or HTML in the comment.
public enum DiffMarkdownWriter: ReportWriter {
    public static let rowLimit = 50

    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        guard let text = render(input.result, context: input.context) else { return }
        try folder.write("diff.md") { $0.appendVerbatim(text) }
    }

    /// The comment; nil outside a diff.
    public static func render(_ r: ScanResult, context: ReportContext) -> String? {
        guard let c = r.changes else { return nil }
        let code = { (s: String?) in Markdown.code(s ?? "") }
        var o = "## roleaudit diff\n\n"
        let failing = c.introduced.filter { $0.severity >= .high }
        o += c.introduced.isEmpty ? "**No new finding.** " : "**\(c.introduced.count) new finding(s)**\(failing.isEmpty ? "" : ", \(failing.count) high or critical"). "
        o += "\(c.resolved.count) resolved. Access: \(c.changes.filter { $0.kind == .added }.count) grant(s) added, "
            + "\(c.changes.filter { $0.kind == .removed }.count) removed, \(c.changes.filter { $0.kind == .changed }.count) changed.\n\n"
        o += "\(Markdown.code(c.before, inTable: false)) → \(Markdown.code(c.after, inTable: false)), roleaudit \(context.toolVersion), catalog \(r.catalogVersion)\n\n"
        if !c.introduced.isEmpty {
            o += "### Introduced\n\n| Severity | Rule | Principal | Where | Finding |\n| --- | --- | --- | --- | --- |\n"
            for f in c.introduced.prefix(rowLimit) {
                o += "| \(f.severity.rawValue) | \(code(f.ruleID)) | \(code(f.principal)) | \(code(f.scope)) | \(code(f.message)) |\n"
            }
            o += more(c.introduced.count)
        }
        if !c.resolved.isEmpty {
            o += "### Resolved\n\n| Severity | Rule | Principal | Where | Finding |\n| --- | --- | --- | --- | --- |\n"
            for e in c.resolved.prefix(rowLimit) {
                o += "| \(Severity(rawValue: e.severity)?.rawValue ?? code(e.severity)) | \(code(e.rule_id)) | \(code(e.principal)) | \(code(e.scope)) | \(code(e.message)) |\n"
            }
            o += more(c.resolved.count)
        }
        if !c.changes.isEmpty {
            o += "### Access changes\n\n| Change | Principal | Role | Where | Via | Risk | Capabilities gained or lost |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            for ch in c.changes.prefix(rowLimit) {
                let caps = (ch.gained.map { "+\($0.rawValue)" } + ch.lost.map { "−\($0.rawValue)" }).joined(separator: " ")
                o += "| \(ch.kind.rawValue) | \(code(ch.grant.principal)) | \(code(ch.grant.role)) | \(ch.grant.platform.rawValue) \(code(ch.grant.target)) | "
                    + "\(code(ch.grant.path.label)) | \(ch.tier?.rawValue ?? "unknown") | \(code(caps)) |\n"
            }
            o += more(c.changes.count)
        }
        o += "\nThe full reports (report.html, junit.xml, findings.csv, findings.json, findings.sarif) are beside this file.\n"
        return o
    }

    static func more(_ n: Int) -> String { n > rowLimit ? "\n… and \(n - rowLimit) more in the reports.\n\n" : "\n" }
}
