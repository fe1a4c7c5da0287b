import RoleAuditModel
import RoleAuditRules

/// The principals of a scan, those with most open findings first (then by platform and key), as
/// runs of the entitlement table. The page shows the first few hundred: only those are ranked
/// in full, and no principal's grants are copied until a section writes them.
struct RankedPrincipals {
    struct Run {
        let key: String
        let platform: Platform
        let grants: Range<Int>
        let open: Int
    }

    /// The first `HTMLReportWriter.principalLimit` (or matrix rows, if more), in order.
    let top: [Run]
    /// How many principals there are.
    let count: Int

    init(_ r: ScanResult, _ table: Entitlements) {
        // A principal's grants are one run of the graph's (AccessGraph.grantRange), and the graph's
        // principals are sorted by platform and key, the ranking's tie-break: principals are ranked
        // by their ids and open counts, and a key is read only for those shown. (Runs holding
        // their keys, filtered and sorted by key, were a tenth of report.html on a million principals.)
        let graph = r.graph, principals = graph.principals, open = table.openCount
        count = principals.count
        let limit = max(HTMLReportWriter.principalLimit, HTMLReportWriter.matrixRowLimit)
        let sorted = principals.indices.dropFirst().allSatisfy { !(principals[$0] < principals[$0 - 1]) }
        var order: [Int]
        if sorted {
            order = principals.indices.filter { open[$0] > 0 }.sorted { (open[$1], $0) < (open[$0], $1) }
            var next = 0
            while order.count < limit && next < principals.count {
                if open[next] == 0 { order.append(next) }
                next += 1
            }
        } else {
            order = principals.indices.sorted { (open[$1], principals[$0]) < (open[$0], principals[$1]) }
        }
        top = order.prefix(limit).map { Run(key: principals[$0].key, platform: principals[$0].platform, grants: graph.grantRange[$0], open: Int(open[$0])) }
    }
}

/// Each principal's effective access, grant by grant, with provenance.
enum PrincipalsSection {
    static func write(_ ranked: RankedPrincipals, _ table: Entitlements, _ out: HTMLOutput) {
        let limit = HTMLReportWriter.principalLimit
        out.write("<section id=\"principals\" aria-labelledby=\"principals-h\">\n<h2 id=\"principals-h\">Principals and their effective access</h2>\n")
        out.write("<p>What each principal can do, grant by grant: the role, where, through which path, the highest risk the role carries and the export record it comes from. <code>entitlements.csv</code> has the same rows as an access-review worksheet.</p>\n")
        out.write("<p class=\"note print-only\">Printed one line per principal: open a principal before printing to print its grants (without the role's capability list). <code>entitlements.csv</code> lists every grant with its capabilities.</p>\n")
        if ranked.count > limit {
            out.write("<p class=\"note\">Showing \(limit) of \(ranked.count) principals: those with open findings first. All are in <code>entitlements.csv</code>.</p>\n")
        }
        let time = TimeText()
        for p in ranked.top.prefix(limit) {
            let who = table.principal(of: p.grants.lowerBound)
            let name: HTML = who?.name.map { " (<span dir=\"auto\">\($0)</span>)" } ?? .empty
            let open: HTML = p.open > 0 ? ", \(p.open) open finding(s)" : .empty
            out.write("<details><summary><span dir=\"auto\">\(p.key)</span>\(name) on \(p.platform.displayName): \(p.grants.count) grant(s)\(open)</summary>\n")
            if let who, who.lastLogin != .unknown { out.write("<p>Last sign-in: \(who.lastLogin.label(time))</p>\n") }
            out.write("<table>\n<thead><tr><th scope=\"col\">Role</th><th scope=\"col\">Where</th><th scope=\"col\">Via</th><th scope=\"col\">Risk</th><th scope=\"col\" class=\"caps\">Capabilities</th><th scope=\"col\">Source</th></tr></thead>\n<tbody>\n")
            for i in p.grants {
                let e = table[i]
                let status: HTML = !e.documented ? " <span class=\"note\">(\(e.roleStatus))</span>" : .empty
                out.write("<tr><td dir=\"auto\">\(e.grant.role)\(status)</td><td dir=\"auto\">\(e.scopeLabel)</td><td dir=\"auto\">\(e.via)</td>")
                out.write("<td\(HTMLReportWriter.tierClass(e.tier))>\(e.tier?.rawValue ?? "unknown")</td>")
                out.write("<td class=\"wrap caps\"><code>\(e.capabilityList)</code></td>")
                out.write("<td class=\"wrap\">\(HTMLReportWriter.source(e.grant.provenance))</td></tr>\n")
            }
            out.write("</tbody>\n</table>\n</details>\n")
        }
        out.write("</section>\n")
    }
}

/// Organizations and tenants by principal: the roles held in each cell, coloured by the highest
/// risk tier.
enum MatrixSection {
    /// A column: a Huntress account or organization, or a Cortex tenant.
    struct Place: Hashable {
        enum Kind: UInt8 { case account, organization, tenant }
        let platform: Platform
        let kind: Kind
        let target: String

