/// One input file as read: what it was, where it came from, and how much it held.
public struct SourceFile: Codable, Sendable, Hashable {
    public var path: String
    /// Detected format, e.g. `huntress.memberships`, `cortex.legacy.get_users`, `cortex.csv.users`.
    public var format: String
    public var platform: Platform?
    /// Huntress account id or Cortex tenant this file describes, when known.
    public var scope: String?
    public var sha256: String
    public var size: Int
    public var records: Int

    public init(
        path: String, format: String, platform: Platform?, scope: String?, sha256: String, size: Int, records: Int
    ) {
        self.path = path
        self.format = format
        self.platform = platform
        self.scope = scope
        self.sha256 = sha256
        self.size = size
        self.records = records
    }
}

/// A gap in the input that limits what can be concluded. Reported in every report's coverage
/// section; a scan with any `incomplete` issue exits 2 unless `--allow-incomplete`.
public struct CoverageIssue: Codable, Sendable, Hashable, Comparable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A list's pagination points at a page that was not supplied.
        case missingPage = "missing-page"
        /// Fewer (or more) records than the export's own `total_count`.
        case countMismatch = "count-mismatch"
        case undefinedGroup = "undefined-group"
        case undefinedRole = "undefined-role"
        case undefinedOrganization = "undefined-organization"
        /// A scope file that does not say whose scope it is.
        case unattributedScope = "unattributed-scope"
        /// An organization that one export places under one account and another under a different
        /// one (a stale membership after a move). Nothing is missing, so the input stays complete.
        case foreignOrganization = "foreign-organization"
        /// The export carries no data for a check (Huntress has no last login): informational.
        case dataNotExported = "data-not-exported"
        /// Cortex user groups nested in each other in a cycle. Their members' access is computed
        /// (each gets the roles of every group in it), so the input stays complete.
        case groupCycle = "group-cycle"
        /// A FIFO, socket or device among the inputs: not read, so the input is incomplete.
        case skippedFile = "skipped-file"
        /// `roleaudit collect` marked a scope incomplete or was interrupted (`roleaudit-collection.json`).
        case collectionIncomplete = "collection-incomplete"
        /// A file the collection manifest lists is not there.
        case collectedFileMissing = "collected-file-missing"
        /// A collected file's SHA-256 differs from the one the manifest recorded.
        case collectedFileChanged = "collected-file-changed"
        /// A file in a collected scope's folder that the collection did not write.
        case collectedFileUnlisted = "collected-file-unlisted"
    }

    public var kind: Kind
    public var platform: Platform?
    public var scope: String?
    public var file: String?
    public var detail: String
    /// The principal whose record holds the reference, where one does (a user in a group that was
    /// not exported, a membership in an organization the list lacks).
    public var principal: String?
    /// What is missing, named without file positions (`organization 88106`, `group Ghost`):
    /// findings about the issue are identified by it.
    public var reference: String?
    /// The role the record that holds the reference gives, where it names one (a membership's
    /// role in an organization the list lacks, the role that names a group not exported).
    public var role: String?
    /// The record that holds the reference.
    public var record: Provenance?

    public init(
        kind: Kind, platform: Platform?, scope: String? = nil, file: String? = nil, detail: String, principal: String? = nil,
        reference: String? = nil, role: String? = nil, record: Provenance? = nil
    ) {
        self.kind = kind
        self.platform = platform
        self.scope = scope
        self.file = file
        self.detail = detail
        self.principal = principal
        self.reference = reference
        self.role = role
        self.record = record
    }

    /// Gaps make the input incomplete; inconsistencies and data the vendor never exports do not.
    public var makesInputIncomplete: Bool { ![.dataNotExported, .foreignOrganization, .groupCycle].contains(kind) }

    public static func < (a: CoverageIssue, b: CoverageIssue) -> Bool {
        let x = (a.kind.rawValue, a.platform?.rawValue ?? "", a.scope ?? "", a.file ?? "", a.detail)
        let y = (b.kind.rawValue, b.platform?.rawValue ?? "", b.scope ?? "", b.file ?? "", b.detail)
        if x != y { return x < y }
        // Alike but for who or which record (one user in several records of an export): ordered by
        // those too, or their order would be whatever order a set happens to iterate in.
        if (a.principal ?? "", a.reference ?? "") != (b.principal ?? "", b.reference ?? "") {
            return (a.principal ?? "", a.reference ?? "") < (b.principal ?? "", b.reference ?? "")
        }
        switch (a.record, b.record) {
        case (let p?, let q?): return p < q
        case (nil, .some): return true
        default: return false
        }
    }
}

/// Everything read from the inputs, in the canonical model. Collections are sorted so that the same
/// inputs give the same snapshot whatever the order of files and records.
public struct Snapshot: Codable, Sendable {
    public static let formatVersion = 1

    public var accounts: [Account]
    public var organizations: [Organization]
    public var principals: [Principal]
    public var groups: [Group]
    public var roles: [RoleDefinition]
    public var grants: [Grant]
    public var sources: [SourceFile]
    public var coverage: [CoverageIssue]

    public init(
        accounts: [Account] = [], organizations: [Organization] = [], principals: [Principal] = [],
        groups: [Group] = [], roles: [RoleDefinition] = [], grants: [Grant] = [], sources: [SourceFile] = [],
        coverage: [CoverageIssue] = []
    ) {
        self.accounts = accounts
        self.organizations = organizations
        self.principals = principals
        self.groups = groups
        self.roles = roles
        self.grants = grants
        self.sources = sources
        self.coverage = coverage
    }

    public var isComplete: Bool { !coverage.contains(where: \.makesInputIncomplete) }
}
