import Foundation
import Testing

/// Issue 14 H: the container recipe builds roleaudit as CI does (one self-contained release
/// build, `--static-swift-stdlib`), runs it on slim Debian with only the C libraries it links, and
/// CI runs the Python tools from a virtual environment. Docker itself cannot run where the tests
/// run: this checks what can be checked without it.
@Suite struct InstallTests {
    static let root = CommittedReportsTests.root

    static func text(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    /// The flags of the `swift build` in `text` that makes the self-contained binary, without
    /// those that only say what to build and where.
    static func buildFlags(_ text: String) -> Set<String> {
        guard let line = text.split(separator: "\n").first(where: {
            !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && $0.contains("swift build ") && $0.contains("--static-swift-stdlib")
        }) else { return [] }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\\" }).map(String.init)
        guard let start = words.firstIndex(of: "build") else { return [] }
        var flags: Set<String> = []
        var i = start + 1
        while i < words.count, words[i] != "&&" {
            if ["--product", "--scratch-path"].contains(words[i]) {
                i += 2
                continue
            }
            flags.insert(words[i])
            i += 1
        }
        return flags
    }

    @Test func containerBuildsAsCIDoes() throws {
        let ci = Self.buildFlags(try Self.text(".ci/run"))
        let container = Self.buildFlags(try Self.text("Dockerfile"))
        #expect(ci == ["-c", "release", "--static-swift-stdlib"], "\(ci)")
        #expect(container == ci, "the Dockerfile builds as .ci/run does: \(container) vs \(ci)")
        let dockerfile = try Self.text("Dockerfile")
        let stages = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2 && stages[0].hasPrefix("FROM swift:") && stages[1] == "FROM debian:bookworm-slim", "\(stages)")
        // The run stage installs the C libraries and nothing of Swift.
        let run = dockerfile.components(separatedBy: "FROM debian:bookworm-slim").last ?? ""
        #expect(run.contains("libxml2 libsqlite3-0") && !run.lowercased().contains("swift build"))
    }

    /// .ci/run checks the release binary for a dynamically linked Swift runtime, and gives the
    /// tests its virtual environment's Python.
    @Test func ciChecksTheBinaryAndUsesAVirtualEnvironment() throws {
        let ci = try Self.text(".ci/run")
        #expect(ci.contains("ldd .build-static/release/roleaudit | grep -i 'libswift"))
        #expect(ci.contains("ROLEAUDIT_EXECUTABLE=\"$PWD/.build-static/release/roleaudit\" swift test"))
        #expect(ci.contains("python3 -m venv") && ci.contains("export ROLEAUDIT_PYTHON="))
        #expect(!ci.contains("python3 -m pip"), "no system-wide pip install (PEP 668)")
    }
}
