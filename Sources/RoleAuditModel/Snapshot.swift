import Foundation

/// Where a fact came from: the file as the user named it, the list inside it and the element's
/// index (`memberships[3]`), and its line. Never used in fingerprints. The list name is a shared
/// string, so a million grants do not carry a million record strings.
public struct Provenance: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    /// The list or table the record is in: `memberships`, `reply`, `data`, `row`, an XML element.
    public var collection: String
    /// 0-based element index in a JSON list; 1-based record number in a CSV (header excluded).
    public var index: Int?
    public var line: Int?

    public init(file: String, collection: String, index: Int? = nil, line: Int? = nil) {
        self.file = file
        self.collection = collection
        self.index = index
        self.line = line
    }

    /// `memberships[3]`, `record 12`, or the collection alone.
    public var record: String {
        let p = recordPieces
        guard let index = p.index else { return p.collection }
        return "\(p.collection)\(p.between)\(index)\(p.after)"
    }

    /// `record` in its pieces: the collection, and with an index what goes before and after it. A
    /// writer that prints a record per row puts the pieces out as they are, instead of building a
    /// string per row (a sixteenth of a million-row entitlements.csv).
    public var recordPieces: (collection: String, between: StaticString, index: Int?, after: StaticString) {
        collection == "record" ? (collection, " ", index, "") : (collection, "[", index, "]")
    }

    public var description: String {
        if let line { return "\(file):\(line) (\(record))" }
        return "\(file) (\(record))"
    }

    public static func < (a: Provenance, b: Provenance) -> Bool {
        (a.file, a.line ?? 0, a.collection, a.index ?? 0) < (b.file, b.line ?? 0, b.collection, b.index ?? 0)
    }
}

/// A Huntress account (the MSP) or a Cortex customer account / Cortex Gateway.
public struct Account: Codable, Sendable, Hashable {
    public var platform: Platform
    public var id: String
    public var name: String?
    public init(platform: Platform, id: String, name: String? = nil) {
        self.platform = platform
        self.id = id
        self.name = name
    }
}

/// A Huntress organization (a customer of the MSP) or a Cortex tenant.
public struct Organization: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case organization, tenant }
    public var platform: Platform
    public var kind: Kind
    public var id: String
    public var name: String?
    public var accountID: String?
    /// The customer this organization or tenant belongs to, when a manifest or policy says so.
    public var customer: String?

    public init(
        platform: Platform, kind: Kind, id: String, name: String? = nil, accountID: String? = nil,
        customer: String? = nil
    ) {
        self.platform = platform
        self.kind = kind
        self.id = id
        self.name = name
        self.accountID = accountID
        self.customer = customer
    }
}

/// What an export says about a principal's last sign-in. Huntress carries none, which is
/// `.unknown` and must never be read as `.never`.
public enum LastLogin: Codable, Sendable, Hashable, Equatable {
    case unknown
    case never
    case at(Date)

    /// The later of two records' last logins: a time over `never` over `unknown`.
    public static func latest(_ a: LastLogin, _ b: LastLogin) -> LastLogin {
        switch (a, b) {
        case (.at(let x), .at(let y)): .at(max(x, y))
        case (.at, _): a
        case (_, .at): b
        case (.never, _), (_, .never): .never
        default: .unknown
        }
    }
}

