import ArgumentParser
import Foundation
import RoleAuditKit

/// What every command that scans takes: the policy, the clock, and whether incomplete input is
/// accepted.
struct InputOptions: ParsableArguments {
    @Option(help: "Policy file (default: roleaudit.yml in the working folder, when there is one).")
    var policy: String?

    @Flag(name: .customLong("no-policy"), help: "Use no policy file, not even a roleaudit.yml in the working folder.")
    var noPolicy = false

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp(
            "Leave out files whose name or path matches this glob (repeatable), such as notes.json or 'archive/*'.",
            valueName: "glob"))
    var exclude: [String] = []

    @Option(help: "The scan's time, ISO-8601 (default: SOURCE_DATE_EPOCH, else now). Same input and --now, same bytes.")
    var now: String?

    @Option(help: "HR roster CSV (email, name, status, left_on): leavers who keep access (XP-002) and people it does not list (XP-003).")
    var roster: String?

    @Option(help: "certification.json from roleaudit certify: grants revoked in that review and still present (CERT-001).")
    var certification: String?

    @Flag(name: .customLong("allow-incomplete"), help: "Do not fail when pages, groups or roles are missing from the input.")
    var allowIncomplete = false

    @Option(
        name: .customLong("max-file-size"),
        help: "Refuse an export file larger than this: bytes, or with K, M or G (default 1G; a million Huntress memberships take about 280M).")
    var maxFileSize: String?

    func validate() throws {
        _ = try clock()
        _ = try fileSizeLimit()
        if noPolicy && policy != nil { throw ValidationError("--policy and --no-policy cannot be used together") }
    }

    /// The policy file found in the working folder when `--policy` is not given.
    static let defaultPolicy = "roleaudit.yml"

    /// The policy the scan uses: `--policy`, else `roleaudit.yml` in the working folder (unless
    /// `--no-policy`), else none; and the summary's line saying which.
    func policyFile() -> (path: String?, line: TerminalText) {
        if let policy { return (policy, "Policy: \(policy)") }
        if noPolicy { return (nil, "Policy: none (--no-policy): the built-in rules and severities") }
        var info = stat()
        if stat(Self.defaultPolicy, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR {
            return (Self.defaultPolicy, "Policy: roleaudit.yml (found in the working folder; --no-policy to scan without it)")
        }
        return (nil, "Policy: none (no --policy, and no roleaudit.yml in the working folder): the built-in rules and severities")
    }

    /// `--max-file-size` in bytes.
    func fileSizeLimit() throws -> Int {
        guard let text = maxFileSize?.trimmingCharacters(in: .whitespaces) else { return ScanOptions.defaultMaxFileSize }
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(text)
        var unit = 1
        if let last = text.last?.uppercased().first, let u = units[last] {
            unit = u
            digits = digits.dropLast()
        }
        guard let n = Int(digits), n > 0, n <= Int.max / unit else {
            throw ValidationError("--max-file-size takes a size in bytes, or with K, M or G (such as 2G), not '\(text)'")
        }
        return n * unit
    }

    /// The scan's time. Reports print it with a four-digit year, so anything outside 1970 to 9999
    /// (`inf`, `1e300`, `-1e20` and `nan` parse as numbers) is a usage error, never a report
    /// stamped in the year 5,828,963.
    func clock() throws -> Date { try Self.clock(now) }

    /// `--now` (or SOURCE_DATE_EPOCH, else the clock), for every command that takes it.
    static func clock(_ now: String?) throws -> Date {
        if let now {
            let f = ISO8601DateFormatter()
            // ISO 8601 letters in either case: 2026-11-23t00:00:00z is the same time.
            let upper = now.uppercased()
            guard let d = f.date(from: upper) ?? ISO8601DateFormatter.dateOnly.date(from: upper), Self.range.contains(d) else {
                throw ValidationError("--now takes an ISO-8601 time from 1970 to 9999 such as 2026-11-23T00:00:00Z, not '\(Terminal.text(now))'")
            }
            return d
        }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
            // reproducible-builds.org: "an ASCII representation of an integer with no fractional
            // component"; digits only, so no sign, exponent, `inf` or `nan` gets through.
            guard !epoch.isEmpty, epoch.utf8.count <= 12, epoch.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let seconds = Int64(epoch), Self.range.contains(Date(timeIntervalSince1970: TimeInterval(seconds)))
            else {
                throw ValidationError("SOURCE_DATE_EPOCH must be whole seconds since 1970 (up to the year 9999), not '\(Terminal.text(epoch))'")
            }
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date()
    }

    /// 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    static let range = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799)

    func scanOptions(_ paths: [String]) throws -> ScanOptions {
        var options = ScanOptions(paths: paths, now: try clock())
        options.policyPath = policyFile().path
        options.allowIncomplete = allowIncomplete
        options.maxFileSize = try fileSizeLimit()
        options.exclude = exclude
        options.rosterPath = roster
        options.certificationPath = certification
        return options
    }
}

