import Foundation
import RoleAuditModel

/// `roleaudit certify`'s output: revocations.csv (one row per revoke decision: what an
/// administrator removes) and certification.json (what `scan --certification` reads), written
/// together through the output layer.
public enum CertificationWriter {
    public static let revocationColumns = [
        "platform", "account", "organization", "tenant", "principal", "role", "via", "reviewer", "comment",
    ]

    public static func write(_ c: Certification, to path: String) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(c)
        let folder = try ReportFolder(path)
        try folder.write("revocations.csv") { sink in
            let t = CSVTable(sink, columns: revocationColumns, byteOrderMark: true)
            for r in c.revocations {
                t.text(r.platform.rawValue)
                t.text(r.account)
                t.text(r.organization)
                t.text(r.tenant)
                t.text(r.principal)
                t.text(r.role)
                t.text(r.via)
                t.text(r.reviewer)
                t.text(r.comment)
                t.endRow()
            }
        }
        try folder.write("certification.json") { sink in
            json.withUnsafeBytes { sink.append($0.bindMemory(to: UInt8.self)) }
            sink.append("\n")
        }
        return try folder.commit()
    }
}
