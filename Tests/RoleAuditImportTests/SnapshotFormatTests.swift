import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

struct SnapshotFormatTests {
    /// The JSON and XML forms of roleaudit's snapshot say the same thing.
    @Test func jsonAndXMLGiveTheSameSnapshot() throws {
        let json = try Fixture.load("snapshot/snapshot.json")
        let xml = try Fixture.load("snapshot/snapshot.xml")
        // Principals as read, less where each was read from (XML records carry lines, JSON ones do not).
        #expect(json.principals.map(\.withoutSource) == xml.principals.map(\.withoutSource))
        #expect(json.organizations == xml.organizations)
        #expect(json.groups.map(\.members) == xml.groups.map(\.members))
        #expect(json.grants.map { [$0.principal, $0.role, $0.target, "\($0.scope?.areas ?? [:])"] }
            == xml.grants.map { [$0.principal, $0.role, $0.target, "\($0.scope?.areas ?? [:])"] })
        #expect(json.grants.count == 4)
        #expect(xml.grants.allSatisfy { $0.provenance.line != nil })
    }

    @Test func snapshotCarriesNonHumanPrincipalsAndScopes() throws {
        let s = try Fixture.load("snapshot/snapshot.json")
        #expect(s.principal("svc-scanner", on: .cortexXDR)?.kind == .nonHuman)
        #expect(s.principal("ana@corp.example", on: .cortexXDR)?.lastLogin == .never)
        #expect(s.grants(of: "ana@corp.example").contains { $0.role == "Investigator" && $0.path.groupName == "SOC" })
    }
}

extension SnapshotFormatTests {
    /// A principal record may name the Cortex tenant whose user list gives its status: one user,
    /// Inactive in dev and Active in prod, stays one principal with both statuses, in JSON and XML,
    /// whichever record comes first.
    @Test(arguments: [false, true])
    func aStatusPerTenant(prodFirst: Bool) throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var records = [#"{"platform": "cortex-xdr", "email": "Ana@corp.example", "tenant": "dev", "status": "Inactive"}"#,
                       #"{"platform": "cortex-xdr", "email": "ana@corp.example", "tenant": "prod", "status": "Active"}"#]
        var elements = [#"<principal platform="cortex-xdr" email="Ana@corp.example" tenant="dev" status="Inactive"/>"#,
                        #"<principal platform="cortex-xdr" email="ana@corp.example" tenant="prod" status="Active"/>"#]
        if prodFirst { (records, elements) = (records.reversed(), elements.reversed()) }
        try Data(#"{"roleaudit_snapshot": 1, "principals": [\#(records.joined(separator: ", "))]}"#.utf8)
            .write(to: dir.appendingPathComponent("snapshot.json"))
        try Data(#"<roleaudit-snapshot version="1">\#(elements.joined())</roleaudit-snapshot>"#.utf8)
            .write(to: dir.appendingPathComponent("snapshot.xml"))
        for file in ["snapshot.json", "snapshot.xml"] {
            let s = try Importer.load([dir.appendingPathComponent(file).path])
            let ana = try #require(s.principal("ana@corp.example", on: .cortexXDR), "\(file)")
            #expect(s.principals.count == 1)
            #expect(ana.status(in: "dev") == "Inactive" && ana.status(in: "prod") == "Active", "\(file)")
            // Where no tenant's record says, the one status: the least in text order, as before.
            #expect(ana.status(in: "qa") == "Active" && ana.status(in: nil) == "Active")
            #expect(ana.tenantStatuses["dev"]?.source?.index == (prodFirst ? 1 : 0), "\(file): the record that says it")
        }
    }
}

struct DetectionTests {
    /// Content decides, not the name: a Huntress page saved as .txt is read when named explicitly.
    @Test func formatIsDetectedFromContent() throws {
        let s = try Fixture.load("detect/exported-from-portal.txt")
        #expect(s.sources.first?.format == "huntress.memberships")
    }

    /// PowerShell writes UTF-16 by default; it is read as text.
    @Test func utf16FilesAreTranscoded() throws {
        let s = try Fixture.load("detect/utf16.csv")
        #expect(s.principals.map(\.key) == ["zoë@corp.example"])
    }

    /// A folder may mix platforms and tenants; the order of files and records does not matter.
    @Test func mixedFoldersAndShuffledInputGiveTheSameSnapshot() throws {
        let forward = try Importer.load([Fixture.path("huntress/paged"), Fixture.path("cortex-iam/globex")])
        let backward = try Importer.load([Fixture.path("cortex-iam/globex"), Fixture.path("huntress/paged")])
        #expect(Set(forward.principals.map(\.platform)) == [.huntress, .cortexXDR])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(forward) == encoder.encode(backward))

        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try String(contentsOfFile: Fixture.path("cortex-iam/globex/user-groups.json"), encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
        var shuffled = object
        shuffled["data"] = (object["data"] as? [Any]).map { Array($0.reversed()) }
        let sub = dir.appendingPathComponent("globex")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for file in ["users.json", "roles.json", "scope.json"] {
            try FileManager.default.copyItem(atPath: Fixture.path("cortex-iam/globex/\(file)"), toPath: sub.appendingPathComponent(file).path)
        }
        try JSONSerialization.data(withJSONObject: shuffled).write(to: sub.appendingPathComponent("user-groups.json"))
        let reordered = try Importer.load([sub.path])
        let plain = try Importer.load([Fixture.path("cortex-iam/globex")])
        #expect(reordered.grants.map { [$0.principal, $0.role, "\($0.path)"] } == plain.grants.map { [$0.principal, $0.role, "\($0.path)"] })
        #expect(reordered.groups.map(\.name) == plain.groups.map(\.name))
    }
}
