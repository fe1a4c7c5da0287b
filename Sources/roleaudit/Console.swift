import ArgumentParser
import Dispatch
import Foundation
import RoleAuditKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--color`.
enum ColorChoice: String, CaseIterable, CaseInsensitiveArgument {
    case auto, always, never
}

/// How much the commands that scan print, and whether in colour.
struct ConsoleOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Print at most one line: the verdict (errors still go to stderr).")
    var quiet = false

    @Flag(name: [.customShort("v"), .long], help: "Also list the files read and every open finding, not only the top ones.")
    var verbose = false

    @Option(
        help: """
            Colour in the summary: auto (only on a terminal, never into a pipe or file; off when NO_COLOR is set, \
            on when FORCE_COLOR or CLICOLOR_FORCE is), always, or never.
            """)
    var color: ColorChoice = .auto

    /// Seconds a scan runs before progress is shown on a terminal (tests set 0).
    @Option(name: .customLong("progress-after"), help: .private)
    var progressAfter: Double = 2

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        guard progressAfter >= 0, progressAfter.isFinite else { throw ValidationError("--progress-after takes seconds, 0 or more") }
    }

    /// Whether text written to `fd` is coloured. `--color` decides when given; in `auto`, NO_COLOR
    /// (no-color.org: set and not empty) turns colour off, and FORCE_COLOR or CLICOLOR_FORCE (set,
    /// not empty and not 0) turn it on: CI logs (GitHub Actions, GitLab) show colour but are no
    /// terminal, and those are the variables their users already set for other tools. Otherwise
    /// only a terminal that is not `TERM=dumb` gets colour, never a pipe or a file.
    func colours(_ fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let v = environment["NO_COLOR"], !v.isEmpty { return false }
            for name in ["FORCE_COLOR", "CLICOLOR_FORCE"] {
                if let v = environment[name], !v.isEmpty, v != "0" { return true }
            }
            return isatty(fd) == 1 && environment["TERM"] != "dumb"
        }
    }
}

/// Where the summary goes: stdout, or stderr when stdout carries a report (`--output -`).
struct Console {
    let options: ConsoleOptions
    let fd: Int32

    init(_ options: ConsoleOptions, reportOnStdout: Bool) {
        self.options = options
        fd = reportOnStdout ? STDERR_FILENO : STDOUT_FILENO
    }

    /// Writes the summary of a scan as `--quiet`, `--verbose` and `--color` ask. The summary's lines
    /// are already safe for a terminal (every value from an export went through `Terminal.text`);
    /// colour is added here only around words roleaudit itself wrote at known places.
    func show(_ summary: String, policy: TerminalText, verbose extra: () -> TerminalText, reports: String? = nil) {
        var lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let reports, let i = lines.firstIndex(where: { $0.hasPrefix("Reports: ") }) { lines[i] = "Reports: " + reports }
        if options.quiet {
            lines = lines.last.map { [$0] } ?? []
        } else {
            lines.insert(policy.text, at: min(1, lines.count))
            if options.verbose {
                let verdict = lines.popLast()
                lines += extra().text.split(separator: "\n").map(String.init)
                if let verdict { lines.append(verdict) }
            }
        }
        let colour = options.colours(fd)
        write(lines.map { colour ? Self.styled($0) : $0 }.map { $0 + "\n" }.joined())
    }

    func write(_ text: String) {
        (fd == STDERR_FILENO ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
    }

    static let red = "\u{1B}[31m", boldRed = "\u{1B}[1;31m", yellow = "\u{1B}[33m", green = "\u{1B}[32m", cyan = "\u{1B}[36m"
    static let reset = "\u{1B}[0m"

    /// A summary line with its verdict or severity coloured.
    static func styled(_ line: String) -> String {
        for (prefix, style) in [("PASSED", green), ("FAILED", boldRed), ("Input is INCOMPLETE", yellow)] where line.hasPrefix(prefix) {
            return style + line + reset
        }
        // A top finding: two spaces, the severity padded to eight, the rule and the message.
        let severities: [(String, String)] = [("CRITICAL", boldRed), ("HIGH", red), ("MEDIUM", yellow), ("LOW", cyan), ("INFO", "")]
        for (word, style) in severities where !style.isEmpty && line.hasPrefix("  " + word + " ") {
            return "  " + style + word + reset + line.dropFirst(2 + word.count)
        }
        return line
    }
}

/// Progress on stderr while a scan runs, for people watching a terminal: nothing for a scan
/// shorter than `after` seconds, nothing when stderr is no terminal (a CI log or a file) or with
/// `--quiet`. The scan itself is one call into the library; this shows that it is alive and for
/// how long, and clears its line when the scan ends.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var shown = 0

    init(_ what: String, options: ConsoleOptions) {
        guard !options.quiet, isatty(STDERR_FILENO) == 1 else { return }
        let label = "roleaudit: " + Terminal.text(what)
        let start = DispatchTime.now()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + options.progressAfter, repeating: 1)
        timer.setEventHandler { [weak self] in
            let seconds = (DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000_000
            self?.show("\(label) ... \(seconds)s")
        }
        self.timer = timer
        // A scan known to be long (`--progress-after 0`) shows its line at once.
        if options.progressAfter == 0 { show(label + " ... 0s") }
        timer.resume()
    }

    private func show(_ line: String) {
        lock.withLock {
            guard timer != nil else { return }
            let text = "\r" + line + String(repeating: " ", count: max(0, shown - line.count))
            FileHandle.standardError.write(Data(text.utf8))
            shown = line.count
        }
    }

    /// Stops, and blanks the progress line if one was shown.
    func stop() {
        lock.withLock {
            timer?.cancel()
            timer = nil
            if shown > 0 { FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: shown) + "\r").utf8)) }
            shown = 0
        }
    }

    /// Runs `body` with progress shown, stopped however it ends.
    static func around<T>(_ what: String, _ options: ConsoleOptions, _ body: () throws -> T) rethrows -> T {
        let progress = Progress(what, options: options)
        defer { progress.stop() }
        return try body()
    }
}

extension Console {
    /// What `--verbose` adds: each file read with its detected format, and every open finding
    /// with its fingerprint (the summary lists the first eight).
    static func details(_ r: ScanResult) -> TerminalText {
        let open = r.findings.filter(\.isOpen)
        let files: [TerminalText] = r.snapshot.sources.map { s in "  \(s.path)  \(s.format)  \(s.records) record(s)" }
        let findings: [TerminalText] = open.map { f in
            "  \(f.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.ruleID.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.message) [\(f.fingerprint)]"
        }
        let heads: [TerminalText] = ["Files read:"] + files + ["Open findings (\(open.count)):"] + findings
        return TerminalText.joined(heads, separator: "\n")
    }
}
