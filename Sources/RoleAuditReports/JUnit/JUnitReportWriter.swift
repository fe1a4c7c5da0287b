import Foundation
import RoleAuditCatalog
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
/// hand, streamed through `XMLOutput`, because the format is this small and its escaping is the
/// part that matters.
public enum JUnitReportWriter: ReportWriter {
    public static func write(_ input: ReportInput, to folder: ReportFolder) throws {
        try folder.write("junit.xml") { document(input.result, input.context, XMLOutput($0)) }
    }

    static func document(_ r: ScanResult, _ context: ReportContext, _ x: XMLOutput) {
        // Indices, not copies: a copy of a finding retains every string it holds.
        var byRule: [String: [Int]] = [:]
        for i in r.findings.indices { byRule[r.findings[i].ruleID, default: []].append(i) }
        let enabled = Set(r.rules.map(\.id))
        // Zone-less, as the Ant schema wants; the scan's clock is UTC.
        let timestamp = String(context.generatedAt.iso8601.prefix(19))
        x.markup("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n")
        // Built-in rules in id order, then the policy's own conflicts (reported under their ids).
        let custom = Set(r.findings.map(\.ruleID)).subtracting(RuleEngine.descriptions.map(\.id)).sorted()
        let suites: [(id: String, title: String, category: String, d: RuleDescription?)] =
            RuleEngine.descriptions.map { ($0.id, $0.title, $0.category.rawValue, $0) }
            + custom.map { id in (id, "Policy conflict \(id)", RuleCategory.separationOfDuties.rawValue, nil) }
        for (index, suite) in suites.enumerated() {
            let at = byRule[suite.id] ?? []
            let findings = at.lazy.map { r.findings[$0] }
            let classname = "roleaudit.\(suite.category).\(suite.id)"
            let disabled = suite.d.map { !enabled.contains($0.id) } ?? false
            // A rule that saw none of the data it needs is a skipped case, never a passing one.
            let state = r.state(of: suite.id)
            let unevaluated = !disabled && findings.isEmpty && state?.kind == .notEvaluated
            // The suite's counts come first in the document: count, then write.
            let suppressed = at.count { !r.findings[$0].isOpen }
            let tests = findings.count + (disabled || findings.isEmpty ? 1 : 0)
            x.markup("  <testsuite package=\"roleaudit\" id=\"")
            x.number(index)
            x.markup("\" name=\"")
            x.attribute("\(suite.id) \(suite.title)")
            x.markup("\" tests=\"")
            x.number(tests)
            x.markup("\" failures=\"")
            x.number(findings.count - suppressed)
            x.markup("\" errors=\"0\" skipped=\"")
            x.number(suppressed + (disabled || unevaluated ? 1 : 0))
            x.markup("\" time=\"0.000\" timestamp=\"")
            x.attribute(timestamp)
            x.markup("\" hostname=\"roleaudit\">\n    <properties>\n")
            var properties = [("rule", suite.id), ("category", suite.category), ("tool", "roleaudit \(context.toolVersion)"), ("catalog", r.catalogVersion)]
            if let d = suite.d {
                properties.append(("severity", r.policy.severity(of: d.id, default: d.defaultSeverity).rawValue))
                properties += d.quotations(in: r.catalog).map { ("seed", $0.description) }
                properties += d.frameworks.map { ("framework", $0) }
            }
            for (name, value) in properties {
                x.markup("      <property name=\"")
                x.attribute(name)
                x.markup("\" value=\"")
                x.attribute(value)
                x.markup("\"/>\n")
            }
            x.markup("    </properties>\n")
            if let d = suite.d, disabled {
                testcase(x, classname, "\(d.id) \(d.title)") { x.markup("<skipped message=\"disabled in the policy\"/>") }
            } else if let state, unevaluated {
                testcase(x, classname, "\(suite.id) \(suite.title): not evaluated") {
                    x.markup("<skipped message=\"")
                    x.attribute(Text.oneLine(state.label))
                    x.markup("\"/>")
                }
            } else if findings.isEmpty {
                // Evaluated on part of the data only: the case's name says where it was not.
                let partial = state?.reason.map { " (\($0))" } ?? ""
                testcase(x, classname, Text.oneLine("\(suite.id) \(suite.title): no finding\(partial)", limit: 600), nil)
            }
            var names = TestNames()
            for f in findings {
                // Unique and stable: built from what the fingerprint is built from; if two findings
                // still print alike (names differing only in invisible characters), the fingerprint
                // tells them apart.
                var name = Text.oneLine(subject(f), limit: 300)
                if !names.insert(name) {
                    name += " [\(f.fingerprint)]"
                    _ = names.insert(name)
                }
                // Decided before the case's closure, which would otherwise carry a copy of the
                // whole scan result per finding (a sixth of this writer).
                let suppression = r.suppression(of: f)
                testcase(x, classname, name) {
                    if let reason = suppression {
                        x.markup("<skipped message=\"")
                        x.attribute(Text.oneLine(reason))
                        x.markup("\"/>")
                    } else {
                        x.markup("<failure message=\"")
                        x.attribute(Text.oneLine(f.message))
                        x.markup("\" type=\"")
                        x.attribute(f.severity.rawValue)
                        x.markup("\">")
                        details(f, x)
                        x.markup("</failure>")
                    }
                }
            }
            x.markup("    <system-out>")
            x.text(suite.d.map { "\($0.rationale)\nRemediation: \($0.remediation)" } ?? "")
            x.markup("</system-out>\n    <system-err/>\n  </testsuite>\n")
        }
        x.markup("</testsuites>\n")
    }

