import Foundation
import RoleAuditModel
import RoleAuditRules

/// `roleaudit baseline`'s file: the baseline as sorted, pretty-printed JSON, written atomically.
public enum BaselineFileWriter {
    public static func write(_ baseline: Baseline, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(baseline)
        let parent = PathText.folder(of: path)
        let folder = try ReportFolder(parent.isEmpty ? "." : parent)
        try folder.write((path as NSString).lastPathComponent) { sink in
            data.withUnsafeBytes { sink.append($0.bindMemory(to: UInt8.self)) }
            sink.append("\n")
        }
        try folder.commit()
    }
}
