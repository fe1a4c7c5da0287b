import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// Who can do what, built once per snapshot: every principal's effective grants (direct and through
/// groups; the snapshot records each with its shortest group path and the count of other paths,
/// see Sources/RoleAuditImport/GroupResolution.swift), each grant's role resolved against the
/// catalog once per distinct label, and integer ids for principals, roles and places. The rules'
/// context, the reports, `inspect` and the diff read it; nothing else works out what a grant gives.
///
/// Records live in flat arrays indexed by those ids (a grant's position, a principal's, a role's,
/// a place's), so that a million grants cost a few integers each rather than a dictionary entry.
public struct AccessGraph: Sendable {
    /// A role label (platform, level, and for Cortex the tenant) resolved once. A class: rules ask
    /// per grant, and handing out one reference costs less than copying the catalog role it holds.
    public final class ResolvedRole: Sendable {
        /// The catalog's role, for a documented label.
        public let documented: CatalogRole?
        /// The export's definition of a custom role for the grant's tenant (or platform-wide).
        public let defined: RoleDefinition?
        /// What the role gives: the catalog's, else the policy's permission_map over a custom
        /// role's permissions; nil when neither knows the role.
        public let capabilities: Set<CapabilityID>?
        /// The same, sorted (empty when unknown).
        public let sortedCapabilities: [CapabilityID]
        /// The highest risk tier among them.
        public let tier: RiskTier?
        /// The documented role's statements with a contested reading (a cell or passage the
        /// seed leaves open), in the catalog's order.
        public let ambiguous: [CapabilityGrant]

        init(
            documented: CatalogRole?, defined: RoleDefinition?, capabilities: Set<CapabilityID>?, sortedCapabilities: [CapabilityID],
            tier: RiskTier?, ambiguous: [CapabilityGrant]
        ) {
            self.documented = documented
            self.defined = defined
            self.capabilities = capabilities
            self.sortedCapabilities = sortedCapabilities
            self.tier = tier
            self.ambiguous = ambiguous
        }

        public var isKnown: Bool { capabilities != nil }
        public var isPrivileged: Bool { tier == .privileged }
    }

    public let catalog: RoleCatalog
    /// Resolves labels the snapshot's grants do not hold (a role a rule asks about by name).
    public let resolver: RoleResolver
    /// The snapshot's grants sorted by principal (as imports give them, so usually the snapshot's
    /// own order); a grant's id is its position here.
    public let grants: [Grant]
    /// Principal id to principal: every principal that holds a grant, sorted.
    public let principals: [PrincipalID]
    /// Principal id to its grants' ids (a run of `grants`).
    public let grantRange: [Range<Int>]
    /// Principal id to its record in `records`, or -1 when the export names no such user.
    public let recordOf: [Int32]
    /// Every principal of the snapshot, sorted, with or without grants.
    public let records: [Principal]
    /// Grant id to principal id.
    public let principalOf: [Int32]
    /// Role id to the role it resolves to; a role id is one distinct label.
    public let roles: [ResolvedRole]
    /// Grant id to role id.
    public let roleOf: [Int32]
    /// Role id to its grants' ids, ascending.
    public let grantsOfRole: [[Int]]
    /// Place id to place: each account, organization or tenant some grant names, in order of first use.
    public let places: [PlaceID]
    /// Grant id to place id.
    public let placeOf: [Int32]
    /// Huntress organization id to its account.
    public let accountOfOrganization: [String: String]
    /// Place id to the Huntress account above it as an organization (nil for a tenant, or an
    /// organization no list places): for readers of a grant by position, one array read instead of
    /// a string hash per grant.
    public let accountAbovePlace: [String?]
    /// Which customer each organization and tenant belongs to (Customers.swift).
    public let customers: CustomerMap
    /// Who is who across the consoles (the policy's identities and service accounts).
    public let people: People
    /// The account, organization and tenant records by place: the names views print are read here.
    public let placeRecords: PlaceRecords
    private let roleIDs: [RoleResolver.Key: Int32]

