import Foundation
import Synchronization
import Testing

/// Issue 11 through the built executable: each class of bad or hostile input gives its documented
/// exit code and one bounded error (or a coverage note), in bounded time and memory. Every input
/// is generated here. CI also runs these against the release build (ROLEAUDIT_EXECUTABLE).
struct HostileInputTests {
    static let now = "2026-11-23T00:00:00Z"

    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-hostile-\(UUID().uuidString)")
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func scan(_ paths: [String], _ extra: [String] = [], in dir: URL) async throws -> Executable.Result {
        try await run(
            ["scan"] + paths + ["--output", dir.appendingPathComponent("reports").path, "--now", Self.now, "--fail-on", "never"] + extra,
            in: dir)
    }

    /// The executable, waited for on a thread of its own: a test waiting for it does not hold one
    /// of the few threads Swift Testing shares among all tests (the collect tests' servers need them).
    func run(_ arguments: [String], executable: URL = Executable.url, in dir: URL) async throws -> Executable.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try Executable.run(arguments, executable: executable, in: dir) }) }.start()
        }
    }

    /// One line on stderr, naming the file, and nothing on stdout.
    func expectOneError(_ r: Executable.Result, code: Int32, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == code, "\(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("roleaudit: ") && lines[0].count <= 1_100, "\(r.stderr)", sourceLocation: sourceLocation)
        for m in mentions { #expect(r.stderr.contains(m), "\(m) not in \(r.stderr)", sourceLocation: sourceLocation) }
    }

    @Test func twoTenantsInOneFolderExitTwo() async throws {
        let dir = try folder([
            "exports/get_users.json": #"{"reply": [{"user_email": "a@one.example", "role_name": "Viewer", "groups": [], "scope": []}]}"#,
            "exports/users.json": #"{"data": [{"user_email": "b@two.example", "role_name": "Viewer", "groups": []}], "metadata": {"total_count": 1}}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        expectOneError(try await scan(["exports"], in: dir), code: 2, mentions: ["exports/get_users.json", "exports/users.json", "roleaudit-source.json"])
    }

    @Test(arguments: [
        (#"{"memberships": [{"id": 1, "permissions": "Admin", "permissions": "Read-only", "account": {"id": 7}, "user": {"id": 1, "email": "a@msp.example"}}]}"#, "appears twice"),
        (#"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "last_logged_in": 1e400}]}"#, "1e400"),
        (#"{"memberships": [], "reply": []}"#, "members of two"),
    ])
    func malformedJSONExitsTwo(json: String, mention: String) async throws {
        let dir = try folder(["t/export.json": json])
        defer { try? FileManager.default.removeItem(at: dir) }
        expectOneError(try await scan(["t/export.json"], in: dir), code: 2, mentions: ["t/export.json:1:", mention])
    }

    @Test func anXMLDocumentDeclaringEntitiesExitsTwo() async throws {
        let laughs = (1...9).map { i in "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }.joined()
        let xml = #"<?xml version="1.0"?><!DOCTYPE roleaudit-snapshot [<!ENTITY l0 "ha">"# + laughs + "]>\n"
            + #"<roleaudit-snapshot version="1"><account platform="huntress" id="1" name="&l9;"/></roleaudit-snapshot>"#
        let dir = try folder(["snapshot.xml": xml])
        defer { try? FileManager.default.removeItem(at: dir) }
        expectOneError(try await scan(["snapshot.xml"], in: dir), code: 2, mentions: ["snapshot.xml:1", "entity", "\"l0\""])
    }

    /// 5,000 conflicts that alias one 1,000-entry list stand for five million entries.
    @Test func aPolicyWhoseAliasesExpandTooFarExitsThree() async throws {
        let list = Array(repeating: "endpoint.isolate", count: 1000).joined(separator: ", ")
        var policy = "version: 1\nsod_conflicts:\n  - id: C0\n    left: {capabilities: &caps [\(list)]}\n    right: {capabilities: *caps}\n"
        for i in 1..<5000 { policy += "  - id: C\(i)\n    left: {capabilities: *caps}\n    right: {capabilities: *caps}\n" }
        let dir = try folder(["roleaudit.yml": policy, "t/get_users.json": #"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "groups": [], "scope": []}]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await scan(["t"], ["--policy", "roleaudit.yml"], in: dir)
        expectOneError(r, code: 3, mentions: ["roleaudit.yml:", "anchors and aliases"])
        // A small alias is fine.
        let small = "version: 1\nmsp_domains: &msp [msp.example]\nallowed_cross_org: [tech@msp.example]\nceilings:\n  - {name: staff, domains: *msp, max_tier: write}\n"
        try Data(small.utf8).write(to: dir.appendingPathComponent("small.yml"))
        #expect(try await scan(["t"], ["--policy", "small.yml"], in: dir).status == 0)
    }

    /// A FIFO named like an export would block a reader forever: it is skipped and reported.
    @Test(.timeLimit(.minutes(1))) func aFIFOIsSkippedNotWaitedFor() async throws {
        let dir = try folder(["t/get_users.json": #"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "groups": [], "scope": []}]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("t/roles.json").path, 0o600) == 0)
        let r = try await scan(["t"], ["--format", "json"], in: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stdout.contains("Input is INCOMPLETE"))
        let json = try String(contentsOf: dir.appendingPathComponent("reports/findings.json"), encoding: .utf8)
        #expect(json.contains("skipped-file") && json.contains("a FIFO, not a regular file"))
        expectOneError(try await scan(["t/roles.json"], in: dir), code: 2, mentions: ["t/roles.json", "not a regular file (a FIFO)"])
    }

    /// A collection manifest that lists a file which is a FIFO: the file cannot be read, and the
    /// check says so instead of waiting for a writer.
    @Test(.timeLimit(.minutes(1))) func aFIFOListedInACollectionManifestIsNotWaitedFor() async throws {
        let manifest = #"""
            {"roleaudit_collection": 1, "tool": "roleaudit", "started_at": "2026-11-22T00:00:00Z", "state": "complete", "credentials": [],
             "scopes": [{"id": "cortex-t", "platform": "cortex-xdr", "credential": "c", "state": "complete", "records": 1, "requests": [],
                         "files": [{"path": "cortex-t/roles.json", "sha256": "00", "size": 10, "records": 0}]}]}
            """#
        let dir = try folder([
            "roleaudit-collection.json": manifest,
            "cortex-t/get_users.json": #"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "groups": [], "scope": []}]}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("cortex-t/roles.json").path, 0o600) == 0)
        let r = try await scan(["."], ["--format", "json"], in: dir)
        #expect(r.status == 2, "\(r.stderr)")
        let json = try String(contentsOf: dir.appendingPathComponent("reports/findings.json"), encoding: .utf8)
        #expect(json.contains("roles.json is listed in roleaudit-collection.json (scope cortex-t) but cannot be read"), "\(json.prefix(2000))")
    }

    @Test func maxFileSizeRefusesLargerFiles() async throws {
        let dir = try folder(["t/get_users.json": #"{"reply": [{"user_email": "a@corp.example", "role_name": "Viewer", "groups": [], "scope": []}]}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        expectOneError(try await scan(["t"], ["--max-file-size", "50"], in: dir), code: 2, mentions: ["t/get_users.json", "above the limit of 50 bytes"])
        #expect(try await scan(["t"], ["--max-file-size", "1K"], in: dir).status == 0)
        let bad = try await scan(["t"], ["--max-file-size", "lots"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--max-file-size takes a size"))
    }

    /// A 3 GB all-NUL file (sparse: no disk) is refused on its first bytes, in a process that may
    /// not take 1 GB of memory: read whole, it could not even be held.
    @Test func anAllNULFileIsRefusedOnItsFirstBytes() async throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("memberships.json")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let exe = Executable.url.path
        let r = try await run(
            ["-c", "ulimit -v 1000000; exec \"$0\" scan memberships.json --max-file-size 4G --output reports --now \(Self.now)", exe],
            executable: URL(fileURLWithPath: "/bin/sh"), in: dir)
        expectOneError(r, code: 2, mentions: ["memberships.json", "binary data (a NUL byte at offset 0)"])
    }

    /// An export job rewriting a 24 MB file while roleaudit reads it: each run says it changed or is
    /// malformed (or reads it); none dies of a signal (a mapped file raised SIGBUS).
    @Test(.timeLimit(.minutes(3))) func aFileTruncatedWhileReadNeverCrashes() async throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t/memberships.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        var page = #"{"memberships": ["#
        for i in 0..<160_000 {
            page += (i == 0 ? "" : ",") + #"{"id": \#(i), "permissions": "Read-only", "organization": {"id": \#(i % 100)}, "account": {"id": 1}, "user": {"id": \#(i), "email": "u\#(i)@corp.example"}}"#
        }
        page += #"], "pagination": {"next_page_token": null}}"#
        let bytes = Data(page.utf8)
        try bytes.write(to: file)
        let stop = Atomic<Bool>(false)
        let writer = Thread {
            let fd = open(file.path, O_WRONLY)
            defer { close(fd) }
            // Shrink and grow again (the tail comes back as zeros): the size changes all the time.
            while !stop.load(ordering: .relaxed) {
                _ = ftruncate(fd, off_t(bytes.count / 3))
                _ = ftruncate(fd, off_t(bytes.count))
            }
        }
        writer.start()
        defer { stop.store(true, ordering: .relaxed) }
        var outcomes: Set<Int32> = []
        for _ in 0..<12 {
            let r = try await run(["inspect", "t/memberships.json"], in: dir)
            #expect(r.status == 0 || r.status == 2, "status \(r.status): \(r.stderr.prefix(300))")
            #expect(!r.stderr.contains("Program crashed") && !r.stderr.contains("Fatal error"), "\(r.stderr.prefix(300))")
            outcomes.insert(r.status)
        }
        #expect(!outcomes.isEmpty)
    }

    /// Thirty bad files: the first twenty named, one line each, the rest counted.
    @Test func manyBadFilesGiveBoundedOutput() async throws {
        var files: [String: String] = [:]
        for i in 0..<30 { files[String(format: "t/bad%02d.json", i)] = #"{"reply": [{"user_email": ""# + String(repeating: "x", count: 5000) }
        let dir = try folder(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await scan(["t"], in: dir)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 22, "\(r.stderr.prefix(500))")
        #expect(lines.first == "roleaudit: 30 inputs could not be read (the first 20 below):")
        #expect(lines.last == "  ... and 10 more (fix these and run again to see them)")
        #expect(lines.allSatisfy { $0.count <= 1_000 })
    }
}
