import Foundation

/// What `roleaudit certify` makes of a reviewed worksheet (entitlements.csv with `decision`,
/// `reviewer` and `comment` filled in): written as certification.json, read back by
/// `scan --certification` (CERT-001: revoked in review, still present).
public struct Certification: Codable, Sendable, Hashable {
    public static let schemaName = "roleaudit.certification"
    public static let version = 1

    public struct Worksheet: Codable, Sendable, Hashable {
        public var path: String
        public var sha256: String
        public var rows: Int
        public init(path: String, sha256: String, rows: Int) {
            self.path = path
            self.sha256 = sha256
            self.rows = rows
        }
    }

    public struct Tally: Codable, Sendable, Hashable {
        public var keep = 0
        public var revoke = 0
        public var undecided = 0
        public init() {}
    }

    /// One grant a reviewer revoked: what an administrator removes.
    public struct Revocation: Codable, Sendable, Hashable {
        public var platform: Platform
        public var account: String?
        public var organization: String?
        public var tenant: String?
        public var principal: String
        public var role: String
        public var level: Level
        public var via: String
        public var reviewer: String?
        public var comment: String?
        /// The worksheet's row (1 = the first row after the header).
        public var row: Int

        public init(
            platform: Platform, account: String?, organization: String?, tenant: String?, principal: String, role: String, level: Level,
            via: String, reviewer: String?, comment: String?, row: Int
        ) {
            self.platform = platform
            self.account = account
            self.organization = organization
            self.tenant = tenant
            self.principal = principal
            self.role = role
            self.level = level
            self.via = via
            self.reviewer = reviewer
            self.comment = comment
            self.row = row
        }

        /// Where the revoked grant was: the target a grant of this level names.
        public var target: String? {
            switch (platform, level) {
            case (.huntress, .organization): organization
            case (.huntress, _): account
            default: tenant
            }
        }
    }

    /// A worksheet row's grant as the scan writes it (Sources/RoleAuditReports/CSV/CSVReportWriter.swift):
    /// who holds which role where, through which path. A principal that holds no role is a row
    /// too, with no role, level or place. Principals are compared lower-cased.
    public struct GrantKey: Hashable, Sendable {
        public var platform: Platform
        public var account: String?
        public var organization: String?
        public var tenant: String?
        public var principal: String
        public var role: String?
        public var level: Level?
        public var via: String?

        public init(
            platform: Platform, account: String? = nil, organization: String? = nil, tenant: String? = nil, principal: String,
            role: String? = nil, level: Level? = nil, via: String? = nil
        ) {
            self.platform = platform
            self.account = account
            self.organization = organization
            self.tenant = tenant
            self.principal = principal.lowercased()
            self.role = role
            self.level = level
            self.via = via
        }

        /// `Admin of jane@corp.example at organization 9021 (direct)`, for errors.
        public var label: String {
            guard let role, let level else { return "\(principal) on \(platform.rawValue), no role" }
            let target: String?
            switch (platform, level) {
            case (.huntress, .organization): target = organization
            case (.huntress, _): target = account
            default: target = tenant
            }
            return "\(role) of \(principal) at \(level.rawValue) \(target ?? "")" + (via.map { " (\($0))" } ?? "")
        }
    }

    public var schema = Certification.schemaName
    public var schema_version = Certification.version
    public var worksheet: Worksheet
    /// The scan the worksheet came from (its `scan_date` column), when it says.
    public var scan_date: String?
    /// When the review was certified (`--now`), ISO-8601.
    public var reviewed_at: String
    /// Per reviewer (`""`: rows nobody signed): keep, revoke and undecided rows.
    public var reviewers: [String: Tally]
    public var revocations: [Revocation]

    public init(worksheet: Worksheet, scanDate: String?, reviewedAt: String, reviewers: [String: Tally], revocations: [Revocation]) {
        self.worksheet = worksheet
        scan_date = scanDate
        reviewed_at = reviewedAt
        self.reviewers = reviewers
        self.revocations = revocations
    }
}
