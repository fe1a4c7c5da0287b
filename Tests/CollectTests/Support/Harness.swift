import Foundation
import RoleAuditCollect
import RoleAuditImport
import Testing

/// What the collection tests share: scratch folders, a minute's rate window scaled to milliseconds,
/// mock servers started and stopped, and the checks every test makes (no secret anywhere).
enum Harness {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let now = "2026-11-23T00:00:00Z"
    /// Rate windows and backoffs a thousand times shorter: Huntress's minute is 60 ms.
    static let timeScale = 0.001
    static var pacing: Pacing { Pacing().scaled(by: timeScale) }

    static func scratch(_ name: String = "collect") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func huntressServer(_ mock: MockHuntress) async throws -> (MockServer, URL) {
        let server = try MockServer { mock.route($0) }
        return (server, try await server.start())
    }

    static func cortexServer(_ mock: MockCortex) async throws -> (MockServer, URL) {
        let server = try MockServer { mock.route($0) }
        return (server, try await server.start())
    }

    static func credential(_ mock: MockHuntress, name: String = "huntress") -> HuntressCredential {
        HuntressCredential(name: name, keyVariable: "HUNTRESS_API_KEY", secretVariable: "HUNTRESS_API_SECRET", key: mock.key, secret: mock.secret)
    }

    static func credential(_ mock: MockCortex, tenant: String = "acme-prod") -> CortexCredential {
        CortexCredential(name: tenant, keyIDVariable: "CORTEX_API_KEY_ID", keyVariable: "CORTEX_API_KEY", keyID: mock.keyID, key: mock.key, advanced: mock.advanced)
    }

    /// Collects in-process with the scaled pacing; returns the outcome and the progress lines.
    static func collect(
        into dir: URL, huntress: [HuntressTarget] = [], cortex: [CortexTarget] = [], parallel: Int = 4, resume: Bool = false,
        clock: any CollectClock = SystemClock(), nonce: (@Sendable () -> String)? = nil
    ) async throws -> (CollectOutcome, [String]) {
        let lines = Lines()
        let runtime = CollectRuntime(clock: clock, nonce: nonce ?? CortexSigner.randomNonce, progress: { lines.add($0) })
        let outcome = try await Collector.run(
            CollectRequest(output: dir, huntress: huntress, cortex: cortex, parallel: parallel, resume: resume, pacing: pacing), runtime: runtime)
        return (outcome, lines.all)
    }

    static func scope(_ outcome: CollectOutcome, _ id: String) throws -> CollectionManifest.Scope {
        try #require(outcome.manifest.scopes.first { $0.id == id }, "no scope \(id) in \(outcome.manifest.scopes.map(\.id))")
    }

    /// The environment a collect process gets: the mock's credentials and nothing else of the machine's.
    static func environment(huntress: MockHuntress? = nil, cortex: MockCortex? = nil) -> [String: String] {
        var env: [String: String] = [:]
        if let huntress {
            env["HUNTRESS_API_KEY"] = huntress.key
            env["HUNTRESS_API_SECRET"] = huntress.secret
        }
        if let cortex {
            env["CORTEX_API_KEY_ID"] = cortex.keyID
            env["CORTEX_API_KEY"] = cortex.key
        }
        return env
    }

    /// `roleaudit scan` through the executable: its exit status, output and findings.json.
    static func scan(_ paths: [String], policy: String? = nil, extra: [String] = []) async throws -> (Launched.Output, [[String: Any]], URL) {
        let out = try scratch("reports")
        var args = ["scan"] + paths + ["--format", "json,html,csv", "--output", out.path, "--now", now, "--fail-on", "never"] + extra
        if let policy { args += ["--policy", policy] }
        let result = try await Launched.run(args, environment: [:], in: root)
        let data = (try? Data(contentsOf: out.appendingPathComponent("findings.json"))) ?? Data()
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return (result, json?["findings"] as? [[String: Any]] ?? [], out)
    }

    /// (rule, fingerprint) of each finding: the identity scans compare by, whatever the file layout.
    static func identities(_ findings: [[String: Any]]) -> Set<String> {
        Set(findings.map { "\($0["rule_id"] as? String ?? "?") \($0["fingerprint"] as? String ?? "?")" })
    }

    /// Every regular file under `dir`, with its bytes.
    static func files(under dir: URL) -> [(String, Data)] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir.path) else { return [] }
        var out: [(String, Data)] = []
        while let rel = walker.nextObject() as? String {
            let full = dir.appendingPathComponent(rel).path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue, let data = fm.contents(atPath: full) { out.append((rel, data)) }
        }
        return out
    }

    /// Fails the test where any secret appears in any byte written under the folders or printed.
    static func expectNoSecrets(_ secrets: [String], in folders: [URL], printed: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var checked = 0
        for folder in folders {
            for (path, data) in files(under: folder) {
                checked += data.count
                for s in secrets { #expect(data.range(of: Data(s.utf8)) == nil, "a secret in \(path)", sourceLocation: sourceLocation) }
            }
        }
        for text in printed {
            checked += text.utf8.count
            for s in secrets { #expect(!text.contains(s), "a secret printed", sourceLocation: sourceLocation) }
        }
        #expect(checked > 0, "nothing was written or printed to check", sourceLocation: sourceLocation)
    }
}

/// What concurrent tasks record for a test to read: progress lines, a proxy's CONNECTs, ports.
final class Recorded<Element: Sendable>: @unchecked Sendable {
    private var items: [Element] = []
    private let lock = NSLock()
    func add(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

/// Progress lines gathered from the collector's tasks.
typealias Lines = Recorded<String>

/// The system clock shifted: a machine whose clock is wrong.
struct ShiftedClock: CollectClock {
    var offset: Double
    func now() -> Date { Date().addingTimeInterval(offset) }
    func sleep(seconds: Double) async throws { try await SystemClock().sleep(seconds: seconds) }
}
