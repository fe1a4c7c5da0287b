import RoleAuditModel

/// What a format reader knows about the file it reads.
struct ImportContext {
    let file: InputFile
    /// The path as the user gave it (relative stays relative): reports print it.
    let path: String
    /// The Cortex tenant this file belongs to: the folder's `roleaudit-source.json`, else the folder name.
    let tenant: String
    let customer: String?
    let builder: SnapshotBuilder
    /// false: every record goes through the checked path (differential tests, fuzzing).
    var fastPaths = true

    func source(format: String, platform: Platform?, scope: String?, records: Int) -> SourceFile {
        SourceFile(
            path: path, format: format, platform: platform, scope: scope, sha256: file.sha256, size: file.size,
            records: records)
    }
}
