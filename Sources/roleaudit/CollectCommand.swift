import ArgumentParser
import Dispatch
import Foundation
import RoleAuditCollect
import RoleAuditKit

private let collectExitCodes = """
    Exit codes: 0 every scope collected; 2 a scope incomplete (roleaudit-collection.json says which and why); \
    3 configuration error; 64 usage; 73 the output folder cannot be written. Secrets are read from the \
    environment only and never printed or written.
    """

/// What every form of `collect` takes.
struct CollectOptions: ParsableArguments {
    @Option(help: "Folder to collect into (created; an earlier collection there is replaced unless --resume).")
    var output: String

    @Option(help: "Scopes (Huntress accounts, Cortex tenants) collected at once (default: the config's parallel, else 4).")
    var parallel: Int?

    @Flag(help: "Continue an interrupted collection in --output: only scopes not complete are fetched again.")
    var resume = false

    @Option(name: .customLong("ca-file"), help: "PEM file of extra trusted CA certificates (default: SSL_CERT_FILE). HTTPS_PROXY and NO_PROXY are honoured.")
    var caFile: String?

    /// Scales rate windows and backoff delays (tests run a minute's window in milliseconds).
    @Option(name: .customLong("time-scale"), help: .private)
    var timeScale: Double?

    func validate() throws {
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1, not \(parallel)") }
        if let timeScale, !(timeScale > 0 && timeScale <= 1) { throw ValidationError("--time-scale takes a factor in (0, 1]") }
    }

    func run(huntress: [HuntressTarget] = [], cortex: [CortexTarget] = [], parallel configured: Int? = nil) throws {
        let env = ProcessInfo.processInfo.environment
        var pacing = Pacing()
        if let timeScale { pacing = pacing.scaled(by: timeScale) }
        let network = try usage { try NetworkSettings.from(environment: env, caFile: caFile) }
        let request = CollectRequest(
            output: URL(fileURLWithPath: output), huntress: huntress, cortex: cortex, parallel: parallel ?? configured ?? 4, resume: resume,
            pacing: pacing, network: network, tool: "roleaudit \(RoleAudit.version)")
        let outcome = try collecting {
            try await Collector.run(request, runtime: CollectRuntime(progress: { printError("roleaudit collect: " + Terminal.text($0)) }))
        }
        // The summary names scopes and reasons the servers gave: each line through Terminal.text.
        for line in outcome.summary.split(separator: "\n") { print(Terminal.text(String(line))) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

/// The environment as the commands read credentials from it.
private var environment: [String: String] { ProcessInfo.processInfo.environment }

/// Runs the async collection to the end from the synchronous command (the root command is
/// synchronous, and argument-parser runs an async subcommand only under an async root), and maps
/// its errors to their exit codes. The main thread waits; the collection runs on the pool.
private func collecting(_ body: @escaping @Sendable () async throws -> CollectOutcome) throws -> CollectOutcome {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<CollectOutcome, any Error> = .failure(CancellationError())
    Task.detached {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try usage { try result.get() }
}

/// Parses a user's URL option, or says what is wrong (exit 64).
private func url(_ text: String, _ option: String) throws -> URL {
    guard let url = URL(string: text) else { throw ValidationError("\(option) must be a URL, not '\(text)'") }
    do { try Collector.checkURL(url, option) } catch let e as CollectError { throw ValidationError(Terminal.text(e.description)) }
    return url
}

private func usage<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as CollectError {
        printError("roleaudit collect: " + Terminal.text(e.description))
        throw ExitCode(e.exitCode)
    }
}

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect users and roles from the Huntress and Cortex XDR APIs into folders that scan reads, with a manifest.",
        discussion: collectExitCodes,
        subcommands: [CollectConfigCommand.self, CollectHuntressCommand.self, CollectCortexCommand.self],
        defaultSubcommand: CollectConfigCommand.self)
}

struct CollectConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Collect every Huntress credential and Cortex tenant a config file names (the default: roleaudit collect --config FILE --output DIR).",
        discussion: "The file names the environment variables that hold each secret, never a secret. " + collectExitCodes)

    @Option(help: "The collection config (collect.yml).")
    var config: String

    @OptionGroup var options: CollectOptions

    func run() throws {
        let loaded = try usage { try CollectConfig.load(path: config, environment: environment) }
        try options.run(huntress: loaded.huntress, cortex: loaded.cortex, parallel: loaded.parallel)
    }
}

struct CollectHuntressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huntress",
        abstract: "Collect a Huntress account (or a reseller's child accounts): memberships, organizations, accounts.",
        discussion: "The key and secret come from HUNTRESS_API_KEY and HUNTRESS_API_SECRET. " + collectExitCodes)

    @OptionGroup var options: CollectOptions

    @Option(name: .customLong("base-url"), help: "The API's address (plain http:// only for a loopback test server).")
    var baseURL = "https://api.huntress.io"

    @Option(name: .customLong("account"), help: "A child account id to collect (repeatable; default: every account the key reaches).")
    var accounts: [String] = []

    @Option(name: .customLong("page-size"), help: "Items per page, 1-500.")
    var pageSize = 500

    func validate() throws {
        guard (1...500).contains(pageSize) else { throw ValidationError("--page-size takes 1 to 500 (the API's limit), not \(pageSize)") }
        _ = try url(baseURL, "--base-url")
        for a in accounts where a.isEmpty || !a.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw ValidationError("--account takes an account id such as 52001, not '\(a)'")
        }
    }

    func run() throws {
        let credential = try usage { try HuntressCredential.from(environment: environment) }
        try options.run(huntress: [HuntressTarget(credential: credential, baseURL: try url(baseURL, "--base-url"), accounts: accounts, pageSize: pageSize)])
    }
}

struct CollectCortexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cortex",
        abstract: "Collect a Cortex XDR tenant: users, roles, user groups and API keys.",
        discussion: "The key id and key come from CORTEX_API_KEY_ID and CORTEX_API_KEY; an advanced key is signed per request. " + collectExitCodes)

    @OptionGroup var options: CollectOptions

    @Option(help: "The tenant's name (names the folder cortex-TENANT and the tenant in reports).")
    var tenant: String

    @Option(help: "The customer the tenant belongs to (recorded in roleaudit-source.json).")
    var customer: String?

    @Option(name: .customLong("api-url"), help: "The tenant's API address, https://api-FQDN.")
    var apiURL: String

    @Flag(name: .customLong("standard-key"), help: "The key is a standard key (sent as is), not an advanced one (signed).")
    var standardKey = false

    func validate() throws { _ = try url(apiURL, "--api-url") }

    func run() throws {
        let credential = try usage { try CortexCredential.from(environment: environment, name: tenant, advanced: !standardKey) }
        try options.run(cortex: [CortexTarget(credential: credential, tenant: tenant, customer: customer, apiURL: try url(apiURL, "--api-url"))])
    }
}
