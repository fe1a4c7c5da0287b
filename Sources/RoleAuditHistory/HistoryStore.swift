import Foundation
import GRDB
import RoleAuditModel
import RoleAuditRules

/// A history database that cannot be used: not SQLite, damaged, someone else's, or newer than
/// this roleaudit. The CLI reports it with exit 3.
public struct HistoryError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}

/// The scan history in SQLite (WAL, a busy timeout): every scan with its inputs, counts and
/// coverage and its findings, recorded in one transaction. The only module that imports GRDB.
public struct HistoryStore: Sendable {
    private let pool: DatabasePool
    public let path: String

    /// Append-only. Each migration is a step a shipped database may be at: never edit one, add the
    /// next. GRDB runs each in its own transaction and records it in `grdb_migrations`.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-scans-findings") { db in
            try db.execute(sql: """
                CREATE TABLE scan (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time TEXT NOT NULL,
                    tool_version TEXT NOT NULL,
                    catalog_version TEXT NOT NULL,
                    policy_path TEXT,
                    policy_sha256 TEXT,
                    complete INTEGER NOT NULL,
                    open_critical INTEGER NOT NULL, open_high INTEGER NOT NULL, open_medium INTEGER NOT NULL,
                    open_low INTEGER NOT NULL, open_info INTEGER NOT NULL,
                    waived INTEGER NOT NULL, baselined INTEGER NOT NULL);
                CREATE TABLE finding (
                    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
                    fingerprint TEXT NOT NULL,
                    rule_id TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    status TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    principal TEXT,
                    role TEXT,
                    message TEXT NOT NULL,
                    first_seen TEXT NOT NULL,
                    PRIMARY KEY (scan_id, fingerprint));
                CREATE INDEX finding_fingerprint ON finding(fingerprint);
                """)
        }
        m.registerMigration("v2-inputs-coverage") { db in
            try db.execute(sql: """
                CREATE TABLE input (
                    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    format TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    records INTEGER NOT NULL);
                ALTER TABLE scan ADD COLUMN coverage TEXT NOT NULL DEFAULT '[]';
                """)
        }
        return m
    }

    /// Opens (creating if needed) and migrates the history at `path`. Refuses a file that is not
    /// SQLite, a database that is not a roleaudit history, and one a newer roleaudit wrote.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        // Scheduled scans overlap: a second writer waits for the first instead of failing.
        config.busyMode = .timeout(60)
        config.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let migrator = Self.migrator
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    if !tables.isEmpty && !tables.contains("grdb_migrations") {
                        throw HistoryError(path: path, problem: "not a roleaudit history (it holds the tables \(tables.sorted().joined(separator: ", ")))")
                    }
                    return .commit
                }
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(migrator.migrations)
                if !unknown.isEmpty {
                    throw HistoryError(path: path, problem: "written by a newer roleaudit (schema \(unknown.sorted().joined(separator: ", "))); upgrade roleaudit to use it")
                }
            }
            try migrator.migrate(pool)
        } catch let e as HistoryError {
            throw e
        } catch let e as DatabaseError {
            throw HistoryError(path: path, problem: "not a usable SQLite history: \(e.message ?? "\(e.resultCode)")")
        } catch {
            throw HistoryError(path: path, problem: "cannot open the history: \(error)")
        }
    }

    /// Records a scan and returns its result with each open finding marked `new` or `persisting`,
    /// its first-seen time, the findings resolved since the previous scan and the trend. All in one
    /// immediate transaction: a concurrent scan waits, and a scan killed half-way leaves nothing.
    public func record(_ result: ScanResult, toolVersion: String) throws -> ScanResult {
        do {
            return try pool.writeWithoutTransaction { db in
                var out = result
                try db.inTransaction(.immediate) {
                    out = try Self.insert(result, db, path: path, toolVersion: toolVersion)
                    return .commit
                }
                return out
            }
        } catch let e as DatabaseError {
            throw HistoryError(path: path, problem: "cannot record the scan: \(e.message ?? "\(e.resultCode)")")
        }
    }

    static func date(_ s: String) -> Date? { ISO8601DateFormatter().date(from: s) }

    private static func insert(_ result: ScanResult, _ db: Database, path: String, toolVersion: String) throws -> ScanResult {
        let previous = try Row.fetchOne(db, sql: "SELECT id, time FROM scan ORDER BY id DESC LIMIT 1")
        let previousID: Int64? = previous?["id"]
        var before: [String: (firstSeen: String, entry: Baseline.Entry)] = [:]
        if let previousID {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM finding WHERE scan_id = ? AND status IN ('open', 'new', 'persisting')", arguments: [previousID]) {
                let entry = Baseline.Entry(
                    fingerprint: row["fingerprint"], rule_id: row["rule_id"], severity: row["severity"], platform: row["platform"],
                    scope: row["scope"], principal: row["principal"], role: row["role"], message: row["message"])
                before[entry.fingerprint] = (row["first_seen"], entry)
            }
        }
        let now = result.now.iso8601
        var findings = result.findings
        for i in findings.indices {
            let seen = before[findings[i].fingerprint]?.firstSeen
            if findings[i].isOpen { findings[i].status = seen == nil ? .new : .persisting }
            findings[i].firstSeen = date(seen ?? now)
        }
        let open = findings.filter(\.isOpen)
        let count: (Severity) -> Int = { s in open.filter { $0.severity == s }.count }
        let coverage = try String(decoding: JSONEncoder().encode(result.snapshot.coverage.map(\.detail)), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO scan (time, tool_version, catalog_version, policy_path, policy_sha256, complete, open_critical, open_high,
                    open_medium, open_low, open_info, waived, baselined, coverage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                now, toolVersion, result.catalogVersion, result.policy.path, result.policy.sha256, result.snapshot.isComplete,
                count(.critical), count(.high), count(.medium), count(.low), count(.info),
                findings.filter { $0.status == .waived }.count, findings.filter { $0.status == .baselined }.count, coverage,
            ])
        let scanID = db.lastInsertedRowID
        for s in result.snapshot.sources {
            try db.execute(
                sql: "INSERT INTO input (scan_id, path, format, sha256, size, records) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [scanID, s.path, s.format, s.sha256, s.size, s.records])
        }
        let insert = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO finding (scan_id, fingerprint, rule_id, severity, status, platform, scope, principal, role, message, first_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for f in findings {
            try insert.execute(arguments: [
                scanID, f.fingerprint, f.ruleID, f.severity.rawValue, f.status.rawValue, f.platform.rawValue, f.scope, f.principal,
                f.role, f.message, f.firstSeen?.iso8601 ?? now,
            ])
        }
        let current = Set(open.map(\.fingerprint))
        let resolved = before.values.map(\.entry).filter { !current.contains($0.fingerprint) }.sorted { $0.fingerprint < $1.fingerprint }
        var out = result.with(findings: findings)
        out.history = HistoryReport(
            database: path, scan: scanID, previous: (previous?["time"] as String?).flatMap(date), resolved: resolved,
            trend: try trend(db))
        return out
    }

    static func trend(_ db: Database) throws -> [HistoryReport.Point] {
        try Row.fetchAll(db, sql: "SELECT * FROM scan ORDER BY id").map { row in
            HistoryReport.Point(
                scan: row["id"], time: date(row["time"]) ?? Date(timeIntervalSince1970: 0),
                open: [.critical: row["open_critical"], .high: row["open_high"], .medium: row["open_medium"], .low: row["open_low"], .info: row["open_info"]])
        }
    }

    /// Every scan, oldest first, with its counts and inputs.
    public func scans() throws -> [ScanSummary] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT scan.*, (SELECT COUNT(*) FROM input WHERE input.scan_id = scan.id) AS inputs FROM scan ORDER BY id").map { row in
                    let id: Int64 = row["id"]
                    let prints = try String.fetchAll(db, sql: "SELECT fingerprint FROM finding WHERE scan_id = ? AND status IN ('open','new','persisting')", arguments: [id])
                    let newCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding WHERE scan_id = ? AND status = 'new'", arguments: [id]) ?? 0
                    let resolved = try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM finding WHERE scan_id = (SELECT MAX(id) FROM scan WHERE id < ?)
                            AND status IN ('open','new','persisting')
                            AND fingerprint NOT IN (SELECT fingerprint FROM finding WHERE scan_id = ? AND status IN ('open','new','persisting'))
                            """, arguments: [id, id]) ?? 0
                    return ScanSummary(
                        id: id, time: row["time"], toolVersion: row["tool_version"], policySHA256: row["policy_sha256"],
                        complete: row["complete"], inputs: row["inputs"],
                        open: [row["open_critical"], row["open_high"], row["open_medium"], row["open_low"], row["open_info"]],
                        waived: row["waived"], baselined: row["baselined"], new: newCount, persisting: prints.count - newCount, resolved: resolved)
                }
            }
        } catch let e as DatabaseError {
            throw HistoryError(path: path, problem: "cannot read the history: \(e.message ?? "\(e.resultCode)")")
        }
    }

}

public struct ScanSummary: Sendable, Codable {
    public let id: Int64
    public let time: String
    public let toolVersion: String
    public let policySHA256: String?
    public let complete: Bool
    public let inputs: Int
    /// Open findings: critical, high, medium, low, info.
    public let open: [Int]
    public let waived: Int
    public let baselined: Int
    public let new: Int
    public let persisting: Int
    public let resolved: Int
}
