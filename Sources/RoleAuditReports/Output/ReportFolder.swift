import Foundation

/// Where a scan's reports are written: a staging folder inside the output folder, moved into
/// place only when every file is whole. A scan that cannot write one report leaves the folder as
/// it was (the previous scan's reports, untouched), never a mix of new and stale reports.
public final class ReportFolder {
    /// The folder the reports belong in.
    public let path: String
    private let staging: String
    private var names: [String] = []

    /// Creates `path` if needed, and a staging folder inside it.
    public init(_ path: String) throws(OutputError) {
        self.path = path
        try Self.makeFolder(path)
        let template = (path as NSString).appendingPathComponent(".roleaudit-staging-XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw OutputError(path: path, errno: errno) }
        staging = String(cString: made)
    }

    deinit { discard() }

    /// Writes the file `name` through `body`.
    public func write(_ name: String, _ body: (ByteSink) throws -> Void) throws {
        let final = (path as NSString).appendingPathComponent(name)
        let sink: ByteSink
        do { sink = try ByteSink.create((staging as NSString).appendingPathComponent(name)) } catch { throw OutputError(path: final, reason: error.reason) }
        try body(sink)
        do { try sink.close() } catch { throw OutputError(path: final, reason: error.reason) }
        names.append(name)
    }

    /// Moves every file written into place (each a rename within one file system, so a reader
    /// sees the old file or the new one, never half of one); returns their paths.
    @discardableResult
    public func commit() throws(OutputError) -> [String] {
        var placed: [String] = []
        for name in names {
            let final = (path as NSString).appendingPathComponent(name)
            if rename((staging as NSString).appendingPathComponent(name), final) != 0 { throw OutputError(path: final, errno: errno) }
            placed.append(final)
        }
        names = []
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
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeFolder(parent) }
        if mkdir(path, 0o777) != 0 && errno != EEXIST { throw OutputError(path: path, errno: errno) }
    }
}
