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
        for tenant in p.tenantStatuses.keys { p.tenantStatuses[tenant]?.source = nil }
        return p
    }
}

extension Snapshot {
    func grants(of principal: String) -> [Grant] { grants.filter { $0.principal == principal } }
    func principal(_ key: String, on platform: Platform) -> Principal? {
        principals.first { $0.key == key && $0.platform == platform }
    }
}

extension Fixture {
    /// A scratch folder holding `files` (relative path to contents), for tests that build their own
    /// inputs; removed by the caller's `defer`.
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = try scratch()
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    /// The error importing `paths` gives (nil: none).
    static func error(loading paths: [String]) -> String? {
        do {
            _ = try Importer.load(paths)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// Runs blocking work on a thread of its own: a test awaiting it does not hold one of the few
/// threads Swift Testing shares among all tests (on two cores, two), which the tests that run
/// servers on 127.0.0.1 need meanwhile.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