/// What scan and diff add: where the reports go, in which formats, and the gate.
struct ReportOptions: ParsableArguments {
    @OptionGroup var input: InputOptions

    @Option(help: "Folder for the reports, or - to write one format (--format json, sarif, csv or junit) to stdout and the summary to stderr.")
    var output = "reports"

    @Option(help: "Report formats, comma-separated: html, csv, junit, json, sarif (default: all).", transform: ReportFormat.list)
    var format: [ReportFormat] = ReportFormat.allCases

    @Option(name: .customLong("fail-on"), help: "Fail on open findings at or above: critical, high, medium, low, info, or never.")
    var failOn: FailThreshold = .high

    @Flag(
        name: .customLong("per-customer"),
        help: "Also write OUTPUT/customers/: index.json and one folder per customer (report.html, findings.csv, entitlements.csv, findings.json) with only that customer's part.")
    var perCustomer = false

    @Flag(help: "Replace every email address, person name and user id from the exports with a stable pseudonym (HMAC-SHA-256 with the key in ROLEAUDIT_REDACT_KEY), in every output.")
    var redact = false

    @Flag(name: .customLong("redact-domains"), help: "With --redact: email domains too (kept by default).")
    var redactDomains = false

    @Flag(name: .customLong("redact-organizations"), help: "With --redact: account, organization, tenant and customer names too.")
    var redactOrganizations = false

    @Option(name: .customLong("redaction-map"), help: "With --redact: write the mapping from pseudonym back to identity to this file (never inside the output folder).")
    var redactionMap: String?

    @OptionGroup var console: ConsoleOptions

    func scanOptions(_ paths: [String]) throws -> ScanOptions {
        var options = try input.scanOptions(paths)
        options.perCustomer = perCustomer
        if redact {
            options.redactKey = ProcessInfo.processInfo.environment["ROLEAUDIT_REDACT_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            options.redactDomains = redactDomains
            options.redactOrganizations = redactOrganizations
            options.redactionMap = redactionMap
        }
        options.output = output
        options.formats = format
        options.failOn = failOn.severity
        return options
    }

    var toStdout: Bool { output == "-" }

    func validate() throws {
        if toStdout && perCustomer { throw ValidationError("--per-customer writes folders: give --output a folder, not -") }
        if !redact && (redactDomains || redactOrganizations || redactionMap != nil) {
            throw ValidationError("--redact-domains, --redact-organizations and --redaction-map go with --redact")
        }
        if redact && (ProcessInfo.processInfo.environment["ROLEAUDIT_REDACT_KEY"] ?? "").isEmpty {
            throw ValidationError("--redact needs a key in ROLEAUDIT_REDACT_KEY (the same key gives the same pseudonyms; keep it secret)")
        }
        if let map = redactionMap, !toStdout {
            let real = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
            let (file, folder) = (real(map), real(output))
            if file == folder || file.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") {
                throw ValidationError("--redaction-map must not be inside the output folder (\(Terminal.text(output))): the map undoes the redaction")
            }
        }
        guard toStdout else { return }
        let names = Set(format).map(\.rawValue).sorted()
        guard names.count == 1, let only = format.first, StdoutReport.file(only) != nil else {
            throw ValidationError(
                "--output - writes one format to stdout: name one with --format json, sarif, csv or junit"
                    + (names.count == 1 ? " (html is a page to open from a folder, not a stream)" : ", not \(names.joined(separator: ", "))"))
        }
    }

