import Foundation
import RoleAuditModel

/// Known findings, by fingerprint (rule, platform, scope, principal, role; never file positions),
/// that do not fail the gate. `roleaudit baseline` writes one; `scan --baseline` reads it.
public struct Baseline: Codable, Sendable, Equatable {
    public static let schemaName = "roleaudit.baseline"
    public static let version = 1

    public struct Entry: Codable, Sendable, Hashable {
        public var fingerprint: String
        public var rule_id: String
        public var severity: String
        public var platform: String
        public var scope: String
        public var principal: String?
        public var role: String?
        public var message: String

        public init(
            fingerprint: String, rule_id: String, severity: String, platform: String, scope: String, principal: String?, role: String?,
            message: String
        ) {
            self.fingerprint = fingerprint
            self.rule_id = rule_id
            self.severity = severity
            self.platform = platform
            self.scope = scope
            self.principal = principal
            self.role = role
            self.message = message
        }

        public init(_ f: Finding) {
            fingerprint = f.fingerprint
            rule_id = f.ruleID
            severity = f.severity.rawValue
            platform = f.platform.rawValue
            scope = f.scope
            principal = f.principal
            role = f.role
            message = f.message
        }
    }

    public var schema: String
    public var schema_version: Int
    public var generated_at: String
    public var entries: [Entry]

    /// The open findings of a scan (waived ones have their own, expiring, record), by fingerprint.
    public init(findings: [Finding], generatedAt: String) {
        schema = Self.schemaName
        schema_version = Self.version
        generated_at = generatedAt
        entries = findings.filter(\.isOpen).map(Entry.init).sorted { $0.fingerprint < $1.fingerprint }
    }
}
