import Crypto
import Foundation
import RoleAuditModel

/// One problem found: what, where, who, why, and the grants that prove it.
public struct Finding: Codable, Sendable, Hashable {
    /// `open` without history; `new` or `persisting` with it. `waived` by a policy waiver;
    /// `baselined` when a baseline (or, in a diff, the state before the change) already held it.
    public enum Status: String, Codable, Sendable { case open, new, persisting, waived, baselined }

    public struct Evidence: Codable, Sendable, Hashable {
        public var grant: Grant?
        public var detail: String
        /// For evidence that is no grant: the export record that holds the deciding value (the user
        /// record with the last login or user type, the membership that names a missing organization).
        public var record: Provenance? = nil

        /// Where the export says it: the grant's record, or the one this evidence cites.
        public var source: Provenance? { grant?.provenance ?? record }
    }

    /// What a finding says, kept in one box that copies share until one of them changes: the gate,
    /// the sorts and every report writer copy findings (hundreds of thousands on a large export),
    /// and a copy of the fields is a reference count per string, a copy of the box one. Measured on
    /// the realistic 1,000,000-membership export: the copies were a tenth of the main job's time
    /// (README, "Speed").
    struct Fields: Codable, Sendable, Hashable {
        public var ruleID: String
        public var severity: Severity
        public var category: RuleCategory
        public var platform: Platform
        public var account: String?
        public var organization: String?
        public var tenant: String?
        public var principal: String?
        /// The role the finding is about, when one is: part of the fingerprint.
        public var role: String?
        /// What the finding is about when scope, principal and role do not say it alone (ISO-006: what
        /// is missing, `organization 88106`, `group Ghost`): part of the fingerprint when set.
        public var subject: String?
        public var message: String
        public var evidence: [Evidence]
        /// What the finding assumes: the broader reading of an ambiguous passage, an inferred domain.
        public var assumptions: [String]
        public var status: Status = .open
        public var waiver: String?
        public var fingerprint: String = ""
        /// When history first recorded this finding (nil without history).
        public var firstSeen: Date?
    }

    private final class Box: @unchecked Sendable {
        // Written only through `edit`, which first makes the box this finding's own.
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private mutating func edit(_ change: (inout Fields) -> Void) {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        change(&box.fields)
    }

    public var ruleID: String { get { box.fields.ruleID } set { edit { $0.ruleID = newValue } } }
    public var severity: Severity { get { box.fields.severity } set { edit { $0.severity = newValue } } }
    public var category: RuleCategory { get { box.fields.category } set { edit { $0.category = newValue } } }
    public var platform: Platform { get { box.fields.platform } set { edit { $0.platform = newValue } } }
    public var account: String? { get { box.fields.account } set { edit { $0.account = newValue } } }
    public var organization: String? { get { box.fields.organization } set { edit { $0.organization = newValue } } }
    public var tenant: String? { get { box.fields.tenant } set { edit { $0.tenant = newValue } } }
    public var principal: String? { get { box.fields.principal } set { edit { $0.principal = newValue } } }
    public var role: String? { get { box.fields.role } set { edit { $0.role = newValue } } }
    public var subject: String? { get { box.fields.subject } set { edit { $0.subject = newValue } } }
    public var message: String { get { box.fields.message } set { edit { $0.message = newValue } } }
    public var evidence: [Evidence] { get { box.fields.evidence } set { edit { $0.evidence = newValue } } }
    public var assumptions: [String] { get { box.fields.assumptions } set { edit { $0.assumptions = newValue } } }
    public var status: Status { get { box.fields.status } set { edit { $0.status = newValue } } }
    public var waiver: String? { get { box.fields.waiver } set { edit { $0.waiver = newValue } } }
    public var fingerprint: String { get { box.fields.fingerprint } set { edit { $0.fingerprint = newValue } } }
    public var firstSeen: Date? { get { box.fields.firstSeen } set { edit { $0.firstSeen = newValue } } }

