import Crypto
import Foundation
import RoleAuditModel

/// `roleaudit-collection.json`, the manifest `roleaudit collect` writes beside the folders of raw
/// API responses: per scope (a Huntress account, a Cortex tenant) whether it was collected
/// completely and why not, every request made, and every file written with its SHA-256. `collect`
/// writes it and the importer verifies it, so its format lives here, in one place.
public struct CollectionManifest: Codable, Sendable, Equatable {
    public static let fileName = "roleaudit-collection.json"
    public static let formatVersion = 1

    public enum State: String, Codable, Sendable {
        case complete
        case incomplete
        /// Started and not finished: the collection was interrupted (killed, network lost).
        case inProgress = "in-progress"
    }

    /// Who the API credential is, never its secret: the environment variable it came from, a key id
    /// or a fingerprint, and what the API said about it (Huntress `/v1/actor`).
    public struct Credential: Codable, Sendable, Equatable {
        public var id: String
        public var platform: Platform
        /// The environment variables the key and secret were read from.
        public var environment: [String]
        /// Cortex: the key id (sent in `x-xdr-auth-id`). Huntress: the first 12 hex digits of the
        /// SHA-256 of the API key.
        public var keyID: String
        public var keyType: String?
        public var actor: Actor?

        // Spelled so that the snake-case coders give `key_id` both ways.
        enum CodingKeys: String, CodingKey {
            case id, platform, environment, keyType, actor
            case keyID = "keyId"
        }

        public init(id: String, platform: Platform, environment: [String], keyID: String, keyType: String? = nil, actor: Actor? = nil) {
            self.id = id
            self.platform = platform
            self.environment = environment
            self.keyID = keyID
            self.keyType = keyType
            self.actor = actor
        }
    }

    /// Huntress `/v1/actor`, as recorded.
    public struct Actor: Codable, Sendable, Equatable {
        public var resellerID: String?
        public var resellerName: String?
        public var accountID: String?
        public var accountName: String?
        public var userEmail: String?

        enum CodingKeys: String, CodingKey {
            case resellerID = "resellerId", resellerName, accountID = "accountId", accountName, userEmail
        }

        public init(resellerID: String? = nil, resellerName: String? = nil, accountID: String? = nil, accountName: String? = nil, userEmail: String? = nil) {
            self.resellerID = resellerID
            self.resellerName = resellerName
            self.accountID = accountID
            self.accountName = accountName
            self.userEmail = userEmail
        }
    }

    /// One file written. Pages of one list form a chain: each page's `next_page_token` is the
    /// `page_token` of the next page, and the first page has none.
    public struct File: Codable, Sendable, Equatable {
        /// Relative to the manifest's folder, with `/`.
        public var path: String
        public var sha256: String
        public var size: Int
        /// The list the file is a page of (`memberships`, `get_api_keys`), or nil for a single response.
        public var list: String?
        public var pageToken: String?
        public var nextPageToken: String?
        public var records: Int

        public init(path: String, sha256: String, size: Int, list: String?, pageToken: String?, nextPageToken: String?, records: Int) {
            self.path = path
            self.sha256 = sha256
            self.size = size
            self.list = list
            self.pageToken = pageToken
            self.nextPageToken = nextPageToken
            self.records = records
        }
    }

    /// One request as made: the endpoint (path and query, no credentials), the final status or
    /// error, and how many attempts it took.
    public struct Request: Codable, Sendable, Equatable {
        public var method: String
        public var endpoint: String
        public var pageToken: String?
        public var status: Int?
        public var error: String?
        public var attempts: Int
        public var at: String
        public var milliseconds: Int

        public init(method: String, endpoint: String, pageToken: String?, status: Int?, error: String?, attempts: Int, at: String, milliseconds: Int) {
            self.method = method
            self.endpoint = endpoint
            self.pageToken = pageToken
            self.status = status
            self.error = error
            self.attempts = attempts
            self.at = at
            self.milliseconds = milliseconds
        }
    }

