import Foundation
import RoleAuditModel

/// Reads export files and folders into one canonical snapshot.
public enum Importer {
    /// File endings read when walking a folder. A file named on the command line is always read,
    /// whatever its name: detection is by content.
    static let exportExtensions: Set<String> = ["json", "csv", "tsv", "xml"]
    static let manifestName = "roleaudit-source.json"

    /// Reads every path (files, or folders searched recursively) and builds the snapshot.
    public static func load(_ paths: [String]) throws -> Snapshot {
        let files = try collect(paths)
        guard !files.isEmpty else { throw ImportError.noInputs(paths: paths) }
        let builder = SnapshotBuilder()
        var manifests: [String: Manifest?] = [:]
        for path in files {
            let folder = (path as NSString).deletingLastPathComponent
            if manifests[folder] == nil { manifests[folder] = .some(try Manifest.read(in: folder)) }
            let manifest = manifests[folder] ?? nil
            let tenant = manifest?.tenant ?? Importer.folderName(folder)
            try read(path, tenant: tenant, customer: manifest?.customer, builder: builder)
        }
        var snapshot = builder.build()
        try CollectionManifest.verify(paths, into: &snapshot)
        return snapshot
    }

    static func folderName(_ folder: String) -> String {
        let name = (((folder.isEmpty ? "." : folder) as NSString).standardizingPath as NSString).lastPathComponent
        if name == "." || name.isEmpty {
            return (FileManager.default.currentDirectoryPath as NSString).lastPathComponent
        }
        return name
    }

    /// Files to read, sorted, so that the order of arguments and of directory listings never matters.
    static func collect(_ paths: [String]) throws -> [String] {
        var out = Set<String>()
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw ImportError.unreadable(file: path, reason: "no such file or folder")
            }
            guard isDir.boolValue else {
                out.insert(path)
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
                let full = (path as NSString).appendingPathComponent(relative)
                var sub: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue, name != manifestName, name != CollectionManifest.fileName,
                    exportExtensions.contains((name as NSString).pathExtension.lowercased())
                else { continue }
                out.insert(full)
            }
        }
        return out.sorted()
    }

    static func read(_ path: String, tenant: String, customer: String?, builder: SnapshotBuilder) throws {
        let file = try InputFile.read(path)
        builder.reserve(forBytes: file.size)
        let context = ImportContext(file: file, path: path, tenant: tenant, customer: customer, builder: builder)
        var reader = JSONReader(bytes: file.buffer, file: path)
        let first = reader.peek()
        let source: SourceFile
        switch first {
        case nil:
            throw ImportError.empty(file: path)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if try firstKey(file, path) == "roleaudit_snapshot" {
                let document = try SnapshotDocument.decodeJSON(Data(buffer: file.buffer), file: path)
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

    static func read(in folder: String) throws -> Manifest? {
        let path = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(Importer.manifestName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try InputFile.read(path)
        var reader = JSONReader(bytes: file.buffer, file: path)
        _ = try reader.readValue()  // a syntax error gets its line and column here
        try reader.expectEnd()
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(buffer: file.buffer))
        } catch {
            throw ImportError.invalid(
                InputLocation(file: path), expected: "{\"platform\": \"cortex-xdr\", \"tenant\": \"...\", \"customer\": \"...\"}",
                found: "\(error)")
        }
    }
}
