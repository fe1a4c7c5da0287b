import Foundation
import Testing

/// Honest rule states through the executable (issue 14 B): scanning the Huntress sample alone,
/// the last-login rules are "not evaluated" in every report, never "passed", and the reports that
/// say so still satisfy their consumers (both JUnit schemas, junitparser, the SARIF schema).
@Suite struct RuleStateReportTests {
    static let root = CommittedReportsTests.root
    static let fixtures = root.appendingPathComponent("Tests/CLITests/Fixtures")

    static func scan(_ inputs: [String]) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-states-\(UUID().uuidString)")
        let r = try Executable.run(
            ["scan"] + inputs + ["--output", out.path, "--format", "html,junit,json,sarif", "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            in: root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Not evaluated: LP-002, LP-003"), "\(r.stdout)")
        return out
    }

    static func rules(_ dir: URL) throws -> [String: [String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("findings.json"))) as? [String: Any]
        let rules = json?["rules"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0) })
    }

    @Test func huntressAloneSaysNotEvaluatedInEveryReport() throws {
        let dir = try Self.scan(["samples/huntress"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = try Self.rules(dir)
        for id in ["LP-002", "LP-003"] {
            #expect(rules[id]?["state"] as? String == "not-evaluated")
            #expect((rules[id]?["reason"] as? String)?.contains("last-login") == true)
        }
        #expect(rules.values.allSatisfy { ["passed", "failed", "disabled", "not-evaluated"].contains($0["state"] as? String ?? "") })

        let junit = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("name=\"LP-002 Dormant privileged user: not evaluated\""))
        #expect(junit.contains("<skipped message=\"not evaluated: no export in the scan carries last-login data"))
        #expect(!junit.contains("LP-002 Dormant privileged user: no finding"))
        for schema in ["junit-jenkins-xunit-10.xsd", "junit-windyroad-ant.xsd"] {
            let r = try ReportConsumerTests.tool([
                "xmllint", "--noout", "--schema", Self.fixtures.appendingPathComponent("schemas/\(schema)").path, dir.appendingPathComponent("junit.xml").path,
            ])
            #expect(r.status == 0, "\(schema): \(r.stderr)")
        }
        let counts = try ReportConsumerTests.tool([
            Python.executable, Self.fixtures.appendingPathComponent("consumers/junit_counts.py").path, dir.appendingPathComponent("junit.xml").path,
        ])
        #expect(counts.status == 0, "\(counts.stdout)")

        let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("findings.sarif"))) as? [String: Any]
        let run = (sarif?["runs"] as? [[String: Any]])?.first
        let notes = ((run?["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]]) ?? []
        let lp002 = notes.first { ($0["associatedRule"] as? [String: Any])?["id"] as? String == "LP-002" }
        #expect(((lp002?["message"] as? [String: Any])?["text"] as? String)?.hasPrefix("LP-002 not evaluated: ") == true)
        let valid = try ReportConsumerTests.tool([
            Python.executable, Self.fixtures.appendingPathComponent("consumers/sarif_validate.py").path,
            Self.fixtures.appendingPathComponent("schemas/sarif-schema-2.1.0.json").path, dir.appendingPathComponent("findings.sarif").path,
        ])
        #expect(valid.status == 0, "\(valid.stdout)")

        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        let section = try #require(html.range(of: "id=\"rule-LP-002\"").map { String(html[$0.upperBound...].prefix(4000)) })
        let end = section.range(of: "</section>").map { String(section[..<$0.lowerBound]) } ?? section
        #expect(end.contains("<strong>Not evaluated</strong>: no export in the scan carries last-login data"), "\(end)")
        #expect(!end.contains("No finding."))
    }

    /// With the samples' Cortex tenants the last-login rules ran, but not on the Huntress account:
    /// the state says which.
    @Test func samplesEvaluateTheLastLoginRulesInPart() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-states-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--output", out.path, "--format", "json", "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"],
            in: Self.root)
        #expect(r.status == 0, "\(r.stderr)")
        let rules = try Self.rules(out)
        for id in ["LP-002", "LP-003"] {
            #expect(["passed", "failed"].contains(rules[id]?["state"] as? String ?? ""))
            let reason = rules[id]?["reason"] as? String ?? ""
            #expect(reason.contains("Huntress account"), "\(reason)")
        }
    }
}
