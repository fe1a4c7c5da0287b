import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

/// Cortex `api_keys/get_api_keys` replies and the snapshot's `api_keys`: each key a non-human
/// principal holding its roles in the tenant, with creator, comment and expiry kept.
struct CortexAPIKeyTests {
    @Test func keysAreNonHumanPrincipalsHoldingTheirRolesInTheTenant() throws {
        let s = try Fixture.load("cortex-api-keys/acme")
        #expect(s.sources.map(\.format) == ["cortex.legacy.api_keys"])
        #expect(s.sources.first?.records == 3)
        let key = try #require(s.principal("api-key:acme-prod:23", on: .cortexXDR))
        #expect(key.kind == .nonHuman && key.email == nil && key.vendorIDs == ["23"])
        #expect(key.apiKey == APIKey(
            id: "23", tenant: "acme-prod", createdBy: "ops@corp.example", createdAt: Date(timeIntervalSince1970: 1_735_689_600),
            expiration: .never, comment: "SOAR integration", userName: "ops", securityLevel: "Standard"))
        let grants = s.grants(of: "api-key:acme-prod:23")
        #expect(grants.map(\.role).sorted() == ["Instance Administrator", "Responder"])
        #expect(grants.allSatisfy { $0.level == .tenant && $0.target == "acme-prod" && $0.path == .direct })
        #expect(grants.allSatisfy { $0.provenance.record == "reply.DATA[1]" && $0.provenance.line != nil })
        #expect(s.organizations.contains { $0.platform == .cortexXDR && $0.id == "acme-prod" })
        #expect(s.isComplete)
    }

    @Test func expirationIsEpochMillisecondsNullForNeverAbsentForUnknown() throws {
        let s = try Fixture.load("cortex-api-keys/acme")
        #expect(s.principal("api-key:acme-prod:17", on: .cortexXDR)?.apiKey?.expiration == .at(Date(timeIntervalSince1970: 1_798_761_600)))
        #expect(s.principal("api-key:acme-prod:23", on: .cortexXDR)?.apiKey?.expiration == .never)
        let roleless = try #require(s.principal("api-key:acme-prod:31", on: .cortexXDR))
        #expect(roleless.apiKey?.expiration == .unknown && roleless.apiKey?.comment == nil)
        #expect(s.grants(of: "api-key:acme-prod:31").isEmpty)
    }

    /// Some tenants answer in lower case; a count the file does not reach is a coverage gap.
    @Test func lowerCaseRepliesAreReadAndShortPagesReported() throws {
        let s = try Fixture.load("cortex-api-keys/agentix")
        #expect(s.grants(of: "api-key:agentix:4").map(\.role) == ["Viewer"])
        let issue = try #require(s.coverage.first { $0.kind == .countMismatch })
        #expect(issue.detail == "reply.filter_count says 2 API key(s) but the file holds 1" && issue.scope == "agentix")
        #expect(!s.isComplete)
    }

    @Test func anEmptyReplyIsAnEmptyList() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("keys.json")
        try Data(#"{"reply": {"DATA": [], "TOTAL_COUNT": 0, "FILTER_COUNT": 0}}"#.utf8).write(to: file)
        let s = try Importer.load([file.path])
        #expect(s.sources.map(\.format) == ["cortex.legacy.api_keys"] && s.grants.isEmpty && s.isComplete)
    }

    @Test(arguments: [
        (#"{"reply": {"DATA": [{"roles": ["Viewer"]}]}}"#, #"keys.json:1:21 (reply.DATA[0]): expected a member "id", found an object without it"#),
        (#"{"reply": {"DATA": [{"id": 1, "expiration": "soon"}]}}"#, #"keys.json:1:45 (reply.DATA[0].expiration): expected epoch milliseconds (a number) or null for "expiration", found the string "soon""#),
        (#"{"reply": {"DATA": [{"id": 1, "roles": [7]}]}}"#, #"keys.json:1:41 (reply.DATA[0].roles[0]): expected a string, found the number 7"#),
    ])
    func badRecordsAreLocatedErrors(json: String, message: String) throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("keys.json")
        try Data(json.utf8).write(to: file)
        let error = try #require(throws: ImportError.self) { try Importer.load([file.path]) }
        #expect(error.description == dir.path + "/" + message)
    }

    /// The snapshot says the same in JSON and XML; `expires: never` is never.
    @Test func snapshotAPIKeysInJSONAndXML() throws {
        let json = try Fixture.load("snapshot/api-keys.json")
        let xml = try Fixture.load("snapshot/api-keys.xml")
        #expect(json.principals.map(\.withoutSource) == xml.principals.map(\.withoutSource))
        #expect(json.grants.map { [$0.principal, $0.role, $0.target] } == xml.grants.map { [$0.principal, $0.role, $0.target] })
        let admin = try #require(json.principal("api-key:prod:23", on: .cortexXDR))
        #expect(admin.kind == .nonHuman && admin.apiKey?.expiration == .never && admin.apiKey?.createdBy == "ops@corp.example")
        #expect(json.principal("api-key:prod:17", on: .cortexXDR)?.apiKey?.expiration == .at(Date(timeIntervalSince1970: 1_798_761_600)))
        #expect(json.grants(of: "api-key:prod:23").map(\.role) == ["Instance Administrator"])
        #expect(xml.grants.allSatisfy { $0.provenance.line != nil })
    }
}
