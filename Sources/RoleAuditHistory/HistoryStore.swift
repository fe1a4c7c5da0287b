import Foundation
import GRDB
import GRDBSQLite
import RoleAuditModel
import RoleAuditRules

/// A history database that cannot be used: not SQLite, damaged, someone else's, or newer than
/// this roleaudit. The CLI reports it with exit 3.
public struct HistoryError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}

/// A scan compared with the history, not yet recorded: the result with each open finding marked
/// `new` or `persisting`, its first-seen time, what was resolved and the trend.
struct HistoryDraft: Sendable {
    let result: ScanResult
    /// The number the scan took before its reports were written.
    let scanID: Int64
    /// The scan it was compared with, if any.
    let previousID: Int64?
}

/// The scan history in SQLite (WAL, a busy timeout): every scan with its inputs, counts and
/// coverage and its findings. The only module that imports GRDB.
///
/// A scan reads what it compares with and takes its number before its reports are written, and
/// records itself after they are in place, in one short transaction (`record`): nothing holds the
/// write lock while a scan computes or writes its reports, so a long scan does not make another
/// one wait, and what a report says of its scan is what the history records.
public struct HistoryStore: Sendable {
    private let writer: any DatabaseWriter
    public let path: String
    /// A copy read in place of a history its folder does not let SQLite read (see `openReadOnly`).
    private let copy: TemporaryCopy?

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
        // The scan a scan was compared with (0: none). Scans overlap: the latest recorded when one
        // compared is not always the one numbered before it. Null in scans recorded before v3,
        // which were compared with the one numbered before them.
        m.registerMigration("v3-previous-scan") { db in
            try db.execute(sql: "ALTER TABLE scan ADD COLUMN previous_scan INTEGER")
        }
        return m
    }

    /// Opens the history at `path` and checks that it is roleaudit's. Writable (the default), it is
    /// created if needed and migrated. `readOnly` is for reading only: a history another account
    /// owns can be listed; one an older roleaudit left is opened writable once, to migrate it.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var config = Configuration()
        // Scheduled scans overlap: a second writer waits for the first instead of failing.
        config.busyMode = .timeout(60)
        config.foreignKeysEnabled = true
        // Recording a large scan touches the finding table's indexes all over: a 64 MiB page cache
        // (the default is 2 MiB) keeps them in memory for the transaction.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        do {
            if readOnly, let current = try Self.openCurrent(path, config) {
                (writer, copy) = current
            } else {
                copy = nil
                let pool = try DatabasePool(path: path, configuration: config)
                try pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        _ = try Self.check(db, path: path)
                        return .commit
                    }
                }
                try Self.migrator.migrate(pool)
                writer = pool
            }
        } catch {
            throw Self.failure(error, path: path, doing: "open the history")
        }
    }

    /// The history opened read-only, if it is at this roleaudit's schema (nil if older).
    private static func openCurrent(_ path: String, _ config: Configuration) throws -> (DatabaseQueue, TemporaryCopy?)? {
        var config = config
        config.readonly = true
        let (queue, copy) = try openReadOnly(path, config)
        let applied = try queue.read { db in try check(db, path: path) }
        guard applied == Set(migrator.migrations) else { return nil }
        return (queue, copy)
    }

    /// SQLite reads a WAL database through its `-shm` index, which it creates when it is missing;
    /// in a folder the user may not write to it cannot ("attempt to write a readonly database").
    /// The history is then read from a copy of its files.
    private static func openReadOnly(_ path: String, _ config: Configuration) throws -> (DatabaseQueue, TemporaryCopy?) {
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return (queue, nil)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_READONLY || e.resultCode == .SQLITE_CANTOPEN {
            let copy = try TemporaryCopy(of: path)
            return (try DatabaseQueue(path: copy.database, configuration: config), copy)
        }
    }

    /// Refuses a database that is not roleaudit's (tables of another program, or another GRDB
    /// application's migrations) or that a newer roleaudit wrote; returns the migrations applied
    /// (none for an empty database).
    private static func check(_ db: Database, path: String) throws -> Set<String> {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        guard !tables.isEmpty else { return [] }
        let foreign = HistoryError(path: path, problem: "not a roleaudit history (it holds the tables \(tables.sorted().joined(separator: ", ")))")
        guard tables.contains("grdb_migrations") else { throw foreign }
        let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        let known = migrator.migrations
        guard let first = known.first, applied.contains(first) else { throw foreign }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw HistoryError(path: path, problem: "written by a newer roleaudit (schema \(unknown.sorted().joined(separator: ", "))); upgrade roleaudit to use it")
        }
        return applied
    }

    /// One line for any error the database gives: damaged file, missing table, a value of the
    /// wrong type.
    static func failure(_ error: any Error, path: String, doing what: String) -> HistoryError {
        switch error {
        case let e as HistoryError: return e
        case let e as DatabaseError:
            if e.resultCode == .SQLITE_NOTADB || e.resultCode == .SQLITE_CORRUPT {
                return HistoryError(path: path, problem: "not a usable SQLite history: \(e.message ?? "\(e.resultCode)")")
            }
            return HistoryError(path: path, problem: "cannot \(what): \(e.message ?? "\(e.resultCode)")")
        case let e as RowDecodingError:
            return HistoryError(path: path, problem: "damaged: \(Self.oneLine(e))")
        case let e as DamagedValue:
            return HistoryError(path: path, problem: "damaged: \(e.description)")
        default:
            return HistoryError(path: path, problem: "cannot \(what): \(Self.oneLine(error))")
        }
    }

    private static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Times as the history stores them (`2026-11-23T00:00:00Z`), through one formatter and each
    /// distinct one converted once: a scan's findings share a few first-seen times, and creating
    /// an ISO8601DateFormatter per finding made recording 370,000 findings take minutes.
    final class Times {
        private let formatter = ISO8601DateFormatter()
        private var dates: [String: Date] = [:]
        private var texts: [Date: String] = [:]

        func date(_ text: String) -> Date? {
            if let d = dates[text] { return d }
            let d = formatter.date(from: text)
            dates[text] = d
            return d
        }

        func text(_ date: Date) -> String {
            if let t = texts[date] { return t }
            let t = formatter.string(from: date)
            texts[date] = t
            return t
        }

        /// A time the history recorded; anything else means the file was damaged.
        func read(_ row: Row, _ column: String, in table: String) throws -> Date {
            try check(try row.decode(forColumn: column), "\(table).\(column)")
        }

        func read(_ row: Row, _ index: Int, in column: String) throws -> Date {
            try check(try row.decode(atIndex: index), column)
        }

        private func check(_ text: String, _ column: String) throws -> Date {
            guard let d = date(text) else { throw DamagedValue(description: "\(column) holds '\(text.prefix(40))', not a time") }
            return d
        }
    }

    struct DamagedValue: Error, CustomStringConvertible { let description: String }

    /// `result` compared with the latest scan recorded, to be recorded as scan `scanID`.
    private static func compare(_ result: ScanResult, _ db: Database, path: String, scanID: Int64) throws -> HistoryDraft {
        let previous = try Row.fetchOne(db, sql: "SELECT id, time FROM scan ORDER BY id DESC LIMIT 1")
        let previousID: Int64? = try previous?.decode(forColumn: "id")
        let times = Times()
        let previousTime = try previous.map { try times.read($0, "time", in: "scan") }
        var before: [String: Gate.HistoryState.Seen] = [:]
        // About as many as this scan has, on a scheduled scan: grown once, not doubled all the way.
        before.reserveCapacity(result.findings.count)
        if let previousID {
            // Columns by position, not looked up by name for each value: the previous scan may hold
            // hundreds of thousands of findings.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT fingerprint, rule_id, severity, platform, scope, principal, role, message, first_seen FROM finding
                    WHERE scan_id = ? AND status IN ('open', 'new', 'persisting')
                    """, arguments: [previousID])
            while let row = try rows.next() {
                let entry = Baseline.Entry(
                    fingerprint: try row.decode(atIndex: 0), rule_id: try row.decode(atIndex: 1), severity: try row.decode(atIndex: 2),
                    platform: try row.decode(atIndex: 3), scope: try row.decode(atIndex: 4), principal: try row.decode(atIndex: 5),
                    role: try row.decode(atIndex: 6), message: try row.decode(atIndex: 7))
                before[entry.fingerprint] = Gate.HistoryState.Seen(firstSeen: try times.read(row, 8, in: "finding.first_seen"), entry: entry)
            }
        }
        // The history keeps whole seconds.
        let state = Gate.HistoryState(
            database: path, scan: scanID, previous: previousTime, open: before, trend: try trend(db, times),
            now: times.date(times.text(result.now)) ?? result.now)
        let out = Gate.history(state, to: result)
        return HistoryDraft(result: out, scanID: scanID, previousID: previousID)
    }

    /// Compares `result` with the latest scan recorded, takes the scan's number, has `write` write
    /// the reports of the compared result (it returns what moves them into place), and records the
    /// scan once they are in place: in one short immediate transaction, in which the reports are
    /// moved into place. An error from `write` or from moving the reports leaves no scan in the
    /// history (its number is skipped).
    public func record(
        _ result: ScanResult, toolVersion: String, write: (ScanResult) throws -> (() throws -> Void)
    ) throws -> ScanResult {
        // Errors from `write` and from placing the reports are the caller's, thrown as they are.
        var callerError: (any Error)?
        func caller<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch {
                callerError = error
                throw error
            }
        }
        do {
            let scanID = try writer.writeWithoutTransaction { db in
                var id: Int64 = 0
                try db.inTransaction(.immediate) {
                    id = try Self.takeNumber(db)
                    return .commit
                }
                return id
            }
            let draft = try writer.read { db in try Self.compare(result, db, path: path, scanID: scanID) }
            let place = try caller { try write(draft.result) }
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try caller(place)
                    try Self.insert(draft, db, toolVersion: toolVersion)
                    return .commit
                }
            }
            return draft.result
        } catch {
            if let callerError { throw callerError }
            throw Self.failure(error, path: path, doing: "record the scan")
        }
    }

    /// The next scan number, taken in a transaction of its own so that no other scan takes it
    /// (AUTOINCREMENT never hands out a number at or below `sqlite_sequence`'s).
    private static func takeNumber(_ db: Database) throws -> Int64 {
        let latest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM scan") ?? 0
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'scan'")
        let id = max(latest, sequence ?? 0) + 1
        if sequence == nil {
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('scan', ?)", arguments: [id])
        } else {
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'scan'", arguments: [id])
        }
        return id
    }

    private static func insert(_ draft: HistoryDraft, _ db: Database, toolVersion: String) throws {
        let result = draft.result
        let times = Times()
        let now = times.text(result.now)
        let open = Gate.openCounts(result.findings)
        let coverage = try String(decoding: JSONEncoder().encode(result.snapshot.coverage.map(\.detail)), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO scan (id, time, tool_version, catalog_version, policy_path, policy_sha256, complete, open_critical, open_high,
                    open_medium, open_low, open_info, waived, baselined, coverage, previous_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                draft.scanID, now, toolVersion, result.catalogVersion, result.policy.path, result.policy.sha256, result.snapshot.isComplete,
                open[.critical], open[.high], open[.medium], open[.low], open[.info],
                result.findings.count { $0.status == .waived }, result.findings.count { $0.status == .baselined }, coverage,
                draft.previousID ?? 0,
            ])
        for s in result.snapshot.sources {
            try db.execute(
                sql: "INSERT INTO input (scan_id, path, format, sha256, size, records) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [draft.scanID, s.path, s.format, s.sha256, s.size, s.records])
        }
        let statement = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO finding (scan_id, fingerprint, rule_id, severity, status, platform, scope, principal, role, message, first_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // In fingerprint order, both of the table's indexes grow at one end instead of at random
        // places (370,000 findings: 4 s rather than 15 s, with the larger page cache of `init`).
        let findings = result.findings
        let row = RowInserter(statement, db)
        defer { row.finish() }
        for f in fingerprintOrder(findings).lazy.map({ findings[$0] }) {
            try row.insert { bind in
                bind.int(draft.scanID)
                bind.text(f.fingerprint)
                bind.text(f.ruleID)
                bind.text(f.severity.rawValue)
                bind.text(f.status.rawValue)
                bind.text(f.platform.rawValue)
                bind.text(f.scope)
                bind.text(f.principal)
                bind.text(f.role)
                bind.text(f.message)
                bind.text(f.firstSeen.map(times.text) ?? now)
            }
        }
    }

    /// One prepared INSERT, its values bound through SQLite's C API and stepped once per row.
    /// GRDB's `execute(arguments:)` built an argument list of boxed values per row and bound them
    /// in nested closures: half of recording a heavy scan's 370,000 findings (README, "Speed").
    /// Text is copied by SQLite as it is bound (SQLITE_TRANSIENT), so no pointer outlives its call.
    private struct RowInserter {
        let statement: Statement
        let db: Database
        var handle: SQLiteStatement { statement.sqliteStatement }
        init(_ statement: Statement, _ db: Database) {
            self.statement = statement
            self.db = db
        }

        struct Binder {
            let handle: SQLiteStatement
            var index: CInt = 1
            var code = SQLITE_OK
            init(_ handle: SQLiteStatement) { self.handle = handle }
            private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

            mutating func int(_ v: Int64) { next(sqlite3_bind_int64(handle, index, v)) }

            mutating func text(_ v: String?) {
                guard var v else { return next(sqlite3_bind_null(handle, index)) }
                // An empty buffer may have no address, which SQLite would bind as NULL.
                guard !v.isEmpty else { return next(sqlite3_bind_text(handle, index, "", 0, Self.transient)) }
                let code = v.withUTF8 { p in
                    p.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, index, $0.baseAddress, CInt(p.count), Self.transient) }
                }
                next(code)
            }

            private mutating func next(_ result: CInt) {
                if code == SQLITE_OK { code = result }
                index += 1
            }
        }

        func insert(_ values: (inout Binder) -> Void) throws {
            var binder = Binder(handle)
            values(&binder)
            let code = binder.code == SQLITE_OK ? sqlite3_step(handle) : binder.code
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
        }

        func finish() { sqlite3_clear_bindings(handle) }
    }

    /// Positions of `findings` in fingerprint order. A fingerprint is 20 lower-case hex digits
    /// (Finding.fingerprint), whose text order is the order of their first 16 digits as a number:
    /// positions are sorted by that integer, ties (and any other fingerprint) by the text. Comparing
    /// the strings, read through each finding, was a quarter of a heavy scan's history.
    static func fingerprintOrder(_ findings: [Finding]) -> [Int] {
        var keys: [UInt64] = []
        keys.reserveCapacity(findings.count)
        for i in findings.indices {
            var fingerprint = findings[i].fingerprint
            let key = fingerprint.withUTF8 { p -> UInt64? in
                guard p.count == 20, p.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
                return p.prefix(16).reduce(0) { $0 << 4 | UInt64($1 <= 0x39 ? $1 - 0x30 : $1 - 0x61 + 10) }
            }
            guard let key else { return findings.indices.sorted { findings[$0].fingerprint < findings[$1].fingerprint } }
            keys.append(key)
        }
        return keys.withUnsafeBufferPointer { k in
            findings.indices.sorted { a, b in k[a] != k[b] ? k[a] < k[b] : findings[a].fingerprint < findings[b].fingerprint }
        }
    }

    static func trend(_ db: Database, _ times: Times) throws -> [HistoryReport.Point] {
        try Row.fetchAll(db, sql: "SELECT id, time, open_critical, open_high, open_medium, open_low, open_info FROM scan ORDER BY id").map { row in
            HistoryReport.Point(
                scan: try row.decode(forColumn: "id"), time: try times.read(row, "time", in: "scan"),
                open: [
                    .critical: try row.decode(forColumn: "open_critical"), .high: try row.decode(forColumn: "open_high"),
                    .medium: try row.decode(forColumn: "open_medium"), .low: try row.decode(forColumn: "open_low"),
                    .info: try row.decode(forColumn: "open_info"),
                ])
        }
    }

    /// Every scan, oldest first, with its counts and inputs.
    public func scans() throws -> [ScanSummary] {
        do {
            let times = Times()
            return try writer.read { db in
                // Open findings per scan, and how many of them were new, in one pass each.
                var open: [Int64: (total: Int, new: Int)] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT scan_id, COUNT(*) AS total, SUM(status = 'new') AS new FROM finding
                    WHERE status IN ('open','new','persisting') GROUP BY scan_id
                    """)
                {
                    open[try row.decode(forColumn: "scan_id")] = (try row.decode(forColumn: "total"), try row.decode(forColumn: "new"))
                }
                return try Row.fetchAll(db, sql: "SELECT scan.*, (SELECT COUNT(*) FROM input WHERE input.scan_id = scan.id) AS inputs FROM scan ORDER BY id").map { row in
                    let id: Int64 = try row.decode(forColumn: "id")
                    let resolved = try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM finding
                            WHERE scan_id = COALESCE((SELECT previous_scan FROM scan WHERE id = ?), (SELECT MAX(id) FROM scan WHERE id < ?), 0)
                            AND status IN ('open','new','persisting')
                            AND fingerprint NOT IN (SELECT fingerprint FROM finding WHERE scan_id = ? AND status IN ('open','new','persisting'))
                            """, arguments: [id, id, id]) ?? 0
                    let counts = open[id] ?? (0, 0)
                    return ScanSummary(
                        id: id, time: times.text(try times.read(row, "time", in: "scan")), toolVersion: try row.decode(forColumn: "tool_version"),
                        policySHA256: try row.decode(forColumn: "policy_sha256"), complete: try row.decode(forColumn: "complete"),
                        inputs: try row.decode(forColumn: "inputs"),
                        open: [
                            try row.decode(forColumn: "open_critical"), try row.decode(forColumn: "open_high"), try row.decode(forColumn: "open_medium"),
                            try row.decode(forColumn: "open_low"), try row.decode(forColumn: "open_info"),
                        ],
                        waived: try row.decode(forColumn: "waived"), baselined: try row.decode(forColumn: "baselined"),
                        new: counts.new, persisting: counts.total - counts.new, resolved: resolved)
                }
            }
        } catch {
            throw Self.failure(error, path: path, doing: "read the history")
        }
    }
}

/// A history's files copied into a temporary folder, removed with the last store that reads them.
final class TemporaryCopy: Sendable {
    let folder: String
    let database: String

    init(of path: String) throws {
        let fm = FileManager.default
        folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("roleaudit-history-\(UUID().uuidString)")
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = (folder as NSString).appendingPathComponent("history.db")
        try fm.copyItem(atPath: path, toPath: database)
        // Commits not yet checkpointed into the database file are in the log.
        if fm.fileExists(atPath: path + "-wal") { try fm.copyItem(atPath: path + "-wal", toPath: database + "-wal") }
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }
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
