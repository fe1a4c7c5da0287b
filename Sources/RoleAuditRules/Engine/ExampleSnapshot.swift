import Foundation
import RoleAuditModel

/// Builds small snapshots for rule examples: each line reads like the export it stands for.
public struct ExampleSnapshot: Sendable {
    /// The clock examples run at: 2026-11-23T00:00:00Z.
    public static let now = Date(timeIntervalSince1970: 1_795_392_000)
    public var snapshot = Snapshot()

    public init() {}

    private func provenance() -> Provenance {
        Provenance(file: "example", collection: "grants", index: snapshot.grants.count)
    }

    /// A Huntress membership: account-level without `org`, organization-level with it.
    public func huntress(_ email: String, _ role: String, org: String? = nil, account: String = "1") -> Self {
        var s = self
        if !s.snapshot.accounts.contains(where: { $0.id == account }) {
            s.snapshot.accounts.append(Account(platform: .huntress, id: account, name: "MSP \(account)"))
        }
        if let org, !s.snapshot.organizations.contains(where: { $0.id == org && $0.platform == .huntress }) {
            s.snapshot.organizations.append(Organization(platform: .huntress, kind: .organization, id: org, name: "Org \(org)", accountID: account))
        }
        s.addPrincipal(Principal(platform: .huntress, key: email, email: email))
        s.snapshot.grants.append(Grant(
            platform: .huntress, principal: email, role: role, level: org == nil ? .account : .organization,
            target: org ?? account, provenance: provenance()))
        return s
    }

    /// A Cortex user with a direct role (nil: none). Last login defaults to yesterday.
    public func cortex(
        _ email: String, _ role: String?, tenant: String = "t1", lastLogin: LastLogin? = nil, userType: String = "SSO",
        scope: [String]? = nil, customer: String? = nil, level: Level = .tenant, status: String? = nil
    ) -> Self {
        var s = self.tenant(tenant, customer: customer)
        s.addPrincipal(Principal(
            platform: .cortexXDR, key: email, email: email, userType: userType, status: status, tenant: tenant,
            lastLogin: lastLogin ?? .at(ExampleSnapshot.now.addingTimeInterval(-86_400))))
        if let role {
            s.snapshot.grants.append(Grant(
                platform: .cortexXDR, principal: email, role: role, level: level, target: tenant,
                scope: scope.map { Scope(areas: ["endpoints": $0]) }, provenance: provenance()))
        }
        return s
    }

    /// A Cortex group; members get its role through it (as the importer expands it).
    public func group(_ name: String, role: String?, members: [String], tenant: String = "t1", idp: [String] = []) -> Self {
        var s = self.tenant(tenant, customer: nil)
        s.snapshot.groups.append(Group(
            platform: .cortexXDR, tenant: tenant, name: name, roles: role.map { [$0] } ?? [], members: members, idpGroups: idp,
            provenance: Provenance(file: "example", collection: "groups", index: s.snapshot.groups.count)))
        for m in members {
            s.addPrincipal(Principal(platform: .cortexXDR, key: m, email: m, userType: "SSO", lastLogin: .at(ExampleSnapshot.now)))
            if let role {
                s.snapshot.grants.append(Grant(
                    platform: .cortexXDR, principal: m, role: role, level: .tenant, target: tenant,
                    path: .group(name: name, chain: [name]), provenance: provenance()))
            }
        }
        return s
    }

    /// A Cortex API key (a non-human principal) holding `roles` in the tenant, as get_api_keys lists it.
    public func apiKey(
        _ id: String, roles: [String], tenant: String = "t1", expiration: APIKey.Expiry = .at(ExampleSnapshot.now.addingTimeInterval(90 * 86_400)),
        createdBy: String = "admin@corp.example"
    ) -> Self {
        var s = self.tenant(tenant, customer: nil)
        let key = APIKey.principalKey(tenant: tenant, id: id)
        s.addPrincipal(Principal(
            platform: .cortexXDR, key: key, kind: .nonHuman, name: "API key \(id)", vendorIDs: [id],
            apiKey: APIKey(id: id, tenant: tenant, createdBy: createdBy, expiration: expiration)))
        for role in roles {
            s.snapshot.grants.append(Grant(platform: .cortexXDR, principal: key, role: role, level: .tenant, target: tenant, provenance: provenance()))
        }
        return s
    }

    /// A custom role the export defines, with its permission strings.
    public func customRole(_ name: String, permissions: [String], tenant: String = "t1") -> Self {
        var s = self
        s.snapshot.roles.append(RoleDefinition(
            platform: .cortexXDR, tenant: tenant, name: name, isCustom: true, permissions: permissions,
            provenance: Provenance(file: "example", collection: "roles", index: s.snapshot.roles.count)))
        return s
    }

    public func coverage(
        _ kind: CoverageIssue.Kind, _ detail: String, platform: Platform = .cortexXDR, scope: String = "t1", principal: String? = nil,
        reference: String? = nil, role: String? = nil, index: Int? = nil
    ) -> Self {
        var s = self
        s.snapshot.coverage.append(CoverageIssue(
            kind: kind, platform: platform, scope: scope, file: "example", detail: detail, principal: principal, reference: reference, role: role,
            record: index.map { Provenance(file: "example", collection: "memberships", index: $0, line: $0 + 2) }))
        return s
    }

    /// An HR roster for examples: `(email, status, left_on)` rows, as `--roster` reads them.
    public static func roster(_ rows: [(String, Roster.Status, String?)]) -> Roster {
        let entries = rows.enumerated().map { i, row in
            Roster.Entry(
                email: row.0.lowercased(), name: nil, status: row.1,
                leftOn: row.2.flatMap { ISO8601DateFormatter().date(from: $0 + "T00:00:00Z") }, line: i + 2)
        }
        return Roster(source: SourceFile(path: "roster.csv", format: "roster.csv", platform: nil, scope: nil, sha256: "", size: 0, records: entries.count), entries: entries)
    }

    private func tenant(_ id: String, customer: String?) -> Self {
        var s = self
        if let i = s.snapshot.organizations.firstIndex(where: { $0.id == id && $0.platform == .cortexXDR }) {
            if let customer { s.snapshot.organizations[i].customer = customer }
        } else {
            s.snapshot.organizations.append(Organization(platform: .cortexXDR, kind: .tenant, id: id, name: id, customer: customer))
        }
        return s
    }

    /// A user seen again (a Cortex user of another tenant) keeps its first record and takes the
    /// new one's statuses, as the importer merges them (Sources/RoleAuditImport/SnapshotBuilder.swift).
    private mutating func addPrincipal(_ p: Principal) {
        let source = Provenance(file: "example", collection: "users", index: snapshot.principals.count)
        var p = p
        p.source = p.source ?? source
        for (tenant, t) in p.tenantStatuses where t.source == nil { p.tenantStatuses[tenant]?.source = p.source }
        if let i = snapshot.principals.firstIndex(where: { $0.key == p.key && $0.platform == p.platform }) {
            snapshot.principals[i].mergeStatuses(of: p)
            return
        }
        snapshot.principals.append(p)
    }
}
