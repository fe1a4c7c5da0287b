import Foundation
import Testing

/// Issue 11 C1 and C2: a damaged or foreign history is one line and exit 3, never a crash; a
/// read-only history lists; a long scan does not hold the history's write lock while it computes.
@Suite struct HistoryRobustnessTests {
    static let root = CommittedReportsTests.root
    static let small = ["samples/cortex-birchwood", "--format", "json", "--fail-on", "never"]

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func sqlite(_ db: URL, _ sql: String) throws {
        let r = try Executable.run(
            [Python.executable, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", db.path, sql],
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(r.status == 0, "\(r.stderr)")
    }

    static func scans(_ db: URL) throws -> [[String: Any]] {
        let r = try Executable.run(["history", "--db", db.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
    }

    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case textInACount, textForATime, bytesForATime, missingTable, anotherApplication
        var sql: String {
            switch self {
            case .textInACount: "UPDATE scan SET open_high = 'many'"
            case .textForATime: "UPDATE scan SET time = 'last week'"
            case .bytesForATime: "UPDATE scan SET time = X'FF00'"
            case .missingTable: "DROP TABLE finding"
            case .anotherApplication:
                "DROP TABLE finding; DROP TABLE input; DROP TABLE scan; DELETE FROM grdb_migrations; INSERT INTO grdb_migrations VALUES ('v1-invoices'); CREATE TABLE invoice (id INTEGER)"
            }
        }
        var testDescription: String { rawValue }
    }

    @Test(arguments: Damage.allCases)
    func damagedHistoryIsOneLineAndExitThree(_ damage: Damage) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("history.db")
        let first = try Executable.run(["scan"] + Self.small + ["--history", db.path, "--output", dir.appendingPathComponent("a").path], in: Self.root)
        #expect(first.status == 0, "\(first.stderr)")
        try Self.sqlite(db, damage.sql)
        for arguments in [["history", "--db", db.path], ["scan"] + Self.small + ["--history", db.path, "--output", dir.appendingPathComponent("b").path]] {
            let r = try Executable.run(arguments, in: Self.root)
            #expect(r.status == 3, "\(arguments[0]): \(r.status) \(r.stderr)")
            #expect(r.stderr.hasPrefix("roleaudit: \(db.path): "), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("b").path), "no report from a scan whose history is unusable")
    }

    /// A history another account owns (here: a user who may not write it) is listed, not refused.
    @Test func readOnlyHistoryLists() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("history.db")
        for day in [20, 21] {
            let r = try Executable.run(
                ["scan"] + Self.small + ["--history", db.path, "--output", dir.appendingPathComponent("r\(day)").path, "--now", "2026-11-\(day)T00:00:00Z"],
                in: Self.root)
            #expect(r.status == 0, "\(r.stderr)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        let r = try OutputFailureTests.unprivileged(["history", "--db", db.path, "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\r\n")
        #expect(rows.count == 3, "\(r.stdout)")
        #expect(rows.last?.hasPrefix("2,2026-11-21T00:00:00Z,") == true, "\(r.stdout)")
    }

    /// Two scans on one history, one of them large: the small ones record while the large one
    /// computes (it holds no lock then), and the large one records after them. No sleeps: small
    /// scans run one after another for as long as the large one runs.
    @Test func aLongScanDoesNotHoldTheHistory() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("history.db")
        let export = dir.appendingPathComponent("large.json")
        try LargeExport.write(memberships: 150_000, to: export)
        let first = try Executable.run(["scan"] + Self.small + ["--history", db.path, "--output", dir.appendingPathComponent("first").path], in: Self.root)
        #expect(first.status == 0, "\(first.stderr)")

        let large = Process()
        large.executableURL = Executable.url
        large.arguments = ["scan", export.path, "--history", db.path, "--output", dir.appendingPathComponent("large").path, "--format", "json", "--fail-on", "never"]
        large.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        large.standardError = errors
        try large.run()
        var smallStatuses: [Int32] = []
        while large.isRunning {
            let r = try Executable.run(
                ["scan"] + Self.small + ["--history", db.path, "--output", dir.appendingPathComponent("s\(smallStatuses.count)").path], in: Self.root)
            smallStatuses.append(r.status)
        }
        large.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(large.terminationStatus == 0, "\(stderr)")
        #expect(!smallStatuses.isEmpty && smallStatuses.allSatisfy { $0 == 0 }, "\(smallStatuses)")
        let ids = try Self.scans(db).compactMap { ($0["scan"] as? String).flatMap { Int($0) } }
        #expect(ids.count == smallStatuses.count + 2)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("large/findings.json"))) as? [String: Any]
        let largeID = (report?["history"] as? [String: Any])?["scan"] as? Int ?? -1
        #expect(ids.contains(largeID))
        // Scan 1 is the first small one; a small scan recorded while the large one computed has an id
        // between them.
        #expect(ids.contains { $0 > 1 && $0 < largeID }, "no small scan was recorded while the large one ran: \(ids), large \(largeID)")
    }
}

/// A Huntress memberships page of `memberships` records shaped as the API gives them: one
/// membership per user, every 97th user also in a second organization.
enum LargeExport {
    static func write(memberships: Int, to url: URL) throws {
        var text = "{\"memberships\":["
        text.reserveCapacity(memberships * 260)
        for i in 0..<memberships {
            let second = i % 97 == 96
            let user = second ? i - 1 : i, org = (user + (second ? 7 : 0)) % 2_000
            if i > 0 { text += "," }
            text += "{\"id\":\(i + 1),\"permissions\":\"\(["Admin", "Security Engineer", "User", "Read-only"][i % 4])\","
            text += "\"account\":{\"id\":1,\"name\":\"Big MSP\"},\"organization\":{\"id\":\(10_000 + org),\"name\":\"Customer \(org)\"},"
            text += "\"user\":{\"id\":\(user),\"email\":\"u\(user)@cust\(user % 2_000).example\",\"name\":\"User \(user)\"},"
            text += "\"created_at\":\"2025-03-04 09:15:00 UTC\",\"updated_at\":\"2025-09-10T17:40:12Z\"}"
        }
        text += "],\"pagination\":{\"next_page_token\":null}}"
        try Data(text.utf8).write(to: url)
    }
}
