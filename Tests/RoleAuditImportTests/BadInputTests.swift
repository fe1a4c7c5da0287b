import Foundation
import RoleAuditImport
import Testing

/// Every kind of bad input gives one error naming the file, the place, what was expected and what
/// was found. (The CLI tests check the same files give exit code 2.)
struct BadInputTests {
    static let cases: [(file: String, message: String)] = [
        ("malformed.json", "malformed.json:2:36: malformed: expected a member name in double quotes, found ','"),
        ("wrong-type.json", #"wrong-type.json:2:28 (memberships[0].permissions): expected a string for "permissions", found the number 7"#),
        ("missing-user.json", #"missing-user.json:2:3 (memberships[0]): expected a member "user", found an object without it"#),
        ("truncated.json", "truncated.json:4:37: malformed: expected a closing '\"' for the string that starts here, found the end of the file (is it truncated?)"),
        ("empty.json", "empty.json: the file is empty; expected a Huntress or Cortex XDR export"),
        ("garbage.json", "garbage.json: not a recognised export: expected a text export (JSON, CSV or XML), found binary data (a NUL byte at offset 8) (if it is no export, leave it out with --exclude 'garbage.json')"),
        ("latin1.json", "latin1.json:1:31: expected UTF-8 text, found byte 0xE9 (save the export as UTF-8)"),
        ("latin1.csv", "latin1.csv:2:2: expected UTF-8 text, found byte 0xF6 (save the export as UTF-8)"),
        ("unrecognised.json", #"unrecognised.json: not a recognised export: expected a Huntress API response (memberships, organizations, accounts, account, actor), a Cortex XDR API reply (reply, data) or a roleaudit snapshot, found an object with members "hello", "items" (if it is no export, leave it out with --exclude 'unrecognised.json')"#),
        ("field-count.csv", "field-count.csv:2 (record 1): malformed: expected 3 fields as in the header, found 4 (an unquoted comma or quote?)"),
        ("unterminated.csv", "unterminated.csv:2: malformed: expected a closing '\"' for the quoted field that starts on this line, found the end of the file (is it truncated?)"),
        ("malformed.xml", "malformed.xml:4:1: malformed: expected well-formed XML, found Premature end of data in tag roleaudit-snapshot line 1"),
        ("bad-timestamp.json", #"bad-timestamp.json:2:118 (memberships[0].created_at): expected a timestamp such as "2026-01-22 01:07:08 UTC" or "2026-01-22T01:07:08Z" for "created_at", found the string "yesterday""#),
        ("bad-epoch.json", #"bad-epoch.json:1:62 (data[0].last_logged_in): expected epoch milliseconds (a number) or null for "last_logged_in", found the string "last week""#),
    ]

    @Test(arguments: cases.map(\.file))
    func badInputGivesOneClearError(file: String) throws {
        let expected = try #require(Self.cases.first { $0.file == file }?.message)
        let path = Fixture.path("bad/\(file)")
        let error = try #require(throws: ImportError.self) { try Importer.load([path]) }
        #expect(error.description == Fixture.path("bad") + "/" + expected)
    }

    @Test func missingPathsAreNamed() throws {
        let error = try #require(throws: ImportError.self) { try Importer.load(["/nonexistent/export.json"]) }
        #expect(error.description == "/nonexistent/export.json: cannot read: no such file or folder")
    }

    @Test func aFolderWithoutExportsIsAnError() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("notes".utf8).write(to: dir.appendingPathComponent("README.md"))
        let error = try #require(throws: ImportError.self) { try Importer.load([dir.path]) }
        #expect(error.description.hasPrefix("no export files found in "))
    }

    /// Deep nesting cannot exhaust the stack.
    @Test func absurdNestingIsRejected() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("deep.json")
        try Data(("{\"reply\": " + String(repeating: "[", count: 100_000)).utf8).write(to: file)
        let error = try #require(throws: ImportError.self) { try Importer.load([file.path]) }
        #expect(error.description.contains("expected at most 256 levels of nesting"))
    }
}
