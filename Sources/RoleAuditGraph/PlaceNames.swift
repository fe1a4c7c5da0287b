import RoleAuditModel
import RoleAuditPolicy

/// The records behind the places grants point at (Huntress accounts and organizations, Cortex
/// tenants), looked up by place: the one source of the names every report and view prints beside
/// the ids.
public struct PlaceRecords: Sendable {
    let organizations: [PlaceID: Organization]
    let accounts: [PlaceID: Account]

    init(snapshot: Snapshot, policy: Policy) {
        var organizations: [PlaceID: Organization] = [:]
        for o in snapshot.organizations { organizations[PlaceID(platform: o.platform, id: o.id)] = o }
        var accounts: [PlaceID: Account] = [:]
        for a in snapshot.accounts { accounts[PlaceID(platform: a.platform, id: a.id)] = a }
        self.organizations = organizations
        self.accounts = accounts
    }
}

extension AccessGraph {
    /// The organization or tenant record of a place, if the exports list it.
    public func organization(ofPlace place: PlaceID) -> Organization? { placeRecords.organizations[place] }

    /// The name the exports give a place: an organization's or tenant's, else an account's. Nil when
    /// no export names it (a dangling reference, a Cortex tenant known only by its id).
    public func name(ofPlace place: PlaceID) -> String? {
        let name = placeRecords.organizations[place]?.name ?? placeRecords.accounts[place]?.name
        return name.flatMap { $0.isEmpty || $0 == place.id ? nil : $0 }
    }

    /// The name of a Huntress account.
    public func name(ofAccount id: String, on platform: Platform = .huntress) -> String? {
        placeRecords.accounts[PlaceID(platform: platform, id: id)]?.name.flatMap { $0.isEmpty || $0 == id ? nil : $0 }
    }

    /// `Acme Health (7002)`, or the id alone when no export names the place: how views print a place.
    public func label(ofPlace place: PlaceID) -> String {
        name(ofPlace: place).map { "\($0) (\(place.id))" } ?? place.id
    }
}
