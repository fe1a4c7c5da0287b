import RoleAuditCatalog
import RoleAuditModel
import Testing

/// One test per statement of the Huntress article (seed 000) that the catalog encodes.
struct HuntressInvariantTests {
    /// 121: "No organization permission level has access to the Install Agent portion ... cannot
    /// access the Huntress installer or Account Key."
    @Test func noOrganizationLevelRoleReachesTheInstallerOrAccountKey() throws {
        for role in try Bundled.catalog().roles(on: .huntress) where role.level == .organization {
            #expect(!role.holds("agent.install"), "\(role.id)")
            #expect(!role.holds("account_key.view"), "\(role.id)")
            #expect(!role.holds("account_key.regenerate"), "\(role.id)")
        }
    }

    /// 119 and 184: Read-only roles "cannot modify, delete, or add anything".
    @Test(arguments: [Level.account, .organization])
    func readOnlyHoldsNoWriteOrPrivilegedCapability(level: Level) throws {
        let catalog = try Bundled.catalog()
        let role = try catalog.require("Read-only", .huntress, level)
        #expect(catalog.capabilities(atOrAbove: .write, of: role).isEmpty)
    }

    /// 119: "Read-only users can see everything an Account-level User can"; 184 likewise per organization.
    @Test(arguments: [Level.account, .organization])
    func readOnlySeesExactlyWhatUserSees(level: Level) throws {
        let catalog = try Bundled.catalog()
        let readOnly = try catalog.require("Read-only", .huntress, level)
        let user = try catalog.require("User", .huntress, level)
        let userReads = user.capabilities.filter { catalog.tier(of: $0) == .read }
        #expect(readOnly.capabilities == userReads)
    }

    /// Matrix line 16 and 44: only the Admin manages account-level users.
    @Test func onlyAdminManagesAccountLevelUsers() throws {
        let holders = try Bundled.catalog().roles(on: .huntress).filter { $0.holds("users.manage") }
        #expect(holders.map(\.id) == ["huntress/account/Admin"])
    }

    /// 43 and 114-115: billing is changed by the Admin and, within billing, by Finance; nobody else.
    @Test func onlyAdminAndFinanceManageBilling() throws {
        let holders = try Bundled.catalog().roles(on: .huntress).filter { $0.holds("billing.manage") }
        #expect(Set(holders.map(\.id)) == ["huntress/account/Admin", "huntress/account/Finance"])
        let finance = try #require(holders.first { $0.name == "Finance" })
        #expect(finance.grant("billing.manage")?.kind == .limited)
    }

    /// 110: Finance is "Limited to Billing and Invoices areas only"; seeing the account, which
    /// line 10 gives it, is recorded as the other reading (H-ACCOUNT-VIEW).
    @Test func financeHoldsBillingOnly() throws {
        let finance = try Bundled.catalog().require("Finance", .huntress, .account)
        #expect(Set(finance.grants.filter { !$0.isAmbiguous }.map(\.capability)) == ["billing.view", "billing.manage"])
        #expect(finance.grant("account.view")?.passage == "H-ACCOUNT-VIEW")
    }

    /// 117: "Marketing users can only access the Huntress Hub"; line 10 (the account) is marked.
    @Test func marketingHoldsOnlyTheHub() throws {
        let marketing = try Bundled.catalog().require("Marketing", .huntress, .account)
        #expect(Set(marketing.grants.filter { !$0.isAmbiguous }.map(\.capability)) == ["hub.access"])
        #expect(marketing.grant("account.view")?.passage == "H-ACCOUNT-VIEW")
    }

    /// 48: "There are no functional restrictions on the Admin role."
    @Test func accountAdminHoldsEveryHuntressCapability() throws {
        let catalog = try Bundled.catalog()
        let admin = try catalog.require("Admin", .huntress, .account)
        let all = Set(catalog.roles(on: .huntress).flatMap(\.capabilities))
        #expect(all.subtracting(admin.capabilities).isEmpty, "missing: \(all.subtracting(admin.capabilities).sorted())")
    }

    /// 94: org management "is the only access Users have that Security Engineers do not".
    @Test func accountUserDiffersFromSecurityEngineerOnlyByOrganizationManagement() throws {
        let catalog = try Bundled.catalog()
        let user = try catalog.require("User", .huntress, .account)
        let engineer = try catalog.require("Security Engineer", .huntress, .account)
        #expect(user.capabilities.subtracting(engineer.capabilities) == ["org.manage"])
        #expect(user.grant("org.manage")?.kind == .limited)
    }

    /// 10: "Account-level Admins and Security Engineers can access any organizations under the account."
    @Test(arguments: ["Admin", "Security Engineer"])
    func adminAndSecurityEngineerReachEveryOrganization(name: String) throws {
        let role = try Bundled.catalog().require(name, .huntress, .account)
        #expect(role.grant("organizations.view_all")?.alternative == nil)
    }

