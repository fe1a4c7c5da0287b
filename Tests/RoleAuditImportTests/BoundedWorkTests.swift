import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

/// Issue 11, part B, on the import side: hostile shapes of a few megabytes are read in time and
/// memory proportional to their size. The inputs are generated here at the sizes the issue names.
/// These tests assert what is read, not how fast; the five-minute limits only stop a run that
/// would otherwise take an hour (the quadratic readers took from 15 seconds to forever on these,
/// in release builds). One minute was a timing assertion: a debug build running the whole suite
/// on two busy cores took longer than that for the 2,000-group cycle. Speed is the benchmark's.
struct BoundedWorkTests {
    /// A Cortex platform user-group list: (name, role, members, nested groups).
    static func groups(_ list: [(String, String?, [String], [String])]) -> String {
        let items = list.map { name, role, members, nested in
            let r = role.map { #""pretty_role_name": "\#($0)", "#} ?? ""
            let m = members.map { "\"\($0)\"" }.joined(separator: ", ")
            let n = nested.map { #"{"group_name": "\#($0)"}"# }.joined(separator: ", ")
            return #"{"group_id": "\#(name)", "group_name": "\#(name)", \#(r)"users": [\#(m)], "nested_groups": [\#(n)], "group_type": "custom"}"#
        }
        return #"{"data": [\#(items.joined(separator: ",\n"))], "metadata": {"total_count": \#(list.count)}}"#
    }

    // MARK: B1 groups

    /// 2,000 groups nested in a cycle, each with a member and one of three roles: every member gets
    /// each role once, and the cycle is reported naming its groups.
    @Test(.timeLimit(.minutes(5))) func aCycleOfNestedGroupsIsResolvedOnceAndReported() async throws {
        let n = 2000
        let roles = ["Viewer", "Investigator", "Responder"]
        let list = (0..<n).map { i in ("G\(i)", roles[i % 3], ["u\(i)@corp.example"], ["G\((i + 1) % n)"]) }
        let dir = try Fixture.folder(["t/user-groups.json": Self.groups(list)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path
        let s = try await offPool { try Importer.load([path]) }
        let cycle = try #require(s.coverage.first { $0.kind == .groupCycle })
        #expect(cycle.detail.contains("2000 group(s)") && cycle.detail.contains("'G0'"), "\(cycle.detail)")
        #expect(s.grants.count == n * 3)
        let u5 = s.grants.filter { $0.principal == "u5@corp.example" }
        #expect(u5.map(\.role).sorted() == roles.sorted())
        // The nearest group that gives each role: its own for its own role.
        #expect(u5.first { $0.role == roles[5 % 3] }?.path == .group(name: "G5", chain: ["G5"]))
        #expect(s.grants.allSatisfy { ($0.path.chain?.count ?? 0) <= 16 })
    }

    /// A chain of 8,000 nested groups, a member in each, the role given at the top: one grant
    /// each, through the shortest path, its middle left out; a user in two groups gets one grant
    /// and the count of the other path.
    @Test(.timeLimit(.minutes(5))) func aDeepChainOfNestedGroupsGivesOneGrantPerRole() async throws {
        let n = 8000
        var list = (0..<n).map { i in ("G\(i)", i == 0 ? "Investigator" : nil, ["u\(i)@corp.example"], i + 1 < n ? ["G\(i + 1)"] : []) }
        list[3].2.append("u7999@corp.example")  // the deepest user is also in G3, much nearer the top
        let dir = try Fixture.folder(["t/user-groups.json": Self.groups(list)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path
        let s = try await offPool { try Importer.load([path]) }
        #expect(s.grants.count == n)
        #expect(!s.coverage.contains { $0.kind == .groupCycle })
        let deep = try #require(s.grants.first { $0.principal == "u7998@corp.example" })
        let chain = try #require(deep.path.chain)
        #expect(chain.count == 16 && chain.first == "G7998" && chain.last == "G0")
        #expect(chain.contains("… 7984 more groups …"), "\(chain)")
        let both = try #require(s.grants.first { $0.principal == "u7999@corp.example" })
        #expect(both.path.chain == ["G3", "G2", "G1", "G0"] && both.otherPaths == 1)
    }

    // MARK: B2 repeated group and role records

    /// The console's users table lists a group on each of its members' rows: 20,000 rows of one
    /// group are one group of 20,000.
    @Test(.timeLimit(.minutes(5))) func twentyThousandUsersOfOneGroupInTheUsersTable() async throws {
        var csv = "Email,Direct XDR Role,Groups,Group Roles\n"
        for i in 0..<20_000 { csv += "user\(i)@corp.example,Viewer,SOC,Responder\n" }
        let dir = try Fixture.folder(["t/users.csv": csv])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path
        let s = try await offPool { try Importer.load([path]) }
        #expect(s.groups.count == 1 && s.groups.first?.members.count == 20_000)
        #expect(s.grants.filter { $0.path.groupName == "SOC" }.count == 20_000)
        #expect(s.grants.count == 40_000)
    }

    /// get_roles answers each requested name with the role again: 20,000 records of one role.
    @Test(.timeLimit(.minutes(5))) func repeatedRoleRecordsAreMergedOnce() async throws {
        let records = (0..<20_000).map { #"[{"pretty_name": "Big Role", "permissions": ["perm_\#($0)"], "groups": [], "users": []}]"# }
        let dir = try Fixture.folder(["t/get_roles.json": #"{"reply": [\#(records.joined(separator: ","))]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path
        let s = try await offPool { try Importer.load([path]) }
        #expect(s.roles.count == 1 && s.roles.first?.permissions.count == 20_000)
    }

    // MARK: B4 XML

    @Test(.timeLimit(.minutes(5))) func aFortyThousandGrantXMLSnapshotIsRead() async throws {
        var xml = #"<roleaudit-snapshot version="1">"# + "\n"
        for i in 0..<40_000 {
            xml += #"  <grant platform="huntress" principal="user\#(i)@corp.example" role="Read-only" level="organization" target="\#(i % 400)"/>"# + "\n"
        }
        xml += "</roleaudit-snapshot>\n"
        let dir = try Fixture.folder(["snapshot.xml": xml])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("snapshot.xml").path
        let s = try await offPool { try Importer.load([path]) }
        #expect(s.grants.count == 40_000)
        #expect(s.grants.first { $0.principal == "user39999@corp.example" }?.provenance.line == 40_001)
    }

    /// Entities are never expanded: a document that declares one is refused at the declaration.
    @Test(arguments: [
        #"<!DOCTYPE roleaudit-snapshot [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>"#,
        #"<!DOCTYPE roleaudit-snapshot [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"#,
        #"<!DOCTYPE roleaudit-snapshot [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/x.dtd"> %remote;]>"#,
    ])
    func anXMLDocumentThatDeclaresEntitiesIsRefused(doctype: String) throws {
        let xml = #"<?xml version="1.0"?>"# + "\n" + doctype + "\n"
            + #"<roleaudit-snapshot version="1"><account platform="huntress" id="1" name="&c;"/></roleaudit-snapshot>"#
        let dir = try Fixture.folder(["s.xml": xml])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.appendingPathComponent("s.xml").path]))
        #expect(message.contains("s.xml:2") && message.contains("entity"), "\(message)")
        #expect(message.contains("without entity declarations"), "\(message)")
    }

    // MARK: B7 only regular files

    @Test(.timeLimit(.minutes(1))) func aFIFOAmongTheExportsIsSkippedAndReported() throws {
        let dir = try Fixture.folder(["t/get_users.json": SilentMisreadTests.legacyUsers])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("t/roles.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for paths in [[dir.path], [dir.appendingPathComponent("t/get_users.json").path, fifo]] {
            let s = try Importer.load(paths)
            #expect(s.grants.count == 1)
            let skipped = try #require(s.coverage.first { $0.kind == .skippedFile })
            #expect(skipped.file == fifo && skipped.detail.contains("a FIFO"))
            #expect(!s.isComplete)
        }
    }

    @Test func aFileAboveTheLimitIsRefusedUnread() throws {
        let dir = try Fixture.folder(["t/get_users.json": SilentMisreadTests.legacyUsers])
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try #require(throws: ImportError.self) { try Importer.load([dir.path], options: ImportOptions(maxFileSize: 50)) }
        #expect(error.description.contains("above the limit of 50 bytes") && error.description.contains("--max-file-size"), "\(error)")
    }

    // MARK: B9 bounded errors

    @Test func aHugeValueIsCutInTheError() throws {
        let huge = String(repeating: "x", count: 1_000_000)
        let dir = try Fixture.folder(["t/u.json": #"{"reply": [{"user_email": "a@b.example", "last_logged_in": "\#(huge)"}]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.path]))
        #expect(message.count <= 1000 && message.contains("xxxx…"), "\(message.count)")
    }

    @Test func aHugeMemberNameIsCutInTheError() throws {
        let huge = String(repeating: "k", count: 100_000)
        let dir = try Fixture.folder(["t/u.json": #"{"\#(huge)": 1, "\#(huge)": 2}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.path]))
        #expect(message.count <= 1000 && message.contains("appears twice"), "\(message.prefix(200))")
    }

    /// Every bad file is named in one run, the first twenty of them; the rest are counted.
    @Test func manyBadFilesGiveTwentyErrorsAndACount() throws {
        var files: [String: String] = [:]
        for i in 0..<30 { files[String(format: "t/bad%02d.json", i)] = #"{"reply": ["# }
        let dir = try Fixture.folder(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try #require(throws: ImportError.self) { try Importer.load([dir.path]) }
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == 22, "\(error)")
        #expect(lines.first == "30 inputs could not be read (the first 20 below):")
        #expect(lines.last == "  ... and 10 more (fix these and run again to see them)")
        #expect(lines.allSatisfy { $0.count <= 1000 })
    }
}

extension GrantPath {
    var chain: [String]? {
        if case .group(_, let chain) = self { return chain }
        return nil
    }
}
