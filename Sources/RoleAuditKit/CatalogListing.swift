import RoleAuditCatalog
import RoleAuditModel
import RoleAuditReports

/// What `roleaudit catalog` prints: one row per (platform, level, role, capability, grant, source).
public struct CatalogListing: Sendable {
    public static let columns = [
        "platform", "level", "role", "capability", "tier", "grant", "limit", "basis", "ambiguous", "source",
        "quote", "alternative", "note", "passage",
    ]

    public let catalog: RoleCatalog

    public init(catalog: RoleCatalog) { self.catalog = catalog }

    /// Rows for the roles of `platform` (all when nil), narrowed to roles named `role` (any level).
    public func rows(platform: Platform?, role: String?) throws -> Tabular {
        var roles = catalog.roles.filter { platform == nil || $0.platform == platform }
        if let role {
            roles = roles.filter { $0.isNamed(role) }
            guard !roles.isEmpty else {
                let known = Set(catalog.roles.filter { platform == nil || $0.platform == platform }.map(\.name)).sorted()
                throw KitError.unknownRole(role, known: known)
            }
        }
        var rows: [[String]] = []
        for r in roles.sorted(by: Self.order) {
            for g in r.grants {
                let alternative = g.alternative.map { alt in
                    "\(alt.grant.rawValue) per " + catalog.quotations(of: alt.citations).map(\.description).joined(separator: "; ")
                        + (alt.note.map { " (\($0))" } ?? "")
                } ?? ""
                let note = [g.inheritedFrom.map { "inherited from \($0)" }, g.note].compactMap { $0 }.joined(separator: "; ")
                // The vendor's words whole and the document by title and address (Quotation);
                // the line stays in `source` for a reader to check them against the seed.
                for q in catalog.quotations(of: g.citations) {
                    rows.append([
                        r.platform.rawValue, r.level.rawValue, r.name, g.capability.rawValue,
                        catalog.tier(of: g.capability)?.rawValue ?? "", g.kind.rawValue, g.limit ?? "", g.basis.rawValue,
                        g.isAmbiguous ? "yes" : "", q.source, q.text, alternative, note, g.passage ?? "",
                    ])
                }
            }
        }
        return Tabular(columns: Self.columns, rows: rows, tableHidden: ["quote", "alternative", "note"])
    }

    public static let passageColumns = ["passage", "platform", "reading", "lines", "cells", "says", "title", "how"]

    /// `roleaudit catalog --passages`: every contested passage of the seeds, one row per reading
    /// (the broader one is what the catalog assumes), with the number of cells resting on it.
    public func passages(platform: Platform?) -> Tabular {
        var rows: [[String]] = []
        for p in catalog.passages where platform == nil || p.platform == platform {
            for r in p.readings {
                let lines = Dictionary(grouping: r.citations, by: \.document).sorted { $0.key < $1.key }
                    .map { doc, cites in doc + ":" + Set(cites.map(\.line)).sorted().map(String.init).joined(separator: ", ") }
                rows.append([
                    p.id, p.platform.rawValue, r.label + (r.label == "broader" ? " (assumed)" : ""), lines.joined(separator: "; "),
                    String(p.cells.count), r.says, p.title, p.how,
                ])
            }
        }
        return Tabular(columns: Self.passageColumns, rows: rows, tableHidden: ["title", "how"])
    }

    /// Platform, then level (account before organization / tenant), then the seed's own order.
    static func order(_ a: CatalogRole, _ b: CatalogRole) -> Bool {
        if a.platform != b.platform { return a.platform < b.platform }
        if a.level != b.level { return a.level < b.level }
        return (a.citations.first?.line ?? 0) < (b.citations.first?.line ?? 0)
    }
}