public struct Principal: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case human, nonHuman = "non-human" }
    public var platform: Platform
    /// Lower-cased email for humans; the vendor's id for non-human principals.
    public var key: String
    public var kind: Kind
    public var email: String?
    public var name: String?
    public var vendorIDs: [String]
    /// Cortex `user_type` (`CSP`, `SSO`, ...), as exported.
    public var userType: String?
    /// The status as the user records give it; where several tenants' records give several, the
    /// least in text order (`Active` before `Inactive`). What a fact about one tenant reads is
    /// `status(in:)`.
    public var status: String?
    /// Cortex keeps a user record per tenant, and a user may be Active in one and Inactive in
    /// another, or sign in to one every day and to another never; the snapshot keeps one principal
    /// per user, so each tenant's status and last login are kept here, with the record that says
    /// them. Empty where no record names its tenant (Huntress; a snapshot principal without `tenant`).
    public var tenantStatuses: [String: TenantStatus]
    /// Each tenant's last login, the latest its records give (a record may give a login and no
    /// status, as get_users does where the console's users table gives both).
    public var tenantLogins: [String: LastLogin]
    /// The latest of every record's last login. What a fact about one tenant reads is `lastLogin(in:)`.
    public var lastLogin: LastLogin
    public var hidden: Bool?
    /// Set for an API key: who made it, when, why, and when it expires.
    public var apiKey: APIKey? {
        get { apiKeyRecord?.value }
        set { apiKeyRecord = newValue.map(Indirect.init) }
    }
    /// `apiKey`, held out of line: few principals are keys, and held in the struct it took 128 of
    /// its 321 bytes, copied and written for each of a million users by the import and the rules.
    private var apiKeyRecord: Indirect<APIKey>?
    /// The user record the principal comes from, where one names it (a user list, a key list);
    /// the first one when several do.
    public var source: Provenance?

    /// The members' names as they were when `apiKey` was held in the struct.
    private enum CodingKeys: String, CodingKey {
        case platform, key, kind, email, name, vendorIDs, userType, status, tenantStatuses, tenantLogins, lastLogin, hidden, source
        case apiKeyRecord = "apiKey"
    }

    public init(
        platform: Platform, key: String, kind: Kind = .human, email: String? = nil, name: String? = nil,
        vendorIDs: [String] = [], userType: String? = nil, status: String? = nil, tenant: String? = nil,
        lastLogin: LastLogin = .unknown, hidden: Bool? = nil, apiKey: APIKey? = nil, source: Provenance? = nil
    ) {
        self.platform = platform
        self.key = key
        self.kind = kind
        self.email = email
        self.name = name
        self.vendorIDs = vendorIDs
        self.userType = userType
        self.status = status
        // A record read from one tenant's user list says the status there.
        tenantStatuses = if let tenant, let status { [tenant: TenantStatus(status: status, source: source)] } else { [:] }
        tenantLogins = if let tenant, lastLogin != .unknown { [tenant: lastLogin] } else { [:] }
        self.lastLogin = lastLogin
        self.hidden = hidden
        apiKeyRecord = apiKey.map(Indirect.init)
        self.source = source
    }

    /// A Cortex user's status in one tenant, and the user record that says it.
    public struct TenantStatus: Codable, Sendable, Hashable {
        public var status: String
        public var source: Provenance?
        public init(status: String, source: Provenance?) {
            self.status = status
            self.source = source
        }
    }

    /// The status where a grant is held: the tenant's own user record's, else (no tenant, or no
    /// record from that tenant) the principal's one status.
    public func status(in tenant: String?) -> String? {
        tenant.flatMap { tenantStatuses[$0]?.status } ?? status
    }

    /// The last login where a grant is held: the tenant's own user records', else (no tenant, no
    /// record from that tenant, or one that does not say) the latest of all. A user who signs in
    /// to one tenant daily and never to another is dormant in the other: the latest of all alone
    /// hid that (LP-002, LP-003).
    public func lastLogin(in tenant: String?) -> LastLogin {
        tenant.flatMap { tenantLogins[$0] } ?? lastLogin
    }

    /// Whether a status says the user may sign in: Cortex says `Active`; anything else (Inactive,
    /// Disabled, Pending) is switched off.
    public static func isActive(_ status: String) -> Bool { status.caseInsensitiveCompare("active") == .orderedSame }

    /// Takes another record's statuses of the same user: per tenant, and the one status, the
    /// least in text order, so the merge does not depend on the order files are read in; and its
    /// last login per tenant, the latest.
    public mutating func mergeStatuses(of other: Principal) {
        if let s = other.status, status.map({ s < $0 }) ?? true { status = s }
        for (tenant, t) in other.tenantStatuses {
            if let old = tenantStatuses[tenant] {
                // The same status from two records of one tenant: the first record cites it.
                let keep = old.status != t.status ? old.status < t.status : t.source.map { new in old.source.map { $0 <= new } ?? false } ?? true
                if keep { continue }
            }
            tenantStatuses[tenant] = t
        }
        // A tenant's last login: the latest its records give.
        for (tenant, login) in other.tenantLogins { tenantLogins[tenant] = LastLogin.latest(tenantLogins[tenant] ?? .unknown, login) }
    }

    /// The domain of the principal's email, lower-cased, if it has one.
    public var emailDomain: String? {
        guard let email, let at = email.lastIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...]
        return domain.isEmpty ? nil : domain.lowercased()
    }
}

/// What an API key's record says besides its roles (Cortex `api_keys/get_api_keys`; the snapshot's
/// `api_keys`). The key is a non-human principal; its roles are its grants.
public struct APIKey: Codable, Sendable, Hashable {
    /// `never` where the export says the key does not expire (`expiration: null`); `unknown` where
    /// it does not say.
    public enum Expiry: Codable, Sendable, Hashable {
        case unknown
        case never
        case at(Date)
    }

    /// The vendor's id of the key, unique within its tenant.
    public var id: String
    public var tenant: String
    /// The email of whoever created the key.
    public var createdBy: String?
    public var createdAt: Date?
    public var expiration: Expiry
    public var comment: String?
    /// `user_name` as the export gives it.
    public var userName: String?
    /// `Standard` or `Advanced`, as exported.
    public var securityLevel: String?

    public init(
        id: String, tenant: String, createdBy: String? = nil, createdAt: Date? = nil, expiration: Expiry = .unknown,
        comment: String? = nil, userName: String? = nil, securityLevel: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiration = expiration
        self.comment = comment
        self.userName = userName
        self.securityLevel = securityLevel
    }

