import RoleAuditCatalog
import RoleAuditReports
import RoleAuditRules

/// `roleaudit rules` and `roleaudit explain`.
public enum RuleListing {
    public static func list() throws -> Tabular {
        let catalog = try RoleCatalog.bundled()
        return Tabular(
            columns: ["id", "severity", "category", "title", "seed", "frameworks"],
            rows: RuleEngine.descriptions.map { d in
                [d.id, d.defaultSeverity.rawValue, d.category.rawValue, d.title,
                 Quotation.citedLines(d.quotations(in: catalog)), d.frameworks.joined(separator: "; ")]
            },
            tableHidden: ["seed", "frameworks"])
    }

    public static func explain(_ id: String) throws -> String {
        guard let d = RuleEngine.description(of: id) else {
            throw KitError.unknownRule(id, known: RuleEngine.descriptions.map(\.id))
        }
        var out = "\(d.id)  \(d.title)\n"
        out += "Category: \(d.category.rawValue)    Default severity: \(d.defaultSeverity.rawValue)\n\n"
        out += "Why\n  \(d.rationale)\n\n"
        out += "What the vendor says\n" + d.quotations(in: try RoleCatalog.bundled()).map { "  \($0)" }.joined(separator: "\n") + "\n\n"
        out += "Frameworks\n  \(d.frameworks.joined(separator: "; "))\n\n"
        out += "Remediation\n  \(d.remediation)\n\n"
        out += "Examples that trigger it\n" + d.triggering.map { "  - \($0.name)" }.joined(separator: "\n") + "\n"
        out += "Examples that do not\n" + d.nonTriggering.map { "  - \($0.name)" }.joined(separator: "\n") + "\n"
        return out
    }
}
