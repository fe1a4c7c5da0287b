import Foundation
import RoleAuditModel

/// Where a scan's reports are written: a staging folder inside the output folder, moved into
/// place only when every file is whole. A scan that cannot write one report leaves the folder as
/// it was (the previous scan's reports, untouched), never a mix of new and stale reports.
public final class ReportFolder {
    /// What a folder and the folders `within` it share: one staging folder, one commit.
    private final class Store {
        var names: [String] = []
        /// Files of an earlier scan to remove at commit unless this one wrote them again.
        var retired: [String] = []
    }

    /// The folder the reports belong in.
    public let path: String
    private let root: String
    private let staging: String
    /// The path of this folder below the root folder ("" for the root).
    private let prefix: String
    private let store: Store
    /// False for a folder `within` another and for a view that one writer writes through while
    /// others write concurrently: the folder that made it commits or discards the staging folder.
    private let owner: Bool

    /// Creates `path` if needed, and a staging folder inside it.
    public init(_ path: String) throws(OutputError) {
        self.path = path
        root = path
        try Self.makeFolder(path)
        let template = (path as NSString).appendingPathComponent(".roleaudit-staging-XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw OutputError(path: path, errno: errno) }
        staging = String(cString: made)
        prefix = ""
        store = Store()
        owner = true
    }

    private init(parent: ReportFolder, sub: String) {
        prefix = parent.prefix.isEmpty ? sub : (parent.prefix as NSString).appendingPathComponent(sub)
        root = parent.root
        path = (parent.root as NSString).appendingPathComponent(prefix)
        staging = parent.staging
        store = parent.store
        owner = false
    }

    /// A view with names of its own, so that concurrent writers never share one array; the
    /// names are gathered into `of` afterwards.
    private init(view of: ReportFolder) {
        prefix = of.prefix
        root = of.root
        path = of.path
        staging = of.staging
        store = Store()
        owner = false
    }

    deinit { if owner { discard() } }

    /// Every writer's files, written concurrently (on a large scan each format is seconds of
    /// work on one core). Each job (`ReportWriter.jobs`) writes through a view of its own, and the names are
    /// gathered in `writers` order afterwards, so the files and the order `commit` reports them
    /// in are as if written one after the other; when several fail, the first in that order's
    /// error is thrown.
    public func writeConcurrently(_ writers: [any ReportWriter.Type], _ input: ReportInput) throws {
        let jobs = writers.flatMap { $0.jobs(input) }
        // Each view is written by one job only.
        let views = Unchecked(value: jobs.map { _ in ReportFolder(view: self) })
        let outcomes = Outcomes(jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            do { try jobs[i](views.value[i]) } catch { outcomes.fail(i, error) }
        }
        if let error = outcomes.first { throw error }
        for view in views.value {
            store.names += view.store.names
            store.retired += view.store.retired
        }
    }

    /// The folder `sub` (one or more plain names) inside this one, staged and committed with it:
    /// its reports are moved into place by this folder's `commit`, together with the rest.
    public func within(_ sub: String) -> ReportFolder { ReportFolder(parent: self, sub: sub) }

    /// Marks a file of an earlier scan (a path below this folder) to be removed at commit unless
    /// this scan writes it again; its folder goes too once it is empty.
    public func retire(_ name: String) { store.retired.append(relative(name)) }

    private func relative(_ name: String) -> String { prefix.isEmpty ? name : (prefix as NSString).appendingPathComponent(name) }

    /// Writes the file `name` through `body`.
    public func write(_ name: String, _ body: (ByteSink) throws -> Void) throws {
        let name = relative(name)
        let final = (root as NSString).appendingPathComponent(name)
        let staged = (staging as NSString).appendingPathComponent(name)
        let sink: ByteSink
        do {
            let folder = PathText.folder(of: staged)
            if folder != staging { try Self.makeFolder(folder) }
            sink = try ByteSink.create(staged)
        } catch { throw OutputError(path: final, reason: error.reason) }
        try body(sink)
        do { try sink.close() } catch { throw OutputError(path: final, reason: error.reason) }
        store.names.append(name)
    }

    /// Moves every file written into place (each a rename within one file system, so a reader
    /// sees the old file or the new one, never half of one); returns their paths.
    @discardableResult
    public func commit() throws(OutputError) -> [String] {
        var placed: [String] = []
        for name in store.names {
            let final = (root as NSString).appendingPathComponent(name)
            let folder = PathText.folder(of: final)
            if name.contains("/") { try Self.makeFolder(folder) }
            if rename((staging as NSString).appendingPathComponent(name), final) != 0 { throw OutputError(path: final, errno: errno) }
            placed.append(final)
        }
        let written = Set(store.names)
        for name in store.retired where !written.contains(name) {
            let old = (root as NSString).appendingPathComponent(name)
            unlink(old)
            // Only an empty folder goes: whatever else the user keeps there stays.
            rmdir(PathText.folder(of: old))
        }
        store.names = []
        store.retired = []
        discard()
        return placed
    }

    /// Removes the staging folder and whatever it holds.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// `mkdir -p`, with the system's reason when it fails (a file in the way: "Not a directory").
    static func makeFolder(_ path: String) throws(OutputError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw OutputError(path: path, errno: ENOTDIR) }
            return
        }
        let parent = PathText.folder(of: path)
        if !parent.isEmpty && parent != path { try makeFolder(parent) }
        if mkdir(path, 0o777) != 0 && errno != EEXIST { throw OutputError(path: path, errno: errno) }
    }
}

/// The writers' failures, by index; written from the writers' threads.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [(any Error)?]
    init(_ count: Int) { errors = Array(repeating: nil, count: count) }
    func fail(_ i: Int, _ error: any Error) { lock.withLock { errors[i] = error } }
    var first: (any Error)? { lock.withLock { errors.lazy.compactMap { $0 }.first } }
}

private struct Unchecked<T>: @unchecked Sendable { let value: T }
