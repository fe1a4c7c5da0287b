import Foundation
import Testing

/// Issue 11 C3: reports that cannot be written (a file where the output folder should be, no
/// permission, no space) are exit 73 with one line naming the path and the system's reason; the
/// folder keeps the previous scan's reports, whole, and the history records nothing.
@Suite struct OutputFailureTests {
    static let root = CommittedReportsTests.root
    static let input = ["samples/", "--policy", "samples/roleaudit.yml", "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"]

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-cantcreat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// One-character names, relative to the working folder: an export `a`, the output folder `o`
    /// (and `r/`), the baseline file `b`. Foundation's `deletingLastPathComponent` traps on such a
    /// name on Linux, and each of these crashed (PathText.folder takes paths apart now).
    @Test func oneCharacterPathsAreFolders() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let snapshot = """
            {"roleaudit_snapshot": 1, "organizations": [{"platform": "huntress", "id": "9021", "name": "Acme"}],
             "principals": [{"platform": "huntress", "email": "ann@acme.example"}],
             "grants": [{"platform": "huntress", "principal": "ann@acme.example", "role": "Admin", "level": "organization", "target": "9021"}]}
            """
        try Data(snapshot.utf8).write(to: dir.appendingPathComponent("a"))
        for output in ["o", "r/"] {
            let r = try Executable.run(["scan", "a", "--output", output, "--format", "json", "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"], in: dir)
            #expect(r.status == 0, "\(output): \(r.status) \(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(output).appendingPathComponent("findings.json").path))
        }
        let b = try Executable.run(["baseline", "a", "--output", "b", "--now", "2026-11-23T00:00:00Z"], in: dir)
        #expect(b.status == 0, "\(b.status) \(b.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("b").path))
    }

    /// One line, `roleaudit: PATH: cannot write: REASON`, and no Foundation error dump.
    static func expectOneLine(_ r: Executable.Result, path: String, reason: String) {
        #expect(r.status == 73, "\(r.status): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("roleaudit: \(path)"), "\(r.stderr)")
        #expect(r.stderr.contains(": cannot write: \(reason)"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSError") && !r.stderr.contains("Domain=") && !r.stderr.contains("UserInfo"), "\(r.stderr)")
    }

    /// Every file in `dir` and its bytes.
    static func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    static func scans(_ db: URL) throws -> Int {
        let r = try Executable.run(["history", "--db", db.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])?.count ?? -1
    }

    @Test func outputThatIsAFileIsExit73() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("reports")
        try Data("not a folder".utf8).write(to: file)
        let db = dir.appendingPathComponent("history.db")
        let r = try Executable.run(["scan"] + Self.input + ["--output", file.path, "--history", db.path], in: Self.root)
        Self.expectOneLine(r, path: file.path, reason: "Not a directory")
        #expect(try Self.scans(db) == 0)
        let baseline = try Executable.run(["baseline", "samples/", "--output", file.appendingPathComponent("baseline.json").path], in: Self.root)
        Self.expectOneLine(baseline, path: file.path, reason: "Not a directory")
    }

    @Test(arguments: ["scan", "diff", "baseline"])
    func helpDocumentsExit73(command: String) throws {
        let r = try Executable.run([command, "--help"])
        #expect(r.status == 0)
        // The help is wrapped to the terminal's width.
        let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("73 a report cannot be written"), "\(r.stdout)")
    }

    /// A write that fails half-way through the reports (the file-size limit of the shell that runs
    /// roleaudit, as a full disk would): the folder keeps every report of the scan before.
    @Test func failedWriteLeavesThePreviousReportsWhole() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("reports"), db = dir.appendingPathComponent("history.db")
        let first = try Executable.run(["scan"] + Self.input + ["--output", out.path, "--history", db.path], in: Self.root)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Self.contents(out)
        #expect(before.count == 6)
        // A later scan: files of at most 100 KiB (the CSV files, junit.xml and findings.json fit,
        // findings.sarif does not). SIGXFSZ ignored, so write(2) fails with EFBIG.
        let script = "trap '' XFSZ; ulimit -f 200; exec \"$0\" \"$@\""
        let r = try Executable.run(
            ["sh", "-c", script, Executable.url.path, "scan", "samples/", "--policy", "samples/roleaudit.yml", "--now", "2026-11-24T00:00:00Z",
             "--fail-on", "never", "--output", out.path, "--history", db.path, "--format", "csv,junit,json,sarif,html"],
            executable: URL(fileURLWithPath: "/usr/bin/env"), in: Self.root)
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("cannot write: File too large"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(try Self.contents(out) == before, "the previous reports, whole, and nothing else")
        #expect(try Self.scans(db) == 1, "no history for the scan that failed")
    }

    /// The same with a full file system, where the test may mount one (root in a mount namespace).
    @Test(.enabled(if: canMountTmpfs, "needs unshare -m and tmpfs (root)"))
    func fullDiskLeavesThePreviousReportsWhole() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mount = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let script = """
            set -e
            mount -t tmpfs -o size=384k tmpfs "$1"
            "$2" scan samples/ --policy samples/roleaudit.yml --now 2026-11-23T00:00:00Z --fail-on never --output "$1/reports" --format csv,json
            cd "$1/reports" && sha256sum * > "$1/../before.sha256" && cd - > /dev/null
            set +e
            "$2" scan samples/ --policy samples/roleaudit.yml --now 2026-11-23T00:00:00Z --fail-on never --output "$1/reports"
            echo "exit=$?"
            cd "$1/reports" && sha256sum -c --quiet "$1/../before.sha256" && echo same && ls -A | wc -l
            """
        let r = try Executable.run(["unshare", "-m", "sh", "-c", script, "sh", mount.path, Executable.url.path], executable: URL(fileURLWithPath: "/usr/bin/env"), in: Self.root)
        #expect(r.stdout.contains("exit=73"), "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("cannot write: No space left on device"), "\(r.stderr)")
        #expect(r.stdout.contains("same\n3\n"), "the three reports of the first scan and nothing else: \(r.stdout)")
    }

    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let r = try? Executable.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        return r?.status == 0
    }()

    /// A folder the user may not write to. As root (who may write anywhere), roleaudit is run as
    /// `nobody`.
    @Test func folderWithoutPermissionIsExit73() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out.path) }
        let r = try Self.unprivileged(["scan"] + Self.input + ["--output", out.path, "--format", "json"])
        Self.expectOneLine(r, path: out.path, reason: "Permission denied")
    }

    /// `roleaudit ARGS` as a user without root's power to write anywhere.
    static func unprivileged(_ arguments: [String]) throws -> Executable.Result {
        guard getuid() == 0 else { return try Executable.run(arguments, in: root) }
        return try Executable.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", Executable.url.path] + arguments,
            executable: URL(fileURLWithPath: "/usr/bin/env"), in: root)
    }
}
