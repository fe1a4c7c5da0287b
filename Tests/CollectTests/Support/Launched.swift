import Foundation

/// The built `roleaudit` executable started as a separate process that a test can let finish or
/// kill: a real process killed mid-collection, as a user's cron job may be.
final class Launched: @unchecked Sendable {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Both streams, for scanning every byte printed.
        var printed: String { stdout + stderr }
    }

    /// The build products folder holds the test runner and the executable side by side.
    static let executable: URL = {
        var dir = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
        while dir.pathExtension == "xctest" || ["MacOS", "Contents"].contains(dir.lastPathComponent) { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("roleaudit")
    }()

    private let process = Process()
    private let out = Pipe()
    private let err = Pipe()
    private var outData = Data()
    private var errData = Data()
    private let drained = DispatchGroup()

    init(_ arguments: [String], environment: [String: String], in directory: URL? = nil) throws {
        process.executableURL = Self.executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        // Only what the test gives, plus PATH: no credential of the machine's leaks in.
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { a, _ in a }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Threads of their own, not DispatchQueue.global(): on Linux Swift's cooperative pool is
        // the global queue's threads, and blocking them would stall the mock servers in this process.
        for (pipe, keep) in [(out, true), (err, false)] {
            drained.enter()
            Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if keep { self.outData = data } else { self.errData = data }
                self.drained.leave()
            }.start()
        }
    }

    /// SIGKILL: no handler runs, no file is tidied, as when a machine loses power or an OOM killer strikes.
    func kill() { Foundation.kill(process.processIdentifier, SIGKILL) }

    /// Waits for the process on a thread of its own: the mock servers it talks to run on the test's
    /// cooperative threads, which a blocking wait there would starve.
    func finished() async -> Output {
        await withCheckedContinuation { c in
            Thread {
                self.process.waitUntilExit()
                self.drained.wait()
                c.resume(returning: Output(
                    status: self.process.terminationStatus, stdout: String(decoding: self.outData, as: UTF8.self),
                    stderr: String(decoding: self.errData, as: UTF8.self)))
            }.start()
        }
    }

    static func run(_ arguments: [String], environment: [String: String], in directory: URL? = nil) async throws -> Output {
        let launched = try Launched(arguments, environment: environment, in: directory)
        return await launched.finished()
    }
}
