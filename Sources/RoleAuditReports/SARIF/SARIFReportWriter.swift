import Foundation
import RoleAuditModel
import RoleAuditRules

/// `findings.sarif`: SARIF 2.1.0 (valid against the OASIS schema), for code-scanning dashboards.
/// One run; every built-in rule with its help text; a result per finding, located at the export
/// file and line of each grant in its evidence; waived findings carry an accepted suppression.
public enum SARIFReportWriter: ReportWriter {
    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(log(input.result, input.context))
        try folder.write("findings.sarif") { sink in
            data.withUnsafeBytes { sink.append($0.bindMemory(to: UInt8.self)) }
            sink.append("\n")
        }
    }

    struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }
    struct Run: Encodable { let tool: Tool; let artifacts: [Artifact]; let invocations: [Invocation]; let results: [Result] }
    struct Tool: Encodable { let driver: Driver }
    struct Driver: Encodable {
        let name: String; let version: String; let semanticVersion: String; let informationUri: String; let rules: [Rule]
    }
    struct Message: Encodable { let text: String; var markdown: String? }
    struct Rule: Encodable {
        let id: String; let name: String; let shortDescription: Message; let fullDescription: Message; let help: Message
        let defaultConfiguration: Configuration; let properties: RuleProperties
    }
    struct Configuration: Encodable { let enabled: Bool; let level: String }
    struct RuleProperties: Encodable {
        let category: String; let severity: String; let tags: [String]
        let securitySeverity: String
        enum CodingKeys: String, CodingKey { case category, severity, tags, securitySeverity = "security-severity" }
    }
    struct Artifact: Encodable { let location: ArtifactLocation; let length: Int; let hashes: [String: String]; let sourceLanguage: String? }
    struct ArtifactLocation: Encodable { let uri: String; var index: Int? }
    struct Invocation: Encodable { let executionSuccessful: Bool; let endTimeUtc: String; let toolExecutionNotifications: [Notification] }
    struct Notification: Encodable { let level: String; let message: Message }
    struct Result: Encodable {
        let ruleId: String; let ruleIndex: Int?; let level: String; let kind: String; let message: Message
        let locations: [Location]; let partialFingerprints: [String: String]; let properties: ResultProperties
        let suppressions: [Suppression]?
        let baselineState: String?
    }
    struct ResultProperties: Encodable {
        let severity: String; let platform: String; let scope: String; let principal: String?; let role: String?; let assumptions: [String]
    }
    struct Location: Encodable { let physicalLocation: PhysicalLocation; let message: Message }
    struct PhysicalLocation: Encodable { let artifactLocation: ArtifactLocation; let region: Region? }
    struct Region: Encodable { let startLine: Int }
    struct Suppression: Encodable { let kind: String; let status: String; let justification: String }

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

    static func log(_ r: ScanResult, _ context: ReportContext) -> Log {
        let descriptions = RuleEngine.descriptions
        let enabled = Set(r.rules.map(\.id))
        let ruleIndex = Dictionary(descriptions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let artifactIndex = Dictionary(r.snapshot.sources.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
        let rules = descriptions.map { d in
            let severity = r.policy.severity(of: d.id, default: d.defaultSeverity)
            let seed = d.seed.map { "\($0.document):\($0.line) \"\($0.quote)\"" }
            return Rule(
                id: d.id, name: pascal(d.title), shortDescription: .init(text: d.title), fullDescription: .init(text: d.rationale),
                help: .init(
                    text: "\(d.rationale)\n\nVendor documentation: \(seed.joined(separator: "; "))\n\nRemediation: \(d.remediation)\n\nFrameworks: \(d.frameworks.joined(separator: "; "))",
                    markdown: "\(d.rationale)\n\n**Vendor documentation**\n\n" + seed.map { "- \($0)" }.joined(separator: "\n")
                        + "\n\n**Remediation**: \(d.remediation)\n\n**Frameworks**: \(d.frameworks.joined(separator: "; "))"),
                defaultConfiguration: .init(enabled: enabled.contains(d.id), level: level(severity)),
                properties: .init(category: d.category.rawValue, severity: severity.rawValue, tags: ["security", "access-control", d.category.rawValue], securitySeverity: score(severity)))
        }
        let results = r.findings.map { f in
            // Each grant's file and line, once each; a finding without grants (a coverage note) has none.
            var seen: Set<String> = []
            let locations: [Location] = f.evidence.compactMap { e in
                guard let g = e.grant, seen.insert("\(g.provenance.file)|\(g.provenance.line ?? 0)|\(g.provenance.record)").inserted else { return nil }
                return Location(
                    physicalLocation: .init(
                        artifactLocation: .init(uri: uri(g.provenance.file), index: artifactIndex[g.provenance.file]),
                        region: g.provenance.line.flatMap { $0 >= 1 ? Region(startLine: $0) : nil }),
                    message: .init(text: plain("\(g.provenance.record): \(e.detail)")))
            }
            return Result(
                ruleId: f.ruleID, ruleIndex: ruleIndex[f.ruleID], level: level(f.severity), kind: "fail",
                message: .init(text: plain(f.message)), locations: locations, partialFingerprints: ["roleaudit/v1": f.fingerprint],
                properties: .init(severity: f.severity.rawValue, platform: f.platform.rawValue, scope: f.scope, principal: f.principal, role: f.role, assumptions: f.assumptions),
                suppressions: r.suppression(of: f).map { [Suppression(kind: "external", status: "accepted", justification: $0)] },
                baselineState: f.status == .baselined || f.status == .persisting ? "unchanged" : f.status == .new || r.changes != nil ? "new" : nil)
        }
        return Log(runs: [Run(
            tool: .init(driver: .init(
                name: "roleaudit", version: context.toolVersion, semanticVersion: context.toolVersion,
                informationUri: "https://github.com/roleaudit/roleaudit", rules: rules)),
            artifacts: r.snapshot.sources.map {
                Artifact(location: .init(uri: uri($0.path)), length: $0.size, hashes: ["sha-256": $0.sha256], sourceLanguage: $0.path.hasSuffix(".json") ? "json" : nil)
            },
            invocations: [Invocation(
                executionSuccessful: true, endTimeUtc: context.generatedAt.iso8601,
                toolExecutionNotifications: r.snapshot.coverage.map { .init(level: $0.makesInputIncomplete ? "error" : "warning", message: .init(text: plain($0.detail))) }
                    + r.limitations.map { .init(level: "note", message: .init(text: plain($0))) })],
            results: results)])
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
