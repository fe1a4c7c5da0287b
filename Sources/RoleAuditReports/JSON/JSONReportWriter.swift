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
        @Null var baseline: BaselineInfo?
        @Null var changes: ChangesInfo?
        @Null var history: HistoryInfo?
    }
    struct BaselineInfo: Encodable { let source: String; let entries: Int; let matched: Int; let stale: [Baseline.Entry] }
    struct ChangeRecord: Encodable {
        let change: String; let platform: String; let principal: String; let role: String; let level: String; let target: String
        let via: String; @Null var risk: String?; let gained: [String]; let lost: [String]; let source: Document.Source
    }
    struct ChangesInfo: Encodable {
        let before: String; let after: String; let grants: [ChangeRecord]; let introduced: [String]; let resolved: [Baseline.Entry]
    }
    struct HistoryInfo: Encodable {
        struct Point: Encodable { let scan: Int64; let time: String; let open: [String: Int] }
        let database: String; let scan: Int64; @Null var previous: String?; let resolved: [Baseline.Entry]; let trend: [Point]
    }

    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document(input.result, input.context))
        try folder.write("findings.json") { sink in
            data.withUnsafeBytes { sink.append($0.bindMemory(to: UInt8.self)) }
            sink.append("\n")
        }
    }

    static func document(_ r: ScanResult, _ context: ReportContext) -> Document {
        let titles = Dictionary((r.rules).map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        var bySeverity: [String: Int] = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, 0) })
        var byRule: [String: Int] = [:]
        for f in r.findings where f.isOpen {
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
                total: r.findings.count, open: r.findings.filter { $0.isOpen }.count,
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
                    assumptions: f.assumptions, fingerprint: f.fingerprint, status: f.status.rawValue, waiver: f.waiver,
                    first_seen: f.firstSeen?.iso8601)
            },
            waivers: r.waivers,
            baseline: r.baseline.map { .init(source: $0.source, entries: $0.entries, matched: $0.matched, stale: $0.stale) },
            changes: r.changes.map { c in
                .init(
                    before: c.before, after: c.after,
                    grants: c.changes.map { ch in
                        .init(
                            change: ch.kind.rawValue, platform: ch.grant.platform.rawValue, principal: ch.grant.principal, role: ch.grant.role,
                            level: ch.grant.level.rawValue, target: ch.grant.target, via: ch.grant.path.groupName.map { "group \($0)" } ?? "direct",
                            risk: ch.tier?.rawValue, gained: ch.gained.map(\.rawValue), lost: ch.lost.map(\.rawValue),
                            source: .init(file: ch.grant.provenance.file, line: ch.grant.provenance.line, record: ch.grant.provenance.record))
                    },
                    introduced: c.introduced.map(\.fingerprint), resolved: c.resolved)
            },
            history: r.history.map { h in
                .init(
                    database: h.database, scan: h.scan, previous: h.previous?.iso8601, resolved: h.resolved,
                    trend: h.trend.map { p in .init(scan: p.scan, time: p.time.iso8601, open: Dictionary(uniqueKeysWithValues: p.open.map { ($0.key.rawValue, $0.value) })) })
            })
    }
}