    /// Runs `body` (a scan writing its reports as `options` say), prints the summary and exits
    /// with the scan's code. With `--output -` the reports are written into a private folder and
    /// the one asked for is copied to stdout; the summary then goes to stderr.
    func finish(_ options: ScanOptions, paths: [String], _ body: (ScanOptions) throws -> ScanOutcome) throws {
        let stdout = try toStdout ? StdoutReport(format: format[0]) : nil
        var options = options
        if let stdout { options.output = stdout.folder }
        let outcome: ScanOutcome
        do { outcome = try Progress.around("scanning " + paths.joined(separator: " "), console) { try body(options) } } catch { throw fail(error) }
        if let stdout { try stdout.copyToStdout() }
        Console(console, reportOnStdout: stdout != nil).show(
            outcome.summary, policy: input.policyFile().line, verbose: { Console.details(outcome.result) },
            reports: stdout.map { "\($0.name) written to stdout" })
        // Kept until the process ends: freeing a million-grant scan object by object took seconds
        // after the last report was written, and the process is about to exit anyway.
        ScanOutcome.kept = outcome
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

extension ScanOutcome {
    nonisolated(unsafe) static var kept: ScanOutcome?
}

let exitCodes = """
    Exit codes: 0 passed; 1 an open finding at or above --fail-on; 2 input unreadable, malformed or \
    incomplete; 3 policy or configuration error (also an unusable baseline or history); 64 usage; \
    73 a report cannot be written (the folder keeps the previous reports, and no history is recorded).
    """

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "Check exports against the vendors' role documents and the policy; write reports.",
        discussion: exitCodes)

    @Argument(help: "Export files or folders (searched recursively).")
    var paths: [String]

    @OptionGroup var report: ReportOptions

    @Option(help: "Baseline of known findings (roleaudit baseline writes it): they are listed, but do not fail the gate.")
    var baseline: String?

    @Option(help: "SQLite history to record the scan in: findings become new or persisting, with first-seen dates and a trend.")
    var history: String?

    func run() throws {
        var options = try report.scanOptions(paths)
        options.baselinePath = baseline
        options.historyPath = history
        try report.finish(options, paths: paths) { try Scanner.run($0) }
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What a change to roles does: access added, removed and changed; findings introduced and resolved.",
        discussion: "Fails only on findings the change introduces. Writes the reports of AFTER and diff.md (for a pull-request comment). " + exitCodes)

    @Argument(help: "The exports before the change (a file or folder).")
    var before: String

    @Argument(help: "The exports after the change (a file or folder).")
    var after: String

    @OptionGroup var report: ReportOptions

    func run() throws {
        let options = try report.scanOptions([after])
        try report.finish(options, paths: [before, after]) { try Differ.run(before: before, after: after, options: $0) }
    }
}

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Record the current open findings, by fingerprint, as known: scan --baseline then does not fail on them.",
        discussion: exitCodes)

    @Argument(help: "Export files or folders.")
    var paths: [String]

    @OptionGroup var input: InputOptions

    @Option(help: "The baseline file to write.")
    var output = "baseline.json"

    @OptionGroup var console: ConsoleOptions

    func run() throws {
        let options = try input.scanOptions(paths)
        let written: (baseline: Baseline, exitCode: Int32)
        do { written = try Progress.around("scanning " + paths.joined(separator: " "), console) { try Scanner.baseline(options, to: output) } } catch {
            throw fail(error)
        }
        let line: TerminalText = "Baseline \(output): \(written.baseline.entries.count) open finding(s) recorded by fingerprint"
        Console(console, reportOnStdout: false).show(line.text, policy: input.policyFile().line, verbose: { "" })
        if written.exitCode != 0 {
            printError("roleaudit: the input is incomplete (use --allow-incomplete to accept it)")
            throw ExitCode(written.exitCode)
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List the scans a history holds, with open findings by severity, new, persisting and resolved.")

    @Option(help: "The SQLite history (scan --history writes it).")
    var db: String

    @Option(help: "Output format: table, csv or json.")
    var format: ListingFormat = .table

    func run() throws {
        do { print(try History.listing(History.scans(in: db), format: format), terminator: "") } catch { throw fail(error) }
    }
}

extension ISO8601DateFormatter {
    static var dateOnly: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the built-in rules.")

    @Option(help: "Output format: table, csv or json.")
    var format: ListingFormat = .table

    func run() throws {
        print(try RuleListing.list().render(format), terminator: "")
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a rule: why, the vendor's words, frameworks, remediation, examples.")

    @Argument(help: "A rule id, e.g. ISO-001.")
    var rule: String

    func run() throws {
        do {
            print(try RuleListing.explain(rule), terminator: "")
        } catch {
            throw fail(error)
        }
    }
}
