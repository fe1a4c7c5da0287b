import Foundation
import RoleAuditModel
import RoleAuditRules

/// `findings.csv` (a row per finding) and `entitlements.csv` (a row per effective grant, with empty
/// `decision`, `reviewer` and `comment` columns: an access-review worksheet). UTF-8 with a BOM so
/// that Excel opens it as UTF-8, columns as documented in the README, written through `CSVTable`.
public enum CSVReportWriter: ReportWriter {
    public static let findingsColumns = [
        "severity", "rule_id", "title", "category", "status", "platform", "account", "account_name", "organization", "tenant",
        "organization_name", "customer", "principal",
        "role", "message", "evidence_count", "evidence", "assumptions", "waiver", "fingerprint", "first_seen",
    ]
    public static let entitlementColumns = [
        "scan_date", "platform", "account", "account_name", "organization", "tenant", "organization_name", "customer",
        "principal", "name", "kind", "user_status", "last_login", "role",
        "role_status", "level", "via", "endpoint_scope", "risk_tier", "capabilities", "source_file", "source_record",
        "source_line", "open_findings", "decision", "reviewer", "comment", "person",
    ]

    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        for job in jobs(input) { try job(folder) }
    }

    /// The two files are the two largest reports of a large scan: written at the same time.
    public static func jobs(_ input: ReportInput) -> [@Sendable (ReportFolder) throws -> Void] {
        [
            { try $0.write("findings.csv") { findings(input.result, CSVTable($0, columns: findingsColumns, byteOrderMark: true)) } },
            {
                try $0.write("entitlements.csv") {
                    entitlements(input.result, input.entitlements, CSVTable($0, columns: entitlementColumns, byteOrderMark: true))
                }
            },
        ]
    }

    static func findings(_ r: ScanResult, _ t: CSVTable) {
        let titles = Dictionary(RuleEngine.descriptions.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let time = TimeText()
        for f in r.findings {
            t.text(f.severity.rawValue)
            t.text(f.ruleID)
            t.text(titles[f.ruleID] ?? "")
            t.text(f.category.rawValue)
            t.text(f.status.rawValue)
            t.text(f.platform.rawValue)
            t.text(f.account)
            t.text(r.accountName(of: f))
            t.text(f.organization)
            t.text(f.tenant)
            t.text(r.placeName(of: f))
            t.text(r.customer(of: f))
            t.text(f.principal)
            t.text(f.role)
            t.text(f.message)
            t.number(f.evidence.count)
            t.text(f.evidence.map(\.withSource).joined(separator: "\n"))
            t.text(f.assumptions.joined(separator: "\n"))
            t.text(f.waiver)
            t.text(f.fingerprint)
            t.text(time(f.firstSeen))
            t.endRow()
        }
    }

    static func entitlements(_ r: ScanResult, _ all: Entitlements, _ t: CSVTable) {
        let time = TimeText()
        // The worksheet is signed for one scan: each row says which, so copied rows keep it.
        let scanDate = time(r.now)
        var person: String?
        let records = all.records
        for i in 0..<all.count {
            let e = all[i]
            let g = e.grant
            let rules = all.openRules(ofGrant: i)
            if all.startsPrincipal(i) { person = all.person(of: i) }
            let r = all.recordIndex(ofGrant: i)
            t.text(scanDate)
            t.text(g.platform.rawValue)
            t.text(e.account)
            t.text(e.accountName)
            t.text(e.organization)
            t.text(e.tenant)
            t.text(e.place == nil ? nil : e.placeName)
            t.text(e.place == nil ? nil : e.customer)
            t.text(g.principal)
            if let r {
                t.text(records[r].name)
                t.text(records[r].kind.rawValue)
                t.text(records[r].status(in: e.tenant))
                t.text(records[r].lastLogin(in: e.tenant).label(time))
            } else {
                for _ in 0..<4 { t.text(nil) }  // name, kind, status, last login
            }
            t.text(g.role)
            t.text(e.roleStatus)
            t.text(g.level.rawValue)
            t.text(e.via)
            t.text(g.scope.map(scopeText))
            t.text(e.tier?.rawValue)
            t.text(e.capabilityTiers)
            t.text(g.provenance.file)
            t.record(g.provenance)
            t.number(g.provenance.line)
            t.text(rules)
            t.text(nil)
            t.text(nil)
            t.text(nil)
            t.text(person)
            t.endRow()
        }
        // Principals with no role: one row each, the role empty, so the review sees them too.
        for (k, p) in all.roleless.enumerated() {
            t.text(scanDate)
            t.text(p.platform.rawValue)
            for _ in 0..<6 { t.text(nil) }  // account, its name, organization, tenant, their name, customer
            t.text(p.key)
            t.text(p.name)
            t.text(p.kind.rawValue)
            t.text(p.status)
            t.text(p.lastLogin.label(time))
            for _ in 0..<7 { t.text(nil) }  // role, role_status, level, via, endpoint_scope, risk_tier, capabilities
            t.text(p.source?.file)
            t.record(p.source)
            t.number(p.source?.line)
            t.text(all.openRules(ofRoleless: k))
            t.text(nil)
            t.text(nil)
            t.text(nil)
            t.text(r.graph.people.person(of: PrincipalID(platform: p.platform, key: p.key), record: p))
            t.endRow()
        }
    }

    static func scopeText(_ s: Scope) -> String {
        s.areas.keys.sorted().map { "\($0): \((s.areas[$0] ?? []).joined(separator: ", "))" }.joined(separator: "; ")
    }
}
