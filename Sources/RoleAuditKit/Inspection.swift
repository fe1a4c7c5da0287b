import Foundation
import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditImport
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditReports

/// What `roleaudit inspect` shows: what was read, per source and per account / tenant, the
/// coverage of the input, and on request one principal's effective access with provenance.
public struct Inspection: Sendable {
    public let snapshot: Snapshot
    public let catalog: RoleCatalog

    public init(snapshot: Snapshot, catalog: RoleCatalog) {
        self.snapshot = snapshot
        self.catalog = catalog
    }

    /// `exclude`: glob patterns of files not to read (`--exclude`).
    public static func load(_ paths: [String], exclude: [String] = []) throws -> Inspection {
        Inspection(snapshot: try Importer.load(paths, options: ImportOptions(exclude: exclude)), catalog: try RoleCatalog.bundled())
    }

    // MARK: summary

    public struct Scope: Codable, Sendable, Equatable {
        public var platform: Platform
        /// `account` (Huntress) or `tenant` (Cortex).
        public var kind: String
        public var id: String
        public var name: String?
        public var customer: String?
        public var principals: Int
        public var groups: Int
        public var roles: Int
        public var grants: Int
        public var organizations: [Organization]?

        public struct Organization: Codable, Sendable, Equatable {
            public var id: String
            public var name: String?
            public var members: Int
        }
    }

    public struct Summary: Codable, Sendable {
        public var sources: [SourceFile]
        public var scopes: [Scope]
        public var coverage: [CoverageIssue]
        public var complete: Bool
    }

    /// One pass over the grants, which the snapshot keeps grouped by principal: distinct principals
    /// per account, organization and tenant are counted when each principal's run ends, so a
    /// million-membership export is summarised without a set of a million strings.
    public func summary() -> Summary {
        var tally = Tally()
        for org in snapshot.organizations where org.platform == .huntress {
            if let account = org.accountID { tally.accountOfOrg[org.id] = account }
        }
        for g in snapshot.grants { tally.add(g) }
        tally.flush()
        let huntressByAccount = tally.accounts
        let membersByOrg = tally.members
        let tenants = tally.tenants
        var scopes: [Scope] = []
        for account in snapshot.accounts where account.platform == .huntress {
            let orgs = snapshot.organizations.filter { $0.platform == .huntress && $0.accountID == account.id }
            let counts = huntressByAccount[account.id]
            scopes.append(Scope(
                platform: .huntress, kind: "account", id: account.id, name: account.name, customer: nil,
                principals: counts?.principals ?? 0, groups: 0, roles: counts?.roles.count ?? 0, grants: counts?.grants ?? 0,
                organizations: orgs.map { .init(id: $0.id, name: $0.name, members: membersByOrg[$0.id] ?? 0) }))
        }
        for tenant in snapshot.organizations where tenant.platform == .cortexXDR {
            let counts = tenants[tenant.id]
            scopes.append(Scope(
                platform: .cortexXDR, kind: "tenant", id: tenant.id, name: tenant.name, customer: tenant.customer,
                principals: counts?.principals ?? 0,
                groups: snapshot.groups.filter { $0.tenant == tenant.id }.count,
                roles: (counts?.roles ?? []).union(snapshot.roles.filter { $0.tenant == tenant.id }.map(\.name)).count,
                grants: counts?.grants ?? 0, organizations: nil))
        }
        return Summary(sources: snapshot.sources, scopes: scopes, coverage: snapshot.coverage, complete: snapshot.isComplete)
    }

    /// Counts for the summary, gathered in one pass over grants grouped by principal.
    private struct Tally {
        struct Counts {
            var principals = 0
            var roles: Set<String> = []
            var grants = 0
        }
        var accountOfOrg: [String: String] = [:]
        var accounts: [String: Counts] = [:]
        var members: [String: Int] = [:]
        var tenants: [String: Counts] = [:]
        private var current: (platform: Platform, principal: String)?
        private var touchedAccounts: Set<String> = []
        private var touchedOrgs: Set<String> = []
        private var touchedTenants: Set<String> = []

        mutating func add(_ g: Grant) {
            if current?.platform != g.platform || current?.principal != g.principal {
                flush()
                current = (g.platform, g.principal)
            }
            switch g.platform {
            case .huntress:
                if g.level == .organization { touchedOrgs.insert(g.target) }
                guard let account = g.level == .account ? g.target : accountOfOrg[g.target] else { return }
                touchedAccounts.insert(account)
                accounts[account, default: Counts()].roles.insert(g.role)
                accounts[account, default: Counts()].grants += 1
            case .cortexXDR:
                touchedTenants.insert(g.target)
                tenants[g.target, default: Counts()].roles.insert(g.role)
                tenants[g.target, default: Counts()].grants += 1
            }
        }

