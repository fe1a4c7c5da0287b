import Foundation
import Testing

/// Issue 14 F: the CLI behaves as checkov, conftest and SwiftLint do. `--output -`, `--quiet`,
/// `--verbose`, `--color` and progress, option values in any case, the policy found in the
/// working folder, `--exclude`, shell completion; all through the built executable.
@Suite struct ConventionsTests {
    static let root = CommittedReportsTests.root
    static let samples = ["samples/", "--policy", "samples/roleaudit.yml", "--now", "2026-11-23T00:00:00Z"]

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-conventions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A committed report's bytes (findings.csv starts with a byte order mark, which
    /// `String(contentsOf:)` would drop).
    static func committed(_ name: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent("reports/\(name)"))
    }

    static let escape = "\u{1B}"

    // MARK: F1 --output -

    /// stdout holds exactly the report the folder would (the committed one, same input and --now),
    /// and nothing else; the summary is on stderr; no folder named `-` appears.
    @Test(arguments: [("sarif", "findings.sarif"), ("JSON", "findings.json"), ("csv", "findings.csv"), ("junit", "junit.xml")])
    func outputDashWritesOneFormatToStdout(format: String, file: String) throws {
        let r = try Executable.run(["scan"] + Self.samples + ["--output", "-", "--format", format, "--fail-on", "never"], in: Self.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Data(r.stdout.utf8) == (try Self.committed(file)), "stdout is \(file), byte for byte")
        #expect(r.stderr.contains("Reports: \(file) written to stdout"), "\(r.stderr)")
        #expect(r.stderr.contains("PASSED (--fail-on never)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("-").path))
    }

    /// The gate still decides the exit code; the report is whole on stdout all the same.
    @Test func outputDashKeepsTheGate() throws {
        let r = try Executable.run(["scan"] + Self.samples + ["--output", "-", "--format", "json"], in: Self.root)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Data(r.stdout.utf8) == (try Self.committed("findings.json")))
        #expect(r.stderr.contains("FAILED: "), "\(r.stderr)")
    }

    @Test(arguments: [
        ([], "--output - writes one format to stdout: name one with --format json, sarif, csv or junit, not csv, html, json, junit, sarif"),
        (["--format", "html"], "(html is a page to open from a folder, not a stream)"),
        (["--format", "json,sarif"], "not json, sarif"),
    ])
    func outputDashRefusesSeveralFormatsOrHTML(extra: [String], message: String) throws {
        let r = try Executable.run(["scan"] + Self.samples + ["--output", "-"] + extra, in: Self.root)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    // MARK: F2 --quiet, --verbose, --color, progress

    @Test func quietPrintsOneLine() throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json", "--quiet"], in: Self.root)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("FAILED: ") && r.stdout.hasSuffix("\n"), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").count == 1, "\(r.stdout)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let baseline = try Executable.run(["baseline"] + Self.samples + ["--output", out.appendingPathComponent("b.json").path, "-q"], in: Self.root)
        #expect(baseline.status == 0, "\(baseline.stderr)")
        #expect(baseline.stdout.split(separator: "\n").count == 1 && baseline.stdout.hasPrefix("Baseline "), "\(baseline.stdout)")
    }

    @Test func verboseListsFilesAndEveryOpenFinding() throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let plain = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json"], in: Self.root)
        let r = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json", "--verbose"], in: Self.root)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("Files read:\n  samples/cortex-acme-prod/"), "\(r.stdout)")
        // The samples hold 50 findings, 4 waived: every open one is listed, with its fingerprint.
        let json = try ReportConsumerTests.findingsJSON(out)
        let open = (json["findings"] as? [[String: Any]] ?? []).filter { ($0["status"] as? String) != "waived" }
        #expect(open.count > 8)
        #expect(r.stdout.contains("Open findings (\(open.count)):"), "\(r.stdout)")
        for f in open { #expect(r.stdout.contains("[\(f["fingerprint"] as? String ?? "?")]")) }
        #expect(r.stdout.split(separator: "\n").last?.hasPrefix("FAILED") == true)
        #expect(r.stdout.hasPrefix(plain.stdout.split(separator: "\n").prefix(2).joined(separator: "\n")))
        let both = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "-q", "-v"], in: Self.root)
        #expect(both.status == 64 && both.stderr.contains("--quiet and --verbose cannot be used together"), "\(both.stderr)")
    }

    /// Colour only where asked or on a terminal: never into a pipe by default, off with NO_COLOR,
    /// on with FORCE_COLOR (CI logs), and --color over both.
    @Test(arguments: [
        ([], [:], false),
        (["--color", "always"], [:], true),
        (["--color", "ALWAYS"], ["NO_COLOR": "1"], true),
        (["--color", "Never"], ["FORCE_COLOR": "1"], false),
        ([], ["FORCE_COLOR": "1"], true),
        ([], ["CLICOLOR_FORCE": "1"], true),
        ([], ["FORCE_COLOR": "0"], false),
        ([], ["NO_COLOR": "1", "FORCE_COLOR": "1"], false),
    ] as [([String], [String: String], Bool)])
    func colourOnlyWhereAsked(options: [String], environment: [String: String], coloured: Bool) throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        var env = ["NO_COLOR": "", "FORCE_COLOR": "", "CLICOLOR_FORCE": ""]
        env.merge(environment) { _, new in new }
        let r = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json"] + options, in: Self.root, environment: env)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("\(Self.escape)[1;31mFAILED") == coloured, "\(options) \(environment): \(r.stdout)")
        #expect(r.stdout.contains("\(Self.escape)[1;31mCRITICAL\(Self.escape)[0m ESC-001") == coloured, "\(r.stdout)")
        if !coloured { #expect(!r.stdout.contains(Self.escape) && !r.stderr.contains(Self.escape)) }
    }

    /// With colour forced, every escape sequence is one of roleaudit's colours: an export's
    /// control characters are still shown as text.
    @Test func colourNeverLetsExportTextThrough() throws {
        let dir = try HostileExport.folder([0, 4, 5, 6].map { HostileExport.texts[$0] })
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(["scan", dir.path, "--output", dir.appendingPathComponent("out").path, "--fail-on", "never", "--format", "json", "--color", "always", "-v"])
        #expect(r.status == 0, "\(r.stderr)")
        let colours = try Regex("\u{1B}\\[[0-9;]*m")
        #expect(r.stdout.contains(colours))
        let stripped = r.stdout.replacing(colours, with: "")
        #expect(HostileExport.terminalProblem(stripped) == nil, "\(stripped)")
        #expect(stripped.contains("esc [U+001B][2J[U+001B]]0;owned[U+0007] bell"), "\(stripped)")
    }

    /// Runs `roleaudit ARGS` with stderr (or stdout) on a pseudo-terminal, the other on a pipe;
    /// returns what the terminal showed and what the pipe carried.
    static func onTerminal(_ arguments: [String], stream: String) throws -> (status: Int32, terminal: String, pipe: String) {
        let script = """
            import os, pty, subprocess, sys
            stream, argv = sys.argv[1], sys.argv[2:]
            master, slave = pty.openpty()
            env = dict(os.environ, TERM="xterm", NO_COLOR="", FORCE_COLOR="", CLICOLOR_FORCE="")
            if stream == "stderr":
                p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env)
            else:
                p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env)
            os.close(slave)
            seen = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            piped = (p.stdout if stream == "stderr" else p.stderr).read()
            status = p.wait()
            sys.stdout.write(str(status) + "\\n" + seen.hex() + "\\n" + piped.hex() + "\\n")
            """
        let r = try ReportConsumerTests.tool([Python.executable, "-c", script, stream, Executable.url.path] + arguments, in: root)
        // Status, then each stream in hex: a line each, empty for a stream that carried nothing.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(r.status == 0 && lines.count == 3, "\(r.stderr)")
        func text(_ hex: String) -> String {
            var bytes: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex), let b = UInt8(hex[i..<j], radix: 16) {
                bytes.append(b)
                i = j
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard lines.count == 3 else { return (-1, "", "") }
        return (Int32(lines[0]) ?? -1, text(lines[1]), text(lines[2]))
    }

    /// Progress goes to stderr only when stderr is a terminal, and is cleared when the scan ends;
    /// a pipe (a CI log) never gets it. `--progress-after 0` stands for a long scan.
    @Test func progressOnlyOnATerminal() throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let args = ["scan"] + Self.samples + ["--output", out.path, "--format", "json", "--progress-after", "0"]
        let tty = try Self.onTerminal(args, stream: "stderr")
        #expect(tty.status == 1)
        #expect(tty.terminal.contains("\rroleaudit: scanning samples/ ... 0s"), "\(tty.terminal.debugDescription)")
        #expect(tty.terminal.hasSuffix("\r"), "the progress line is blanked: \(tty.terminal.debugDescription)")
        #expect(tty.pipe.hasPrefix("roleaudit ") && !tty.pipe.contains(Self.escape), "summary on the pipe, uncoloured: \(tty.pipe)")
        let piped = try Executable.run(args, in: Self.root)
        #expect(piped.status == 1)
        #expect(piped.stderr.isEmpty, "no progress into a pipe: \(piped.stderr)")
        let quiet = try Self.onTerminal(args + ["--quiet"], stream: "stderr")
        #expect(quiet.terminal.isEmpty, "\(quiet.terminal.debugDescription)")
    }

    /// On a terminal the summary is coloured by default (and NO_COLOR turns it off, above).
    @Test func colourOnATerminal() throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let tty = try Self.onTerminal(["scan"] + Self.samples + ["--output", out.path, "--format", "json"], stream: "stdout")
        #expect(tty.status == 1)
        #expect(tty.terminal.contains("\(Self.escape)[1;31mFAILED"), "\(tty.terminal.debugDescription)")
    }

    // MARK: F3 option values in any case

    @Test func optionValuesIgnoreCaseEverywhere() throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let scan = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--now", "2026-11-23t00:00:00z", "--output", out.path, "--format", "Json",
             "--fail-on", "NEVER", "--color", "Never", "--max-file-size", "2g"], in: Self.root)
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("findings.json")) == Data(contentsOf: Self.root.appendingPathComponent("reports/findings.json")))
        let inspect = try Executable.run(["inspect", "samples/cortex-birchwood", "--format", "JSON"], in: Self.root)
        #expect(inspect.status == 0 && inspect.stdout.hasPrefix("{"), "\(inspect.stderr)")
        let explain = try Executable.run(["explain", "iso-001"])
        #expect(explain.status == 0 && explain.stdout.hasPrefix("ISO-001"), "\(explain.stderr)")
        let db = out.appendingPathComponent("h.sqlite").path
        let recorded = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json", "--history", db, "-q"], in: Self.root)
        #expect(recorded.status == 1, "\(recorded.stderr)")
        let history = try Executable.run(["history", "--db", db, "--format", "CSV"])
        #expect(history.status == 0 && history.stdout.contains(","), "\(history.stderr)")
    }

    // MARK: F4 the policy in the working folder

    /// samples/ holds roleaudit.yml: a scan there without --policy uses it, and says so.
    @Test func policyFoundInTheWorkingFolder() throws {
        let out = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let samples = Self.root.appendingPathComponent("samples")
        func scan(_ extra: [String], _ name: String) throws -> (Executable.Result, Data) {
            let folder = out.appendingPathComponent(name)
            let r = try Executable.run(["scan", ".", "--now", "2026-11-23T00:00:00Z", "--format", "json", "--fail-on", "never", "--output", folder.path] + extra, in: samples)
            #expect(r.status == 0, "\(r.stderr)")
            return (r, try Data(contentsOf: folder.appendingPathComponent("findings.json")))
        }
        let (found, foundJSON) = try scan([], "found")
        #expect(found.stdout.split(separator: "\n").dropFirst().first == "Policy: roleaudit.yml (found in the working folder; --no-policy to scan without it)", "\(found.stdout)")
        let (named, namedJSON) = try scan(["--policy", "roleaudit.yml"], "named")
        #expect(named.stdout.contains("Policy: roleaudit.yml\n"))
        #expect(foundJSON == namedJSON)
        let (none, noneJSON) = try scan(["--no-policy"], "none")
        #expect(none.stdout.contains("Policy: none (--no-policy): the built-in rules and severities\n"), "\(none.stdout)")
        #expect(noneJSON != foundJSON, "the samples' policy waives findings")
        let elsewhere = try Executable.run(["scan", "samples/", "--output", out.appendingPathComponent("root").path, "--format", "json", "--fail-on", "never"], in: Self.root)
        #expect(elsewhere.stdout.contains("Policy: none (no --policy, and no roleaudit.yml in the working folder): the built-in rules and severities\n"), "\(elsewhere.stdout)")
        let both = try Executable.run(["scan", ".", "--policy", "roleaudit.yml", "--no-policy"], in: samples)
        #expect(both.status == 64 && both.stderr.contains("--policy and --no-policy cannot be used together"), "\(both.stderr)")
        // baseline and diff name their policy too.
        let baseline = try Executable.run(["baseline", ".", "--output", out.appendingPathComponent("b.json").path], in: samples)
        #expect(baseline.status == 0 && baseline.stdout.contains("Policy: roleaudit.yml (found in the working folder"), "\(baseline.stdout)")
        let diff = try Executable.run(
            ["diff", "cortex-birchwood", "cortex-birchwood", "--output", out.appendingPathComponent("diff").path, "--format", "json"], in: samples)
        #expect(diff.status == 0 && diff.stdout.contains("Policy: roleaudit.yml (found in the working folder"), "\(diff.stdout) \(diff.stderr)")
    }

    // MARK: F5 --exclude

    /// A notes.json beside the exports is refused with a message naming it and the flag; excluded,
    /// the scan is the scan of the exports alone.
    @Test func strayFileIsRefusedAndCanBeExcluded() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let exports = dir.appendingPathComponent("birchwood")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("samples/cortex-birchwood"), to: exports)
        let args = ["scan", exports.path, "--format", "json", "--fail-on", "never", "--now", "2026-11-23T00:00:00Z"]
        let clean = try Executable.run(args + ["--output", dir.appendingPathComponent("clean").path])
        #expect(clean.status == 0, "\(clean.stderr)")
        try Data(#"{"author": "me", "todo": ["ask about the viewers"]}"#.utf8).write(to: exports.appendingPathComponent("notes.json"))
        try FileManager.default.createDirectory(at: exports.appendingPathComponent("old"), withIntermediateDirectories: true)
        try Data("not,an,export\n1,2,3\n".utf8).write(to: exports.appendingPathComponent("old/sheet.csv"))
        let refused = try Executable.run(args + ["--output", dir.appendingPathComponent("refused").path])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("notes.json: not a recognised export"), "\(refused.stderr)")
        #expect(refused.stderr.contains("(if it is no export, leave it out with --exclude 'notes.json')"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--exclude 'sheet.csv'"), "every stray file is named: \(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("refused").path), "nothing written")
        let excluded = try Executable.run(args + ["--output", dir.appendingPathComponent("excluded").path, "--exclude", "notes.json", "--exclude", "old/*"])
        #expect(excluded.status == 0, "\(excluded.stderr)")
        #expect(
            try Data(contentsOf: dir.appendingPathComponent("excluded/findings.json")) == Data(contentsOf: dir.appendingPathComponent("clean/findings.json")))
        let inspected = try Executable.run(["inspect", exports.path, "--exclude", "notes.json", "--exclude", "old/*"])
        #expect(inspected.status == 0, "inspect takes --exclude too: \(inspected.stderr)")
        let everything = try Executable.run(args + ["--output", dir.appendingPathComponent("none").path, "--exclude", "*"])
        #expect(everything.status == 2 && everything.stderr.contains("no export files found"), "\(everything.stderr)")
    }

    // MARK: F6 completion and help

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let r = try Executable.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r.stderr)")
        // fish names options without their dashes (-l 'exclude').
        for word in ["scan", "exclude", "color", "no-policy", "quiet", "collect"] { #expect(r.stdout.contains(word), "\(shell): \(word)") }
        if shell == "bash" {
            let file = try Self.scratch().appendingPathComponent("roleaudit.bash")
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            try Data(r.stdout.utf8).write(to: file)
            let syntax = try ReportConsumerTests.tool(["bash", "-n", file.path])
            #expect(syntax.status == 0, "\(syntax.stderr)")
        }
    }

    @Test func helpShowsTheNewOptions() throws {
        let r = try Executable.run(["scan", "--help"])
        #expect(r.status == 0)
        for option in ["--output <output>", "--exclude <glob>", "--no-policy", "--quiet", "--verbose", "--color <color>", "Exit codes:"] {
            #expect(r.stdout.contains(option), "\(option): \(r.stdout)")
        }
        #expect(!r.stdout.contains("--progress-after"))
    }
}
