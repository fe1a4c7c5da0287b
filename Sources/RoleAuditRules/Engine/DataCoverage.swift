import Foundation
import RoleAuditGraph
import RoleAuditModel

/// Data a rule cannot judge without. A rule that needs none runs on any export.
public enum DataNeed: Sendable, Hashable {
    /// The rule reads only this platform's records (Huntress organizations, Cortex SBAC, ...).
    case platform(Platform)
    /// Users' last sign-in: Cortex user lists carry it, Huntress exports never do.
    case lastLogin
    /// An HR roster (`--roster`): who is employed and who has left.
    case roster
    /// A past access review (`--certification`).
    case certification
}

/// What one rule did in one scan. `failed` says the rule has an open finding (one waived or
/// baselined leaves it passed, as the gate judges it); `notEvaluated` says the scan held none of the data the
/// rule needs, so its silence proves nothing; a rule that could run on only some places is passed
/// or failed with a reason naming the places it could not read.
public struct RuleState: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case passed, failed, disabled
        case notEvaluated = "not-evaluated"
    }
    public let rule: String
    public let kind: Kind
    /// Why not evaluated, or which places were left out of a partial evaluation.
    public let reason: String?

    public init(rule: String, kind: Kind, reason: String?) {
        self.rule = rule
        self.kind = kind
        self.reason = reason
    }

    /// `not evaluated: no Huntress export in the scan`, `passed`, `passed (evaluated on ...)`.
    public var label: String {
        let word = kind == .notEvaluated ? "not evaluated" : kind.rawValue
        guard let reason else { return word }
        return kind == .notEvaluated || kind == .disabled ? "\(word): \(reason)" : "\(word) (\(reason))"
    }
}

/// Which rules the scan's data lets run, and where: computed once per scan by the gate, so every
/// report says the same thing about a rule that saw no data.
public struct DataCoverage: Sendable {
    /// Rule id to the reason it could not run at all, or ran on part of the data only.
    struct Reach: Sendable {
        let none: Bool
        let reason: String
    }
    let reach: [String: Reach]
    let disabled: Set<String>
    /// Whether the scan was given a roster and a certification: a view of the scan (one
    /// customer's) has the same ones.
    let hasRoster: Bool
    let hasCertification: Bool

    init(rules: [RuleDescription], disabled: [String], snapshot: Snapshot, graph: AccessGraph, roster: Bool, certification: Bool) {
        self.disabled = Set(disabled)
        hasRoster = roster
        hasCertification = certification
        var platforms: Set<Platform> = []
        for a in snapshot.accounts { platforms.insert(a.platform) }
        for o in snapshot.organizations { platforms.insert(o.platform) }
        for p in snapshot.principals { platforms.insert(p.platform) }
        // Last login per place: a Cortex tenant has it when a user holding a role there has a known
        // last login (`never` is known); Huntress places never have it.
        var withLogin: Set<String> = [], withoutLogin: Set<String> = []
        for i in graph.grants.indices where graph.grants[i].platform == .cortexXDR {
            let tenant = graph.grants[i].target
            if graph.record(ofGrant: i).map({ $0.lastLogin != .unknown }) ?? false {
                withLogin.insert(graph.label(ofPlace: PlaceID(platform: .cortexXDR, id: tenant)))
            }
        }
        for i in graph.grants.indices where graph.grants[i].platform == .cortexXDR {
            let tenant = graph.label(ofPlace: PlaceID(platform: .cortexXDR, id: graph.grants[i].target))
            if !withLogin.contains(tenant) { withoutLogin.insert("Cortex XDR tenant \(tenant)") }
        }
        let huntressAccounts = Set(snapshot.coverage.filter { $0.kind == .dataNotExported && $0.platform == .huntress }.compactMap(\.scope))
            .union(snapshot.accounts.filter { $0.platform == .huntress }.map(\.id))
        // Named as every report names a place: `Huntress account Northwind Managed Services (41207)`.
        for a in huntressAccounts { withoutLogin.insert("Huntress account \(graph.label(ofPlace: PlaceID(platform: .huntress, id: a)))") }
        if huntressAccounts.isEmpty && platforms.contains(.huntress) { withoutLogin.insert("Huntress") }

        var reach: [String: Reach] = [:]
        for d in rules {
            var missing: [String] = []
            var partial: [String] = []
            for need in d.needs {
                switch need {
                case .platform(let p):
                    if !platforms.contains(p) { missing.append("no \(p.displayName) export in the scan") }
                case .roster:
                    if !roster { missing.append("no HR roster given (--roster)") }
                case .certification:
                    if !certification { missing.append("no access review given (--certification)") }
                case .lastLogin:
                    if withLogin.isEmpty {
                        missing.append("no export in the scan carries last-login data (Huntress exports never do)")
                    } else if !withoutLogin.isEmpty {
                        partial.append(
                            "evaluated on Cortex XDR tenant(s) \(withLogin.sorted().joined(separator: ", ")); not on \(withoutLogin.sorted().joined(separator: ", ")), whose export carries no last login")
                    }
                }
            }
            if !missing.isEmpty {
                reach[d.id] = Reach(none: true, reason: missing.joined(separator: "; "))
            } else if !partial.isEmpty {
                reach[d.id] = Reach(none: false, reason: partial.joined(separator: "; "))
            }
        }
        self.reach = reach
    }

    private init(reach: [String: Reach], disabled: Set<String>, roster: Bool, certification: Bool) {
        self.reach = reach
        self.disabled = disabled
        hasRoster = roster
        hasCertification = certification
    }

    /// The same coverage with its reasons passed through `rewrite` (the places they name, when a
    /// redaction hides organization and tenant names).
    func rewritingReasons(_ rewrite: (String) -> String) -> DataCoverage {
        DataCoverage(reach: reach.mapValues { Reach(none: $0.none, reason: rewrite($0.reason)) }, disabled: disabled, roster: hasRoster,
            certification: hasCertification)
    }

    /// Each built-in rule's state given the findings, in `rules` order.
    func states(of rules: [RuleDescription], findings: [Finding]) -> [RuleState] {
        var found: Set<String> = []
        for f in findings where f.isOpen { found.insert(f.ruleID) }
        return rules.map { d in
            if disabled.contains(d.id) { return RuleState(rule: d.id, kind: .disabled, reason: "disabled by the policy") }
            let r = reach[d.id]
            if found.contains(d.id) { return RuleState(rule: d.id, kind: .failed, reason: r?.reason) }
            if let r, r.none { return RuleState(rule: d.id, kind: .notEvaluated, reason: r.reason) }
            return RuleState(rule: d.id, kind: .passed, reason: r?.reason)
        }
    }
}