        /// The current principal's run has ended: count it once per place it touched.
        mutating func flush() {
            for a in touchedAccounts { accounts[a, default: Counts()].principals += 1 }
            for o in touchedOrgs { members[o, default: 0] += 1 }
            for t in touchedTenants { tenants[t, default: Counts()].principals += 1 }
            touchedAccounts.removeAll(keepingCapacity: true)
            touchedOrgs.removeAll(keepingCapacity: true)
            touchedTenants.removeAll(keepingCapacity: true)
        }
    }

    // MARK: one principal

    public struct PrincipalAccess: Codable, Sendable {
        public struct Capability: Codable, Sendable {
            public var capability: String
            public var tier: String
            public var grant: String
            public var via: [Via]
        }
        public struct Via: Codable, Sendable {
            public var role: String
            public var level: String
            public var target: String
            /// The organization's, tenant's or account's name, where an export gives one.
            public var targetName: String?
            /// A Cortex grant's SBAC scope by its areas' tag and group names (`endpoints: Birchwood HQ`).
            public var scope: String?
            public var path: String
            public var source: String
            public var seed: String
            public var limit: String?
            public var ambiguous: Bool
        }
        public var platform: Platform
        public var principal: String
        public var name: String?
        public var userType: String?
        public var lastLogin: String
        public var capabilities: [Capability]
        public var undocumentedRoles: [Via]
    }

    public func access(of email: String) throws -> [PrincipalAccess] {
        let key = email.lowercased()
        let found = snapshot.principals.filter { $0.key == key }
        guard !found.isEmpty else {
            let close = snapshot.principals.map(\.key).filter { $0.hasPrefix(String(key.prefix(3))) }
            throw KitError.unknownPrincipal(email, suggestions: Array(Set(close)).sorted().prefix(3).map { $0 })
        }
        // Only documented roles are printed here, so no policy (its permission map) is needed.
        let graph = AccessGraph(snapshot: snapshot, catalog: catalog, policy: Policy())
        return found.map { p in
            let access = graph.access(of: PrincipalID(platform: p.platform, key: p.key))
            func via(_ g: Grant, role: String, statement: CapabilityGrant?) -> PrincipalAccess.Via {
                PrincipalAccess.Via(
                    role: role, level: g.level.rawValue, target: g.target,
                    targetName: graph.name(ofPlace: PlaceID(platform: g.platform, id: g.target)),
                    scope: g.scope.flatMap(Inspection.scopeText),
                    path: Inspection.describe(g.path), source: g.provenance.description,
                    seed: statement.map { Quotation.citedLines(catalog.quotations(of: $0.citations)) } ?? "",
                    limit: statement?.limit, ambiguous: statement?.isAmbiguous ?? false)
            }
            let capabilities = access.sortedCapabilities.map { cap, sources in
                PrincipalAccess.Capability(
                    capability: cap.rawValue, tier: catalog.tier(of: cap)?.rawValue ?? "",
                    grant: sources.contains { $0.statement.kind == .allowed } ? "allowed" : "limited",
                    via: sources.map { via($0.grant, role: $0.role.name, statement: $0.statement) })
            }
            let lastLogin: String
            switch p.lastLogin {
            case .unknown: lastLogin = "unknown"
            case .never: lastLogin = "never"
            case .at(let d): lastLogin = ISO8601DateFormatter().string(from: d)
            }
            return PrincipalAccess(
                platform: p.platform, principal: p.key, name: p.name, userType: p.userType, lastLogin: lastLogin,
                capabilities: capabilities, undocumentedRoles: access.undocumented.map { via($0, role: $0.role, statement: nil) })
        }
    }

    /// `assets: Birchwood servers; endpoints: Birchwood HQ`: a scope by its areas' names; nil when empty.
    static func scopeText(_ s: RoleAuditModel.Scope) -> String? {
        s.isEmpty ? nil : s.areas.keys.sorted().compactMap { area in
            let names = s.areas[area] ?? []
            return names.isEmpty ? nil : "\(area): \(names.joined(separator: ", "))"
        }.joined(separator: "; ")
    }

    /// `direct`, or `group A > B`, as every report prints a path (GrantPath.label): `inspect`
    /// printed it the other way round from entitlements.csv.
    static func describe(_ path: GrantPath) -> String { path.label }

    // MARK: rendering

    /// What `inspect` prints. Every value from an export goes through `Terminal.text`, in every format.
    public func render(_ format: ListingFormat, principal: String?) throws -> String {
        if let principal {
            let access = try access(of: principal)
            switch format {
            case .json: return try TerminalJSON.encode(access)
            case .csv: return try accessTable(access).render(.csv)
            case .table: return renderAccess(access)
            }
        }
        let summary = summary()
        switch format {
        case .json: return try TerminalJSON.encode(summary)
        case .csv: return try summaryTable(summary).render(.csv)
        case .table: return renderSummary(summary)
        }
    }

