import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditRules

/// `findings.sarif`: SARIF 2.1.0 (valid against the OASIS schema), for code-scanning dashboards.
/// One run; every built-in rule with its help text; a result per finding, located at the export
/// file and line of each grant in its evidence; waived findings carry an accepted suppression.
///
/// Within what GitHub code scanning accepts (its "SARIF support" page, upload limits): at most
/// 25,000 results in a run, the most severe kept and the rest counted in the run's properties and
/// a notification (findings.json has them all); each result's first 100 locations, which are all
/// GitHub shows of a result (it refuses more than 1,000).
public enum SARIFReportWriter: ReportWriter {
    /// GitHub's limit of results per run.
    public static let maxResults = 25_000
    /// Locations GitHub includes of one result.
    public static let maxLocations = 100

    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        try folder.write("findings.sarif") { log(input.result, input.context, JSONOutput($0)) }
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub code scanning ranks results by this 0-10 score.
    static func score(_ s: Severity) -> String {
        switch s {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    /// The log, keys in the order JSONEncoder sorted them when it wrote this file.
    static func log(_ r: ScanResult, _ context: ReportContext, _ j: JSONOutput) {
        let descriptions = RuleEngine.descriptions
        let enabled = Set(r.rules.map(\.id))
        let ruleIndex = Dictionary(descriptions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let artifactIndex = Dictionary(r.snapshot.sources.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
        j.beginObject()
        j.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        j.key("runs")
        j.beginArray()
        j.beginObject()
        j.array("artifacts", r.snapshot.sources) { s in
            j.beginObject()
            j.object("hashes") { j.field("sha-256", s.sha256) }
            j.field("length", s.size)
            j.object("location") { j.field("uri", uri(s.path)) }
            if s.path.hasSuffix(".json") { j.field("sourceLanguage", "json") }
            j.endObject()
        }
        j.key("invocations")
        j.beginArray()
        j.beginObject()
        j.field("endTimeUtc", context.generatedAt.iso8601)
        j.field("executionSuccessful", true)
        var notifications: [(level: String, text: String, rule: String?)] =
            r.snapshot.coverage.map { ($0.makesInputIncomplete ? "error" : "warning", $0.detail, nil) } + r.limitations.map { ("note", $0, nil) }
        // Rules the data did not let run (or run only in part): a dashboard that sees no result
        // for them must not read it as a pass.
        notifications += r.ruleStates.compactMap { s in
            guard let reason = s.reason, s.kind != .disabled else { return nil }
            return (s.kind == .notEvaluated ? "warning" : "note", "\(s.rule) \(s.kind == .notEvaluated ? "not evaluated" : "evaluated in part"): \(reason)", s.rule)
        }
        if r.findings.count > maxResults {
            notifications.append((
                "warning",
                "\(r.findings.count - maxResults) of \(r.findings.count) findings are not in this log: code-scanning services accept at most "
                    + "\(maxResults) results per run, and the most severe are kept; findings.json lists every finding", nil))
        }
        j.array("toolExecutionNotifications", notifications) { level, text, rule in
            j.beginObject()
            if let rule, let index = ruleIndex[rule] {
                j.object("associatedRule") {
                    j.field("id", rule)
                    j.field("index", index)
                }
            }
            j.field("level", level)
            j.object("message") { j.field("text", plain(text)) }
            j.endObject()
        }
        j.endObject()
        j.endArray()
        let kept = results(r.findings)
        let omitted = r.findings.count - kept.count
        if omitted > 0 {
            j.object("properties") {
                j.field("resultsOmitted", omitted)
                j.field("resultsTotal", r.findings.count)
            }
        }
        j.array("results", kept) { f in result(f, r, ruleIndex: ruleIndex, artifactIndex: artifactIndex, j) }
        j.object("tool") {
            j.object("driver") {
                j.field("informationUri", "https://github.com/roleaudit/roleaudit")
                j.field("name", "roleaudit")
                j.array("rules", descriptions) { d in rule(d, r, enabled: enabled.contains(d.id), j) }
                j.field("semanticVersion", context.toolVersion)
                j.field("version", context.toolVersion)
            }
        }
        j.endObject()
        j.endArray()
        j.field("version", "2.1.0")
        j.endObject()
        j.newline()
    }

    /// The findings the log carries: all of them when within `maxResults`, else the most severe,
    /// open before waived or baselined, each severity in the scan's order.
    static func results(_ findings: [Finding]) -> [Finding] {
        guard findings.count > maxResults else { return findings }
        // Positions sorted on two small keys, not the findings themselves (each move of a finding
        // retains and releases every string it holds).
        let keys = findings.map { (severity: $0.severity, open: $0.isOpen) }
        let ranked = findings.indices.sorted { a, b in
            if keys[a].severity != keys[b].severity { return keys[a].severity > keys[b].severity }
            if keys[a].open != keys[b].open { return keys[a].open }
            return a < b
        }
        return ranked.prefix(maxResults).map { findings[$0] }
    }

    /// A rule with its title, rationale, help (text and Markdown: the vendor's lines, remediation,
    /// frameworks), default level and security-severity.
    static func rule(_ d: RuleDescription, _ r: ScanResult, enabled: Bool, _ j: JSONOutput) {
        let severity = r.policy.severity(of: d.id, default: d.defaultSeverity)
        let seed = d.quotations(in: r.catalog).map(\.description)
        j.beginObject()
        j.object("defaultConfiguration") {
            j.field("enabled", enabled)
            j.field("level", level(severity))
        }
        j.object("fullDescription") { j.field("text", d.rationale) }
        j.object("help") {
            j.field(
                "markdown", "\(d.rationale)\n\n**Vendor documentation**\n\n" + seed.map { "- \($0)" }.joined(separator: "\n")
                    + "\n\n**Remediation**: \(d.remediation)\n\n**Frameworks**: \(d.frameworks.joined(separator: "; "))")
            j.field(
                "text", "\(d.rationale)\n\nVendor documentation: \(seed.joined(separator: "; "))\n\nRemediation: \(d.remediation)\n\nFrameworks: \(d.frameworks.joined(separator: "; "))")
        }
        j.field("id", d.id)
        j.field("name", pascal(d.title))
        j.object("properties") {
            j.field("category", d.category.rawValue)
            j.field("security-severity", score(severity))
            j.field("severity", severity.rawValue)
            j.strings("tags", ["security", "access-control", d.category.rawValue])
        }
        j.object("shortDescription") { j.field("text", d.title) }
        j.endObject()
    }

    /// A result per finding, located at the export file and line of each grant in its evidence;
    /// a waived finding carries an accepted suppression.
    static func result(_ f: Finding, _ r: ScanResult, ruleIndex: [String: Int], artifactIndex: [String: Int], _ j: JSONOutput) {
        j.beginObject()
        let state = f.status == .baselined || f.status == .persisting ? "unchanged" : f.status == .new || r.changes != nil ? "new" : nil
        if let state { j.field("baselineState", state) }
        j.field("kind", "fail")
        j.field("level", level(f.severity))
        // Each record's file and line, once each: the grants' and the records that hold a deciding
        // value (a user's last login); a finding with neither (a coverage note) has none.
        struct Place: Hashable { let file: String, line: Int?, record: String }
        var seen: Set<Place> = []
        let located = f.evidence.compactMap { e -> (Provenance, String)? in
            guard let p = e.source, seen.insert(Place(file: p.file, line: p.line, record: p.record)).inserted else { return nil }
            return (p, e.detail)
        }
        j.array("locations", Array(located.prefix(maxLocations))) { p, detail in
            j.beginObject()
            j.object("message") { j.field("text", plain("\(p.record): \(detail)")) }
            j.object("physicalLocation") {
                j.object("artifactLocation") {
                    if let index = artifactIndex[p.file] { j.field("index", index) }
                    j.field("uri", uri(p.file))
                }
                if let line = p.line, line >= 1 { j.object("region") { j.field("startLine", line) } }
            }
            j.endObject()
        }
        j.object("message") { j.field("text", plain(f.message)) }
        j.object("partialFingerprints") { j.field("roleaudit/v1", f.fingerprint) }
        j.object("properties") {
            j.strings("assumptions", f.assumptions)
            if located.count > maxLocations { j.field("locationsOmitted", located.count - maxLocations) }
            j.field("platform", f.platform.rawValue)
            if let p = f.principal { j.field("principal", p) }
            if let role = f.role { j.field("role", role) }
            j.field("scope", f.scope)
            j.field("severity", f.severity.rawValue)
        }
        j.field("ruleId", f.ruleID)
        if let index = ruleIndex[f.ruleID] { j.field("ruleIndex", index) }
        if let justification = r.suppression(of: f) {
            j.array("suppressions", [justification]) { text in
                j.beginObject()
                j.field("justification", text)
                j.field("kind", "external")
                j.field("status", "accepted")
                j.endObject()
            }
        }
        j.endObject()
    }

    /// A plain-text message quoting exports. SARIF viewers read `[text](target)` in one as a link
    /// (SARIF 2.1.0, 3.11.6, "embedded links"), and the standard has literal brackets escaped
    /// with a backslash: a name like `[click](https://...)` stays text. Without a `](` no link
    /// can form, and the text is left as it is (`memberships[0]`).
    static func plain(_ text: String) -> String {
        guard text.contains("](") else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for c in text {
            if c == "[" || c == "]" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `Too many administrators` → `TooManyAdministrators`: SARIF's rule name is an identifier.
    static func pascal(_ title: String) -> String {
        title.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative URI reference for a relative path (percent-encoded), a `file:` URI for an absolute one.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;?#[]@!$&'()*+,=")
        let encoded = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }.joined(separator: "/")
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
