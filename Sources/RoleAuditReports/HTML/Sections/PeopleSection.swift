import RoleAuditGraph
import RoleAuditModel
import RoleAuditRules

/// The people who hold access under more than one account (on both consoles, or under several
/// addresses the policy's identities join), each with those accounts: the person grouping of the
/// report. Matched where every stage matches a person (Sources/RoleAuditGraph/People.swift).
enum PeopleSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        let graph = r.graph
        struct Held { var accounts: [PrincipalID] = []; var grants = 0 }
        var people: [String: Held] = [:]
        for i in graph.principals.indices {
            let id = graph.principals[i]
            let record = graph.recordOf[i] >= 0 ? graph.records[Int(graph.recordOf[i])] : nil
            guard let person = graph.people.person(of: id, record: record) else { continue }
            people[person, default: Held()].accounts.append(id)
            people[person, default: Held()].grants += graph.grantRange[i].count
        }
        var open: [PrincipalID: Int] = [:]
        for f in r.findings where f.isOpen { if let p = f.principal { open[PrincipalID(platform: f.platform, key: p), default: 0] += 1 } }
        let several = people.filter { $0.value.accounts.count > 1 }.sorted { $0.key < $1.key }
        out.write("<section id=\"people\" aria-labelledby=\"people-h\">\n<h2 id=\"people-h\">People with access under several accounts</h2>\n")
        out.write("<p>One person across both consoles: matched by email, ignoring case, and by the policy's <code>identities</code>. <code>entitlements.csv</code> names the person of every grant in its <code>person</code> column; <code>roleaudit inspect --person EMAIL</code> shows one person's access and findings.</p>\n")
        guard !several.isEmpty else {
            out.write("<p>Nobody holds access under more than one account.</p>\n</section>\n")
            return
        }
        let limit = HTMLReportWriter.principalLimit
        if several.count > limit { out.write("<p class=\"note\">Showing \(limit) of \(several.count) people.</p>\n") }
        out.write("<table>\n<thead><tr><th scope=\"col\">Person</th><th scope=\"col\">Accounts</th><th scope=\"col\">Grants</th><th scope=\"col\">Open findings</th></tr></thead>\n<tbody>\n")
        for (person, held) in several.prefix(limit) {
            let accounts = held.accounts.sorted().map { "\($0.platform.displayName) \($0.key)" }.joined(separator: "; ")
            let findings = held.accounts.reduce(0) { $0 + (open[$1] ?? 0) }
            out.write("<tr><th scope=\"row\" dir=\"auto\">\(person)</th><td class=\"wrap\" dir=\"auto\">\(accounts)</td><td>\(held.grants)</td><td>\(findings)</td></tr>\n")
        }
        out.write("</tbody>\n</table>\n</section>\n")
    }
}
