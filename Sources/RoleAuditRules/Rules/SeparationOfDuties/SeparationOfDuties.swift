import RoleAuditPolicy
import RoleAuditModel

/// Builds a separation-of-duties finding from a conflict.
func sodFinding(
    _ d: RuleDescription, _ c: RuleContext, _ who: RuleContext.PrincipalKey, _ scope: String, _ left: [Grant], _ right: [Grant],
    _ leftName: String, _ rightName: String
) -> Finding {
    let l = Set(left.map(\.role)).sorted().joined(separator: ", ")
    let r = Set(right.map(\.role)).sorted().joined(separator: ", ")
    return Finding(
        rule: d, platform: who.platform, account: who.platform == .huntress ? scope : nil,
        tenant: who.platform == .cortexXDR ? scope : nil, principal: who.key, role: ([l, r]).joined(separator: " + "),
        message: "\(who.key) holds \(leftName) (\(l)) and \(rightName) (\(r)) through different grants in \(who.platform == .huntress ? "account" : "tenant") \(scope)",
        evidence: left.map { .grant($0, leftName) } + right.map { .grant($0, rightName) })
}

let securityOperations: Set<CapabilityID> = [
    "endpoint.isolate", "exclusions.manage", "incidents.resolve", "escalations.respond", "response.actions", "remediation.approve",
]
