import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

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
        XP001AccessLeftBehind.self, XP002LeaverStillHasAccess.self, XP003UnknownPerson.self,
        CERT001RevokedInReviewStillPresent.self,
    ]

    public static var descriptions: [RuleDescription] { builtIn.map { $0.description } }

    public static func description(of id: String) -> RuleDescription? {
        builtIn.first { $0.description.id.caseInsensitiveCompare(id) == .orderedSame }?.description
    }

    /// The rules' findings on a snapshot, judged by the gate: what the report writers read.
    /// `roster`: the HR roster (`--roster`); without it XP-002 and XP-003 have nothing to read.
    /// `certification`: the last access review (`--certification`), for CERT-001.
    public static func scan(
        snapshot: Snapshot, catalog: RoleCatalog, policy: Policy, now: Date, roster: Roster? = nil, certification: Certification? = nil
    ) -> ScanResult {
        Gate.judge(run(snapshot: snapshot, catalog: catalog, policy: policy, now: now, roster: roster, certification: certification))
    }

    /// Every enabled rule on one context: one finding per fingerprint, as the rules rated them.
    public static func run(
        snapshot: Snapshot, catalog: RoleCatalog, policy: Policy, now: Date, roster: Roster? = nil, certification: Certification? = nil
    ) -> RuleRun {
        let context = RuleContext(snapshot: snapshot, catalog: catalog, policy: policy, now: now, roster: roster, certification: certification)
        let enabled = builtIn.filter { policy.isEnabled($0.description.id) }
        let disabled = builtIn.map { $0.description.id }.filter { !policy.isEnabled($0) }
        // Rules are independent reads of one context, so they run on every core.
        let perRule = Parallel.map(enabled.count) { i in enabled[i].init().evaluate(context) }
        var findings = perRule.flatMap { $0 }
        findings += PolicyConflictRule.evaluate(context)
        return RuleRun(
            context: context, findings: merge(findings), rules: enabled.map { $0.description }, disabledRules: disabled)
    }

    /// One finding per fingerprint: evidence of duplicates is kept, up to `evidenceLimit`.
    /// Findings are placed by position, not held in a dictionary of findings (which copied each
    /// one in and out).
    static func merge(_ findings: [Finding]) -> [Finding] {
        var at: [String: Int] = [:]
        at.reserveCapacity(findings.count)
        var out: [Finding] = []
        out.reserveCapacity(findings.count)
        for i in findings.indices {
            if let j = at[findings[i].fingerprint] {
                let f = findings[i]
                out[j].evidence += f.evidence.filter { !out[j].evidence.contains($0) }
                out[j].assumptions = Array(Set(out[j].assumptions + f.assumptions)).sorted()
            } else {
                at[findings[i].fingerprint] = out.count
                out.append(findings[i])
            }
        }
        for j in out.indices where out[j].evidence.count > evidenceLimit {
            out[j].evidence = capped(out[j].evidence, total: out[j].evidence.count)
        }
        return out
    }

    /// Evidence kept per finding: a note about a role held by 50,000 people lists the first ones
    /// and says how many more, so reports stay readable and small.
    public static let evidenceLimit = 100

    /// The evidence shown for `total` items of which `first` are the first ones: within the limit,
    /// the last slot says how many more there are. Rules with huge holder lists build only this.
    public static func capped(_ first: [Finding.Evidence], total: Int) -> [Finding.Evidence] {
        guard total > evidenceLimit else { return first }
        return Array(first.prefix(evidenceLimit - 1)) + [.note("and \(total - evidenceLimit + 1) more grants like these")]
    }
}

/// What the rules found on one context, before the gate judges it.
public struct RuleRun: Sendable {
    public let context: RuleContext
    /// One per fingerprint, at the severity each rule gave, in no particular order.
    public let findings: [Finding]
    public let rules: [RuleDescription]
    public let disabledRules: [String]
}