    public static func == (a: Finding, b: Finding) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }
    /// The same keys as the fields' own: a finding encodes as it did before it had a box.
    public init(from decoder: any Decoder) throws { box = Box(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    /// Open findings fail the gate; waived and baselined ones are reported but do not.
    public var isOpen: Bool { status == .open || status == .new || status == .persisting }

    /// `severity` is the rule's default unless the rule rates this finding otherwise (ISO-002 rates
    /// by what the role reaches); a policy override then applies as `RuleEngine.scan` says.
    public init(
        rule: RuleDescription, platform: Platform, account: String? = nil, organization: String? = nil,
        tenant: String? = nil, principal: String? = nil, role: String? = nil, subject: String? = nil, message: String,
        evidence: [Evidence] = [], assumptions: [String] = [], severity: Severity? = nil
    ) {
        box = Box(Fields(
            ruleID: rule.id, severity: severity ?? rule.defaultSeverity, category: rule.category, platform: platform, account: account,
            organization: organization, tenant: tenant, principal: principal, role: role, subject: subject, message: message,
            evidence: evidence, assumptions: assumptions,
            fingerprint: Finding.fingerprint(rule.id, platform, account, organization, tenant, principal, role, subject)))
    }

    /// Rule, platform, scope, principal and role: never file positions or input order, so a
    /// finding keeps its fingerprint across exports, runs and baselines. `subject` is what the
    /// finding is about when scope, principal and role do not say it alone (ISO-006: the missing
    /// `group Ghost` a user is in, whose roles are unknown); without one the key is unchanged.
    static func fingerprint(
        _ rule: String, _ platform: Platform, _ account: String?, _ organization: String?, _ tenant: String?,
        _ principal: String?, _ role: String?, _ subject: String? = nil
    ) -> String {
        // The parts joined by U+001F, hashed, and hex-encoded by table straight into the result.
        // The key is laid out in a temporary buffer, not built as an array of parts and a joined
        // string: a scan makes one fingerprint per finding, hundreds of thousands on a large export.
        let parts = (rule, platform.rawValue, account ?? "", organization ?? "", tenant ?? "", principal ?? "", role ?? "", subject)
        let length = parts.0.utf8.count + parts.1.utf8.count + parts.2.utf8.count + parts.3.utf8.count + parts.4.utf8.count
            + parts.5.utf8.count + parts.6.utf8.count + (subject.map { $0.utf8.count + 1 } ?? 0) + 6
        let digest = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { key in
            var at = 0
            func put(_ s: String, separated: Bool = true) {
                if separated {
                    key[at] = 0x1F
                    at += 1
                }
                let copied = s.utf8.withContiguousStorageIfAvailable { bytes in
                    _ = UnsafeMutableBufferPointer(rebasing: key[at..<(at + bytes.count)]).initialize(fromContentsOf: bytes)
                    return bytes.count
                }
                if let copied {
                    at += copied
                } else {
                    for b in s.utf8 {
                        key[at] = b
                        at += 1
                    }
                }
            }
            put(parts.0, separated: false)
            put(parts.1)
            put(parts.2)
            put(parts.3)
            put(parts.4)
            put(parts.5)
            put(parts.6)
            if let subject { put(subject) }
            return SHA256.hash(data: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: key[0..<at])))
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            for (i, byte) in digest.prefix(10).enumerated() {
                out[2 * i] = hexDigits[Int(byte >> 4)]
                out[2 * i + 1] = hexDigits[Int(byte & 0x0F)]
            }
            return 20
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Where a finding is, as its parts: the organization, else the tenant, else the account, else
    /// the platform as a whole. The one statement of that precedence: `scope`, the reports' place
    /// labels and the terminal summary's groups read it, and grouping by it builds no string per
    /// finding (a label per finding was a tenth of report.html on a large scan).
    public struct ScopeKey: Hashable, Sendable {
        public enum Level: UInt8, Sendable { case organization, tenant, account, platform }
        public let platform: Platform
        public let level: Level
        /// The organization, tenant or account id; nil for `.platform`.
        public let id: String?
    }

    public var scopeKey: ScopeKey {
        if let o = box.fields.organization { return ScopeKey(platform: box.fields.platform, level: .organization, id: o) }
        if let t = box.fields.tenant { return ScopeKey(platform: box.fields.platform, level: .tenant, id: t) }
        if let a = box.fields.account { return ScopeKey(platform: box.fields.platform, level: .account, id: a) }
        return ScopeKey(platform: box.fields.platform, level: .platform, id: nil)
    }

    /// The scope as one label: `organization 88101`, `tenant acme-prod`, `account 41207`.
    public var scope: String { scopeKey.label }
}

extension Finding.ScopeKey {
    /// `organization 88101`, `tenant acme-prod`, `account 41207`, or the platform's name.
    public var label: String {
        switch level {
        case .organization: return "organization \(id ?? "")"
        case .tenant: return "tenant \(id ?? "")"
        case .account: return "account \(id ?? "")"
        case .platform: return platform.rawValue
        }
    }
}

extension Finding.Evidence {
    public static func grant(_ g: Grant, _ detail: String) -> Finding.Evidence { .init(grant: g, detail: detail) }
    public static func note(_ detail: String) -> Finding.Evidence { .init(grant: nil, detail: detail) }
    /// A deciding value and the record that holds it (a note when the export names no record).
    public static func record(_ record: Provenance?, _ detail: String) -> Finding.Evidence { .init(grant: nil, detail: detail, record: record) }
}
