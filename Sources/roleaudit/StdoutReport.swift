import ArgumentParser
import Foundation
import RoleAuditKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--output -`: the scan writes its reports as always, into a private folder (so that a report
/// is still whole before any of it is seen), and the one file asked for is copied to stdout.
final class StdoutReport {
    /// The file of each format that stdout carries: CSV's findings, not its worksheet; HTML none.
    static func file(_ format: ReportFormat) -> String? {
        switch format {
        case .json: "findings.json"
        case .sarif: "findings.sarif"
        case .csv: "findings.csv"
        case .junit: "junit.xml"
        case .html: nil
        }
    }

    let name: String
    let folder: String

    init(format: ReportFormat) throws {
        guard let name = Self.file(format) else { throw ValidationError("--output - takes json, sarif, csv or junit") }
        self.name = name
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("roleaudit-stdout-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            printError("roleaudit: " + Terminal.text("cannot create a folder for the report in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))"))
            throw ExitCode(73)
        }
        folder = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Copies the report to stdout in blocks (a report of a million findings is never held whole);
    /// a stdout that cannot be written is exit 73, as a report folder that cannot be.
    func copyToStdout() throws {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let input = FileHandle(forReadingAtPath: path) else {
            printError("roleaudit: \(name) was not written")
            throw ExitCode(73)
        }
        defer { try? input.close() }
        do {
            while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
                try FileHandle.standardOutput.write(contentsOf: block)
            }
        } catch {
            printError("roleaudit: " + Terminal.text("stdout: cannot write \(name): \(error.localizedDescription)"))
            throw ExitCode(73)
        }
    }
}
