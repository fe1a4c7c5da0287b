import Foundation
import RoleAuditModel
import RoleAuditPolicy

/// The gate: takes what the rules found and makes what the reports read. Each step (the policy's
/// severities and waivers, a baseline, the state before a change, the history) takes a result and
/// gives a new one; none changes the rules' findings or another step's result in place.
public enum Gate {
    /// The policy's severities and waivers applied, findings in report order.
    public static func judge(_ run: RuleRun) -> ScanResult {
        let c = run.context
        let defaults = Dictionary(RuleEngine.descriptions.map { ($0.id, $0.defaultSeverity) }, uniquingKeysWith: { a, _ in a })
        // Rated in place: only a finding whose rule the policy overrides is touched.
        var rated = run.findings
        for i in rated.indices {
            guard let override = c.policy.rules[rated[i].ruleID]?.severity, let value = defaults[rated[i].ruleID] else { continue }
            rated[i].severity = severity(rated[i].severity, default: value, override: override)
        }
        let (applied, waivers) = applyWaivers(rated, policy: c.policy, now: c.now)
        let limitations = c.snapshot.coverage.filter { $0.kind == .dataNotExported }.map(\.detail)
        return ScanResult(
            snapshot: c.snapshot, graph: c.graph, findings: sortedForReports(applied), waivers: waivers, rules: run.rules, disabledRules: run.disabledRules,
            catalogVersion: c.catalog.version, catalog: c.catalog, policy: c.policy, now: c.now, limitations: Array(Set(limitations)).sorted(),
            dataCoverage: DataCoverage(rules: RuleEngine.descriptions, disabled: run.disabledRules, snapshot: c.snapshot, graph: c.graph,
                roster: c.roster != nil, certification: c.certification != nil))
    }

    /// A policy's severity for a rule replaces the rule's default: a finding at the default takes
    /// it, and a finding the rule rated otherwise keeps its own rating unless the override is lower
    /// (so `info` quiets every finding of the rule, and raising the rule raises only its default).
    public static func severity(_ own: Severity, default value: Severity, override: Severity) -> Severity {
        own == value ? override : min(own, override)
    }

    /// Open findings the baseline knows become `baselined`; the rest stay open.
    public static func baseline(_ baseline: Baseline, source: String, to result: ScanResult) -> ScanResult {
        let known = Set(baseline.entries.map(\.fingerprint))
        var matched: Set<String> = []
        var findings = result.findings
        for i in findings.indices where findings[i].isOpen && known.contains(findings[i].fingerprint) {
            findings[i].status = .baselined
            matched.insert(findings[i].fingerprint)
        }
        let present = Set(result.findings.map(\.fingerprint))
        return result.next(
            findings: findings,
            baseline: BaselineReport(
                source: source, entries: baseline.entries.count, matched: matched.count,
                stale: baseline.entries.filter { !present.contains($0.fingerprint) }))
    }

    /// `roleaudit diff`: the findings of BEFORE are the baseline of AFTER, and the access changes
    /// between the two are added.
    public static func diff(before: ScanResult, after: ScanResult, beforeLabel: String, afterLabel: String, now: Date) -> ScanResult {
        let baselined = baseline(Baseline(findings: before.findings, generatedAt: now.iso8601), source: beforeLabel, to: after)
        return baselined.next(
            findings: baselined.findings,
            changes: AccessChanges.between(before: before, after: baselined, beforeLabel: beforeLabel, afterLabel: afterLabel))
    }

    /// What the history held before this scan: the gate classifies the scan's findings by it.
    public struct HistoryState: Sendable {
        /// A class: read once per finding of a scan, and a copy of a struct of eight strings
        /// is a retain of each.
        public final class Seen: Sendable {
            public let firstSeen: Date
            public let entry: Baseline.Entry
            public init(firstSeen: Date, entry: Baseline.Entry) {
                self.firstSeen = firstSeen
                self.entry = entry
            }
        }
        public let database: String
        /// The number this scan is recorded under.
        public let scan: Int64
        /// The time of the latest scan before it.
        public let previous: Date?
        /// That scan's open findings, by fingerprint.
        public let open: [String: Seen]
        /// The earlier scans' open counts.
        public let trend: [HistoryReport.Point]
        /// This scan's time as the history keeps it (whole seconds).
        public let now: Date
        public init(database: String, scan: Int64, previous: Date?, open: [String: Seen], trend: [HistoryReport.Point], now: Date) {
            self.database = database
            self.scan = scan
            self.previous = previous
            self.open = open
            self.trend = trend
            self.now = now
        }
    }

