import Foundation
import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditImport
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditReports
import RoleAuditRules

/// `inspect PATH... --person EMAIL`: one person's effective access on every platform, account,
/// organization and tenant, each grant with the record that gives it, and the open and waived
/// findings about the person. The person is matched where every stage matches one
/// (Sources/RoleAuditGraph/People.swift); the findings are the scan's, with the same policy and roster.
public struct PersonView: Codable, Sendable {
    public struct Account: Codable, Sendable {
        public var platform: Platform
        public var principal: String
        public var name: String?
        public var status: String?
        /// Each tenant's status, where a Cortex user's tenants say different ones (Active in one,
        /// Inactive in another); nil where they agree.
        public var statusByTenant: [String: String]?
        public var lastLogin: String
        public var source: String?
        public var grants: [GrantRow]

        /// `Active`, or `Inactive in dev, Active in prod` where the tenants differ.
        var statusLabel: String? {
            guard let statusByTenant else { return status }
            return statusByTenant.sorted { $0.key < $1.key }.map { "\($0.value) in \($0.key)" }.joined(separator: ", ")
        }
    }
    public struct GrantRow: Codable, Sendable {
        public var account: String?
        public var organization: String?
        public var tenant: String?
        public var role: String
        public var level: String
        public var via: String
        public var tier: String?
        public var capabilities: [String]
        public var source: String
    }
    public struct FindingRow: Codable, Sendable {
        public var rule: String
        public var severity: String
        public var status: String
        public var platform: Platform
        public var principal: String
        public var scope: String
        public var message: String
        public var fingerprint: String
    }
    public var person: String
    public var emails: [String]
    /// The roster's word on the person, when a roster was given: `active`, `left 2026-10-31`, or
    /// `not on the roster`.
    public var roster: String?
    public var accounts: [Account]
    public var findings: [FindingRow]

    /// `policy`, `roster`: as the scan reads them (`--policy`, `--roster`); `now`: the scan's time.
    public static func build(
        _ paths: [String], email: String, policyPath: String?, rosterPath: String?, now: Date, exclude: [String] = []
    ) throws -> PersonView {
        let catalog = try RoleCatalog.bundled()
        let policy = try Scanner.loadPolicy(policyPath, catalog: catalog)
        let result = try Scanner.evaluate(paths, catalog, policy, now: now, importing: ImportOptions(exclude: exclude), roster: rosterPath)
        let roster = try rosterPath.map { try RosterReader.read($0) }
        return try build(result, email: email, roster: roster)
    }

    static func build(_ result: ScanResult, email: String, roster: Roster?) throws -> PersonView {
        let graph = result.graph
        let people = graph.people
        guard let person = people.person(ofEmail: email) else {
            throw KitError.unknownPrincipal(email, suggestions: [])
        }
        let held = graph.principals(ofPerson: person)
        guard !held.isEmpty else {
            let key = email.lowercased()
            let close = result.snapshot.principals.map(\.key).filter { $0.hasPrefix(String(key.prefix(3))) }
            throw KitError.unknownPrincipal(email, suggestions: Array(Set(close)).sorted().prefix(3).map { $0 })
        }
        let time = ISO8601DateFormatter()
        let accounts = held.map { who -> Account in
            let login: String
            switch who.record?.lastLogin ?? .unknown {
            case .unknown: login = "unknown"
            case .never: login = "never"
            case .at(let d): login = time.string(from: d)
            }
            let grants = who.grants.map { g -> GrantRow in
                let role = graph.resolution(of: g)
                let huntress = g.platform == .huntress
                return GrantRow(
                    account: huntress ? graph.account(of: g) : nil, organization: huntress && g.level == .organization ? g.target : nil,
                    tenant: huntress ? nil : g.target, role: g.role, level: g.level.rawValue, via: g.path.label, tier: role.tier?.rawValue,
                    capabilities: role.sortedCapabilities.map(\.rawValue), source: g.provenance.description)
            }
            let statuses = (who.record?.tenantStatuses ?? [:]).mapValues(\.status)
            return Account(
                platform: who.id.platform, principal: who.id.key, name: who.record?.name, status: who.record?.status,
                statusByTenant: Set(statuses.values).count > 1 ? statuses : nil, lastLogin: login,
                source: who.record?.source?.description, grants: grants)
        }
        let keys = Set(held.map(\.id))
        let findings = result.findings
            .filter { f in f.principal.map { keys.contains(PrincipalID(platform: f.platform, key: $0)) } ?? false }
            .sorted { ($0.severity, $1.ruleID, $1.fingerprint) > ($1.severity, $0.ruleID, $0.fingerprint) }
            .map { f in
                FindingRow(
                    rule: f.ruleID, severity: f.severity.rawValue, status: f.status.rawValue, platform: f.platform, principal: f.principal ?? "",
                    scope: f.scope, message: f.message, fingerprint: f.fingerprint)
            }
        var standing: String?
        if let roster {
            let entry = roster.entries.first { people.person(ofEmail: $0.email) == person }
            standing = entry.map { e in
                e.status == .left ? "left" + (e.leftOn.map { " " + String($0.iso8601.prefix(10)) } ?? "") : "active"
            } ?? "not on the roster"
        }
        return PersonView(person: person, emails: people.emails(of: person), roster: standing, accounts: accounts, findings: findings)
    }