    /// The principal key of an API key: ids are per tenant, so the tenant is part of it.
    public static func principalKey(tenant: String, id: String) -> String { "api-key:\(tenant):\(id)" }
}

/// A role as an export defines it: a predefined role's name, or a custom role with permission strings.
public struct RoleDefinition: Codable, Sendable, Hashable {
    public var platform: Platform
    /// Tenant the definition was exported from (Cortex), nil for platform-wide roles.
    public var tenant: String?
    public var id: String?
    public var name: String
    public var isCustom: Bool?
    public var permissions: [String]
    public var description: String?
    public var provenance: Provenance

    public init(
        platform: Platform, tenant: String? = nil, id: String? = nil, name: String, isCustom: Bool? = nil,
        permissions: [String] = [], description: String? = nil, provenance: Provenance
    ) {
        self.platform = platform
        self.tenant = tenant
        self.id = id
        self.name = name
        self.isCustom = isCustom
        self.permissions = permissions
        self.description = description
        self.provenance = provenance
    }
}

/// A Cortex user group: a role given to its members, its own members, SAML groups mapped into it,
/// and groups nested in it.
public struct Group: Codable, Sendable, Hashable {
    public var platform: Platform
    public var tenant: String
    public var id: String?
    public var name: String
    public var roles: [String]
    public var members: [String]
    public var idpGroups: [String]
    public var nestedGroups: [String]
    public var type: String?
    public var provenance: Provenance

    public init(
        platform: Platform, tenant: String, id: String? = nil, name: String, roles: [String] = [],
        members: [String] = [], idpGroups: [String] = [], nestedGroups: [String] = [], type: String? = nil,
        provenance: Provenance
    ) {
        self.platform = platform
        self.tenant = tenant
        self.id = id
        self.name = name
        self.roles = roles
        self.members = members
        self.idpGroups = idpGroups
        self.nestedGroups = nestedGroups
        self.type = type
        self.provenance = provenance
    }
}

/// A Cortex SBAC scope: per scoping area (`endpoints`, `assets`, `cases_issues`, ...) the names of
/// the tags or groups it is limited to. An empty scope means the whole tenant.
public struct Scope: Codable, Sendable, Hashable {
    public var areas: [String: [String]]
    public init(areas: [String: [String]] = [:]) { self.areas = areas }
    public var isEmpty: Bool { areas.values.allSatisfy(\.isEmpty) }
    public var limitsEndpoints: Bool { !(areas["endpoints"] ?? []).isEmpty }
}

/// How a principal came to hold a role: directly, or through a group (and the chain of nested
/// groups that led there).
public enum GrantPath: Codable, Sendable, Hashable {
    case direct
    case group(name: String, chain: [String])

    public var groupName: String? {
        if case .group(let name, _) = self { return name }
        return nil
    }

    /// `direct`, or the groups the grant comes through, from the one that gives the role to the
    /// one the principal is in: `group SOC > Tier 2`. `chain` runs the other way (member's group
    /// first, Sources/RoleAuditImport/GroupResolution.swift), so it is read backwards; putting the
    /// giver first and the rest in chain order scrambled paths three groups deep.
    public var label: String {
        guard case .group(let name, let chain) = self else { return "direct" }
        return "group " + (chain.isEmpty ? name : chain.reversed().joined(separator: " > "))
    }
}

/// Principal holds role at a level over a target. Provenance says which file and record gave it.
public struct Grant: Codable, Sendable, Hashable {
    public var platform: Platform
    public var principal: String
    public var role: String
    public var level: Level
    /// Account id, organization id or tenant name, depending on `level`.
    public var target: String
    public var path: GrantPath
    public var scope: Scope?
    /// When the vendor says the grant was made (Huntress membership `created_at`), if it says.
    public var createdAt: Date?
    public var provenance: Provenance
    /// Other records that give this same grant (one assignment seen in several files, such as a
    /// Cortex user's record and its role's user list), in order. Never part of a fingerprint.
    public var alsoIn: [Provenance] = []
    /// Through groups: how many other groups the principal is in that give this role here too.
    /// `path` is the shortest way; the others are counted, not kept as grants of their own.
    public var otherPaths = 0

    public init(
        platform: Platform, principal: String, role: String, level: Level, target: String,
        path: GrantPath = .direct, scope: Scope? = nil, createdAt: Date? = nil, provenance: Provenance,
        alsoIn: [Provenance] = [], otherPaths: Int = 0
    ) {
        self.alsoIn = alsoIn
        self.otherPaths = otherPaths
        self.platform = platform
        self.principal = principal
        self.role = role
        self.level = level
        self.target = target
        self.path = path
        self.scope = scope
        self.createdAt = createdAt
        self.provenance = provenance
    }
}