    /// The test names used in a suite, equal when Swift's strings are (canonically equivalent).
    /// Names are mostly ASCII with ` · ` between their parts; such a name is in normal form, so two
    /// of them are equivalent exactly when their bytes are, and they are kept by their bytes: a
    /// `Set<String>` normalises every non-ASCII name to hash it (a third of this writer on a large
    /// scan). The first name with anything else turns the set into a `Set<String>` of all names.
    struct TestNames {
        private var plain = Set<Bytes>()
        private var strings: Set<String>?

        /// Hashed and compared by UTF-8 bytes.
        private struct Bytes: Hashable {
            var text: String
            func hash(into h: inout Hasher) {
                var text = text
                text.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
            }
            static func == (a: Bytes, b: Bytes) -> Bool {
                var (a, b) = (a.text, b.text)
                return a.withUTF8 { p in
                    b.withUTF8 { q in
                        guard p.count == q.count else { return false }
                        guard let x = p.baseAddress, let y = q.baseAddress else { return true }
                        return memcmp(x, y, p.count) == 0
                    }
                }
            }
        }

        /// Whether every character is ASCII or U+00B7 MIDDLE DOT (C2 B7): characters that no
        /// normalisation changes and that combine with nothing.
        private static func isPlain(_ name: String) -> Bool {
            var name = name
            return name.withUTF8 { p in
                var i = 0
                while i < p.count {
                    if p[i] < 0x80 {
                        i += 1
                    } else if p[i] == 0xC2, i + 1 < p.count, p[i + 1] == 0xB7 {
                        i += 2
                    } else {
                        return false
                    }
                }
                return true
            }
        }

        /// Adds `name`; false when an equal one is there already.
        mutating func insert(_ name: String) -> Bool {
            if strings == nil, Self.isPlain(name) { return plain.insert(Bytes(text: name)).inserted }
            // Taken out while it changes, so that the insert does not copy it.
            var all = strings ?? Set(plain.map(\.text))
            strings = nil
            defer { strings = all }
            return all.insert(name).inserted
        }
    }

    static func testcase(_ x: XMLOutput, _ classname: String, _ name: String, _ body: (() -> Void)?) {
        x.markup("    <testcase classname=\"")
        x.attribute(classname)
        x.markup("\" name=\"")
        x.attribute(name)
        x.markup("\" time=\"0.000\"")
        guard let body else {
            x.markup("/>\n")
            return
        }
        x.markup(">\n      ")
        body()
        x.markup("\n    </testcase>\n")
    }

    /// The platform, scope, principal, role and subject a finding is about: what its fingerprint hashes.
    static func subject(_ f: Finding) -> String {
        ([f.platform.rawValue, f.scope] + [f.principal, f.role, f.subject].compactMap { $0 }).joined(separator: " · ")
    }

    /// The failure's body: the message, the evidence with where each piece comes from, what the
    /// finding assumes, and the fingerprint (for waivers and baselines).
    static func details(_ f: Finding, _ x: XMLOutput) {
        x.text(f.message)
        x.markup("\n")
        for e in f.evidence {
            x.markup("\n- ")
            e.writeWithSource { x.text($0) }
        }
        if !f.assumptions.isEmpty {
            x.markup("\n")
            for a in f.assumptions {
                x.markup("\nAssumes: ")
                x.text(a)
            }
        }
        x.markup("\n\nFingerprint: ")
        x.text(f.fingerprint)
    }
}
