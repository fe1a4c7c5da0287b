import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

/// Issue 11, part A: an export is read exactly right or refused with one located error; never
/// merged, guessed or half-read in silence. Every input here is built by the test.
struct SilentMisreadTests {
    static let legacyUsers = #"{"reply": [{"user_email": "ana@corp.example", "role_name": "Investigator", "groups": [], "scope": []}]}"#
    static let iamUsers = #"{"data": [{"user_email": "bob@other.example", "role_name": "Viewer", "groups": []}], "metadata": {"total_count": 1}}"#

    // MARK: A1 two tenants in one folder

    /// A Cortex user list comes whole in one reply: two of them for one tenant are two tenants (or
    /// two exports of one), never pages to merge.
    @Test func twoCortexUserListsInOneFolderAreRefused() throws {
        let dir = try Fixture.folder(["exports/get_users.json": Self.legacyUsers, "exports/users.json": Self.iamUsers])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.appendingPathComponent("exports").path]))
        #expect(message.contains("exports/get_users.json") && message.contains("exports/users.json"), "\(message)")
        #expect(message.contains("roleaudit-source.json") && message.contains("folder of its own"), "\(message)")
    }

    /// The same lists in two folders are two tenants, as they should be.
    @Test func oneUserListPerTenantFolderIsRead() throws {
        let dir = try Fixture.folder(["a/get_users.json": Self.legacyUsers, "b/users.json": Self.iamUsers])
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try Importer.load([dir.path])
        #expect(Set(s.grants.map(\.target)) == ["a", "b"])
    }

    /// Pages of one Huntress list end in exactly one last page: two last pages are two exports.
    @Test func twoLastPagesOfOneHuntressListAreRefused() throws {
        func page(_ user: String) -> String {
            #"{"memberships": [{"id": 1, "permissions": "Admin", "account": {"id": 7}, "user": {"id": 1, "email": "\#(user)"}}], "pagination": {"next_page_token": null}}"#
        }
        let dir = try Fixture.folder(["monday.json": page("a@msp.example"), "tuesday.json": page("b@msp.example")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.path]))
        #expect(message.contains("monday.json") && message.contains("tuesday.json") && message.contains("last page"), "\(message)")
    }

    // MARK: A2 duplicate member names

    @Test(arguments: [
        #"{"memberships": [{"id": 1, "permissions": "Admin", "permissions": "Read-only", "account": {"id": 7}, "user": {"id": 1, "email": "a@msp.example"}}]}"#,
        #"{"memberships": [{"id": 1, "permissions": "Admin", "account": {"id": 7}, "user": {"id": 1, "email": "a@msp.example", "email": "b@msp.example"}}]}"#,
        #"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "role_name": "Instance Administrator"}]}"#,
        #"{"reply": [], "reply": [{"user_email": "a@corp.example", "role_name": "Viewer"}]}"#,
        #"{"roleaudit_snapshot": 1, "grants": [{"platform": "huntress", "principal": "a@b.example", "role": "Admin", "role": "Read-only", "level": "account", "target": "1"}]}"#,
    ])
    func duplicateMemberNamesAreRefusedWithBothPositions(json: String) throws {
        let dir = try Fixture.folder(["dup.json": json])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.appendingPathComponent("dup.json").path]))
        #expect(message.contains("appears twice"), "\(message)")
        #expect(message.contains("dup.json:1:"), "\(message)")
        #expect(message.contains("first at 1:"), "\(message)")
    }

    // MARK: A3 numbers

    @Test(arguments: [
        (#"{"memberships": [{"id": 0001, "permissions": "Admin", "account": {"id": 7}, "user": {"id": 1, "email": "a@msp.example"}}]}"#, "leading zero"),
        (#"{"memberships": [{"id": 1, "permissions": "Admin", "account": {"id": 007}, "user": {"id": 1, "email": "a@msp.example"}}]}"#, "leading zero"),
        (#"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "last_logged_in": 1e400}]}"#, "1e400"),
        (#"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "last_logged_in": NaN}]}"#, "NaN"),
        (#"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "last_logged_in": 1719830400}]}"#, "last_logged_in"),
        (#"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "last_logged_in": 99999999999999999}]}"#, "last_logged_in"),
        (#"{"roleaudit_snapshot": 1e400}"#, "1e400"),
        (#"{"roleaudit_snapshot": 1, "principals": [{"platform": "cortex-xdr", "email": "a@b.example", "hidden": NaN}]}"#, "NaN"),
    ])
    func numbersThatAreNotJSONOrNotPlausibleAreLocatedErrors(json: String, mention: String) throws {
        let dir = try Fixture.folder(["n.json": json])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.appendingPathComponent("n.json").path]))
        #expect(message.contains("n.json:1:"), "\(message)")
        #expect(message.contains(mention), "\(message)")
    }

    @Test func aPlausibleEpochIsRead() throws {
        let dir = try Fixture.folder(["u.json": #"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "last_logged_in": 1719830400000}]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try Importer.load([dir.path])
        #expect(s.principals.first?.lastLogin == .at(Date(timeIntervalSince1970: 1_719_830_400)))
    }

    // MARK: A4 two families in one file

    @Test(arguments: [
        (#"{"memberships": [], "reply": []}"#, #""memberships""#, #""reply""#),
        (#"{"reply": [{"user_email": "a@corp.example"}], "data": []}"#, #""reply""#, #""data""#),
        (#"{"organizations": [], "memberships": []}"#, #""memberships""#, #""organizations""#),
    ])
    func aFileOfTwoShapesIsRefusedNamingTheKeys(json: String, first: String, second: String) throws {
        let dir = try Fixture.folder(["mixed.json": json])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.appendingPathComponent("mixed.json").path]))
        #expect(message.contains(first) && message.contains(second), "\(message)")
    }

    // MARK: A5 empty lists

    @Test(arguments: [
        (#"{"organizations": [], "pagination": {"next_page_token": null}}"#, "huntress.organizations"),
        (#"{"memberships": [], "pagination": {"next_page_token": null}}"#, "huntress.memberships"),
        (#"{"data": [], "metadata": {"total_count": 0}}"#, "cortex.iam.empty"),
        (#"{"reply": []}"#, "cortex.legacy.empty"),
        (#"{"reply": {"data": []}}"#, "cortex.legacy.empty"),
    ])
    func emptyListsAreValidExports(json: String, format: String) throws {
        let dir = try Fixture.folder(["t/empty.json": json])
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try Importer.load([dir.path])
        #expect(s.sources.map(\.format) == [format])
        #expect(s.sources.map(\.records) == [0])
        #expect(s.grants.isEmpty && s.isComplete)
    }

    // MARK: A6 broken encodings

    static func utf16LE(_ text: String) -> [UInt8] {
        [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test func utf16WithAnOddNumberOfBytesIsALocatedError() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("users.csv")
        try Data(Self.utf16LE("Email,Role\na@corp.example,Viewer\n") + [0x41]).write(to: file)
        let message = try #require(Fixture.error(loading: [file.path]))
        #expect(message.contains("users.csv:3:1"), "\(message)")
        #expect(message.contains("odd number of bytes"), "\(message)")
    }

    /// Found by Fuzz/run (fuzz-json): an input held in memory that is UTF-16 with an odd number of
    /// bytes was freed twice on its error path.
    @Test(arguments: [[0xFE, 0xFF, 0x5B], [0xFF, 0xFE, 0x7B], [0xFF, 0xFE, 0x00, 0xD8]] as [[UInt8]])
    func brokenUTF16HeldInMemoryIsALocatedError(bytes: [UInt8]) throws {
        let error = try #require(throws: ImportError.self) { try Importer.load(bytes: bytes, name: "t/export.json") }
        #expect(error.description.hasPrefix("t/export.json:1:1: expected UTF-16 text"), "\(error)")
    }

    @Test func utf16WithALoneSurrogateIsALocatedError() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("users.csv")
        var bytes = Self.utf16LE("Email,Role\nab")
        bytes += [0x00, 0xD8]  // a high surrogate with no low one after it
        bytes += Self.utf16LE("c@corp.example,Viewer\n").dropFirst(2)
        try Data(bytes).write(to: file)
        let message = try #require(Fixture.error(loading: [file.path]))
        #expect(message.contains("users.csv:2:3"), "\(message)")
        #expect(message.contains("surrogate"), "\(message)")
    }

    @Test(arguments: [#"\uD800"#, #"\uDC00"#, #"\uD800\u0041"#])
    func aLoneSurrogateEscapeIsALocatedError(escape: String) throws {
        let dir = try Fixture.folder(["u.json": #"{"reply": [{"user_email": "a@corp.example", "user_first_name": "A\#(escape)"}]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.appendingPathComponent("u.json").path]))
        #expect(message.contains("u.json:1:"), "\(message)")
        #expect(message.contains("surrogate"), "\(message)")
    }

    // MARK: A8 the same file twice

    @Test func aFileNamedTwiceIsReadOnce() throws {
        let dir = try Fixture.folder(["t/get_users.json": Self.legacyUsers])
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("t").path
        let s = try Importer.load([folder, folder + "/get_users.json", folder + "//get_users.json"])
        #expect(s.sources.count == 1)
    }

    @Test func aSymlinkToAFileAlreadyReadIsReadOnce() throws {
        let dir = try Fixture.folder(["t/get_users.json": Self.legacyUsers])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("t/users-link.json").path, withDestinationPath: dir.appendingPathComponent("t/get_users.json").path)
        let s = try Importer.load([dir.appendingPathComponent("t").path])
        #expect(s.sources.count == 1)
        #expect(s.grants.count == 1)
    }

    // MARK: A9 one grant, two files

    static let scopedUsers = #"{"reply": [{"user_email": "tech@corp.example", "role_name": "Scoped Agent Admin", "groups": [], "scope": ["Branch East"]}]}"#
    static let rolesListingTheUser = #"{"reply": [[{"pretty_name": "Scoped Agent Admin", "permissions": [], "groups": [], "users": ["tech@corp.example"]}]]}"#

    /// get_users carries the scope; get_roles lists the same user under the role, without one. The
    /// two are one grant, with the scope and both records.
    @Test func oneAssignmentSeenInTwoFilesIsOneGrantWithItsScope() throws {
        let dir = try Fixture.folder(["t/get_users.json": Self.scopedUsers, "t/get_roles.json": Self.rolesListingTheUser])
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try Importer.load([dir.path])
        let grants = s.grants.filter { $0.principal == "tech@corp.example" }
        #expect(grants.count == 1)
        #expect(grants.first?.scope?.areas == ["endpoints": ["Branch East"]])
        let records = (grants.first.map { [$0.provenance] + $0.alsoIn } ?? []).map { ($0.file as NSString).lastPathComponent }
        #expect(records.sorted() == ["get_roles.json", "get_users.json"])
    }

    /// Two files that give the same assignment different scopes contradict each other.
    @Test func twoFilesThatDisagreeOnAScopeAreALocatedError() throws {
        let table = "Email,Direct XDR Role,Scope\ntech@corp.example,Scoped Agent Admin,Branch West\n"
        let dir = try Fixture.folder(["t/get_users.json": Self.scopedUsers, "t/users-table.csv": table])
        defer { try? FileManager.default.removeItem(at: dir) }
        let message = try #require(Fixture.error(loading: [dir.path]))
        #expect(message.contains("t/get_users.json") && message.contains("t/users-table.csv:2"), "\(message)")
        #expect(message.contains("Branch East") && message.contains("Branch West"), "\(message)")
    }
}
