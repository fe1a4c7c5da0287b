import Foundation
import Testing

/// Issue 14 G: findings.sarif within what code-scanning services accept. GitHub takes at most
/// 25,000 results per run: beyond that the most severe are kept, and the rest are counted in the
/// run's properties and a notification; the log stays valid against the SARIF schema.
@Suite struct SARIFLimitsTests {
    /// A Cortex tenant of `unassigned` users with no role (HYG-003, low, one finding each) and
    /// `admins` Instance Administrators (more than three: LP-001, high).
    static func tenant(unassigned: Int, admins: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-sarif-\(UUID().uuidString)")
        let tenant = dir.appendingPathComponent("cortex-big")
        try FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
        var users: [String] = []
        for i in 0..<admins {
            users.append(#"{"user_email": "admin\#(i)@big.example", "role_name": "Instance Administrator", "groups": [], "user_type": "SSO"}"#)
        }
        for i in 0..<unassigned {
            users.append(#"{"user_email": "left\#(i)@big.example", "role_name": "", "groups": [], "user_type": "SSO"}"#)
        }
        try Data(("{\"reply\": [\n" + users.joined(separator: ",\n") + "\n]}\n").utf8).write(to: tenant.appendingPathComponent("get_users.json"))
        return dir
    }

    @Test func atMostTwentyFiveThousandResultsMostSevereFirst() throws {
        let dir = try Self.tenant(unassigned: 25_500, admins: 6)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let r = try Executable.run(
            ["scan", dir.appendingPathComponent("cortex-big").path, "--output", out.path, "--format", "json,sarif", "--fail-on", "never", "--now", "2026-11-23T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        let findings = try ReportConsumerTests.findingsJSON(out)["findings"] as? [[String: Any]] ?? []
        #expect(findings.count > 25_500, "every finding stays in findings.json")
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.sarif"))) as? [String: Any] ?? [:]
        let run = (log["runs"] as? [[String: Any]])?.first ?? [:]
        let results = run["results"] as? [[String: Any]] ?? []
        #expect(results.count == 25_000)
        let properties = run["properties"] as? [String: Any] ?? [:]
        #expect(properties["resultsTotal"] as? Int == findings.count)
        #expect(properties["resultsOmitted"] as? Int == findings.count - 25_000)
        // Every finding above low is kept, and the results run from the most severe down.
        let kept = Set(results.compactMap { ($0["partialFingerprints"] as? [String: String])?["roleaudit/v1"] })
        let severe = findings.filter { !["low", "info"].contains($0["severity"] as? String ?? "") }
        #expect(!severe.isEmpty, "too many administrators (LP-001, high)")
        for f in severe { #expect(kept.contains(f["fingerprint"] as? String ?? "?"), "\(f["rule_id"] ?? "") is kept") }
        let order = ["error": 0, "warning": 1, "note": 2]
        let levels = results.map { order[$0["level"] as? String ?? ""] ?? 9 }
        #expect(levels == levels.sorted(), "most severe first")
        let notifications = ((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]]) ?? []
        let texts = notifications.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
        #expect(texts.contains("\(findings.count - 25_000) of \(findings.count) findings are not in this log: code-scanning services accept at most 25000 results per run, and the most severe are kept; findings.json lists every finding"), "\(texts)")
        let valid = try ReportConsumerTests.tool([Python.executable, ReportConsumerTests.fixtures.appendingPathComponent("consumers/sarif_validate.py").path,
            ReportConsumerTests.fixtures.appendingPathComponent("schemas/sarif-schema-2.1.0.json").path, out.appendingPathComponent("findings.sarif").path])
        #expect(valid.status == 0, "\(valid.stdout)")
    }

    /// Within the limit nothing is left out and the run has no such properties.
    @Test func underTheLimitEveryFindingIsAResult() throws {
        let dir = try Self.tenant(unassigned: 40, admins: 6)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(
            ["scan", dir.appendingPathComponent("cortex-big").path, "--output", "-", "--format", "sarif", "--fail-on", "never", "--now", "2026-11-23T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        let run = (log["runs"] as? [[String: Any]])?.first ?? [:]
        #expect((run["results"] as? [[String: Any]])?.count == 41, "40 users without a role, and too many administrators")
        #expect(run["properties"] == nil)
    }
}
