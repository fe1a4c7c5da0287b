import RoleAuditModel
import RoleAuditPolicy

/// One customer of the MSP: the Huntress organizations and Cortex tenants that are its own, and the
/// Huntress accounts above those organizations (whose account-level roles reach them).
public struct Customer: Sendable, Hashable, Comparable {
    public let name: String
    /// Huntress organization ids, sorted.
    public let organizations: [String]
    /// Cortex tenant names, sorted.
    public let tenants: [String]
    /// The Huntress accounts its organizations fall under, sorted.
    public let accounts: [String]

    public static func < (a: Customer, b: Customer) -> Bool { a.name < b.name }
}

/// Who each place belongs to: the one place a customer is computed. A Huntress organization is
/// its own customer (named by the policy's `customers`, the export, or the organization's name);
/// organizations that share a domain in `org_domains` are one customer (a customer with several
/// organizations); a Cortex tenant belongs to the customer the policy's `customers` or its
/// `roleaudit-source.json` names, else is its own. Places of one name across platforms are one
/// customer, so a customer's Huntress organization and its Cortex tenant report together.
public struct CustomerMap: Sendable {
    /// Every customer, sorted by name.
    public let all: [Customer]
    private let ofPlace: [PlaceID: String]

    /// `grantedOrganizations` and `grantedTenants`: the distinct targets of organization-level
    /// Huntress grants and tenant-level Cortex grants (the access graph's places, a few thousand,
    /// rather than a million grants hashed one by one).
    public init(
        snapshot: Snapshot, policy: Policy, accountOfOrganization: [String: String], grantedOrganizations: [String], grantedTenants: [String]
    ) {
        var organizations: [String: Organization] = [:]
        var tenants: [String: Organization] = [:]
        for o in snapshot.organizations {
            if o.platform == .huntress, o.kind == .organization { organizations[o.id] = o }
            if o.platform == .cortexXDR { tenants[o.id] = o }
        }
        // Places that grants name but no list holds (a dangling organization) are customers too:
        // their people must land somewhere, never in every report.
        let accounts = Set(snapshot.accounts.filter { $0.platform == .huntress }.map(\.id))
        for id in grantedOrganizations where organizations[id] == nil && !accounts.contains(id) {
            organizations[id] = Organization(platform: .huntress, kind: .organization, id: id)
        }
        for id in grantedTenants where tenants[id] == nil {
            tenants[id] = Organization(platform: .cortexXDR, kind: .tenant, id: id)
        }
        func named(_ o: Organization) -> String {
            let name = policy.customers[o.id] ?? o.customer ?? o.name ?? o.id
            return name.isEmpty ? o.id : name
        }
        // Organizations that share an org_domains domain: one customer (union by smallest id).
        var parent = Dictionary(uniqueKeysWithValues: organizations.keys.map { ($0, $0) })
        func root(_ x: String) -> String {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        var ownerOfDomain: [String: String] = [:]
        for (org, domains) in policy.orgDomains.sorted(by: { $0.key < $1.key }) where organizations[org] != nil {
            for d in domains {
                guard let other = ownerOfDomain[d] else { ownerOfDomain[d] = org; continue }
                let (a, b) = (root(org), root(other))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var groupName: [String: String] = [:], explicitGroup: Set<String> = []
        for (id, o) in organizations.sorted(by: { $0.key < $1.key }) {
            let r = root(id)
            // The name the policy or an export gives any member wins; else the first name in order.
            let explicit = policy.customers[id] != nil || o.customer != nil
            let rootExplicit = policy.customers[r] != nil || organizations[r]?.customer != nil
            if groupName[r] == nil || (explicit && !rootExplicit && !explicitGroup.contains(r)) {
                groupName[r] = named(o)
                if explicit { explicitGroup.insert(r) }
            }
        }
        var ofPlace: [PlaceID: String] = [:]
        var orgsOf: [String: Set<String>] = [:], tenantsOf: [String: Set<String>] = [:], accountsOf: [String: Set<String>] = [:]
        for id in organizations.keys {
            let name = groupName[root(id)] ?? id
            ofPlace[PlaceID(platform: .huntress, id: id)] = name
            orgsOf[name, default: []].insert(id)
            if let a = accountOfOrganization[id] ?? organizations[id]?.accountID { accountsOf[name, default: []].insert(a) }
        }
        for (id, t) in tenants {
            let name = named(t)
            ofPlace[PlaceID(platform: .cortexXDR, id: id)] = name
            tenantsOf[name, default: []].insert(id)
        }
        let names = Set(orgsOf.keys).union(tenantsOf.keys)
        all = names.sorted().map { n in
            Customer(
                name: n, organizations: (orgsOf[n] ?? []).sorted(), tenants: (tenantsOf[n] ?? []).sorted(),
                accounts: (accountsOf[n] ?? []).sorted())
        }
        self.ofPlace = ofPlace
    }

    /// The customer of an organization or tenant; nil for a Huntress account (it spans customers)
    /// or a place the snapshot does not know.
    public func customer(ofPlace place: PlaceID) -> String? { ofPlace[place] }

    /// Whether grant `g` reaches customer `c`: a grant in one of its organizations or tenants, or
    /// an account-level role of an account above its organizations (it reaches every one of them).
    public static func reaches(_ g: Grant, _ c: Customer) -> Bool {
        switch (g.platform, g.level) {
        case (.huntress, .account): return c.accounts.contains(g.target)
        case (.huntress, _): return c.organizations.contains(g.target)
        default: return g.level != .account && c.tenants.contains(g.target)
        }
    }
}

extension AccessGraph {
    /// The customer a place belongs to (see `CustomerMap`); nil for a Huntress account.
    public func customer(ofPlace place: PlaceID) -> String? { customers.customer(ofPlace: place) }
}
