import Foundation
import RoleAuditModel
import RoleAuditPolicy

extension Gate {
    /// The policy's waivers: open findings a live waiver matches become `waived`; each waiver is
    /// reported active, expired or unused.
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
