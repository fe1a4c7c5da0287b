import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// What a waiver did in a scan.
public struct WaiverReport: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable { case active, expired, unused }
    public var id: String
    public var rule: String
    public var state: State
    public var findings: [String]
    public var reason: String
    public var owner: String
    public var ticket: String?
    public var mitigatingControl: String?
    public var expires: String
}

/// Everything a scan found, for the report writers.
public struct ScanResult: Sendable {
    public let snapshot: Snapshot
    public let findings: [Finding]
    public let waivers: [WaiverReport]
    public let rules: [RuleDescription]
    public let disabledRules: [String]
    public let catalogVersion: String
    /// The catalog the scan judged against: reports show what each grant gives.
    public let catalog: RoleCatalog
    public let policy: Policy
    public let now: Date
    /// Checks that could not run on some input, said once (Huntress has no last login).
    public let limitations: [String]
    /// With `--baseline` (or in a diff): what the baseline held and which entries are stale.
    public var baseline: BaselineReport?
    /// In a diff: how access changed between the two exports, and the findings it resolved.
    public var changes: AccessChanges?
    /// With `--history`: this scan's place in the history.
    public var history: HistoryReport?

    /// The same result with other findings (their statuses changed by a baseline or history).
    public func with(findings: [Finding]) -> ScanResult {
        var r = ScanResult(
            snapshot: snapshot, findings: findings, waivers: waivers, rules: rules, disabledRules: disabledRules,
            catalogVersion: catalogVersion, catalog: catalog, policy: policy, now: now, limitations: limitations)
        r.baseline = baseline
        r.changes = changes
        r.history = history
        return r
    }
}

/// What history says about a scan: the scans before it, findings resolved since the last one,
/// and the trend of open findings.
public struct HistoryReport: Sendable {
    public struct Point: Sendable, Hashable {
        public let scan: Int64
        public let time: Date
        public let open: [Severity: Int]
        public init(scan: Int64, time: Date, open: [Severity: Int]) {
            self.scan = scan
            self.time = time
            self.open = open
        }
    }
    public let database: String
    public let scan: Int64
    public let previous: Date?
    public let resolved: [Baseline.Entry]
    public let trend: [Point]
    public init(database: String, scan: Int64, previous: Date?, resolved: [Baseline.Entry], trend: [Point]) {
        self.database = database
        self.scan = scan
        self.previous = previous
        self.resolved = resolved
        self.trend = trend
    }
}

public enum RuleEngine {
    /// Every built-in rule, in id order. A rule missing here is a rule that never runs: the test
    /// suite checks the list against PRODUCT.md's ids, the README's rule table (both ways) and the
    /// rule files (Rules/<Category>/<ID><Name>.swift).
    public static let builtIn: [any Rule.Type] = [
        LP001TooManyAdministrators.self, LP002DormantPrivilegedUser.self, LP003PrivilegedNeverUsed.self,
        LP004MachineRoleOnHuman.self, LP005RedundantGrant.self, LP006PrivilegedLocalAccount.self,
        LP007RoleAboveCeiling.self, LP008AccountLevelUser.self, LP009APIKeyWithHumanRole.self,
        SOD001BillingAndSecurityOperations.self, SOD002ProvisioningAndSecurityOperations.self,
        SOD003DevelopmentAndAppSecGovernance.self, SOD004ComplianceAndSecurityOperations.self,
        ISO001MemberOfSeveralOrganizations.self, ISO002CustomerUserAtAccountLevel.self, ISO003ForeignDomainInOrganization.self,
        ISO004ScopedRoleWithoutScope.self, ISO005PrivilegedAcrossCustomers.self, ISO006DanglingReference.self, ISO007ScopeDefeated.self,
        CAT001UnknownRole.self, CAT002PrivilegedCustomRole.self, CAT003UnmappedPermission.self, CAT004AmbiguousCapability.self,
        HYG001NoEscalationResponder.self, HYG002OrphanGroup.self, HYG003UserWithoutRole.self,
        ESC001SelfElevation.self, ESC002EscalationInsideOrganization.self,
    ]

    public static var descriptions: [RuleDescription] { builtIn.map { $0.description } }

    public static func description(of id: String) -> RuleDescription? {
        builtIn.first { $0.description.id.caseInsensitiveCompare(id) == .orderedSame }?.description
    }

    public static func scan(snapshot: Snapshot, catalog: RoleCatalog, policy: Policy, now: Date) -> ScanResult {
        let context = RuleContext(snapshot: snapshot, catalog: catalog, policy: policy, now: now)
        let enabled = builtIn.filter { policy.isEnabled($0.description.id) }
        let disabled = builtIn.map { $0.description.id }.filter { !policy.isEnabled($0) }
        // Rules are independent reads of one context, so they run on every core.
        let perRule = Parallel.map(enabled.count) { i in
            let d = enabled[i].description
            let override = policy.rules[d.id]?.severity
            return enabled[i].init().evaluate(context).map { f in
                var f = f
                if let override { f.severity = Self.severity(f.severity, default: d.defaultSeverity, override: override) }
                return f
            }
        }
        let ran = enabled.map { $0.description }
        var findings = perRule.flatMap { $0 }
        findings += PolicyConflictRule.evaluate(context)
        findings = merge(findings).map(capEvidence)
        let (applied, waivers) = applyWaivers(findings, policy: policy, now: now)
        let limitations = snapshot.coverage.filter { $0.kind == .dataNotExported }.map(\.detail)
        return ScanResult(
            snapshot: snapshot, findings: sortedForReports(applied), waivers: waivers, rules: ran, disabledRules: disabled,
            catalogVersion: catalog.version, catalog: catalog, policy: policy, now: now, limitations: Array(Set(limitations)).sorted())
    }

