import RoleAuditCatalog
import RoleAuditModel
import Testing

/// One test per statement of the Cortex XDR roles page (seed 003) that the catalog encodes.
struct CortexInvariantTests {
    /// 9: Access Management "Account Admin and Instance Administrator roles are granted this permission by default."
    @Test func onlyAccountAdminAndInstanceAdministratorManageAccess() throws {
        let holders = try Bundled.catalog().roles(on: .cortexXDR).filter { $0.holds("access.manage") }
        #expect(Set(holders.map(\.name)) == ["Account Admin", "Instance Administrator"])
    }

    /// 20 and 33: only they assign roles or manage the application hub.
    @Test(arguments: ["roles.assign", "apphub.manage"] as [CapabilityID])
    func reservedAboveThePrivilegedSecurityAdmin(cap: CapabilityID) throws {
        let holders = try Bundled.catalog().roles(on: .cortexXDR).filter { $0.holds(cap) }
        #expect(Set(holders.map(\.name)) == ["Account Admin", "Instance Administrator"])
    }

    /// 8 and 19: only the Account Admin manages tenants in Cortex Gateway; it is the only
    /// account-level Cortex role.
    @Test func onlyAccountAdminManagesTenants() throws {
        let roles = try Bundled.catalog().roles(on: .cortexXDR)
        #expect(roles.filter { $0.holds("tenants.manage") }.map(\.name) == ["Account Admin"])
        #expect(roles.filter { $0.level != .tenant }.map(\.name) == ["Account Admin"])
    }

    /// 19: the Account Admin "has the same view/edit permissions in the tenant as the Instance Administrator".
    @Test func accountAdminHoldsEverythingTheInstanceAdministratorHolds() throws {
        let catalog = try Bundled.catalog()
        let account = try catalog.require("Account Admin", .cortexXDR, .account)
        let instance = try catalog.require("Instance Administrator", .cortexXDR, .tenant)
        #expect(instance.capabilities.isSubset(of: account.capabilities))
    }

    /// 33: Privileged Security Admin has everything; "the only capabilities reserved above this role
    /// are user/role management (Access Management) and application hub management".
    @Test func privilegedSecurityAdminHasEverythingButAccessManagementAndTheHub() throws {
        let catalog = try Bundled.catalog()
        let psa = try catalog.require("Privileged Security Admin", .cortexXDR, .tenant)
        let instance = try catalog.require("Instance Administrator", .cortexXDR, .tenant)
        #expect(instance.capabilities.subtracting(psa.capabilities) == ["access.manage", "roles.assign", "apphub.manage"])
        #expect(psa.capabilities.isSubset(of: instance.capabilities))
        let securityAdmin = try catalog.require("Security Admin", .cortexXDR, .tenant)
        #expect(securityAdmin.capabilities.isSubset(of: psa.capabilities))
    }

    /// 52: Generic Collector "is not intended for users ... the API key can only ingest scan data".
    @Test func genericCollectorIsMachineOnlyAndOnlyIngests() throws {
        let roles = try Bundled.catalog().roles(on: .cortexXDR)
        let collector = try #require(roles.first { $0.name == "Generic Collector" })
        #expect(collector.machineOnly)
        #expect(collector.capabilities == ["collector.ingest"])
        #expect(roles.filter(\.machineOnly).map(\.name) == ["Generic Collector"])
        #expect(roles.filter { $0.holds("collector.ingest") }.map(\.name) == ["Generic Collector"])
    }

    /// 24: Scoped Agent Admin "is designed for SBAC. All permissions are limited to the endpoint scope".
    @Test func scopedAgentAdminRequiresAScopeAndEveryGrantIsLimited() throws {
        let roles = try Bundled.catalog().roles(on: .cortexXDR)
        let scoped = try #require(roles.first { $0.name == "Scoped Agent Admin" })
        #expect(scoped.scopeRequired)
        #expect(scoped.grants.allSatisfy { $0.kind == .limited })
        #expect(roles.filter(\.scopeRequired).map(\.name) == ["Scoped Agent Admin"])
    }

    /// 34: the Viewer "has no edit permissions, including edit, respond, or configure".
    @Test func viewerHoldsNoWriteOrPrivilegedCapability() throws {
        let catalog = try Bundled.catalog()
        #expect(catalog.capabilities(atOrAbove: .write, of: try catalog.require("Viewer", .cortexXDR, .tenant)).isEmpty)
    }

    /// 29: the PRODUCT.md example of a self-contradicting row: "no ... rule editing" in the
    /// description, "plus the ability to edit detection rules" in the recommended use.
    @Test func responderRuleEditingKeepsBothReadingsAndAssumesTheBroader() throws {
        let grant = try #require(try Bundled.catalog().require("Responder", .cortexXDR, .tenant).grant("detection_rules.edit"))
        #expect(grant.kind == .allowed)
        #expect(grant.citations.map(\.quote) == ["plus the ability to edit detection rules"])
        #expect(grant.alternative?.grant == AlternativeReading.Grant.none)
        #expect(grant.alternative?.citations.map(\.quote) == ["but no Live Terminal, rule editing, or configuration access"])
    }