    private func renderSummary(_ s: Summary) -> String {
        var out: TerminalText = "SOURCES\n"
        out += Tabular(columns: ["path", "format", "platform", "scope", "records", "size", "sha256"], rows: s.sources.map {
            [$0.path, $0.format, $0.platform?.rawValue ?? "-", $0.scope ?? "-", "\($0.records)", "\($0.size)", String($0.sha256.prefix(12))]
        }).renderTable()
        for scope in s.scopes {
            var title: [TerminalText] = []
            if let name = scope.name, name != scope.id { title.append("\"\(name)\"") }
            if let customer = scope.customer { title.append("customer \(customer)") }
            let titled: TerminalText = title.isEmpty ? "" : " (\(TerminalText.joined(title, separator: ", ")))"
            out += "\n\(scope.platform.displayName.uppercased()) \(scope.kind) \(scope.id)\(titled): "
            out += "\(scope.principals) principals, \(scope.grants) grants, \(scope.roles) roles"
            out += scope.platform == .cortexXDR ? ", \(scope.groups) groups\n" : "\n"
            if let orgs = scope.organizations, !orgs.isEmpty {
                let table = Tabular(columns: ["organization", "name", "members"], rows: orgs.map { [$0.id, $0.name ?? "", "\($0.members)"] }).renderTable()
                out += "\(table.indented("  "))\n"
            }
        }
        out += "\nCOVERAGE: \(s.complete ? "complete" : "INCOMPLETE (a scan exits 2 unless --allow-incomplete)")\n"
        if !s.coverage.isEmpty {
            out += Tabular(columns: ["kind", "platform", "scope", "file", "detail"], rows: s.coverage.map {
                [$0.kind.rawValue, $0.platform?.rawValue ?? "", $0.scope ?? "", $0.file ?? "", $0.detail]
            }).renderTable()
        }
        return out.text
    }

    /// `inspect --format csv`: one row per source file, account, organization, tenant and coverage
    /// issue, named by `entry`.
    private func summaryTable(_ s: Summary) -> Tabular {
        let columns = [
            "entry", "platform", "id", "name", "scope", "customer", "file", "format", "records", "size", "sha256", "principals",
            "groups", "roles", "grants", "members", "detail",
        ]
        var rows: [[String]] = []
        func row(_ values: [String: String]) { rows.append(columns.map { values[$0] ?? "" }) }
        for f in s.sources {
            row(["entry": "source", "platform": f.platform?.rawValue ?? "", "scope": f.scope ?? "", "file": f.path, "format": f.format,
                 "records": "\(f.records)", "size": "\(f.size)", "sha256": f.sha256])
        }
        for scope in s.scopes {
            row(["entry": scope.kind, "platform": scope.platform.rawValue, "id": scope.id, "name": scope.name ?? "", "customer": scope.customer ?? "",
                 "principals": "\(scope.principals)", "groups": scope.platform == .cortexXDR ? "\(scope.groups)" : "", "roles": "\(scope.roles)",
                 "grants": "\(scope.grants)"])
            for org in scope.organizations ?? [] {
                row(["entry": "organization", "platform": scope.platform.rawValue, "id": org.id, "name": org.name ?? "", "scope": scope.id,
                     "members": "\(org.members)"])
            }
        }
        for c in s.coverage {
            row(["entry": "coverage", "platform": c.platform?.rawValue ?? "", "id": c.kind.rawValue, "scope": c.scope ?? "", "file": c.file ?? "",
                 "detail": c.detail])
        }
        return Tabular(columns: columns, rows: rows)
    }

    private func accessTable(_ list: [PrincipalAccess]) -> Tabular {
        var rows: [[String]] = []
        for a in list {
            for c in a.capabilities {
                for v in c.via {
                    rows.append([
                        a.platform.rawValue, a.principal, c.capability, c.tier, v.limit == nil ? "allowed" : "limited: \(v.limit ?? "")",
                        v.role, Self.over(v), v.scope ?? "", v.path, v.source, v.seed + (v.ambiguous ? " (ambiguous)" : ""),
                    ])
                }
            }
            for v in a.undocumentedRoles {
                rows.append([a.platform.rawValue, a.principal, "?", "", "", v.role, Self.over(v), v.scope ?? "", v.path, v.source, "not in the catalog"])
            }
        }
        return Tabular(
            columns: ["platform", "principal", "capability", "tier", "grant", "role", "over", "scope", "via", "source", "seed"], rows: rows,
            tableHidden: ["platform", "principal"])
    }

    /// `organization Acme Health (7002)`, or `tenant acme-prod` when no export names it.
    static func over(_ v: PrincipalAccess.Via) -> String {
        "\(v.level) " + (v.targetName.map { "\($0) (\(v.target))" } ?? v.target)
    }

    private func renderAccess(_ list: [PrincipalAccess]) -> String {
        let header = list.map { a -> String in
            let name: TerminalText = a.name.map { " (\($0))" } ?? ""
            let type: TerminalText = a.userType.map { ", \($0)" } ?? ""
            let line: TerminalText = "\(a.principal) on \(a.platform.displayName)\(name)\(type), last login \(a.lastLogin): \(a.capabilities.count) capabilities"
            return line.text
        }.joined(separator: "\n")
        return header + "\n\n" + accessTable(list).renderTable().text
    }
}
