import RoleAuditModel

// Placeholder with the customers helper's signature (issue 14 A); at merge their file replaces it.
extension AccessGraph {
    /// The customer a place belongs to: a Huntress organization is its own customer, by name; a
    /// Cortex tenant's is the policy's `customers`, else its manifest's (roleaudit-source.json).
    public func customer(ofPlace place: PlaceID) -> String? {
        let org = placeRecords.organizations[place]
        switch place.platform {
        case .huntress:
            guard let org else { return nil }
            return org.name ?? org.id
        case .cortexXDR:
            return placeRecords.policyCustomers[place.id] ?? org?.customer
        }
    }
}
