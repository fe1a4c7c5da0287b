import Foundation
import RoleAuditModel
import RoleAuditRules

/// `junit.xml`: a suite per rule, a failing case per open finding, a skipped case per waived one
/// (with the waiver's reason), and one passing case for a rule that found nothing.
///
/// The shape is the intersection of the two schemas CI servers hold JUnit to (Jenkins xUnit's
/// junit-10.xsd and the strict Ant schema): no attributes on `<testsuites>`; `package` and `id`
/// on each suite; `properties`, `system-out` and `system-err` always present, in that order; a
/// zone-less timestamp and times with three decimals. GitLab rejects a whole report whose
/// `failure@type` is `yaml` or `symbol`, so the type is always a severity word. XML is written by
/// hand because the format is this small and its escaping is the part that matters (see `Text`).
public enum JUnitReportWriter: ReportWriter {
    public static func render(_ r: ScanResult, context: ReportContext) throws -> [(name: String, data: Data)] {
        [("junit.xml", Data(document(r, context).utf8))]
    }

    static func document(_ r: ScanResult, _ context: ReportContext) -> String {
        var byRule: [String: [Finding]] = [:]
        for f in r.findings { byRule[f.ruleID, default: []].append(f) }
        let enabled = Set(r.rules.map(\.id))
        // Zone-less, as the Ant schema wants; the scan's clock is UTC.
        let timestamp = String(context.generatedAt.iso8601.prefix(19))
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        // Built-in rules in id order, then the policy's own conflicts (reported under their ids).
        let custom = Set(r.findings.map(\.ruleID)).subtracting(RuleEngine.descriptions.map(\.id)).sorted()
        let suites: [(id: String, title: String, category: String, d: RuleDescription?)] =
            RuleEngine.descriptions.map { ($0.id, $0.title, $0.category.rawValue, $0) }
            + custom.map { id in (id, "Policy conflict \(id)", RuleCategory.separationOfDuties.rawValue, nil) }
        for (index, suite) in suites.enumerated() {
            let findings = byRule[suite.id] ?? []
            let classname = "roleaudit.\(suite.category).\(suite.id)"
            var cases: [String] = []
            var names: Set<String> = []
            var failures = 0, skipped = 0
            if let d = suite.d, !enabled.contains(d.id) {
                skipped += 1
                cases.append(testcase(classname, "\(d.id) \(d.title)", "<skipped message=\"disabled in the policy\"/>"))
            } else if findings.isEmpty {
                cases.append(testcase(classname, "\(suite.id) \(suite.title): no finding", nil))
            }
            for f in findings {
                // Unique and stable: built from what the fingerprint is built from; if two findings
                // still print alike (names differing only in invisible characters), the fingerprint
                // tells them apart.
                var name = Text.oneLine(subject(f), limit: 300)
                if !names.insert(name).inserted {
                    name += " [\(f.fingerprint)]"
                    names.insert(name)
                }
                let body: String
                if let reason = r.suppression(of: f) {
                    skipped += 1
                    body = "<skipped message=\"\(Text.xmlEscaped(Text.oneLine(reason), attribute: true))\"/>"
                } else {
                    failures += 1
                    body = "<failure message=\"\(Text.xmlEscaped(Text.oneLine(f.message), attribute: true))\" type=\"\(f.severity.rawValue)\">"
                        + Text.xmlEscaped(details(f, r)) + "</failure>"
                }
                cases.append(testcase(classname, name, body))
            }
            x += "  <testsuite package=\"roleaudit\" id=\"\(index)\" name=\"\(Text.xmlEscaped("\(suite.id) \(suite.title)", attribute: true))\""
                + " tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"0.000\""
                + " timestamp=\"\(timestamp)\" hostname=\"roleaudit\">\n"
            x += "    <properties>\n"
            var properties = [("rule", suite.id), ("category", suite.category), ("tool", "roleaudit \(context.toolVersion)"), ("catalog", r.catalogVersion)]
            if let d = suite.d {
                properties.append(("severity", r.policy.severity(of: d.id, default: d.defaultSeverity).rawValue))
                properties += d.seed.map { ("seed", "\($0.document):\($0.line) \"\($0.quote)\"") }
                properties += d.frameworks.map { ("framework", $0) }
            }
            for (name, value) in properties {
                x += "      <property name=\"\(Text.xmlEscaped(name, attribute: true))\" value=\"\(Text.xmlEscaped(value, attribute: true))\"/>\n"
            }
            x += "    </properties>\n"
            x += cases.joined()
            x += "    <system-out>\(Text.xmlEscaped(suite.d.map { "\($0.rationale)\nRemediation: \($0.remediation)" } ?? ""))</system-out>\n"
            x += "    <system-err/>\n  </testsuite>\n"
        }
        return x + "</testsuites>\n"
    }

    static func testcase(_ classname: String, _ name: String, _ body: String?) -> String {
        let open = "    <testcase classname=\"\(Text.xmlEscaped(classname, attribute: true))\" name=\"\(Text.xmlEscaped(name, attribute: true))\" time=\"0.000\""
        guard let body else { return open + "/>\n" }
        return open + ">\n      " + body + "\n    </testcase>\n"
    }

    /// The platform, scope, principal and role a finding is about: what its fingerprint hashes.
    static func subject(_ f: Finding) -> String {
        ([f.platform.rawValue, f.scope] + [f.principal, f.role].compactMap { $0 }).joined(separator: " · ")
    }

    /// The failure's body: the message, the evidence with where each piece comes from, what the
    /// finding assumes, and the fingerprint (for waivers and baselines).
    static func details(_ f: Finding, _ r: ScanResult) -> String {
        var lines = [f.message, ""]
        lines += f.evidence.map { "- " + $0.withSource }
        if !f.assumptions.isEmpty { lines += [""] + f.assumptions.map { "Assumes: \($0)" } }
        lines += ["", "Fingerprint: \(f.fingerprint)"]
        return lines.joined(separator: "\n")
    }
}