    public struct Scope: Codable, Sendable, Equatable {
        /// Also the folder's name: `huntress-ACCOUNTID`, `huntress-reseller-ID`, `cortex-TENANT`.
        public var id: String
        public var platform: Platform
        public var credential: String
        public var state: State
        public var reason: String?
        public var records: Int
        public var startedAt: String?
        public var finishedAt: String?
        public var files: [File]
        public var requests: [Request]

        public init(
            id: String, platform: Platform, credential: String, state: State, reason: String? = nil, records: Int = 0,
            startedAt: String? = nil, finishedAt: String? = nil, files: [File] = [], requests: [Request] = []
        ) {
            self.id = id
            self.platform = platform
            self.credential = credential
            self.state = state
            self.reason = reason
            self.records = records
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.files = files
            self.requests = requests
        }
    }

    public var roleauditCollection: Int
    public var tool: String
    public var startedAt: String
    public var finishedAt: String?
    public var state: State
    public var credentials: [Credential]
    public var scopes: [Scope]

    public init(tool: String, startedAt: String, finishedAt: String? = nil, state: State, credentials: [Credential], scopes: [Scope]) {
        self.roleauditCollection = Self.formatVersion
        self.tool = tool
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.state = state
        self.credentials = credentials
        self.scopes = scopes
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a manifest; a syntax error gets its line and column, a wrong shape names the member.
    public static func read(_ path: String) throws -> CollectionManifest {
        let file = try InputFile.read(path, maxSize: ImportOptions.defaultMaxFileSize)
        var reader = JSONReader(bytes: file.buffer, file: path)
        _ = try reader.readValue()
        try reader.expectEnd()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let manifest: CollectionManifest
        do {
            manifest = try decoder.decode(CollectionManifest.self, from: Data(buffer: file.buffer))
        } catch let DecodingError.keyNotFound(key, context) {
            throw ImportError.invalid(
                InputLocation(file: path, record: Self.jsonPath(context.codingPath)), expected: "the member \"\(key.stringValue.snakeCased)\"",
                found: "none")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context), let DecodingError.dataCorrupted(context) {
            throw ImportError.invalid(
                InputLocation(file: path, record: Self.jsonPath(context.codingPath)), expected: "a roleaudit collection manifest",
                found: context.debugDescription)
        }
        guard manifest.roleauditCollection == formatVersion else {
            throw ImportError.invalid(
                InputLocation(file: path, record: "roleaudit_collection"), expected: "format version \(formatVersion)",
                found: "\(manifest.roleauditCollection)")
        }
        return manifest
    }

    private static func jsonPath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { out, key in
            if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue.snakeCased }
        }
    }
}

// MARK: - Verification

extension CollectionManifest {
    /// Finds every collection manifest in the folders of `paths` and adds to the snapshot's coverage
    /// what makes the collection incomplete: a scope not collected completely, a listed file missing
    /// or changed since (SHA-256), a file in a collected folder that the collection did not write,
    /// and a page missing from a recorded chain. Hashes come from the import where it read the file.
    public static func verify(_ paths: [String], into snapshot: inout Snapshot) throws {
        let manifests = try find(in: paths)
        guard !manifests.isEmpty else { return }
        var hashes: [String: String] = [:]
        for source in snapshot.sources { hashes[standardized(source.path)] = source.sha256 }
        var issues: [CoverageIssue] = []
        for path in manifests {
            issues += try read(path).problems(manifestPath: path, hashes: hashes)
        }
        snapshot.coverage = Array(Set(snapshot.coverage).union(issues)).sorted()
    }

