import Foundation
import RoleAuditCatalog
import RoleAuditImport
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditReports
import RoleAuditRules

/// Everything `roleaudit scan` is asked to do.
public struct ScanOptions: Sendable {
    public var paths: [String]
    public var policyPath: String?
    public var output: String = "reports"
    public var formats: [ReportFormat] = ReportFormat.allCases
    /// nil: never fail on findings.
    public var failOn: Severity? = .high
    public var now: Date
    public var allowIncomplete = false
    /// Known findings that do not fail the gate (`roleaudit baseline` writes the file).
    public var baselinePath: String?
    /// SQLite history to record the scan in and compare it with.
    public var historyPath: String?
    /// A larger export file is refused before it is read (`--max-file-size`).
    public var maxFileSize = ScanOptions.defaultMaxFileSize
    public static let defaultMaxFileSize = ImportOptions.defaultMaxFileSize

    public init(paths: [String], now: Date) {
        self.paths = paths
        self.now = now
    }
}

public struct ScanOutcome: Sendable {
    public let result: ScanResult
    public let written: [String]
    public let exitCode: Int32
    public let summary: String
}

public enum Scanner {
    public static func run(_ options: ScanOptions) throws -> ScanOutcome {
        let (catalog, policy) = try configuration(options)
        let baseline = try options.baselinePath.map(loadBaseline)
        var result = try evaluate(options.paths, catalog, policy, now: options.now, maxFileSize: options.maxFileSize)
        if let baseline, let path = options.baselinePath { result = RuleEngine.apply(baseline, source: path, to: result) }
        if let path = options.historyPath { result = try History.record(result, in: path) }
        return try finish(result, options: options, extra: [])
    }

    /// The catalog and the checked policy: loaded before any export, so a policy error costs no import.
    static func configuration(_ options: ScanOptions) throws -> (RoleCatalog, Policy) {
        let catalog = try RoleCatalog.bundled()
        return (catalog, try loadPolicy(options.policyPath, catalog: catalog))
    }