    /// Open findings the previous scan held are `persisting` (first seen then), the others `new`
    /// (first seen now); what the previous scan held open and this one does not is resolved.
    public static func history(_ state: HistoryState, to result: ScanResult) -> ScanResult {
        var findings = result.findings
        // The previous scan's open findings still open now, by their place in `state.open`: a set
        // of positions, not a second set of hundreds of thousands of fingerprints; and only the
        // resolved entries are copied out.
        var stillOpen = Set<Dictionary<String, HistoryState.Seen>.Index>()
        stillOpen.reserveCapacity(state.open.count)
        for i in findings.indices {
            let at = state.open.index(forKey: findings[i].fingerprint)
            let seen = at.map { state.open[$0].value.firstSeen }
            if findings[i].isOpen {
                findings[i].status = seen == nil ? .new : .persisting
                if let at { stillOpen.insert(at) }
            }
            findings[i].firstSeen = seen ?? state.now
        }
        let resolved = state.open.indices.filter { !stillOpen.contains($0) }.map { state.open[$0].value.entry }.sorted { $0.fingerprint < $1.fingerprint }
        let point = HistoryReport.Point(scan: state.scan, time: result.now, open: openCounts(findings))
        return result.next(
            findings: findings,
            history: HistoryReport(
                database: state.database, scan: state.scan, previous: state.previous, resolved: resolved,
                trend: (state.trend + [point]).sorted { $0.scan < $1.scan }))
    }

    /// Open findings per severity, every severity present.
    public static func openCounts(_ findings: [Finding]) -> [Severity: Int] {
        var counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        for f in findings where f.isOpen { counts[f.severity, default: 0] += 1 }
        return counts
    }

    /// Most severe first, then by rule, platform, scope, principal, role and fingerprint. Positions
    /// are sorted, comparing precomputed keys in place: comparing findings copied two of them per
    /// comparison, and moving keys (as a sort of keys does) retained their strings at every move.
    /// Severity, rule, platform and scope are ranked once into one integer (a few thousand distinct
    /// scopes sorted, not 187,821 findings' scope strings compared), in the same order as their texts.
    static func sortedForReports(_ findings: [Finding]) -> [Finding] {
        func ranks(_ texts: some Sequence<String>) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: Set(texts).sorted().enumerated().map { ($1, $0) })
        }
        // Scopes by their parts (Finding.scopeKey), each distinct one labelled once for its rank:
        // a label per finding was built and hashed twice.
        let scopes = findings.indices.map { findings[$0].scopeKey }
        let distinct = Array(Set(scopes)).map { ($0, $0.label) }.sorted { $0.1 < $1.1 }
        var scopeRank: [Finding.ScopeKey: Int] = [:]
        // Keys with one label (none today) share its rank, as the labels did.
        var rank = -1, last: String?
        for (key, label) in distinct {
            if label != last { rank += 1 }
            scopeRank[key] = rank
            last = label
        }
        let ruleRank = ranks(findings.indices.map { findings[$0].ruleID })
        let platformRank = ranks(Platform.allCases.map(\.rawValue))
        let keys = findings.indices.map { i in
            let severity = Severity.allCases.count - (Severity.allCases.firstIndex(of: findings[i].severity) ?? 0)
            let head = ((severity << 16 | (ruleRank[findings[i].ruleID] ?? 0)) << 8 | (platformRank[findings[i].platform.rawValue] ?? 0)) << 32
                | (scopeRank[scopes[i]] ?? 0)
            return SortKey(head: head, principal: findings[i].principal ?? "", role: findings[i].role ?? "", fingerprint: findings[i].fingerprint)
        }
        var order = Array(findings.indices)
        keys.withUnsafeBufferPointer { k in order.sort { k[$0] < k[$1] } }
        return order.map { findings[$0] }
    }

    private struct SortKey: Comparable {
        /// Severity, rule, platform and scope, ranked.
        let head: Int
        let principal: String, role: String, fingerprint: String
        static func < (a: SortKey, b: SortKey) -> Bool {
            if a.head != b.head { return a.head < b.head }
            if a.principal != b.principal { return a.principal < b.principal }
            if a.role != b.role { return a.role < b.role }
            return a.fingerprint < b.fingerprint
        }
    }
}