    public init(snapshot: Snapshot, catalog: RoleCatalog, policy: Policy) {
        self.init(snapshot: snapshot, grants: Self.sortedByPrincipal(snapshot.grants), catalog: catalog, policy: policy)
    }

    /// The snapshot's grants sorted by principal. Imports come sorted, so this costs one
    /// comparison per grant.
    public static func sortedByPrincipal(_ all: [Grant]) -> [Grant] {
        all.indices.dropFirst().allSatisfy { !((all[$0].platform, all[$0].principal) < (all[$0 - 1].platform, all[$0 - 1].principal)) }
            ? all : all.sorted { ($0.platform, $0.principal) < ($1.platform, $1.principal) }
    }

    /// The graph over `grants`, the snapshot's grants as `sortedByPrincipal` gives them (for a
    /// caller that needs them sorted for other work too).
    public init(snapshot: Snapshot, grants: [Grant], catalog: RoleCatalog, policy: Policy) {
        self.catalog = catalog
        people = People(policy: policy)
        let resolver = RoleResolver(snapshot: snapshot, catalog: catalog, policy: policy)
        self.resolver = resolver
        var accounts: [String: String] = [:]
        for o in snapshot.organizations where o.platform == .huntress {
            if let a = o.accountID { accounts[o.id] = a }
        }
        accountOfOrganization = accounts
        placeRecords = PlaceRecords(snapshot: snapshot, policy: policy)
        self.grants = grants
        let listed = snapshot.principals
        let listedSorted = listed.indices.dropFirst().allSatisfy { !((listed[$0].platform, listed[$0].key) < (listed[$0 - 1].platform, listed[$0 - 1].key)) }
        let records = listedSorted ? listed : listed.sorted { ($0.platform, $0.key) < ($1.platform, $1.key) }
        self.records = records

        var principals: [PrincipalID] = [], grantRange: [Range<Int>] = [], recordOf: [Int32] = []
        var principalOf: [Int32] = [], roleOf: [Int32] = [], placeOf: [Int32] = []
        principalOf.reserveCapacity(grants.count)
        roleOf.reserveCapacity(grants.count)
        placeOf.reserveCapacity(grants.count)
        var roles: [ResolvedRole] = [], grantsOfRole: [[Int]] = [], roleIDs: [RoleResolver.Key: Int32] = [:]
        var places: [PlaceID] = [], placeIDs: [PlaceID: Int32] = [:]
        // Per place: whether an organization-level Huntress grant or a tenant-level Cortex grant
        // names it (bits 1 and 2), for the customers of places no list holds.
        var placeLevels: [UInt8] = []
        var record = 0
        var start = 0
        // Fields are read by index: iterating grants copies each (a retain per reference it holds),
        // which on a million grants cost a tenth of the rules' time.
        for i in grants.indices {
            let key = RoleResolver.Key(platform: grants[i].platform, level: grants[i].level, target: grants[i].target, role: grants[i].role)
            if let id = roleIDs[key] {
                roleOf.append(id)
                grantsOfRole[Int(id)].append(i)
            } else {
                let id = Int32(roles.count)
                roleIDs[key] = id
                roles.append(Self.resolve(grants[i], resolver, catalog))
                grantsOfRole.append([i])
                roleOf.append(id)
            }
            let place = PlaceID(platform: grants[i].platform, id: grants[i].target)
            // Consecutive grants of one principal often share a place: compared before hashing.
            if i > 0, grants[i - 1].target == grants[i].target, grants[i - 1].platform == grants[i].platform {
                placeOf.append(placeOf[i - 1])
            } else if let id = placeIDs[place] {
                placeOf.append(id)
            } else {
                placeIDs[place] = Int32(places.count)
                placeOf.append(Int32(places.count))
                places.append(place)
                placeLevels.append(0)
            }
            switch (grants[i].platform, grants[i].level) {
            case (.huntress, .organization): placeLevels[Int(placeOf[i])] |= 1
            case (.cortexXDR, .tenant): placeLevels[Int(placeOf[i])] |= 2
            default: break
            }
            principalOf.append(Int32(principals.count))
            if i + 1 == grants.count || grants[i + 1].principal != grants[i].principal || grants[i + 1].platform != grants[i].platform {
                let who = PrincipalID(platform: grants[i].platform, key: grants[i].principal)
                // Principals and grants are both sorted: the record is at or after the last one found.
                while record < records.count, PrincipalID(platform: records[record].platform, key: records[record].key) < who { record += 1 }
                recordOf.append(
                    record < records.count && records[record].platform == who.platform && records[record].key == who.key ? Int32(record) : -1)
                principals.append(who)
                grantRange.append(start..<(i + 1))
                start = i + 1
            }
        }
        self.principals = principals
        self.grantRange = grantRange
        self.recordOf = recordOf
        self.principalOf = principalOf
        self.roles = roles
        self.roleIDs = roleIDs
        self.roleOf = roleOf
        self.grantsOfRole = grantsOfRole
        self.places = places
        self.placeOf = placeOf
        accountAbovePlace = places.map { $0.platform == .huntress ? accounts[$0.id] : nil }
        customers = CustomerMap(
            snapshot: snapshot, policy: policy, accountOfOrganization: accounts,
            grantedOrganizations: places.indices.filter { placeLevels[$0] & 1 != 0 }.map { places[$0].id },
            grantedTenants: places.indices.filter { placeLevels[$0] & 2 != 0 }.map { places[$0].id })
    }

