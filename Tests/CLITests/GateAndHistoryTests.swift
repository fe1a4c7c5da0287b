import Foundation
import Testing

/// `roleaudit diff`, baselines and the SQLite history, through the executable.
@Suite struct GateAndHistoryTests {
    static let root = CommittedReportsTests.root
    static let before = "samples/cortex-birchwood"
    static let proposed = "Tests/CLITests/Fixtures/diff/birchwood-proposed"
    static let offboarded = "Tests/CLITests/Fixtures/diff/birchwood-offboarded"

    static func scratch() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-gate-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    static func findings(_ dir: URL) throws -> [[String: Any]] {
        try json(dir.appendingPathComponent("findings.json"))["findings"] as? [[String: Any]] ?? []
    }

    @Test func diffThatAddsAViolatingGrantFailsOnExactlyThatFinding() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(["diff", Self.before, Self.proposed, "--output", out.path, "--now", "2026-11-23T00:00:00Z"], in: Self.root)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        // The grant introduces ISO-004 and, as every Scoped Agent Admin grant does, CAT-004's info note
        // on the role's contested Response cells (passage C-RESPONSE); only ISO-004 fails the gate.
        let open = try Self.findings(out).filter { ["open", "new", "persisting"].contains($0["status"] as? String ?? "") }
        #expect(open.map { $0["rule_id"] as? String ?? "" }.sorted() == ["CAT-004", "ISO-004"])
        let failing = open.filter { $0["severity"] as? String != "info" }
        #expect(failing.count == 1)
        #expect(failing.first?["rule_id"] as? String == "ISO-004")
        #expect(failing.first?["principal"] as? String == "records@birchwoodlaw.com")
        let changes = try Self.json(out.appendingPathComponent("findings.json"))["changes"] as? [String: Any]
        #expect((changes?["resolved"] as? [[String: Any]])?.map { $0["rule_id"] as? String } == ["HYG-003"])
        let md = try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(md.contains("| high | `ISO-004` | `records@birchwoodlaw.com` |"), "\(md)")
        #expect(md.contains("| added | `records@birchwoodlaw.com` | `Scoped Agent Admin` |"), "\(md)")
        // JUnit fails only on what the change introduced; the rest is skipped as known.
        let junit = try String(contentsOf: out.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.components(separatedBy: "<failure ").count - 1 == open.count)
        #expect(junit.contains("already present before the change"))
    }

    @Test func diffThatOnlyRemovesAccessPasses() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(["diff", Self.before, Self.offboarded, "--output", out.path, "--now", "2026-11-23T00:00:00Z"], in: Self.root)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("0 added, 1 removed, 0 changed; 0 finding(s) introduced"))
    }

    @Test func baselineHoldsKnownFindingsAndReportsStaleEntries() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let baseline = out.appendingPathComponent("baseline.json")
        let b = try Executable.run(["baseline", Self.before, "--output", baseline.path, "--now", "2026-11-23T00:00:00Z"], in: Self.root)
        #expect(b.status == 0, "\(b.stderr)")
        let entries = try Self.json(baseline)["entries"] as? [[String: Any]] ?? []
        let prints = entries.compactMap { $0["fingerprint"] as? String }
        #expect(!prints.isEmpty && prints == prints.sorted())
        // The same exports: nothing fails, everything is listed as baselined.
        let same = try Executable.run(["scan", Self.before, "--baseline", baseline.path, "--output", out.appendingPathComponent("same").path], in: Self.root)
        #expect(same.status == 0, "\(same.stdout)")
        #expect(try Self.findings(out.appendingPathComponent("same")).allSatisfy { $0["status"] as? String == "baselined" })
        // After the change: only the new finding fails; the fixed one is a stale entry.
        let after = try Executable.run(["scan", Self.proposed, "--baseline", baseline.path, "--output", out.appendingPathComponent("after").path], in: Self.root)
        #expect(after.status == 1)
        let report = try Self.json(out.appendingPathComponent("after/findings.json"))["baseline"] as? [String: Any]
        #expect((report?["stale"] as? [[String: Any]])?.map { $0["rule_id"] as? String } == ["HYG-003"])
        #expect(after.stdout.contains("1 stale"))
    }

    @Test(arguments: [
        ("{\"schema\": \"something.else\", \"schema_version\": 1, \"generated_at\": \"x\", \"entries\": []}", "expected schema roleaudit.baseline version 1"),
        ("not json", "not a roleaudit baseline"),
        ("{\"schema\": \"roleaudit.baseline\", \"schema_version\": 1, \"generated_at\": \"x\"}", "'entries' is missing"),
    ])
    func unusableBaselineIsAConfigurationError(_ content: String, _ message: String) throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let file = out.appendingPathComponent("baseline.json")
        try Data(content.utf8).write(to: file)
        let r = try Executable.run(["scan", Self.before, "--baseline", file.path, "--output", out.path], in: Self.root)
        #expect(r.status == 3)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func threeScansInARowGiveNewPersistingAndResolved() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let db = out.appendingPathComponent("history.db").path
        func scan(_ input: String, _ day: Int) throws -> [[String: Any]] {
            let dir = out.appendingPathComponent("scan\(day)")
            let r = try Executable.run(
                ["scan", input, "--history", db, "--output", dir.path, "--now", "2026-11-\(day)T00:00:00Z", "--fail-on", "never"], in: Self.root)
            #expect(r.status == 0, "\(r.stderr)")
            return try Self.findings(dir)
        }
        let first = try scan(Self.before, 20)
        #expect(first.allSatisfy { $0["status"] as? String == "new" || $0["status"] as? String == "waived" })
        let second = try scan(Self.proposed, 21)
        let iso = second.first { $0["rule_id"] as? String == "ISO-004" }
        #expect(iso?["status"] as? String == "new")
        #expect(iso?["first_seen"] as? String == "2026-11-21T00:00:00Z")
        // The added Scoped Agent Admin grant brings ISO-004 and CAT-004's note on the role (both new).
        let added = second.filter { $0["rule_id"] as? String == "ISO-004" || ($0["role"] as? String ?? "").hasSuffix("/Scoped Agent Admin") }
        #expect(added.count == 2 && added.allSatisfy { $0["status"] as? String == "new" })
        #expect(second.filter { f in !added.contains { $0["fingerprint"] as? String == f["fingerprint"] as? String } }
            .allSatisfy { $0["status"] as? String == "persisting" })
        #expect(second.allSatisfy { $0["rule_id"] as? String != "HYG-003" })
        let third = try scan(Self.proposed, 22)
        #expect(third.allSatisfy { $0["status"] as? String == "persisting" })
        #expect(third.first { $0["rule_id"] as? String == "ISO-004" }?["first_seen"] as? String == "2026-11-21T00:00:00Z")
        #expect(third.first { $0["rule_id"] as? String == "ISO-001" || $0["rule_id"] as? String == "HYG-002" }?["first_seen"] as? String == "2026-11-20T00:00:00Z")
        let listing = try Executable.run(["history", "--db", db, "--format", "csv"], in: Self.root)
        #expect(listing.status == 0)
        let rows = listing.stdout.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 3)
        // new, persisting, resolved per scan.
        #expect(rows.map { [$0[11], $0[12], $0[13]] } == [["\(first.count)", "0", "0"], ["2", "\(second.count - 2)", "1"], ["0", "\(third.count)", "0"]])
        let html = try String(contentsOf: out.appendingPathComponent("scan22/report.html"), encoding: .utf8)
        #expect(html.contains("<svg role=\"img\"") && html.contains("Oldest open findings"))
    }

    /// Several processes recording into one history at once: every scan is there, whole.
    @Test func concurrentScansLoseNothing() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let db = out.appendingPathComponent("history.db").path
        let count = 6
        let group = DispatchGroup()
        let statuses = Statuses()
        for i in 0..<count {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                let r = try? Executable.run(
                    ["scan", i % 2 == 0 ? Self.before : Self.proposed, "--history", db, "--output", out.appendingPathComponent("r\(i)").path, "--format", "json", "--fail-on", "never"],
                    in: Self.root)
                statuses.add(r?.status ?? -1)
            }
        }
        group.wait()
        #expect(statuses.all == Array(repeating: 0, count: count))
        let listing = try Executable.run(["history", "--db", db, "--format", "json"], in: Self.root)
        let scans = try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(scans.count == count)
    }

    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int32] = []
        func add(_ v: Int32) { lock.withLock { values.append(v) } }
        var all: [Int32] { lock.withLock { values } }
    }

    @Test func corruptOrForeignHistoryIsAConfigurationError() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let corrupt = out.appendingPathComponent("corrupt.db")
        try Data(repeating: 0x42, count: 8192).write(to: corrupt)
        let r = try Executable.run(["scan", Self.before, "--history", corrupt.path, "--output", out.path], in: Self.root)
        #expect(r.status == 3)
        #expect(r.stderr.contains("corrupt.db: not a usable SQLite history"), "\(r.stderr)")
        let foreign = out.appendingPathComponent("foreign.db")
        let made = try Executable.run(
            [Python.executable, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE invoices (id INTEGER)'); c.commit()", foreign.path],
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(made.status == 0)
        let f = try Executable.run(["scan", Self.before, "--history", foreign.path, "--output", out.path], in: Self.root)
        #expect(f.status == 3)
        #expect(f.stderr.contains("not a roleaudit history (it holds the tables invoices)"), "\(f.stderr)")
    }

    /// A history written before the second migration existed is migrated and keeps its scans.
    @Test func olderHistoryIsMigrated() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let db = out.appendingPathComponent("old.db")
        let script = CommittedReportsTests.root.appendingPathComponent("Tests/CLITests/Fixtures/history/make_v1_history.py").path
        let made = try Executable.run([Python.executable, script, db.path], executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(made.status == 0, "\(made.stderr)")
        let r = try Executable.run(["scan", Self.before, "--history", db.path, "--output", out.appendingPathComponent("r").path, "--fail-on", "never"], in: Self.root)
        #expect(r.status == 0, "\(r.stderr)")
        let listing = try Executable.run(["history", "--db", db.path, "--format", "csv"], in: Self.root)
        #expect(listing.stdout.split(whereSeparator: \.isNewline).count == 3)  // header, the old scan, the new one
        #expect(listing.stdout.contains("2026-10-01T00:00:00Z"))
    }
}