    static func find(in paths: [String]) throws -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue, let walker = fm.enumerator(atPath: path) else { continue }
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    walker.skipDescendants()
                } else if name == fileName {
                    found.append((path as NSString).appendingPathComponent(relative))
                }
            }
        }
        return found.sorted()
    }

    /// The scopes a resumed collection keeps: complete, with every file present and unchanged and
    /// no page missing.
    public func intactScopes(manifestPath: String) -> Set<String> {
        let broken = Set(problems(manifestPath: manifestPath, hashes: [:]).compactMap(\.scope))
        return Set(scopes.filter { $0.state == .complete && !broken.contains($0.id) }.map(\.id))
    }

    /// What a scan must not take as complete, for the manifest at `manifestPath`.
    func problems(manifestPath: String, hashes: [String: String]) -> [CoverageIssue] {
        let root = PathText.folder(of: manifestPath)
        let fm = FileManager.default
        var issues: [CoverageIssue] = []
        for scope in scopes {
            func issue(_ kind: CoverageIssue.Kind, _ file: String?, _ detail: String) {
                issues.append(CoverageIssue(kind: kind, platform: scope.platform, scope: scope.id, file: file ?? manifestPath, detail: detail))
            }
            if scope.state != .complete {
                let why = scope.state == .inProgress ? "was interrupted before it finished" : "was not collected completely"
                issue(.collectionIncomplete, nil, "collection scope \(scope.id) \(why)\(scope.reason.map { ": \($0)" } ?? "")")
            }
            var listed = Set<String>()
            for file in scope.files {
                let full = (root as NSString).appendingPathComponent(file.path)
                listed.insert(Self.standardized(full))
                guard fm.fileExists(atPath: full) else {
                    issue(.collectedFileMissing, full, "\(file.path) is listed in \(Self.fileName) (scope \(scope.id)) but is not there")
                    continue
                }
                guard let actual = hashes[Self.standardized(full)] ?? Self.sha256(ofFile: full) else {
                    issue(.collectedFileMissing, full, "\(file.path) is listed in \(Self.fileName) (scope \(scope.id)) but cannot be read")
                    continue
                }
                if actual != file.sha256 {
                    issue(.collectedFileChanged, full, "\(file.path) changed after it was collected: SHA-256 \(actual), the manifest recorded \(file.sha256)")
                }
            }
            if scope.state == .complete {
                let folder = Self.standardized((root as NSString).appendingPathComponent(scope.id)) + "/"
                for path in hashes.keys.sorted() where path.hasPrefix(folder) && !listed.contains(path) {
                    issue(.collectedFileUnlisted, path, "\(path) is in the folder of collection scope \(scope.id) but the collection did not write it")
                }
            }
            for detail in Self.chainGaps(scope.files) { issue(.missingPage, nil, "scope \(scope.id): \(detail)") }
        }
        return issues
    }

    /// Breaks in each list's chain of pages: no first page, or a next page that is not listed.
    static func chainGaps(_ files: [File]) -> [String] {
        var gaps: [String] = []
        let lists = Dictionary(grouping: files.filter { $0.list != nil }) { $0.list ?? "" }
        for (list, pages) in lists.sorted(by: { $0.key < $1.key }) {
            let requested = Set(pages.compactMap(\.pageToken))
            if !pages.contains(where: { $0.pageToken == nil }) {
                gaps.append("the first page of \(list) is not listed")
            }
            for page in pages {
                guard let next = page.nextPageToken, !next.isEmpty, !requested.contains(next) else { continue }
                gaps.append("\(page.path) points at a next page of \(list) (page token '\(next)') that is not listed")
            }
        }
        return gaps
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Read as the import reads exports: a regular file only (a FIFO listed here would block the
    /// read forever), no larger than the default limit.
    static func sha256(ofFile path: String) -> String? {
        (try? InputFile.read(path, maxSize: ImportOptions.defaultMaxFileSize))?.sha256
    }

    /// Lower-case hex SHA-256, as the manifest records files (and `collect` signs Cortex requests).
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

extension String {
    /// `pageToken` -> `page_token`, as the manifest's encoder writes member names.
    fileprivate var snakeCased: String {
        var out = ""
        for c in self {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
