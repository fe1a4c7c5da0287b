import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

struct CortexLegacyImportTests {
    @Test func tenantIsNamedByTheManifest() throws {
        let s = try Fixture.load("cortex-legacy/acme")
        let tenant = try #require(s.organizations.first { $0.platform == .cortexXDR })
        #expect(tenant.id == "acme-prod" && tenant.customer == "Acme")
        #expect(Set(s.sources.map(\.format)) == ["cortex.legacy.users", "cortex.legacy.roles", "cortex.legacy.groups"])
    }

    @Test func lastLoginIsEpochMillisecondsOrNullForNever() throws {
        let s = try Fixture.load("cortex-legacy/acme")
        #expect(s.principal("analyst1@corp.example", on: .cortexXDR)?.lastLogin == .at(Date(timeIntervalSince1970: 1_719_830_400)))
        #expect(s.principal("never@corp.example", on: .cortexXDR)?.lastLogin == .never)
        #expect(s.principal("nogroups@corp.example", on: .cortexXDR)?.lastLogin == .unknown)
    }

    @Test func scopeIsReadAsListOrObject() throws {
        let s = try Fixture.load("cortex-legacy/acme")
        let list = try #require(s.grants(of: "analyst1@corp.example").first { $0.path == .direct })
        #expect(list.scope?.areas == ["endpoints": ["Branch East"]])
        let object = try #require(s.grants(of: "never@corp.example").first)
        #expect(object.scope?.areas == ["endpoints": ["HQ"]])
    }

    /// get_roles is a list of lists; get_user_group lists members under user_email with nulls.
    @Test func effectiveAccessIsTheDirectRolePlusEveryGroupsRole() throws {
        let s = try Fixture.load("cortex-legacy/acme")
        let grants = s.grants(of: "analyst1@corp.example")
        #expect(Set(grants.map { "\($0.role) \($0.path.groupName ?? "direct")" }) == ["Investigator direct", "Investigator SOC Tier 1"])
        #expect(s.groups.first { $0.name == "SOC Tier 2" }?.members == [])
        #expect(s.roles.first { $0.name == "Triage Plus" }?.permissions == ["incidents_edit"])
        #expect(s.grants(of: "direct@corp.example").map(\.role) == ["Triage Plus"])
    }

    @Test func aGroupAUserIsInButThatWasNotExportedIsReported() throws {
        let s = try Fixture.load("cortex-legacy/acme")
        let issue = try #require(s.coverage.first { $0.kind == .undefinedGroup })
        #expect(issue.detail.contains("Ghost Group") && issue.scope == "acme-prod")
        #expect(!s.isComplete)
    }
}

struct CortexIAMImportTests {
    @Test func tenantIsNamedByTheFolderWithoutAManifest() throws {
        let s = try Fixture.load("cortex-iam/globex")
        #expect(s.organizations.filter { $0.platform == .cortexXDR }.map(\.id) == ["globex"])
    }

    @Test func hiddenIsReadUnderEitherName() throws {
        let s = try Fixture.load("cortex-iam/globex")
        #expect(s.principal("lead@globex.example", on: .cortexXDR)?.hidden == true)
        #expect(s.principal("svc@globex.example", on: .cortexXDR)?.hidden == false)
    }

    /// role_id resolves through the role list; role_name is taken as is; nested groups pass their
    /// parent's role down; group ids are numbers or strings.
    @Test func groupRolesResolveAndNestedGroupsGiveTheirParentsRole() throws {
        let s = try Fixture.load("cortex-iam/globex")
        let lead = s.grants(of: "lead@globex.example")
        #expect(Set(lead.map { "\($0.role) via \($0.path)" }) == [
            "Viewer via direct",
            "Investigator via group(name: \"Analysts\", chain: [\"Analysts\"])",
            "Responder via group(name: \"Parents\", chain: [\"Analysts\", \"Parents\"])",
        ])
        #expect(s.grants(of: "svc@globex.example").map(\.role) == ["Globex Ops"])
        #expect(s.groups.first { $0.name == "Analysts" }?.idpGroups == ["SAML-Analysts"])
        #expect(s.roles.first { $0.name == "Globex Ops" }?.isCustom == true)
    }

    @Test func scopeFilesAttachToTheirEntitysGrants() throws {
        let s = try Fixture.load("cortex-iam/globex")
        let direct = try #require(s.grants(of: "lead@globex.example").first { $0.path == .direct })
        #expect(direct.scope?.areas == ["assets": ["Prod servers"], "endpoints": ["EU laptops"]])
    }

    @Test func countsThatDisagreeWithTotalCountAndUnknownRoleIdsAreReported() throws {
        let s = try Fixture.load("cortex-iam/globex")
        let mismatch = try #require(s.coverage.first { $0.kind == .countMismatch })
        #expect(mismatch.detail == "metadata.total_count says 3 but the file holds 2 record(s)")
        #expect(s.coverage.contains { $0.kind == .undefinedRole && $0.detail.contains("r-missing") })
    }
}

struct CortexCSVImportTests {
    @Test func usersTableIsReadByItsDisplayHeaders() throws {
        let s = try Fixture.load("csv/contoso/users-table.csv")
        #expect(s.sources.first?.format == "cortex.csv.users")
        let jane = try #require(s.principal("jane@contoso.example", on: .cortexXDR))
        #expect(jane.name == "Doe, Jane" && jane.userType == "SSO")
        #expect(jane.lastLogin == .at(Date(timeIntervalSince1970: 1_769_044_028)))
        #expect(Set(s.grants(of: "jane@contoso.example").map { "\($0.role) \($0.path.groupName ?? "direct")" })
            == ["Investigator direct", "Responder SOC", "Viewer Hunters"])
        #expect(s.principal("old@contoso.example", on: .cortexXDR)?.lastLogin == .never)
        #expect(s.principal("new@contoso.example", on: .cortexXDR)?.lastLogin == .unknown)
    }

    @Test func roleImportFileMarksAccountRoles() throws {
        let s = try Fixture.load("csv/contoso/role-import.csv")
        #expect(s.sources.first?.format == "cortex.csv.role-import")
        #expect(s.grants(of: "boss@contoso.example").map(\.level) == [.account])
        #expect(s.grants(of: "analyst@contoso.example").map(\.level) == [.tenant])
        #expect(s.grants.allSatisfy { $0.target == "contoso" })
    }
}
