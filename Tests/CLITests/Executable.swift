import Foundation
import Testing

/// Runs the built `roleaudit` executable, as a user would.
struct Executable {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The build products folder: the test runner sits beside the executable it depends on.
    static let productsDirectory: URL = {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = runner.deletingLastPathComponent()
        // On macOS the runner is inside an .xctest bundle.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
            dir.deleteLastPathComponent()
        }
        return dir
    }()

    /// The executable under test: `ROLEAUDIT_EXECUTABLE` when set (CI runs these tests against the
    /// release build that way), else the one built beside the tests.
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["ROLEAUDIT_EXECUTABLE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return productsDirectory.appendingPathComponent("roleaudit")
    }

    /// Runs `roleaudit ARGS` in `directory` and collects its output. Both pipes are drained while
    /// the process runs, so a large output cannot deadlock it.
    static func run(
        _ arguments: [String], executable: URL = url, in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
