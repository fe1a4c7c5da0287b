import Foundation
import RoleAuditImport
import RoleAuditModel

/// One collection run: which credentials and tenants, where to, how fast.
public struct CollectRequest: Sendable {
    public var output: URL
    public var huntress: [HuntressTarget]
    public var cortex: [CortexTarget]
    /// Scopes collected at once, over all credentials.
    public var parallel: Int
    /// Continue the collection in `output`: scopes complete in its manifest, with every file
    /// present and unchanged, are kept; the rest are fetched again.
    public var resume: Bool
    public var pacing: Pacing
    public var network: NetworkSettings
    /// Recorded in the manifest (`roleaudit 0.1.0`).
    public var tool: String

    public init(
        output: URL, huntress: [HuntressTarget] = [], cortex: [CortexTarget] = [], parallel: Int = 4, resume: Bool = false,
        pacing: Pacing = Pacing(), network: NetworkSettings = NetworkSettings(), tool: String = "roleaudit"
    ) {
        self.output = output
        self.huntress = huntress
        self.cortex = cortex
        self.parallel = parallel
        self.resume = resume
        self.pacing = pacing
        self.network = network
        self.tool = tool
    }
}

/// What a run is given rather than takes from the machine: the HTTP transport (nil: AsyncHTTPClient
/// with the request's network settings), the clock, the Cortex nonce source, and where progress
/// lines go. Tests replace the clock and the nonces; the CLI prints progress to stderr.
public struct CollectRuntime: Sendable {
    public var transport: (any HTTPTransport)?
    public var clock: any CollectClock
    public var nonce: @Sendable () -> String
    public var progress: @Sendable (String) -> Void

    public init(
        transport: (any HTTPTransport)? = nil, clock: any CollectClock = SystemClock(), nonce: @escaping @Sendable () -> String = CortexSigner.randomNonce,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.transport = transport
        self.clock = clock
        self.nonce = nonce
        self.progress = progress
    }
}

public struct CollectOutcome: Sendable {
    public var manifest: CollectionManifest
    public var manifestPath: String
    public var summary: String
    /// 0 when every scope is complete, 2 when any is not (PRODUCT.md "Exit codes").
    public var exitCode: Int32 { manifest.state == .complete ? 0 : 2 }
}

public enum Collector {
    public static func run(_ request: CollectRequest, runtime: CollectRuntime = CollectRuntime()) async throws -> CollectOutcome {
        try validate(request)
        let previous = try prepare(request)
        var redact = Redactor()
        redact.add(request.huntress.flatMap { [$0.credential.key, $0.credential.secret, $0.credential.basic] })
        redact.add(request.cortex.map(\.credential.key))
        redact.add([request.network.proxy?.password].compactMap { $0 })
        let transport = runtime.transport ?? AsyncHTTPTransport(settings: request.network, pacing: request.pacing)
        let clock = runtime.clock
        let started = clock.now()
        let intact = previous.map { $0.manifest.intactScopes(manifestPath: $0.path) } ?? []
        let kept = previous?.manifest.scopes.filter { intact.contains($0.id) } ?? []
        let store = ManifestStore(
            path: request.output.appendingPathComponent(CollectionManifest.fileName),
            manifest: CollectionManifest(
                tool: request.tool, startedAt: Timestamp.iso(started), state: .inProgress,
                credentials: previous?.manifest.credentials ?? [], scopes: kept))
        let run = Run(
            request: request, runtime: runtime, transport: transport, redact: redact, store: store, slots: Slots(request.parallel),
            intact: intact, previous: previous?.manifest)
        do {
            try await store.save()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for target in request.huntress { group.addTask { try await run.huntress(target) } }
                for target in request.cortex { group.addTask { try await run.cortex(target) } }
                try await group.waitForAll()
            }
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
        let manifest = try await store.finish(at: Timestamp.iso(clock.now()))
        let path = store.path.path
        return CollectOutcome(
            manifest: manifest, manifestPath: path, summary: redact(summary(manifest, seconds: clock.now().timeIntervalSince(started), path: path)))
    }

    // MARK: checks before any request

    static func validate(_ request: CollectRequest) throws {
        guard !request.huntress.isEmpty || !request.cortex.isEmpty else { throw CollectError.usage("nothing to collect: no Huntress credential and no Cortex tenant") }
        guard request.parallel >= 1 else { throw CollectError.usage("--parallel must be at least 1, not \(request.parallel)") }
        for t in request.huntress {
            try checkURL(t.baseURL, "the Huntress base URL")
            guard (1...500).contains(t.pageSize) else { throw CollectError.usage("--page-size takes 1 to 500 (the API's limit), not \(t.pageSize)") }
        }
        var tenants = Set<String>()
        for t in request.cortex {
            try checkURL(t.apiURL, "the Cortex API URL of tenant \(t.tenant)")
            try checkFolderName(t.tenant, "tenant")
            guard tenants.insert(t.tenant).inserted else { throw CollectError.usage("the tenant \(t.tenant) is named twice") }
        }
        var names = Set<String>()
        for name in request.huntress.map(\.credential.name) {
            try checkFolderName(name, "Huntress credential name")
            guard names.insert(name).inserted else { throw CollectError.usage("two Huntress credentials are both named '\(name)'") }
        }
    }

