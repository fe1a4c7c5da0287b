import Foundation
import RoleAuditRules
import Testing

/// The registry (`RuleEngine.builtIn`), the README's rule table and the rule files agree: a rule
/// missing from any of them is a rule nobody runs, nobody reads about, or nobody can find.
struct RegistryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Row: Equatable {
        let id: String
        let title: String
        let severity: String
    }

    /// The rows of the README's "Rules (stable ids)" table.
    static func readmeRows() throws -> [Row] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Rules (stable ids)").dropFirst().first)
        let table = section.components(separatedBy: "\n\n").first { $0.contains("| id | title | default severity |") } ?? ""
        return table.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, cells[1].range(of: #"^[A-Z]+-\d{3}$"#, options: .regularExpression) != nil else { return nil }
            return Row(id: cells[1], title: cells[2], severity: cells[3])
        }
    }

    @Test func everyReadmeRowIsARegisteredRuleAndEveryRuleHasARow() throws {
        let rows = try Self.readmeRows()
        let registered = RuleEngine.descriptions
        #expect(rows.count >= 26, "the README's rule table was not found or lost rows")
        #expect(rows.map(\.id) == registered.map(\.id), "README rows and RuleEngine.builtIn differ (or are in another order)")
        for d in registered {
            guard let row = rows.first(where: { $0.id == d.id }) else { continue }
            #expect(row.severity == d.defaultSeverity.rawValue, "\(d.id): README says \(row.severity), the rule \(d.defaultSeverity.rawValue)")
            #expect(row.title.hasPrefix(d.title), "\(d.id): README title '\(row.title)' does not start with '\(d.title)'")
        }
    }

    /// Each rule type lives in `Sources/RoleAuditRules/Rules/<Category>/<ID><Name>.swift`, named after
    /// its id, so that a newcomer finds any rule from the folder names alone.
    @Test func everyRuleIsItsOwnFileNamedAfterItsId() throws {
        let folders: [RuleCategory: String] = [
            .leastPrivilege: "LeastPrivilege", .separationOfDuties: "SeparationOfDuties", .isolation: "Isolation",
            .catalog: "CatalogConformance", .hygiene: "Hygiene", .escalation: "Escalation", .people: "People",
        ]
        for rule in RuleEngine.builtIn {
            let d = rule.description
            let type = String(describing: rule)
            #expect(type.hasPrefix(d.id.replacingOccurrences(of: "-", with: "")), "\(type) does not start with \(d.id)")
            let folder = try #require(folders[d.category])
            let file = Self.root.appendingPathComponent("Sources/RoleAuditRules/Rules/\(folder)/\(type).swift")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("public struct \(type): Rule"), "\(file.path) does not define \(type)")
            let others = text.components(separatedBy: ": Rule {").count - 1
            #expect(others == 1, "\(file.lastPathComponent) defines \(others) rules")
        }
    }
}
