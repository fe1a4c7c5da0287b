import RoleAuditGraph
import RoleAuditModel
import RoleAuditRules

/// The names reports print beside a finding's or grant's ids, read from the graph (which holds the
/// one table of names and customers); nothing here decides a name.
extension ScanResult {
    /// The Huntress organization or Cortex tenant a finding is about.
    func place(of f: Finding) -> PlaceID? {
        if let o = f.organization { return PlaceID(platform: f.platform, id: o) }
        if let t = f.tenant { return PlaceID(platform: f.platform, id: t) }
        return nil
    }

    func accountName(of f: Finding) -> String? { f.account.flatMap { graph.name(ofAccount: $0, on: f.platform) } }
    func placeName(of f: Finding) -> String? { place(of: f).flatMap { graph.name(ofPlace: $0) } }
    func customer(of f: Finding) -> String? { place(of: f).flatMap { graph.customer(ofPlace: $0) } }

    /// `organization Acme Health (7002)`, `tenant acme-prod`: the finding's scope with its name.
    public func scopeLabel(of f: Finding) -> String { scopeLabel(of: f.scopeKey) }

    /// The same for a scope's parts (Finding.scopeKey): writers that group findings by place build
    /// one label per place, not one per finding.
    public func scopeLabel(of k: Finding.ScopeKey) -> String {
        switch (k.level, k.id) {
        case (.organization, let o?): return "organization \(graph.label(ofPlace: PlaceID(platform: k.platform, id: o)))"
        case (.tenant, let t?): return "tenant \(graph.label(ofPlace: PlaceID(platform: k.platform, id: t)))"
        case (.account, let a?): return "account \(graph.name(ofAccount: a, on: k.platform).map { "\($0) (\(a))" } ?? a)"
        default: return k.label
        }
    }
}

extension Entitlement {
    /// The organization or tenant of the grant (nil for a Huntress account-level grant).
    var place: PlaceID? { grant.platform == .huntress && grant.level == .account ? nil : PlaceID(platform: grant.platform, id: grant.target) }
}
