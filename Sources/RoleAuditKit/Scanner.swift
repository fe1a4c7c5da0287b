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
        let catalog = try RoleCatalog.bundled()
        let policy = try loadPolicy(options.policyPath, catalog: catalog)
        let snapshot = try Importer.load(options.paths)
        let result = RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: policy, now: options.now)
        let context = ReportContext(toolVersion: RoleAudit.version, generatedAt: options.now)
        var written: [String] = []
        try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
        for format in options.formats {
            for (name, data) in try format.writer.render(result, context: context) {
                let path = (options.output as NSString).appendingPathComponent(name)
                // Atomic: a temporary file renamed into place, so a reader never sees half a report.
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
                written.append(path)
            }
        }
        let failing = options.failOn.map { level in result.findings.filter { $0.status == .open && $0.severity >= level } } ?? []
        let exit: Int32 = !snapshot.isComplete && !options.allowIncomplete ? 2 : failing.isEmpty ? 0 : 1
        return ScanOutcome(
            result: result, written: written, exitCode: exit,
            summary: summary(result, written: written, failing: failing, options: options, exit: exit))
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
        let open = r.findings.filter { $0.status == .open }
        let waived = r.findings.count - open.count
        let platforms = Set(r.snapshot.sources.compactMap(\.platform)).count
        let tenants = r.snapshot.organizations.filter { $0.platform == .cortexXDR }.count
        let orgs = r.snapshot.organizations.filter { $0.platform == .huntress }.count
        var out = "roleaudit \(RoleAudit.version): \(r.snapshot.sources.count) files, \(platforms) platform(s), "
            + "\(r.snapshot.accounts.filter { $0.platform == .huntress }.count) Huntress account(s) with \(orgs) organizations, "
            + "\(tenants) Cortex tenant(s), \(r.snapshot.principals.count) principals, \(r.snapshot.grants.count) grants\n"
        out += "\(r.findings.count) findings (\(open.count) open, \(waived) waived): "
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
