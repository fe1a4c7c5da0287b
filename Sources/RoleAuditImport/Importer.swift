import Foundation
import RoleAuditModel

#if canImport(Glibc)
    import Glibc
#endif

/// How exports are read.
public struct ImportOptions: Sendable, Equatable {
    /// A million Huntress memberships take about 280 MB: four times that is still an export.
    public static let defaultMaxFileSize = 1 << 30

    /// A larger file is refused before it is read (`--max-file-size`).
    public var maxFileSize: Int
    /// false: every record is read by the checked, field-by-field path, never by the byte-level
    /// fast path for Huntress memberships. The two must agree; tests and the fuzzer compare them.
    public var fastPaths: Bool
    /// Glob patterns (`fnmatch`) of files not to read (`--exclude`): a file is left out when one
    /// matches its name, its path below the folder named, or its path as named.
    public var exclude: [String]

    public init(maxFileSize: Int = ImportOptions.defaultMaxFileSize, fastPaths: Bool = true, exclude: [String] = []) {
        self.maxFileSize = maxFileSize
        self.fastPaths = fastPaths
        self.exclude = exclude
    }

    /// Whether `--exclude` leaves out the file at `path` (`relative` to the folder it was found in).
    func excludes(_ path: String, relative: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        let candidates: [String] = [name, relative, path]
        for pattern in exclude {
            for candidate in candidates where fnmatch(pattern, candidate, 0) == 0 { return true }
        }
        return false
    }
}

/// Reads export files and folders into one canonical snapshot.
public enum Importer {
    /// File endings read when walking a folder. A file named on the command line is always read,
    /// whatever its name: detection is by content.
    static let exportExtensions: Set<String> = ["json", "csv", "tsv", "xml"]
    static let manifestName = "roleaudit-source.json"

    /// Reads every path (files, or folders searched recursively) and builds the snapshot. A file
    /// that cannot be read stops the import, but the other files are still read so that one run
    /// names every bad file (the first `ImportError.listed`, and how many more).
    public static func load(_ paths: [String], options: ImportOptions = ImportOptions()) throws -> Snapshot {
        let (files, skipped) = try collect(paths, options: options)
        guard !files.isEmpty else {
            if let first = skipped.first { throw ImportError.unreadable(file: first.path, reason: "not a regular file (\(first.kind))") }
            throw ImportError.noInputs(paths: paths)
        }
        let builder = SnapshotBuilder()
        var manifests: [String: Result<Manifest?, ImportError>] = [:]
        var errors = Errors()
        for path in files {
            let folder = PathText.folder(of: path)
            if manifests[folder] == nil {
                manifests[folder] = Result { try Manifest.read(in: folder, options: options) }.mapError { $0 as? ImportError ?? .unreadable(file: folder, reason: "\($0)") }
                if case .failure(let e) = manifests[folder] { errors.add(e) }
            }
            guard case .success(let manifest) = manifests[folder] else { continue }
            do {
                let file = try InputFile.read(path, maxSize: options.maxFileSize)
                try read(file, path: path, tenant: manifest?.tenant ?? folderName(folder), customer: manifest?.customer, builder: builder, options: options)
            } catch let e as ImportError {
                errors.add(e)
            }
        }
        try errors.throwIfAny()
        for s in skipped {
            builder.add(coverage: CoverageIssue(
                kind: .skippedFile, platform: nil, file: s.path,
                detail: "\(s.path) is \(s.kind), not a regular file: it was not read (a FIFO or device would never end)"))
        }
        var snapshot = try builder.build()
        try CollectionManifest.verify(paths, into: &snapshot)
        return snapshot
    }

    /// Reads one export held in memory, `name` standing for its file (and its folder for the
    /// tenant). For inputs that are not files: generated ones, and the fuzzer's.
    public static func load(bytes: [UInt8], name: String, options: ImportOptions = ImportOptions()) throws -> Snapshot {
        let builder = SnapshotBuilder()
        let file = try InputFile.read(bytes: bytes, path: name, maxSize: options.maxFileSize)
        let folder = PathText.folder(of: name)
        try read(file, path: name, tenant: folderName(folder), customer: nil, builder: builder, options: options)
        return try builder.build()
    }

    /// The first errors, and a count of the rest.
    private struct Errors {
        var listed: [ImportError] = []
        var more = 0
        mutating func add(_ e: ImportError) {
            if listed.count < ImportError.listed { listed.append(e) } else { more += 1 }
        }
        func throwIfAny() throws {
            guard let first = listed.first else { return }
            throw listed.count == 1 ? first : ImportError.several(listed, more: more)
        }
    }

    static func folderName(_ folder: String) -> String {
        let name = (((folder.isEmpty ? "." : folder) as NSString).standardizingPath as NSString).lastPathComponent
        if name == "." || name.isEmpty {
            return (FileManager.default.currentDirectoryPath as NSString).lastPathComponent
        }
        return name
    }