    /// Import the exports and run the rules.
    static func evaluate(
        _ paths: [String], _ catalog: RoleCatalog, _ policy: Policy, now: Date, maxFileSize: Int = ImportOptions.defaultMaxFileSize
    ) throws -> ScanResult {
        let snapshot = try Importer.load(paths, options: ImportOptions(maxFileSize: maxFileSize))
        return RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: policy, now: now)
    }

    /// Writes the reports (and `extra` files) and decides the exit code.
    static func finish(_ result: ScanResult, options: ScanOptions, extra: [(name: String, data: Data)]) throws -> ScanOutcome {
        let context = ReportContext(toolVersion: RoleAudit.version, generatedAt: options.now)
        // One format at a time, written as soon as it is rendered: holding every report of a large
        // scan in memory at once cost a quarter more peak memory.
        var written: [String] = []
        for format in options.formats { written += try write(format.writer.render(result, context: context), to: options.output) }
        written += try write(extra, to: options.output)
        let failing = options.failOn.map { level in result.findings.filter { $0.isOpen && $0.severity >= level } } ?? []
        let exit: Int32 = !result.snapshot.isComplete && !options.allowIncomplete ? 2 : failing.isEmpty ? 0 : 1
        return ScanOutcome(
            result: result, written: written, exitCode: exit,
            summary: summary(result, written: written, failing: failing, options: options, exit: exit))
    }

    /// Atomic: each file goes to a temporary name and is renamed into place, so a reader (a CI
    /// server, a browser) never sees half a report.
    static func write(_ files: [(name: String, data: Data)], to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try files.map { name, data in
            let path = (folder as NSString).appendingPathComponent(name)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        }
    }

    public static func loadBaseline(_ path: String) throws -> Baseline {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw KitError.configuration(file: path, problem: "cannot read the baseline: \(error.localizedDescription)")
        }
        let baseline: Baseline
        do { baseline = try JSONDecoder().decode(Baseline.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw KitError.configuration(file: path, problem: "not a roleaudit baseline: '\(key.stringValue)' is missing at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw KitError.configuration(file: path, problem: "not a roleaudit baseline: wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw KitError.configuration(file: path, problem: "not a roleaudit baseline (expected JSON with schema \"\(Baseline.schemaName)\")")
        }
        guard baseline.schema == Baseline.schemaName, baseline.schema_version == Baseline.version else {
            throw KitError.configuration(
                file: path, problem: "expected schema \(Baseline.schemaName) version \(Baseline.version), found \(baseline.schema) version \(baseline.schema_version)")
        }
        return baseline
    }

    /// `roleaudit baseline`: the current open findings, by fingerprint, sorted and pretty-printed.
    public static func baseline(_ options: ScanOptions, to path: String) throws -> (baseline: Baseline, exitCode: Int32) {
        let (catalog, policy) = try configuration(options)
        let result = try evaluate(options.paths, catalog, policy, now: options.now, maxFileSize: options.maxFileSize)
        let snapshot = result.snapshot
        let baseline = Baseline(findings: result.findings, generatedAt: options.now.iso8601)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (encoder.encode(baseline) + Data("\n".utf8)).write(to: url, options: .atomic)
        return (baseline, !snapshot.isComplete && !options.allowIncomplete ? 2 : 0)
    }

    /// A message quoting an export can hold escape sequences that would drive the terminal:
    /// control characters are shown as `[U+001B]` instead.
    static func terminalSafe(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += String(format: "[U+%04X]", u.value) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    public static func loadPolicy(_ path: String?, catalog: RoleCatalog) throws -> Policy {
        guard let path else { return Policy() }
        let known = Set(RuleEngine.descriptions.map(\.id))
        return try PolicyLoader(knownRules: known, knownCapabilities: Set(catalog.capabilities.keys)).load(path: path)
    }

    static func summary(_ r: ScanResult, written: [String], failing: [Finding], options: ScanOptions, exit: Int32) -> String {
        let open = r.findings.filter { $0.isOpen }
        let waived = r.findings.filter { $0.status == .waived }.count
        let baselined = r.findings.filter { $0.status == .baselined }.count
        let platforms = Set(r.snapshot.sources.compactMap(\.platform)).count
        let tenants = r.snapshot.organizations.filter { $0.platform == .cortexXDR }.count
        let orgs = r.snapshot.organizations.filter { $0.platform == .huntress }.count
        var out = "roleaudit \(RoleAudit.version): \(r.snapshot.sources.count) files, \(platforms) platform(s), "
            + "\(r.snapshot.accounts.filter { $0.platform == .huntress }.count) Huntress account(s) with \(orgs) organizations, "
            + "\(tenants) Cortex tenant(s), \(r.snapshot.principals.count) principals, \(r.snapshot.grants.count) grants\n"
        out += "\(r.findings.count) findings (\(open.count) open, \(waived) waived\(baselined > 0 ? ", \(baselined) baselined" : "")): "
            + Severity.allCases.reversed().map { s in "\(open.filter { $0.severity == s }.count) \(s.rawValue)" }.joined(separator: ", ") + "\n"
        let top = open.prefix(8)
        if !top.isEmpty {
            out += "Top findings:\n"
            for f in top {
                out += "  \(f.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.ruleID.padding(toLength: 8, withPad: " ", startingAt: 0)) \(terminalSafe(f.message))\n"
            }
        }
        let expired = r.waivers.filter { $0.state == .expired }.map(\.id)
        let unused = r.waivers.filter { $0.state == .unused }.map(\.id)
        if !expired.isEmpty { out += "Expired waivers (no longer applied): \(expired.joined(separator: ", "))\n" }
        if !unused.isEmpty { out += "Unused waivers (match nothing): \(unused.joined(separator: ", "))\n" }
        for l in r.limitations { out += "Note: \(l)\n" }
        if let b = r.baseline, r.changes == nil {
            out += "Baseline \(b.source): \(b.matched) of \(b.entries) entries still found\(b.stale.isEmpty ? "" : "; \(b.stale.count) stale (match nothing now): \(b.stale.prefix(5).map(\.fingerprint).joined(separator: ", "))\(b.stale.count > 5 ? ", ..." : "")")\n"
        }
        if let c = r.changes {
            out += "Access changes from \(c.before) to \(c.after): \(c.changes.filter { $0.kind == .added }.count) added, \(c.changes.filter { $0.kind == .removed }.count) removed, \(c.changes.filter { $0.kind == .changed }.count) changed; \(c.introduced.count) finding(s) introduced, \(c.resolved.count) resolved\n"
        }
        if let h = r.history {
            let new = r.findings.filter { $0.status == .new }.count, persisting = r.findings.filter { $0.status == .persisting }.count
            out += "History \(h.database): scan \(h.scan); \(new) new, \(persisting) persisting, \(h.resolved.count) resolved since \(h.previous.map { $0.iso8601 } ?? "(first scan)")\n"
        }
        if !r.snapshot.isComplete {
            out += "Input is INCOMPLETE (\(r.snapshot.coverage.filter(\.makesInputIncomplete).count) coverage issue(s)); see the coverage section\(options.allowIncomplete ? "" : "; exit 2 (use --allow-incomplete to accept it)")\n"
        }
        out += "Reports: \(written.joined(separator: ", "))\n"
        switch exit {
        case 0: out += "PASSED" + (options.failOn.map { " (no open finding at or above \($0.rawValue))" } ?? " (--fail-on never)") + "\n"
        case 1: out += "FAILED: \(failing.count) open finding(s) at or above \(options.failOn?.rawValue ?? "")\n"
        default: out += "FAILED: incomplete input\n"
        }
        return out
    }
}