    /// A policy's severity for a rule replaces the rule's default: a finding at the default takes
    /// it, and a finding the rule rated otherwise keeps its own rating unless the override is lower
    /// (so `info` quiets every finding of the rule, and raising the rule raises only its default).
    public static func severity(_ own: Severity, default value: Severity, override: Severity) -> Severity {
        own == value ? override : min(own, override)
    }

    /// One finding per fingerprint: evidence of duplicates is kept.
    static func merge(_ findings: [Finding]) -> [Finding] {
        var byPrint: [String: Finding] = [:]
        for f in findings {
            if var existing = byPrint[f.fingerprint] {
                existing.evidence += f.evidence.filter { !existing.evidence.contains($0) }
                existing.assumptions = Array(Set(existing.assumptions + f.assumptions)).sorted()
                byPrint[f.fingerprint] = existing
            } else {
                byPrint[f.fingerprint] = f
            }
        }
        return Array(byPrint.values)
    }

    /// Evidence kept per finding: a note about a role held by 50,000 people lists the first ones
    /// and says how many more, so reports stay readable and small.
    public static let evidenceLimit = 100

    static func capEvidence(_ f: Finding) -> Finding {
        guard f.evidence.count > evidenceLimit else { return f }
        var f = f
        f.evidence = capped(f.evidence, total: f.evidence.count)
        return f
    }

    /// The evidence shown for `total` items of which `first` are the first ones: within the limit,
    /// the last slot says how many more there are. Rules with huge holder lists build only this.
    public static func capped(_ first: [Finding.Evidence], total: Int) -> [Finding.Evidence] {
        guard total > evidenceLimit else { return first }
        return Array(first.prefix(evidenceLimit - 1)) + [.note("and \(total - evidenceLimit + 1) more grants like these")]
    }

    /// Most severe first, then by rule, platform, scope, principal, role and fingerprint. Sorted by
    /// precomputed keys: comparing findings directly copied two of them per comparison, which on
    /// 100,000 findings took longer than the rules.
    static func sortedForReports(_ findings: [Finding]) -> [Finding] {
        let keys = findings.map { f in
            SortKey(severity: Severity.allCases.count - (Severity.allCases.firstIndex(of: f.severity) ?? 0), rule: f.ruleID,
                rest: [f.platform.rawValue, f.scope, f.principal ?? "", f.role ?? "", f.fingerprint])
        }
        return findings.indices.sorted { keys[$0] < keys[$1] }.map { findings[$0] }
    }

    private struct SortKey: Comparable {
        let severity: Int
        let rule: String
        let rest: [String]
        static func < (a: SortKey, b: SortKey) -> Bool {
            if a.severity != b.severity { return a.severity < b.severity }
            if a.rule != b.rule { return a.rule < b.rule }
            return a.rest.lexicographicallyPrecedes(b.rest)
        }
    }

    static func applyWaivers(_ findings: [Finding], policy: Policy, now: Date) -> ([Finding], [WaiverReport]) {
        var out = findings
        var reports: [WaiverReport] = []
        let dayFormat = ISO8601DateFormatter()
        dayFormat.formatOptions = [.withFullDate]
        let day: (Date) -> String = { dayFormat.string(from: $0.addingTimeInterval(-1)) }
        // Findings by rule, and by rule and principal: each waiver looks at the findings it can
        // match, so thousands of waivers over a hundred thousand findings stay linear.
        struct RulePrincipal: Hashable { let rule: String, principal: String }
        var byRule: [String: [Int]] = [:]
        var byPrincipal: [RulePrincipal: [Int]] = [:]
        if !policy.waivers.isEmpty {
            for i in out.indices {
                byRule[out[i].ruleID, default: []].append(i)
                if let p = out[i].principal { byPrincipal[RulePrincipal(rule: out[i].ruleID, principal: p), default: []].append(i) }
            }
        }
        for w in policy.waivers {
            let candidates = w.principal.map { byPrincipal[RulePrincipal(rule: w.rule, principal: $0)] ?? [] } ?? byRule[w.rule] ?? []
            let matches = candidates.filter { i in
                let f = out[i]
                return (w.organization == nil || f.organization == w.organization) && (w.tenant == nil || f.tenant == w.tenant)
            }
            let expired = now >= w.expires
            if !expired {
                for i in matches where out[i].isOpen {
                    out[i].status = .waived
                    out[i].waiver = w.id
                }
            }
            reports.append(WaiverReport(
                id: w.id, rule: w.rule, state: expired ? .expired : matches.isEmpty ? .unused : .active,
                findings: matches.map { out[$0].fingerprint }.sorted(), reason: w.reason, owner: w.owner, ticket: w.ticket,
                mitigatingControl: w.mitigatingControl, expires: day(w.expires)))
        }
        return (out, reports.sorted { $0.id < $1.id })
    }
}