    /// 122: "Account-level Admins and Security Engineers are ultimately responsible for responding to
    /// Escalations across the account" and no other account-level role acts on them (32-37).
    @Test func onlyAccountAdminsAndSecurityEngineersRespondToEscalations() throws {
        let holders = try Bundled.catalog().roles(on: .huntress).filter { $0.level == .account && $0.holds("escalations.respond") }
        #expect(Set(holders.map(\.name)) == ["Admin", "Security Engineer"])
    }

    /// 76: the Provisioner can "assign any role (including Admin) at the org level" — the
    /// escalation path ESC-001 looks for.
    @Test func provisionerAssignsAnyOrganizationLevelRole() throws {
        let provisioner = try Bundled.catalog().require("Provisioner", .huntress, .account)
        #expect(provisioner.holds("users.org.manage"))
        let assign = try #require(provisioner.grant("roles.assign"))
        #expect(assign.kind == .limited && assign.citations.contains { $0.line == 76 })
        #expect(!provisioner.holds("users.manage"))
    }

    /// 154-155: only the organization-level Admin sees escalations at that level, and it may respond
    /// only to Unwanted Access escalations.
    @Test func organizationEscalationsAreTheAdminsAndLimited() throws {
        let catalog = try Bundled.catalog()
        let holders = catalog.roles(on: .huntress).filter { $0.level == .organization && $0.holds("escalations.view") }
        #expect(holders.map(\.name) == ["Admin"])
        #expect(try catalog.require("Admin", .huntress, .organization).grant("escalations.respond")?.kind == .limited)
    }

    /// 152: "Admins: can create and modify ITDR Unwanted Access rules" — not the Security Engineer (33, 155).
    @Test func onlyOrganizationAdminsManageUnwantedAccessRules() throws {
        let catalog = try Bundled.catalog()
        #expect(try catalog.require("Admin", .huntress, .organization).holds("itdr.rules.manage"))
        #expect(try !catalog.require("Security Engineer", .huntress, .organization).holds("itdr.rules.manage"))
        #expect(try !catalog.require("Security Engineer", .huntress, .account).holds("itdr.rules.manage"))
    }

    /// 143 against 151 and the matrix (129): whether an organization Admin may uninstall agents is
    /// contradictory; both readings are kept and the broader one is assumed.
    @Test func organizationAdminUninstallIsRecordedAsAmbiguous() throws {
        let grant = try #require(try Bundled.catalog().require("Admin", .huntress, .organization).grant("agent.uninstall"))
        let alt = try #require(grant.alternative)
        #expect(alt.grant == .none)
        #expect(Set(grant.citations.map(\.line)) == [143, 162])
        #expect(Set(alt.citations.map(\.line)) == [151, 129])
    }

    struct Denial: Sendable, CustomTestStringConvertible {
        let role: String
        let level: Level
        let lines: ClosedRange<Int>
        let denied: [CapabilityID]
        var testDescription: String { "\(level.rawValue) \(role) cannot (\(lines))" }
    }

    /// Each role's "cannot" list, line by line.
    @Test(arguments: [
        Denial(role: "Security Engineer", level: .account, lines: 65...73, denied: [
            "users.manage", "org.manage", "billing.view", "billing.manage", "integrations.manage", "sso.manage",
            "account_key.regenerate", "siem.manage", "siem.queries",
        ]),
        Denial(role: "User", level: .account, lines: 95...107, denied: [
            "endpoint.isolate", "exclusions.manage", "incidents.resolve", "escalations.respond", "escalations.view",
            "sso.manage", "settings.global", "av.bulk_actions", "av.configure", "sat.access", "soc_support.request",
        ]),
        Denial(role: "Provisioner", level: .account, lines: 85...89, denied: [
            "incidents.resolve", "escalations.respond", "notifications.manage", "users.manage", "billing.view",
            "billing.manage", "integrations.manage",
        ]),
        Denial(role: "User", level: .organization, lines: 165...182, denied: [
            "organizations.view_all", "escalations.view", "agent.install", "account_key.regenerate", "users.org.manage",
            "users.manage", "integrations.manage", "agent.bulk_manage", "billing.view", "settings.global",
            "av.configure", "av.bulk_actions", "exclusions.manage", "endpoint.isolate", "remediation.approve",
            "sat.access", "soc_support.request",
        ]),
        Denial(role: "Security Engineer", level: .organization, lines: 155...155, denied: [
            "escalations.view", "escalations.respond",
        ]),
    ])
    func cannotListsHold(_ denial: Denial) throws {
        let role = try Bundled.catalog().require(denial.role, .huntress, denial.level)
        for cap in denial.denied {
            #expect(!role.holds(cap), "\(role.id) holds \(cap), which lines \(denial.lines) deny")
        }
    }
}
