import Foundation
import Testing

/// Options the argument parser reads into enums, whatever their case (issue 13 A4), and the scan's
/// clock (issue 11 C4).
@Suite struct OptionsTests {
    static let root = CommittedReportsTests.root
    static let samples = ["samples/", "--policy", "samples/roleaudit.yml"]

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-options-\(UUID().uuidString)")
    }

    @Test func optionValuesIgnoreCase() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let scan = try Executable.run(
            ["scan"] + Self.samples + ["--output", out.path, "--format", "JSON, Csv", "--fail-on", "HIGH", "--now", "2026-11-23T00:00:00Z"], in: Self.root)
        #expect(scan.status == 1, "the samples have high findings: \(scan.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["entitlements.csv", "findings.csv", "findings.json"])
        let never = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json", "--fail-on", "Never"], in: Self.root)
        #expect(never.status == 0, "\(never.stderr)")
        let catalog = try Executable.run(["catalog", "--platform", "HUNTRESS", "--format", "Csv", "--role", "finance"])
        #expect(catalog.status == 0, "\(catalog.stderr)")
        #expect(catalog.stdout.hasPrefix("platform,level,role,"))
        #expect(!catalog.stdout.contains("cortex-xdr"))
        let rules = try Executable.run(["rules", "--format", "JSON"])
        #expect(rules.status == 0 && rules.stdout.hasPrefix("["))
    }

    @Test(arguments: [
        (["--fail-on", "sometimes"], "The value 'sometimes' is invalid for '--fail-on <fail-on>'"),
        (["--format", "html,xml"], "unknown format 'xml'; available: html, csv, junit, json, sarif"),
        (["--format", ","], "name at least one format"),
    ])
    func badOptionValuesAreUsageErrors(arguments: [String], message: String) throws {
        let r = try Executable.run(["scan"] + Self.samples + ["--output", Self.scratch().path] + arguments, in: Self.root)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// Numbers that parse but are no time in range, and text, are refused before anything is read;
    /// today `inf` and `1e300` stamp the reports with the year 5,828,963 and `nan` with nothing.
    @Test(arguments: ["inf", "1e300", "nan", "-1e20", "-1", "1.5", "1700000000.0", "yesterday", "", "99999999999999"])
    func sourceDateEpochOutOfRangeIsAUsageError(epoch: String) throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(["scan"] + Self.samples + ["--output", out.path, "--format", "json"], in: Self.root, environment: ["SOURCE_DATE_EPOCH": epoch])
        #expect(r.status == 64, "SOURCE_DATE_EPOCH=\(epoch): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains("SOURCE_DATE_EPOCH must be whole seconds since 1970"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written")
    }

    @Test(arguments: ["10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "2026-13-01T00:00:00Z", "inf"])
    func nowOutOfRangeIsAUsageError(now: String) throws {
        let r = try Executable.run(["scan"] + Self.samples + ["--output", Self.scratch().path, "--now", now], in: Self.root)
        #expect(r.status == 64, "--now \(now): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains("--now takes an ISO-8601 time from 1970 to 9999"), "\(r.stderr)")
    }

    @Test func sourceDateEpochStampsTheReports() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(
            ["scan"] + Self.samples + ["--output", out.path, "--format", "json", "--fail-on", "never"], in: Self.root,
            environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any]
        #expect(json?["generated_at"] as? String == "2023-11-14T22:13:20Z")
    }
}
