import Foundation
import RoleAuditCatalog
import RoleAuditImport
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRedaction
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
    /// Glob patterns of files not to read (`--exclude`).
    public var exclude: [String] = []
    /// Also write `customers/`: an index and one folder of reports per customer (`--per-customer`).
    public var perCustomer = false
    /// `--redact`: the key (from ROLEAUDIT_REDACT_KEY) and what besides people is redacted.
    public var redactKey: String?
    public var redactDomains = false
    public var redactOrganizations = false
    /// `--redaction-map`: where the mapping from pseudonym back to identity is written.
    public var redactionMap: String?
    /// The HR roster (`--roster`): leavers and unknown people (XP-002, XP-003).
    public var rosterPath: String?
    /// The last access review's certification.json (`--certification`): CERT-001.
    public var certificationPath: String?

    /// How the exports are read.
    var importing: ImportOptions { ImportOptions(maxFileSize: maxFileSize, exclude: exclude) }

    public init(paths: [String], now: Date) {
        self.paths = paths
        self.now = now
    }
}

/// `--fail-on`: the lowest severity of an open finding that fails the gate, or `never`.
public enum FailThreshold: String, CaseIterable, Sendable {
    case critical, high, medium, low, info, never

    /// nil for `never`.
    public var severity: Severity? { Severity(rawValue: rawValue) }
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
        let history = try options.historyPath.map(History.open)
        let judged = try evaluate(options.paths, catalog, policy, now: options.now, importing: options.importing, roster: options.rosterPath,
            certification: options.certificationPath)
        let (result, table) = redacted(baseline.map { Gate.baseline($0, source: options.baselinePath ?? "", to: judged) } ?? judged, options)
        guard let history else {
            let done = try finish(result, options: options, extra: [])
            try writeRedactionMap(table, options)
            return done
        }
        // History last: recorded once every report is in place, so a scan whose reports could not
        // be written leaves no trace in it.
        let recorded = try History.record(result, in: history) { try stage($0, options: options, extra: []) }
        try writeRedactionMap(table, options)
        return outcome(recorded.result, written: recorded.written, options: options)
    }

    /// With `--redact`, the result every output is written from, and the pseudonyms it used.
    static func redacted(_ result: ScanResult, _ options: ScanOptions, also: [ScanResult] = []) -> (ScanResult, [String: String]) {
        guard let key = options.redactKey else { return (result, [:]) }
        let redactor = Redactor(key: key, options: .init(domains: options.redactDomains, organizations: options.redactOrganizations))
        return redactor.apply(to: result, also: also.map(\.snapshot))
    }

    /// `--redaction-map`: pseudonym to identity, written whole or not at all.
    static func writeRedactionMap(_ table: [String: String], _ options: ScanOptions) throws {
        guard let path = options.redactionMap, options.redactKey != nil else { return }
        do {
            try Redactor.mapJSON(table).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw KitError.cannotWrite(OutputError(path: path, reason: (error as NSError).localizedDescription))
        }
    }

    /// The catalog and the checked policy: loaded before any export, so a policy error costs no import.
    static func configuration(_ options: ScanOptions) throws -> (RoleCatalog, Policy) {
        let catalog = try RoleCatalog.bundled()
        return (catalog, try loadPolicy(options.policyPath, catalog: catalog))
    }

    /// Import the exports and run the rules.
    static func evaluate(
        _ paths: [String], _ catalog: RoleCatalog, _ policy: Policy, now: Date, importing: ImportOptions = ImportOptions(),
        roster rosterPath: String? = nil, certification certificationPath: String? = nil
    ) throws -> ScanResult {
        let certification = try certificationPath.map(WorksheetReader.certification)
        // The roster first: a bad row stops the scan before the exports are read.
        let roster = try rosterPath.map { try RosterReader.read($0, maxSize: importing.maxFileSize) }
        var snapshot = try Importer.load(paths, options: importing)
        // Among the inputs: its digest goes into findings.json and the history with the exports'.
        if let roster { snapshot.sources.append(roster.source) }
        return RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: policy, now: now, roster: roster, certification: certification)
    }

    /// Writes the reports (and the `extra` writers' files) and decides the exit code.
    static func finish(_ result: ScanResult, options: ScanOptions, extra: [any ReportWriter.Type]) throws -> ScanOutcome {
        let folder = try stage(result, options: options, extra: extra)
        do { return outcome(result, written: try folder.commit(), options: options) } catch { throw KitError.cannotWrite(error) }
    }

    /// Every report written into a staging folder, to be moved into place together: a report that
    /// cannot be written (no space, no permission, a file where the folder should be) leaves the
    /// output folder as it was, and is exit 73.
    static func stage(_ result: ScanResult, options: ScanOptions, extra: [any ReportWriter.Type]) throws -> ReportFolder {
        let input = ReportInput(result, context: ReportContext(toolVersion: RoleAudit.version, generatedAt: options.now))
        do {
            let folder = try ReportFolder(options.output)
            try folder.writeConcurrently(options.formats.map(\.writer) + extra, input)
            if options.perCustomer {
                try CustomerReportsWriter.write(Gate.customers(result), context: input.context, to: folder, extra: extra)
            }
            return folder
        } catch let e as OutputError {
            throw KitError.cannotWrite(e)
        }
    }

    /// The gate's verdict and the terminal summary.
    static func outcome(_ result: ScanResult, written: [String], options: ScanOptions) -> ScanOutcome {
        let failing = options.failOn.map { level in result.findings.count { $0.isOpen && $0.severity >= level } } ?? 0
        let exit: Int32 = !result.snapshot.isComplete && !options.allowIncomplete ? 2 : failing == 0 ? 0 : 1
        return ScanOutcome(
            result: result, written: written, exitCode: exit,
            summary: summary(result, written: written, failing: failing, options: options, exit: exit).text)
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
        let result = try evaluate(options.paths, catalog, policy, now: options.now, importing: options.importing, roster: options.rosterPath, certification: options.certificationPath)
        let snapshot = result.snapshot
        let baseline = Baseline(findings: result.findings, generatedAt: options.now.iso8601)
        do { try BaselineFileWriter.write(baseline, to: path) } catch let e as OutputError { throw KitError.cannotWrite(e) }
        return (baseline, !snapshot.isComplete && !options.allowIncomplete ? 2 : 0)
    }

    /// `roleaudit certify`: a reviewed worksheet read back into DIR/revocations.csv and
    /// DIR/certification.json. Returns the certification and the files written.
    /// `against`: exports read again (`--against`), whose grants every row must still name.
    public static func certify(_ worksheet: String, output: String, now: Date, against: [String] = []) throws -> (Certification, [String]) {
        var current: WorksheetReader.Current?
        if !against.isEmpty {
            let catalog = try RoleCatalog.bundled()
            let result = RuleEngine.scan(snapshot: try Importer.load(against, options: ImportOptions()), catalog: catalog, policy: Policy(), now: now)
            // Exports with gaps (a page not given) may lack a grant that still exists: the error says so.
            let gaps = result.snapshot.coverage.count(where: \.makesInputIncomplete)
            current = WorksheetReader.Current(
                grants: WorksheetGrants.of(result),
                label: against.joined(separator: ", ") + (gaps > 0 ? "; incomplete, \(gaps) coverage gap(s): the grant may be in what is missing" : ""))
        }
        let c = try WorksheetReader.read(worksheet, reviewedAt: now.iso8601, against: current)
        do { return (c, try CertificationWriter.write(c, to: output)) } catch let e as OutputError { throw KitError.cannotWrite(e) }
    }

    public static func loadPolicy(_ path: String?, catalog: RoleCatalog) throws -> Policy {
        guard let path else { return Policy() }
        let known = Set(RuleEngine.descriptions.map(\.id))
        return try PolicyLoader(knownRules: known, knownCapabilities: Set(catalog.capabilities.keys)).load(path: path)
    }

    /// What the terminal shows: every value from an export through `Terminal.text`.
    static func summary(_ r: ScanResult, written: [String], failing: Int, options: ScanOptions, exit: Int32) -> TerminalText {
        let (waived, baselined, openCount, bySeverity) = (r.counts.waived, r.counts.baselined, r.counts.open, r.counts.bySeverity)
        // Top findings grouped by rule and scope, most severe first: one line for the ten people a
        // rule found in one tenant, rather than ten lines that say the same thing.
        // A group keeps the first four principals it names (the line shows the first finding's and
        // three others) and counts the rest: ESC-002 alone names 166,384 on a large export.
        struct Group { let first: Finding; var principals: [String]; var named: Int; var count: Int }
        // Finding.scopeKey, not the scope's words: no string built per finding.
        struct Key: Hashable { let rule: String, scope: Finding.ScopeKey }
        var groups: [Group] = [], index: [Key: Int] = [:]
        for f in r.findings where f.isOpen {
            let key = Key(rule: f.ruleID, scope: f.scopeKey)
            if let i = index[key] {
                groups[i].count += 1
                // Who else, and the role when it differs from the first finding's.
                if let p = f.principal {
                    groups[i].named += 1
                    if groups[i].principals.count < 4 { groups[i].principals.append(f.role.map { $0 == groups[i].first.role ? p : "\(p) (\($0))" } ?? p) }
                }
            } else {
                index[key] = groups.count
                let named = f.principal.map { [$0] } ?? []
                groups.append(Group(first: f, principals: named, named: named.count, count: 1))
            }
        }
        // A snapshot file's source names no platform: what it holds does.
        let s = r.snapshot
        // The principals' platforms read field by field: `contains` on the records copied each.
        var held = Set<Platform>()
        for i in s.principals.indices where !held.contains(s.principals[i].platform) { held.insert(s.principals[i].platform) }
        let platforms = Platform.allCases.count { p in
            s.sources.contains { $0.platform == p } || s.organizations.contains { $0.platform == p } || held.contains(p)
        }
        let tenants = r.snapshot.organizations.count { $0.platform == .cortexXDR }
        let orgs = r.snapshot.organizations.count { $0.platform == .huntress }
        let accounts = r.snapshot.accounts.count { $0.platform == .huntress }
        var out: TerminalText = "roleaudit \(RoleAudit.version): \(r.snapshot.sources.count) files, \(platforms) platform(s), "
        out += "\(accounts) Huntress account(s) with \(orgs) organizations, "
        out += "\(tenants) Cortex tenant(s), \(r.snapshot.principals.count) principals, \(r.snapshot.grants.count) grants\n"
        out += "\(r.findings.count) findings (\(openCount) open, \(waived) waived\(baselined > 0 ? ", \(baselined) baselined" as TerminalText : "")): "
        out += "\(Severity.allCases.reversed().map { s in "\(bySeverity[s] ?? 0) \(s.rawValue)" }.joined(separator: ", "))\n"
        if !groups.isEmpty {
            out += "Top findings:\n"
            for g in groups.prefix(8) {
                let f = g.first
                out += "  \(f.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.ruleID.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.scopeLabel(of: f)): "
                if g.count == 1 {
                    out += "\(f.message)\n"
                } else {
                    // The first finding's own words, then who else the rule found there.
                    let others = max(g.named - 1, 0)
                    let named = g.principals.dropFirst().prefix(3).joined(separator: ", ")
                    let more = others > 3 ? " and \(others - 3) more" : ""
                    out += "\(f.message) [\(g.count) \(f.ruleID) findings here\(others == 0 ? "" : "; also \(named)\(more)")]\n"
                }
            }
            if groups.count > 8 { out += "  ... and \(groups.count - 8) more rule and scope group(s): see the reports\n" }
        }
        let expired = r.waivers.filter { $0.state == .expired }.map(\.id)
        let unused = r.waivers.filter { $0.state == .unused }.map(\.id)
        if !expired.isEmpty { out += "Expired waivers (no longer applied): \(expired.joined(separator: ", "))\n" }
        if !unused.isEmpty { out += "Unused waivers (match nothing): \(unused.joined(separator: ", "))\n" }
        for l in r.limitations { out += "Note: \(l)\n" }
        // Rules that saw none of the data they need, grouped by why: their silence is no pass.
        let unevaluated = Dictionary(grouping: r.ruleStates.filter { $0.kind == .notEvaluated }, by: { $0.reason ?? "" })
        for (reason, states) in unevaluated.sorted(by: { $0.key < $1.key }) {
            out += "Not evaluated: \(states.map(\.rule).joined(separator: ", ")) (\(reason))\n"
        }
        if let b = r.baseline, r.changes == nil {
            let stale: TerminalText = b.stale.isEmpty ? ""
                : "; \(b.stale.count) stale (match nothing now): \(b.stale.prefix(5).map(\.fingerprint).joined(separator: ", "))\(b.stale.count > 5 ? ", ..." as TerminalText : "")"
            out += "Baseline \(b.source): \(b.matched) of \(b.entries) entries still found\(stale)\n"
        }
        if let c = r.changes {
            out += "Access changes from \(c.before) to \(c.after): \(c.changes.count { $0.kind == .added }) added, \(c.changes.count { $0.kind == .removed }) removed, "
            out += "\(c.changes.count { $0.kind == .changed }) changed; \(c.introduced.count) finding(s) introduced, \(c.resolved.count) resolved\n"
        }
        if let h = r.history {
            let new = r.findings.count { $0.status == .new }, persisting = r.findings.count { $0.status == .persisting }
            out += "History \(h.database): scan \(h.scan); \(new) new, \(persisting) persisting, \(h.resolved.count) resolved since \(h.previous?.iso8601 ?? "(first scan)")\n"
        }
        if let path = options.certificationPath, let c = try? WorksheetReader.certification(path) {
            let reviewed = c.reviewers.values.reduce(0) { $0 + $1.keep + $1.revoke }
            let open = r.findings.count { $0.ruleID == "CERT-001" }
            out += "Access review \(path) (\(String(c.reviewed_at.prefix(10)))): \(reviewed) reviewed, \(c.revocations.count) revoked, "
            out += "\(c.revocations.count - open) done, \(open) still open (CERT-001)\n"
        }
        if !r.snapshot.isComplete {
            let allow: TerminalText = options.allowIncomplete ? "" : "; exit 2 (use --allow-incomplete to accept it)"
            out += "Input is INCOMPLETE (\(r.snapshot.coverage.count(where: \.makesInputIncomplete)) coverage issue(s)); see the coverage section\(allow)\n"
        }
        // A customer's reports are listed by their folder, not file by file.
        let customers = (options.output as NSString).appendingPathComponent("customers") + "/"
        let shown = written.filter { !$0.hasPrefix(customers) }
        let perCustomer: TerminalText = options.perCustomer ? ", \(customers) (\(written.count { $0.hasSuffix("/report.html") && $0.hasPrefix(customers) }) customers)" : ""
        out += "Reports: \(shown.joined(separator: ", "))\(perCustomer)\n"
        switch exit {
        case 0: out += options.failOn.map { "PASSED (no open finding at or above \($0.rawValue))\n" } ?? "PASSED (--fail-on never)\n"
        case 1: out += "FAILED: \(failing) open finding(s) at or above \(options.failOn?.rawValue ?? "")\n"
        default: out += "FAILED: incomplete input\n"
        }
        return out
    }
}
