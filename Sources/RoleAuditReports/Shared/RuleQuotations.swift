import RoleAuditCatalog
import RoleAuditRules

extension RuleDescription {
    /// The vendor's words the rule rests on, as every report quotes them: whole sentences, each
    /// once, the document by title and address (`RoleCatalog.quotations(of:)`).
    public func quotations(in catalog: RoleCatalog) -> [Quotation] {
        catalog.quotations(of: seed.map { ($0.document, $0.line, $0.quote) })
    }
}
