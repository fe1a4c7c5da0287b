import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

struct HuntressImportTests {
    @Test func membershipsOfSeveralPagesFormOneSnapshot() throws {
        let s = try Fixture.load("huntress/paged")
        #expect(s.sources.map(\.format) == ["huntress.memberships", "huntress.memberships"])
        #expect(s.sources.map(\.records) == [3, 1])
        #expect(s.grants.count == 4)
        #expect(s.isComplete)
    }

    /// The level of a membership: org-level when `organization` is an object; account-level when it
    /// is null or absent; the vendor's own example fills both, and that is org-level.
    @Test func levelFollowsTheOrganizationObject() throws {
        let s = try Fixture.load("huntress/paged")
        let jane = s.grants(of: "jdoe@contoso-msp.example")
        #expect(Set(jane.map { "\($0.level.rawValue):\($0.target):\($0.role)" }) == ["account:310:Security Engineer", "organization:9022:Admin"])
        let acme = try #require(s.grants(of: "it@acmedental.example").first)
        #expect(acme.level == .organization && acme.target == "9021")
        #expect(s.organizations.first { $0.id == "9022" }?.accountID == "310")
    }

    @Test func usersAreDeduplicatedAndKeyedByLowerCaseEmail() throws {
        let s = try Fixture.load("huntress/paged")
        let jane = s.principals.filter { $0.vendorIDs == ["77002"] }
        #expect(jane.count == 1)
        #expect(jane.first?.key == "jdoe@contoso-msp.example")
        #expect(s.principals.filter { $0.platform == .huntress }.count == 3)
    }

    @Test func unknownRoleLabelsAreKept() throws {
        let s = try Fixture.load("huntress/paged")
        #expect(s.grants(of: "legacy@contoso-msp.example").map(\.role) == ["Admin-Read-only"])
    }

    /// No last-login data means unknown, never "never", and the coverage says so once per account.
    @Test func huntressLastLoginIsUnknownNotNever() throws {
        let s = try Fixture.load("huntress/paged")
        #expect(s.principals.allSatisfy { $0.lastLogin == .unknown })
        let notes = s.coverage.filter { $0.kind == .dataNotExported }
        #expect(notes.count == 1 && notes.first?.scope == "310")
        #expect(notes.first?.makesInputIncomplete == false)
    }

    @Test(arguments: [
        ("2026-01-22 01:07:08 UTC", 1_769_044_028.0), ("2026-01-22T01:07:08Z", 1_769_044_028.0),
        ("2026-01-22T01:07:08.250Z", 1_769_044_028.25), ("2026-01-22T03:07:08+02:00", 1_769_044_028.0),
    ])
    func bothTimestampStylesAreRead(text: String, epoch: Double) throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("m.json")
        try Data("""
            {"memberships": [{"id": 1, "permissions": "User", "account": {"id": 1}, "user": {"id": 2, "email": "a@b.example"},
              "created_at": "\(text)"}]}
            """.utf8).write(to: file)
        let s = try Importer.load([file.path])
        #expect(s.grants.first?.createdAt == Date(timeIntervalSince1970: epoch))
    }

    @Test func aPageThatPointsAtAMissingPageMakesTheInputIncomplete() throws {
        let s = try Fixture.load("huntress/missing-page")
        let issue = try #require(s.coverage.first { $0.kind == .missingPage })
        #expect(issue.detail.contains("MjAyNS0wNS0wMVQxMjowMDowMFo"))
        #expect(!s.isComplete)
    }

    /// The reseller's per-account list is a list of its own: its missing page is reported for that account.
    @Test func resellerListsArePagedPerAccount() throws {
        let s = try Fixture.load("huntress/reseller")
        #expect(Set(s.accounts.map(\.id)) == ["310", "311"])
        let missing = s.coverage.filter { $0.kind == .missingPage }
        #expect(missing.map(\.scope) == ["memberships of account 311"])
    }

    @Test func membershipInAnOrganizationTheListDoesNotHoldIsReported() throws {
        let s = try Fixture.load("huntress/orgs")
        let issue = try #require(s.coverage.first { $0.kind == .undefinedOrganization })
        #expect(issue.detail.contains("9999"))
        #expect(!s.isComplete)
    }

    /// The fast path for large files and the field-by-field path read the same snapshot.
    @Test func fastAndCheckedPathsAgree() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = #"{"id": 1, "permissions": "Admin", "account": {"id": 9, "name": "MSP"}, "organization": {"id": 5, "name": "Org"}, "user": {"id": 2, "email": "Ann@x.example", "name": "Ann"}, "created_at": "2025-01-01 00:00:00 UTC"}"#
        // An escaped character and an extra member push the same record onto the checked path.
        let slow = #"{"id": 1, "permissions": "Admin", "account": {"id": 9, "name": "MSP"}, "organization": {"id": 5, "name": "Org"}, "user": {"id": 2, "email": "Ann@x.example", "name": "\u0041nn", "extra": true}, "created_at": "2025-01-01 00:00:00 UTC"}"#
        for (name, record) in [("fast", plain), ("checked", slow)] {
            try Data(#"{"memberships": [\#(record)]}"#.utf8).write(to: dir.appendingPathComponent("\(name).json"))
        }
        let fast = try Importer.load([dir.appendingPathComponent("fast.json").path])
        let checked = try Importer.load([dir.appendingPathComponent("checked.json").path])
        #expect(fast.grants.map { [$0.principal, $0.role, $0.level.rawValue, $0.target] } == checked.grants.map { [$0.principal, $0.role, $0.level.rawValue, $0.target] })
        #expect(fast.principals.map(\.name) == checked.principals.map(\.name))
        #expect(fast.organizations == checked.organizations)
    }
}
