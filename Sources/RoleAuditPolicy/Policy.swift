import Foundation
import RoleAuditModel

/// `roleaudit.yml`: what an organization decides on top of the vendors' documents. Every part is
/// optional; an absent file is the default policy.
public struct Policy: Sendable {
    public struct RuleSetting: Sendable, Equatable {
        public var enabled: Bool?
        public var severity: Severity?
        public init(enabled: Bool? = nil, severity: Severity? = nil) {
            self.enabled = enabled
            self.severity = severity
        }
    }

    /// Principals matched by email domain (or "external": any domain that is neither the MSP's nor
    /// a customer's) or by Cortex group, held to at most `maxTier`.
    public struct Ceiling: Sendable, Equatable {
        public var name: String
        public var domains: [String]
        public var external: Bool
        public var groups: [String]
        public var maxTier: RiskTier
        public var line: Int

        public init(name: String, domains: [String], external: Bool, groups: [String], maxTier: RiskTier, line: Int) {
            self.name = name
            self.domains = domains
            self.external = external
            self.groups = groups
            self.maxTier = maxTier
            self.line = line
        }
    }

    /// Two sides one principal must not hold through different grants.
    public struct Conflict: Sendable, Equatable {
        public struct Side: Sendable, Equatable {
            public var capabilities: [CapabilityID]
            public var roles: [String]
        }
        public var id: String
        public var name: String
        public var left: Side
        public var right: Side
        public var severity: Severity
        public var rationale: String
        public var line: Int
    }

    public struct Waiver: Sendable, Equatable, Codable {
        public var id: String
        public var rule: String
        public var principal: String?
        public var organization: String?
        public var tenant: String?
        public var reason: String
        public var owner: String
        public var ticket: String?
        public var mitigatingControl: String?
        /// The first day on which the waiver no longer applies (expires: 2026-12-31 waives up to
        /// the end of 31 December, UTC).
        public var expires: Date
        public var line: Int

        public init(
            id: String, rule: String, principal: String? = nil, organization: String? = nil, tenant: String? = nil, reason: String,
            owner: String, ticket: String? = nil, mitigatingControl: String? = nil, expires: Date, line: Int
        ) {
            self.id = id
            self.rule = rule
            self.principal = principal
            self.organization = organization
            self.tenant = tenant
            self.reason = reason
            self.owner = owner
            self.ticket = ticket
            self.mitigatingControl = mitigatingControl
            self.expires = expires
            self.line = line
        }
    }

    /// Where the policy came from (nil: built-in defaults) and its SHA-256.
    public var path: String?
    public var sha256: String?
    public var rules: [String: RuleSetting] = [:]
    /// LP-001: more full administrators than this per account or tenant is a finding.
    public var maxFullAdmins = 3
    /// LP-002: a privileged user unseen for more days than this is dormant.
    public var dormantDays = 90
    public var mspDomains: [String] = []
    /// Huntress organization id to its customer's email domains.
    public var orgDomains: [String: [String]] = [:]
    /// Cortex tenant to customer (adds to, and overrides, the exports' manifests).
    public var customers: [String: String] = [:]
    public var ceilings: [Ceiling] = []
    public var conflicts: [Conflict] = []
    /// Cortex custom-role permission string to the capabilities it gives.
    public var permissionMap: [String: [CapabilityID]] = [:]
    /// Principals allowed in more than one Huntress organization (ISO-001).
    public var allowedCrossOrg: Set<String> = []
    public var waivers: [Waiver] = []
    /// One person known by several email addresses (`identities`): the person view, the roster and
    /// the XP rules treat the addresses as one person (Sources/RoleAuditGraph/People.swift).
    public var identities: [Identity] = []
    /// Email addresses of accounts no person holds (shared mailboxes, integrations): never an
    /// unknown person to a roster (XP-003). Lower-cased.
    public var serviceAccounts: Set<String> = []

    public struct Identity: Sendable, Equatable {
        public var name: String
        /// Lower-cased.
        public var emails: [String]
        public var line: Int
        public init(name: String, emails: [String], line: Int) {
            self.name = name
            self.emails = emails
            self.line = line
        }
    }

    public init() {}

    public func isEnabled(_ rule: String) -> Bool { rules[rule]?.enabled ?? true }
    public func severity(of rule: String, default value: Severity) -> Severity { rules[rule]?.severity ?? value }
}
