import RoleAuditCatalog
import RoleAuditModel

/// What a principal can do: the union of its grants' documented capabilities, each capability with
/// every grant that gives it (and the catalog statement behind it). `inspect` prints it.
public struct EffectiveAccess: Sendable {
    public struct Source: Sendable {
        public let grant: Grant
        public let role: CatalogRole
        public let statement: CapabilityGrant
    }

    public let platform: Platform
    public let principal: String
    public let capabilities: [CapabilityID: [Source]]
    /// Grants of roles the catalog does not document (custom or unknown labels): their capabilities
    /// come from the policy's permission map, or stay unknown.
    public let undocumented: [Grant]

    public var sortedCapabilities: [(CapabilityID, [Source])] {
        capabilities.sorted { $0.key < $1.key }
    }
}

extension AccessGraph {
    /// A principal's effective access, from its grants as the graph resolved them (empty for a
    /// principal without grants).
    public func access(of who: PrincipalID) -> EffectiveAccess {
        var capabilities: [CapabilityID: [EffectiveAccess.Source]] = [:]
        var undocumented: [Grant] = []
        for i in principalID(who).map({ grantRange[$0] }) ?? 0..<0 {
            guard let role = role(ofGrant: i).documented else {
                undocumented.append(grants[i])
                continue
            }
            for statement in role.grants {
                capabilities[statement.capability, default: []].append(.init(grant: grants[i], role: role, statement: statement))
            }
        }
        return EffectiveAccess(platform: who.platform, principal: who.key, capabilities: capabilities, undocumented: undocumented)
    }
}
