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
        var runs: [Run] = []
        var start = 0
        let grants = table.grants
        while start < grants.count {
            let g = grants[start]
            var end = start + 1
            while end < grants.count && !table.startsPrincipal(end) { end += 1 }
            runs.append(Run(key: g.principal, platform: g.platform, grants: start..<end, open: table.openFindings(ofGrant: start)))
            start = end
        }
        count = runs.count
        let limit = max(HTMLReportWriter.principalLimit, HTMLReportWriter.matrixRowLimit)
        let before: (Run, Run) -> Bool = { ($1.open, $0.platform, $0.key) < ($0.open, $1.platform, $1.key) }
        var top = runs.filter { $0.open > 0 }.sorted(by: before)
        if top.count < limit {
            // Principals without findings come in the snapshot's order, which is theirs already
            // unless the snapshot says otherwise: checked in one pass rather than sorted.
            var rest = runs.filter { $0.open == 0 }
            if zip(rest, rest.dropFirst()).contains(where: { before($1, $0) }) { rest.sort(by: before) }
            top += rest.prefix(limit - top.count)
        }
        self.top = Array(top.prefix(limit))
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
                let status: HTML = e.documented == nil ? " <span class=\"note\">(\(e.roleStatus))</span>" : .empty
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
            platform = g.platform
            kind = g.platform == .cortexXDR ? .tenant : g.level == .account ? .account : .organization
            target = g.target
        }

        /// `Huntress organization 88101`, as the entitlement's `scopeLabel` names it.
        var label: String { "\(platform.displayName) \(heading)" }
        /// `organization 88101`: a column's heading in its platform's table.
        var heading: String { "\(kind) \(target)" }
    }

    static func write(_ ranked: RankedPrincipals, _ table: Entitlements, _ out: HTMLOutput) {
        out.write("<section id=\"matrix\" aria-labelledby=\"matrix-h\">\n<h2 id=\"matrix-h\">Access matrix: organizations and tenants by principal</h2>\n")
        out.write("<p>Each cell names the roles a principal holds there; its colour is the highest risk tier (red privileged, amber write, blue read). Account-level Huntress roles are shown under their account.</p>\n")
        var places = Set<Place>()
        for g in table.grants { places.insert(Place(g)) }
        let columns = places.sorted { $0.label < $1.label }.prefix(HTMLReportWriter.matrixColumnLimit)
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
