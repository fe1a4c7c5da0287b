import Foundation
import RoleAuditModel
import RoleAuditRules

/// Encodes nil as `null` rather than leaving the key out: the schema's keys are always there.
@propertyWrapper
struct Null<T: Encodable>: Encodable {
    var wrappedValue: T?
    init(wrappedValue: T?) { self.wrappedValue = wrappedValue }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = wrappedValue { try c.encode(v) } else { try c.encodeNil() }
    }
}

/// `findings.json`: the whole scan result, schema `roleaudit.findings` version 1 (README).
public enum JSONReportWriter: ReportWriter {
    public static let schemaVersion = 1

    struct Document: Encodable {
        struct Tool: Encodable { let name: String; let version: String }
        struct PolicyInfo: Encodable { @Null var path: String?; @Null var sha256: String? }
        struct Input: Encodable {
            let path: String; let format: String; @Null var platform: String?; @Null var scope: String?; let sha256: String; let size: Int; let records: Int
        }
        struct Coverage: Encodable { let kind: String; @Null var platform: String?; @Null var scope: String?; @Null var file: String?; let detail: String; let incomplete: Bool }
        struct RuleInfo: Encodable { let id: String; let title: String; let category: String; let severity: String; let enabled: Bool }
        struct Summary: Encodable {
            let total: Int; let open: Int; let waived: Int; let by_severity: [String: Int]; let by_rule: [String: Int]
        }
        struct Source: Encodable { let file: String; @Null var line: Int?; let record: String }
        struct Evidence: Encodable {
            let detail: String; @Null var role: String?; @Null var level: String?; @Null var target: String?; @Null var via: String?; @Null var source: Source?
        }
        struct FindingRecord: Encodable {
            let rule_id: String; let title: String; let severity: String; let category: String; let platform: String
            @Null var account: String?; @Null var organization: String?; @Null var tenant: String?; @Null var principal: String?; @Null var role: String?
            let message: String; let evidence: [Evidence]; let assumptions: [String]; let fingerprint: String
            let status: String; @Null var waiver: String?; @Null var first_seen: String?
        }
        let schema = "roleaudit.findings"
        let schema_version = JSONReportWriter.schemaVersion
        let tool: Tool
        let catalog_version: String
        let generated_at: String
        let policy: PolicyInfo
        let inputs: [Input]
        let complete: Bool
        let coverage: [Coverage]
        let limitations: [String]
        let rules: [RuleInfo]
        let summary: Summary
        let findings: [FindingRecord]
        let waivers: [WaiverReport]
    }

    public static func render(_ result: ScanResult, context: ReportContext) throws -> [(name: String, data: Data)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return [("findings.json", try encoder.encode(document(result, context)) + Data("\n".utf8))]
    }

    static func document(_ r: ScanResult, _ context: ReportContext) -> Document {
        let titles = Dictionary((r.rules).map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        var bySeverity: [String: Int] = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, 0) })
        var byRule: [String: Int] = [:]
        for f in r.findings where f.status == .open {
            bySeverity[f.severity.rawValue, default: 0] += 1
            byRule[f.ruleID, default: 0] += 1
        }
        let enabled = Set(r.rules.map(\.id))
        return Document(
            tool: .init(name: "roleaudit", version: context.toolVersion), catalog_version: r.catalogVersion,
            generated_at: context.generatedAt.iso8601, policy: .init(path: r.policy.path, sha256: r.policy.sha256),
            inputs: r.snapshot.sources.map {
                .init(path: $0.path, format: $0.format, platform: $0.platform?.rawValue, scope: $0.scope, sha256: $0.sha256, size: $0.size, records: $0.records)
            },
            complete: r.snapshot.isComplete,
            coverage: r.snapshot.coverage.map {
                .init(kind: $0.kind.rawValue, platform: $0.platform?.rawValue, scope: $0.scope, file: $0.file, detail: $0.detail, incomplete: $0.makesInputIncomplete)
            },
            limitations: r.limitations,
            rules: RuleEngine.descriptions.map {
                .init(id: $0.id, title: $0.title, category: $0.category.rawValue, severity: r.policy.severity(of: $0.id, default: $0.defaultSeverity).rawValue, enabled: enabled.contains($0.id))
            },
            summary: .init(
                total: r.findings.count, open: r.findings.filter { $0.status == .open }.count,
                waived: r.findings.filter { $0.status == .waived }.count, by_severity: bySeverity, by_rule: byRule),
            findings: r.findings.map { f in
                .init(
                    rule_id: f.ruleID, title: titles[f.ruleID] ?? f.ruleID, severity: f.severity.rawValue, category: f.category.rawValue,
                    platform: f.platform.rawValue, account: f.account, organization: f.organization, tenant: f.tenant,
                    principal: f.principal, role: f.role, message: f.message,
                    evidence: f.evidence.map { e in
                        .init(
                            detail: e.detail, role: e.grant?.role, level: e.grant?.level.rawValue, target: e.grant?.target,
                            via: e.grant.map { g in g.path.groupName.map { "group \($0)" } ?? "direct" },
                            source: e.grant.map { .init(file: $0.provenance.file, line: $0.provenance.line, record: $0.provenance.record) })
                    },
                    assumptions: f.assumptions, fingerprint: f.fingerprint, status: f.status.rawValue, waiver: f.waiver, first_seen: nil)
            },
            waivers: r.waivers)
    }
}