    /// Files to read, sorted, so that the order of arguments and of directory listings never
    /// matters; each file once, however often it is named (a folder and a file in it, a symbolic
    /// link). Anything that is not a regular file (a FIFO, a socket, a device) is set aside:
    /// reading one could wait forever.
    static func collect(_ paths: [String], options: ImportOptions = ImportOptions()) throws -> (files: [String], skipped: [(path: String, kind: String)]) {
        var found: [String: stat] = [:]
        var skipped: [String: String] = [:]
        func consider(_ path: String, _ info: stat) {
            if info.st_mode & S_IFMT == S_IFREG { found[path] = info } else { skipped[path] = FileKind(mode: info.st_mode).description }
        }
        let fm = FileManager.default
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                var link = stat()
                let reason = lstat(path, &link) == 0 ? "a symbolic link to nothing" : "no such file or folder"
                throw ImportError.unreadable(file: path, reason: reason)
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                if !options.excludes(path, relative: path) { consider(path, info) }
                continue
            }
            guard let walker = fm.enumerator(atPath: path) else {
                throw ImportError.unreadable(file: path, reason: "the folder cannot be listed")
            }
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                guard name != manifestName, name != CollectionManifest.fileName,
                    exportExtensions.contains((name as NSString).pathExtension.lowercased())
                else { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                if options.excludes(full, relative: relative) { continue }
                var sub = stat()
                guard stat(full, &sub) == 0, sub.st_mode & S_IFMT != S_IFDIR else { continue }
                consider(full, sub)
            }
        }
        // One path per file (device and inode): the first in sorted order.
        var seen: Set<[UInt64]> = []
        let files = found.keys.sorted().filter { path in
            guard let info = found[path] else { return false }
            return seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted
        }
        return (files, skipped.keys.sorted().map { ($0, skipped[$0] ?? "") })
    }

    static func read(
        _ file: InputFile, path: String, tenant: String, customer: String?, builder: SnapshotBuilder, options: ImportOptions
    ) throws {
        builder.reserve(forBytes: file.size)
        var context = ImportContext(file: file, path: path, tenant: tenant, customer: customer, builder: builder)
        context.fastPaths = options.fastPaths
        var reader = JSONReader(bytes: file.buffer, file: path)
        let first = reader.peek()
        let source: SourceFile
        switch first {
        case nil:
            throw ImportError.empty(file: path)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if try firstKey(file, path) == "roleaudit_snapshot" {
                let document = try SnapshotDocument.decodeJSON(file.buffer, file: path)
                try document.add(to: builder, file: path)
                source = context.source(format: "roleaudit.snapshot.json", platform: nil, scope: nil, records: document.recordCount)
            } else if let s = try JSONExport(context: context).read() {
                source = s
            } else {
                throw ImportError.invalid(
                    InputLocation(file: path, record: "roleaudit_snapshot"),
                    expected: "\"roleaudit_snapshot\" as the first member of a snapshot", found: "it later in the object")
            }
        case UInt8(ascii: "<"):
            let (document, lines) = try SnapshotXML.read(file, path: path)
            try document.add(to: builder, file: path) { element, index in lines[element].flatMap { index < $0.count ? $0[index] : nil } }
            source = context.source(format: "roleaudit.snapshot.xml", platform: nil, scope: nil, records: document.recordCount)
        default:
            guard let text = String(validating: file.buffer, as: UTF8.self) else {
                throw JSONReader(bytes: file.buffer, file: path).locator.invalidUTF8()
            }
            source = try CortexCSV(context: context).read(text: text)
        }
        builder.add(source: source)
        if source.platform == .cortexXDR {
            builder.add(organization: Organization(platform: .cortexXDR, kind: .tenant, id: tenant, name: tenant, customer: customer))
        }
    }

    private static func firstKey(_ file: InputFile, _ path: String) throws -> String? {
        var reader = JSONReader(bytes: file.buffer, file: path)
        guard reader.peek() == UInt8(ascii: "{") else { return nil }
        try reader.expect(UInt8(ascii: "{"), "'{'")
        guard reader.peek() == UInt8(ascii: "\"") else { return nil }
        return try reader.readString()
    }
}

/// `roleaudit-source.json`: names the tenant (and its customer) of the exports in its folder.
struct Manifest: Decodable {
    var platform: Platform?
    var tenant: String?
    var customer: String?
    var fetched_at: String?

    static func read(in folder: String, options: ImportOptions) throws -> Manifest? {
        let path = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(Importer.manifestName)
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let file = try InputFile.read(path, maxSize: min(options.maxFileSize, 1 << 20))
        var reader = JSONReader(bytes: file.buffer, file: path)
        try reader.skipValue()  // a syntax error, a repeated name or a bad number gets its line and column here
        try reader.expectEnd()
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(buffer: file.buffer))
        } catch {
            throw ImportError.invalid(
                InputLocation(file: path), expected: "{\"platform\": \"cortex-xdr\", \"tenant\": \"...\", \"customer\": \"...\"}",
                found: ErrorText.cut("\(error)", to: 200))
        }
    }
}
