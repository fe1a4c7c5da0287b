import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func load(_ relatives: String...) throws -> Snapshot {
        try Importer.load(relatives.map(path))
    }

    /// A scratch folder for tests that write their own inputs; removed by the caller's `defer`.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension Principal {
    var withoutSource: Principal {
        var p = self
        p.source = nil
        return p
    }
}

extension Snapshot {
    func grants(of principal: String) -> [Grant] { grants.filter { $0.principal == principal } }
    func principal(_ key: String, on platform: Platform) -> Principal? {
        principals.first { $0.key == key && $0.platform == platform }
    }
}