        init(_ g: Grant) {
            self.init(platform: g.platform, kind: g.platform == .cortexXDR ? .tenant : g.level == .account ? .account : .organization, target: g.target)
        }

        init(platform: Platform, kind: Kind, target: String) {
            self.platform = platform
            self.kind = kind
            self.target = target
        }

        /// `Huntress organization 88101`, as the entitlement's `scopeLabel` names it.
        var label: String { "\(platform.displayName) \(heading)" }
        /// `organization 88101`: a column's heading in its platform's table.
        var heading: String { "\(kind) \(target)" }
    }

    static func write(_ ranked: RankedPrincipals, _ table: Entitlements, _ out: HTMLOutput) {
        out.write("<section id=\"matrix\" aria-labelledby=\"matrix-h\">\n<h2 id=\"matrix-h\">Access matrix: organizations and tenants by principal</h2>\n")
        out.write("<p>Each cell names the roles a principal holds there; its colour is the highest risk tier (red privileged, amber write, blue read). Account-level Huntress roles are shown under their account.</p>\n")
        // The distinct places by the graph's place ids and the grant's level (a Huntress id can be
        // an account and an organization), not a set of strings filled from every grant; each
        // label made once for the sort, not twice per comparison.
        let graph = table.graph
        var kinds = [UInt8](repeating: 0, count: graph.places.count)
        for i in graph.grants.indices {
            let kind = graph.grants[i].platform == .cortexXDR ? Place.Kind.tenant : graph.grants[i].level == .account ? .account : .organization
            kinds[Int(graph.placeOf[i])] |= 1 << kind.rawValue
        }
        var places: [(label: String, place: Place)] = []
        for (p, bits) in zip(graph.places, kinds) {
            for kind in [Place.Kind.account, .organization, .tenant] where bits & (1 << kind.rawValue) != 0 {
                let place = Place(platform: p.platform, kind: kind, target: p.id)
                places.append((place.label, place))
            }
        }
        let columns = places.sorted { $0.label < $1.label }.prefix(HTMLReportWriter.matrixColumnLimit).map(\.place)
        let rows = ranked.top.prefix(HTMLReportWriter.matrixRowLimit)
        if ranked.count > rows.count || places.count > columns.count {
            out.write("<p class=\"note\">Showing \(rows.count) of \(ranked.count) principals and \(columns.count) of \(places.count) organizations and tenants; <code>entitlements.csv</code> holds the whole matrix as rows.</p>\n")
        }
        // One table per platform: a principal of one platform holds nothing in the other's
        // tenants, so a single table was half empty and, printed, too wide for the page.
        for platform in Platform.allCases {
            let mine = columns.filter { $0.platform == platform }, who = rows.filter { $0.platform == platform }
            guard !mine.isEmpty, !who.isEmpty else { continue }
            let what: HTML = platform == .cortexXDR ? "tenant" : "account or organization"
            if mine.count > HTMLReportWriter.printedMatrixColumnLimit {
                out.write("<p class=\"note print-only\"><strong>Printed: the first \(HTMLReportWriter.printedMatrixColumnLimit) of \(mine.count) columns of \(platform.displayName)</strong>, as many as fit a page; the screen shows them all and <code>entitlements.csv</code> holds the whole matrix as rows.</p>\n")
            }
            out.write("<div class=\"matrix-wrap\">\n<table class=\"matrix\">\n<caption>\(platform.displayName): roles held, by principal and \(what)</caption>\n<thead><tr><th scope=\"col\">Principal</th>")
            for c in mine {
                let name = table.name(of: PlaceID(platform: c.platform, id: c.target))
                out.write("<th scope=\"col\" dir=\"auto\">\(name.map { "\($0) (\(c.heading))" } ?? c.heading)</th>")
            }
            out.write("</tr></thead>\n<tbody>\n")
            for p in who {
                var cells: [Place: (roles: Set<String>, tier: RiskTier?)] = [:]
                for i in p.grants {
                    let g = table.grants[i]
                    var cell = cells[Place(g)] ?? ([], nil)
                    cell.roles.insert(g.role)
                    cell.tier = [cell.tier, table.tier(of: i)].compactMap { $0 }.max()
                    cells[Place(g)] = cell
                }
                out.write("<tr><th scope=\"row\" dir=\"auto\">\(p.key)</th>")
                for c in mine {
                    if let cell = cells[c] {
                        out.write("<td\(HTMLReportWriter.tierClass(cell.tier)) dir=\"auto\">\(cell.roles.sorted().joined(separator: ", "))</td>")
                    } else {
                        out.write("<td></td>")
                    }
                }
                out.write("</tr>\n")
            }
            out.write("</tbody>\n</table>\n</div>\n")
        }
        out.write("</section>\n")
    }
}