    struct Exclusion: Sendable, CustomTestStringConvertible {
        let role: String
        let line: Int
        let denied: [CapabilityID]
        var testDescription: String { "\(role) (line \(line))" }
    }

    /// What each role's description says it does not do.
    @Test(arguments: [
        Exclusion(role: "Deployment Admin", line: 21, denied: ["incidents.resolve", "response.actions", "detection_rules.edit"]),
        Exclusion(role: "IT Admin", line: 22, denied: ["incidents.resolve", "response.actions", "policies.edit"]),
        Exclusion(role: "Scoped Agent Admin", line: 24, denied: ["query.run", "detection_rules.view", "config.view", "cloud_security.view"]),
        Exclusion(role: "Investigator", line: 27, denied: ["response.actions", "endpoint.isolate", "response.scripts", "detection_rules.edit", "host_insights.view", "config.view"]),
        Exclusion(role: "Privileged Investigator", line: 28, denied: ["response.actions", "detection_rules.edit", "endpoints.manage", "config.edit"]),
        Exclusion(role: "Responder", line: 29, denied: ["response.live_terminal", "config.edit"]),
        Exclusion(role: "Privileged Responder", line: 30, denied: ["access.manage", "alert_notifications.manage", "broker.manage", "datasources.manage"]),
        Exclusion(role: "Investigation Admin", line: 31, denied: ["response.live_terminal", "endpoints.manage", "agent.install"]),
        // Scripts and file operations: "respond (excluding Live Terminal)" against line 33, passage C-RESPONSE.
        Exclusion(role: "Security Admin", line: 32, denied: ["response.live_terminal", "playbooks.edit", "audit.view", "broker.manage", "alert_notifications.manage"]),
        Exclusion(role: "AppSec Admin", line: 38, denied: ["response.actions", "endpoints.manage", "config.edit"]),
        Exclusion(role: "DevSecOps", line: 39, denied: ["appsec.rules.edit", "incidents.resolve"]),
    ])
    func descriptionsExclusionsHold(_ e: Exclusion) throws {
        let role = try Bundled.catalog().require(e.role, .cortexXDR, .tenant)
        for cap in e.denied {
            #expect(!role.holds(cap), "\(e.role) holds \(cap), which line \(e.line) excludes")
        }
    }

    /// 40: Compliance Administrator: "No edit permissions on anything except compliance features."
    @Test func complianceAdministratorEditsOnlyCompliance() throws {
        let catalog = try Bundled.catalog()
        let role = try catalog.require("Compliance Administrator", .cortexXDR, .tenant)
        #expect(catalog.capabilities(atOrAbove: .write, of: role) == ["compliance.manage"])
    }

    /// 37: Developer is "Read-only ... and edit access for the CLI tool".
    @Test func developerWritesOnlyWithTheCLITool() throws {
        let catalog = try Bundled.catalog()
        let role = try catalog.require("Developer", .cortexXDR, .tenant)
        #expect(catalog.capabilities(atOrAbove: .write, of: role) == ["appsec.cli"])
    }

    /// 41, 43, 45, 47: the module viewers are read-only but for report editing (41, 43) and the
    /// triage reading of line 45, which is recorded as ambiguous.
    @Test(arguments: ["AI Security Viewer", "Data Security Viewer", "Identity Security Runtime Viewer", "Identity Security Viewer"])
    func moduleViewersWriteNothingUndocumented(name: String) throws {
        let catalog = try Bundled.catalog()
        let role = try catalog.require(name, .cortexXDR, .tenant)
        #expect(catalog.capabilities(atOrAbove: .privileged, of: role).isEmpty)
        for cap in catalog.capabilities(atOrAbove: .write, of: role) {
            let grant = try #require(role.grant(cap))
            #expect(cap == "reports.edit" || grant.isAmbiguous, "\(name) writes \(cap)")
        }
    }

    /// 22, 23, 28, 29, 30: roles that "extend" another hold all of it.
    @Test(arguments: [
        ("IT Admin", "Deployment Admin"), ("Privileged IT Admin", "IT Admin"), ("Privileged Investigator", "Investigator"),
        ("Responder", "Investigator"), ("Privileged Responder", "Responder"),
    ])
    func extendedRolesAreContained(role: String, base: String) throws {
        let catalog = try Bundled.catalog()
        let r = try catalog.require(role, .cortexXDR, .tenant)
        let b = try catalog.require(base, .cortexXDR, .tenant)
        #expect(b.capabilities.isSubset(of: r.capabilities))
    }
}