    private static func resolve(_ grant: Grant, _ resolver: RoleResolver, _ catalog: RoleCatalog) -> ResolvedRole {
        let (documented, capabilities) = resolver.resolve(grant)
        let sorted = (capabilities ?? []).sorted()
        return ResolvedRole(
            documented: documented, defined: documented == nil ? resolver.definedRole(of: grant) : nil, capabilities: capabilities,
            sortedCapabilities: sorted, tier: sorted.compactMap { catalog.tier(of: $0) }.max(),
            ambiguous: documented?.grants.filter(\.isAmbiguous) ?? [])
    }

    // MARK: reading

    /// What grant `i` gives.
    public func role(ofGrant i: Int) -> ResolvedRole { roles[Int(roleOf[i])] }

    /// The principal id of a principal with grants (binary search), or nil.
    public func principalID(_ who: PrincipalID) -> Int? {
        var (low, high) = (0, principals.count)
        while low < high {
            let mid = (low + high) / 2
            if principals[mid] == who { return mid }
            if principals[mid] < who { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// A principal's grants (empty when it holds none).
    public func grants(of who: PrincipalID) -> ArraySlice<Grant> {
        principalID(who).map { grants[grantRange[$0]] } ?? []
    }

    /// The export's record of a principal, with or without grants (binary search).
    public func record(_ who: PrincipalID) -> Principal? {
        var (low, high) = (0, records.count)
        while low < high {
            let mid = (low + high) / 2
            let k = PrincipalID(platform: records[mid].platform, key: records[mid].key)
            if k == who { return records[mid] }
            if k < who { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The record of grant `i`'s principal, if the export has one.
    public func record(ofGrant i: Int) -> Principal? {
        let r = recordOf[Int(principalOf[i])]
        return r >= 0 ? records[Int(r)] : nil
    }

    /// The role id of a grant's label, whether or not the graph holds that very grant.
    public func roleID(of grant: Grant) -> Int? { roleIDs[RoleResolver.Key(grant)].map(Int.init) }

    /// What a grant gives, for any grant (one a rule builds, or the other side of a diff): its
    /// label's resolution when some grant of the snapshot shares it, else resolved now.
    public func resolution(of grant: Grant) -> ResolvedRole {
        roleID(of: grant).map { roles[$0] } ?? Self.resolve(grant, resolver, catalog)
    }

    /// The Huntress account a grant falls under (its own target, or its organization's account).
    public func account(of grant: Grant) -> String? {
        grant.level == .account ? grant.target : accountOfOrganization[grant.target]
    }
}