    /// What `inspect --person` prints. Every value from an export goes through `Terminal.text`.
    public func render(_ format: ListingFormat) throws -> String {
        switch format {
        case .json: return try TerminalJSON.encode(self)
        case .csv: return try table(withEntry: true).render(.csv)
        case .table:
            var out: TerminalText = "\(person)"
            if emails != [person] { out += " (\(emails.joined(separator: ", ")))" }
            out += ": \(accounts.count) account(s), \(accounts.reduce(0) { $0 + $1.grants.count }) grant(s), \(findings.count) finding(s)"
            if let roster { out += "; roster: \(roster)" }
            out += "\n"
            for a in accounts {
                out += "  \(a.platform.displayName) \(a.principal)"
                if let name = a.name { out += " (\(name))" }
                out += a.statusLabel.map { ", status \($0)" as TerminalText } ?? ""
                out += ", last login \(a.lastLogin)\n"
            }
            out += "\nACCESS\n"
            out += grantTable().renderTable()
            out += "\nFINDINGS\n"
            out += findings.isEmpty ? "none\n" : findingTable().renderTable()
            return out.text
        }
    }

    private func grantRows() -> [[String]] {
        accounts.flatMap { a in
            a.grants.map { g in
                [a.platform.rawValue, a.principal, g.account ?? "", g.organization ?? "", g.tenant ?? "", g.role, g.level, g.via, g.tier ?? "",
                 g.capabilities.joined(separator: " "), g.source]
            }
        }
    }

    private static let grantColumns = ["platform", "principal", "account", "organization", "tenant", "role", "level", "via", "tier", "capabilities", "source"]

    private func grantTable() -> Tabular {
        Tabular(columns: Self.grantColumns, rows: grantRows(), tableHidden: ["capabilities"])
    }

    private func findingTable() -> Tabular {
        Tabular(
            columns: ["severity", "rule", "status", "platform", "principal", "scope", "message"],
            rows: findings.map { [$0.severity, $0.rule, $0.status, $0.platform.rawValue, $0.principal, $0.scope, $0.message] })
    }

    /// CSV: one row per grant and one per finding, told apart by `entry`.
    private func table(withEntry: Bool) -> Tabular {
        let columns = ["entry", "person"] + Self.grantColumns + ["severity", "rule", "status", "scope", "message", "fingerprint"]
        var rows = grantRows().map { ["grant", person] + $0 + ["", "", "", "", "", ""] }
        for f in findings {
            rows.append(["finding", person, f.platform.rawValue, f.principal, "", "", "", "", "", "", "", "", "", f.severity, f.rule, f.status, f.scope, f.message, f.fingerprint])
        }
        return Tabular(columns: columns, rows: rows)
    }
}
