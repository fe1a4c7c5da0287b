import Foundation
import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

/// What the report writers read: the findings as the gate judged them (severity, waivers,
/// baseline, history status), with what the scan ran on. Immutable: only `Gate` makes one, and
/// each step of the gate makes a new one from the last.
public struct ScanResult: Sendable {
    public let snapshot: Snapshot
    /// The snapshot's access graph, as the rules read it: reports, the diff and `inspect` read what
    /// each grant gives here rather than resolving it again.
    public let graph: AccessGraph
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
    /// Each built-in rule's state in this scan (passed, failed, disabled, not evaluated), in id
    /// order: what the data let the rule judge, with the findings as the gate judged them.
    public let ruleStates: [RuleState]
    /// The findings counted by status and open ones by severity, once, for every summary.
    public let counts: FindingCounts
    let dataCoverage: DataCoverage
    /// With `--baseline` (or in a diff): what the baseline held and which entries are stale.
    public let baseline: BaselineReport?
    /// In a diff: how access changed between the two exports, and the findings it resolved.
    public let changes: AccessChanges?
    /// With `--history`: this scan's place in the history.
    public let history: HistoryReport?

    init(
        snapshot: Snapshot, graph: AccessGraph, findings: [Finding], waivers: [WaiverReport], rules: [RuleDescription], disabledRules: [String],
        catalogVersion: String, catalog: RoleCatalog, policy: Policy, now: Date, limitations: [String], dataCoverage: DataCoverage,
        baseline: BaselineReport? = nil, changes: AccessChanges? = nil, history: HistoryReport? = nil
    ) {
        self.snapshot = snapshot
        self.graph = graph
        self.findings = findings
        self.waivers = waivers
        self.rules = rules
        self.disabledRules = disabledRules
        self.catalogVersion = catalogVersion
        self.catalog = catalog
        self.policy = policy
        self.now = now
        self.limitations = limitations
        self.dataCoverage = dataCoverage
        ruleStates = dataCoverage.states(of: RuleEngine.descriptions, findings: findings)
        counts = FindingCounts(findings)
        self.baseline = baseline
        self.changes = changes
        self.history = history
    }

    /// The state of a built-in rule; nil for the policy's own conflicts.
    public func state(of rule: String) -> RuleState? { ruleStates.first { $0.rule == rule } }

    /// A later step of the gate: `self` with the findings it judged and what it adds.
    func next(
        findings: [Finding], baseline: BaselineReport? = nil, changes: AccessChanges? = nil, history: HistoryReport? = nil
    ) -> ScanResult {
        ScanResult(
            snapshot: snapshot, graph: graph, findings: findings, waivers: waivers, rules: rules, disabledRules: disabledRules,
            catalogVersion: catalogVersion, catalog: catalog, policy: policy, now: now, limitations: limitations, dataCoverage: dataCoverage,
            baseline: baseline ?? self.baseline, changes: changes ?? self.changes, history: history ?? self.history)
    }
}

/// How many findings are open, waived and baselined, and the open ones by severity.
public struct FindingCounts: Sendable {
    public private(set) var open = 0, waived = 0, baselined = 0
    public private(set) var bySeverity: [Severity: Int] = [:]

    init(_ findings: [Finding]) {
        for f in findings {
            if f.status == .waived { waived += 1 }
            if f.status == .baselined { baselined += 1 }
            guard f.isOpen else { continue }
            open += 1
            bySeverity[f.severity, default: 0] += 1
        }
    }

    /// The most severe open finding's severity.
    public var worst: Severity? { Severity.allCases.filter { bySeverity[$0] != nil }.max() }
}

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

/// What a baseline did in a scan: which findings it held, and which of its entries match nothing
/// any more (stale: the problem was fixed, or its fingerprint changed).
public struct BaselineReport: Sendable {
    /// Where the baseline came from: a file, or in a diff the exports before the change.
    public let source: String
    public let entries: Int
    public let matched: Int
    public let stale: [Baseline.Entry]
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
