import Foundation
import RoleAuditImport
import RoleAuditModel

/// One scope being collected (a Huntress account, a Cortex tenant): its folder, and the files
/// written and requests made so far. Each response body is written as received, atomically, byte
/// for byte: the importer reads it as it reads a hand-saved export.
final class ScopeRecorder {
    let id: String
    let platform: Platform
    let credential: String
    let folder: URL
    let startedAt: Date
    private(set) var files: [CollectionManifest.File] = []
    private(set) var requests: [CollectionManifest.Request] = []
    private(set) var records = 0
    /// Retries so far, bounded per scope by `Pacing.retriesPerScope`.
    var retries = 0

    init(id: String, platform: Platform, credential: String, root: URL, startedAt: Date) {
        self.id = id
        self.platform = platform
        self.credential = credential
        self.folder = root.appendingPathComponent(id, isDirectory: true)
        self.startedAt = startedAt
    }

    /// Empties the folder: pages of an earlier, interrupted attempt must not be read with new ones.
    func reset() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.path) { try fm.removeItem(at: folder) }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func record(_ request: CollectionManifest.Request) { requests.append(request) }

    func prepend(_ earlier: [CollectionManifest.Request]) { requests.insert(contentsOf: earlier, at: 0) }

    func write(_ name: String, _ body: Data, list: String? = nil, pageToken: String? = nil, next: String? = nil, records count: Int) throws {
        let url = folder.appendingPathComponent(name)
        try body.write(to: url, options: .atomic)
        files.append(CollectionManifest.File(
            path: "\(id)/\(name)", sha256: CollectionManifest.sha256(body), size: body.count, list: list,
            pageToken: pageToken, nextPageToken: next, records: count))
        records += count
    }

    func scope(_ state: CollectionManifest.State, reason: String? = nil, finishedAt: Date?) -> CollectionManifest.Scope {
        CollectionManifest.Scope(
            id: id, platform: platform, credential: credential, state: state, reason: reason, records: records,
            startedAt: Timestamp.iso(startedAt), finishedAt: finishedAt.map(Timestamp.iso), files: files, requests: requests)
    }
}

/// Reading the JSON of a response the collector must look into (next page, names to ask for).
enum JSONBody {
    static func object(_ data: Data, _ what: String) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            let start = printable(String(decoding: data.prefix(60), as: UTF8.self))
            throw ScopeFailure(reason: "\(what) did not answer a JSON object (it began: \(start))")
        }
        return object
    }

    static func list(_ object: [String: Any], _ key: String, _ what: String) throws -> [Any] {
        guard let list = object[key] as? [Any] else {
            throw ScopeFailure(reason: "\(what) answered without the list \"\(key)\"")
        }
        return list
    }

    /// A string or a number as text (ids are numbers in Huntress responses).
    static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String: s
        case let i as Int: String(i)
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }
}

/// Percent-encodes a query value: only unreserved characters stay, so an opaque page token with
/// `+`, `/` or `=` reaches the server as it was given.
func queryEscaped(_ value: String) -> String {
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}