    /// https, or plain http to a loopback address only (a test server): anything else would send
    /// the credential in clear text.
    public static func checkURL(_ url: URL, _ what: String) throws {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw CollectError.usage("\(what) must be an absolute URL such as https://api.huntress.io, not '\(url.absoluteString)'")
        }
        guard url.user == nil, url.password == nil, url.query == nil else {
            throw CollectError.usage("\(what) must not carry a user, password or query: credentials come from the environment")
        }
        switch scheme {
        case "https": return
        case "http" where isLoopback(host): return
        case "http": throw CollectError.usage("\(what) is plain http:// to \(host); only https:// is accepted, except for a loopback test server")
        default: throw CollectError.usage("\(what) must be https://, not \(scheme)://")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    static func checkFolderName(_ name: String, _ what: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 100, !name.hasPrefix("."), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw CollectError.usage("the \(what) '\(printable(name))' names a folder: use letters, digits, '.', '_' and '-' only")
        }
    }

    /// The output folder: created if absent. Without --resume an earlier collection there is
    /// replaced (its scope folders and manifest only); a folder holding anything else is refused.
    /// With --resume the earlier manifest is returned.
    static func prepare(_ request: CollectRequest) throws -> (manifest: CollectionManifest, path: String)? {
        let fm = FileManager.default
        let dir = request.output
        let manifestPath = dir.appendingPathComponent(CollectionManifest.fileName).path
        let exists = fm.fileExists(atPath: manifestPath)
        if request.resume {
            guard exists else { throw CollectError.usage("--resume: \(dir.path) holds no \(CollectionManifest.fileName) to continue from") }
            do { return (try CollectionManifest.read(manifestPath), manifestPath) } catch {
                throw CollectError.usage("--resume: \(error)")
            }
        }
        do {
            if exists {
                let old = try CollectionManifest.read(manifestPath)
                for scope in old.scopes where isSafeScopeID(scope.id) {
                    let folder = dir.appendingPathComponent(scope.id)
                    if fm.fileExists(atPath: folder.path) { try fm.removeItem(at: folder) }
                }
                try fm.removeItem(atPath: manifestPath)
            } else if let contents = try? fm.contentsOfDirectory(atPath: dir.path), !contents.filter({ !$0.hasPrefix(".") }).isEmpty {
                throw CollectError.usage("\(dir.path) is not empty and holds no earlier collection: collect into a new or empty folder")
            }
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch let e as CollectError {
            throw e
        } catch {
            throw CollectError.unwritable("cannot prepare \(dir.path): \(error)")
        }
        return nil
    }

    static func isSafeScopeID(_ id: String) -> Bool { (try? checkFolderName(id, "scope")) != nil }

    static func summary(_ m: CollectionManifest, seconds: Double, path: String) -> String {
        let complete = m.scopes.filter { $0.state == .complete }.count
        let requests = m.scopes.reduce(0) { $0 + $1.requests.count }
        let retries = m.scopes.reduce(0) { $0 + $1.requests.reduce(0) { $0 + max(0, $1.attempts - 1) } }
        let records = m.scopes.reduce(0) { $0 + $1.records }
        var out = "Collected \(m.scopes.count) scope(s): \(complete) complete, \(m.scopes.count - complete) incomplete; "
            + "\(records) record(s), \(requests) request(s), \(retries) retr\(retries == 1 ? "y" : "ies"), "
            + String(format: "%.1f s", seconds) + ".\nManifest: \(path)\n"
        for s in m.scopes where s.state != .complete {
            out += "INCOMPLETE \(s.id): \(s.reason ?? s.state.rawValue)\n"
        }
        return out
    }
}

/// The manifest as the run goes: written again, atomically, each time a scope starts or ends, so
/// that a killed run leaves a manifest that `--resume` and `scan` can trust.
actor ManifestStore {
    let path: URL
    private var manifest: CollectionManifest
    private var claimed: [String: String] = [:]

    init(path: URL, manifest: CollectionManifest) {
        self.path = path
        self.manifest = manifest
    }

    /// The first credential to claim a scope collects it; returns the claimant.
    func claim(_ scope: String, by credential: String) -> String {
        if let first = claimed[scope] { return first }
        claimed[scope] = credential
        return credential
    }

    func put(_ scope: CollectionManifest.Scope) throws {
        manifest.scopes.removeAll { $0.id == scope.id }
        manifest.scopes.append(scope)
        manifest.scopes.sort { $0.id < $1.id }
        try save()
    }

    func put(_ credential: CollectionManifest.Credential) throws {
        manifest.credentials.removeAll { $0.id == credential.id }
        manifest.credentials.append(credential)
        manifest.credentials.sort { $0.id < $1.id }
        try save()
    }

    func save() throws {
        do { try manifest.encoded().write(to: path, options: .atomic) } catch {
            throw CollectError.unwritable("cannot write \(path.path): \(error)")
        }
    }

    func finish(at time: String) throws -> CollectionManifest {
        manifest.finishedAt = time
        let complete = !manifest.scopes.isEmpty && manifest.scopes.allSatisfy { $0.state == .complete }
        manifest.state = complete ? .complete : .incomplete
        try save()
        return manifest
    }
}
