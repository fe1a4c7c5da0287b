import RoleAuditGraph
import RoleAuditModel
import RoleAuditRules

/// The people who hold access under more than one account (on both consoles, or under several
/// addresses the policy's identities join), each with those accounts: the person grouping of the
/// report. Matched where every stage matches a person (Sources/RoleAuditGraph/People.swift).
enum PeopleSection {
    static func write(_ r: ScanResult, _ out: HTMLOutput) {
        let graph = r.graph
        let principals = graph.principals
        // On one platform, without the policy's identities, principals whose person is their own
        // key (a lower-cased address) are different people, keys being unique: when all are, nobody
        // has several accounts, and the dictionary of a million addresses below is not needed (it
        // was most of this section's time).
        if graph.people.identities.isEmpty, let first = principals.first, let last = principals.last, first.platform == last.platform,
            principals.indices.allSatisfy({ i in graph.person(ofPrincipal: i).map { $0 == principals[i].key } ?? true })
        {
            write([], open: [:], out)
            return
        }
        struct Held { var accounts: [PrincipalID] = []; var grants = 0 }
        // Most people hold one account: each is remembered by its first principal only, and a
        // person's accounts are gathered once a second one appears (an array per person, for a
        // million people, took most of the report's time).
        var firstOf: [String: Int] = [:]
        firstOf.reserveCapacity(graph.principals.count)
        var people: [String: Held] = [:]
        for i in graph.principals.indices {
            let id = graph.principals[i]
            guard let person = graph.person(ofPrincipal: i) else { continue }
            guard let first = firstOf[person] else {
                firstOf[person] = i
                continue
            }
            if people[person] == nil { people[person] = Held(accounts: [graph.principals[first]], grants: graph.grantRange[first].count) }
            people[person]?.accounts.append(id)
            people[person]?.grants += graph.grantRange[i].count
        }
        let named = Set(people.values.flatMap(\.accounts))
        var open: [PrincipalID: Int] = [:]
        if !named.isEmpty {
            for f in r.findings where f.isOpen {
                if let p = f.principal, case let id = PrincipalID(platform: f.platform, key: p), named.contains(id) { open[id, default: 0] += 1 }
            }
        }
        write(people.filter { $0.value.accounts.count > 1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.accounts, $0.value.grants) }, open: open, out)
    }

    private static func write(_ several: [(person: String, accounts: [PrincipalID], grants: Int)], open: [PrincipalID: Int], _ out: HTMLOutput) {
        out.write("<section id=\"people\" aria-labelledby=\"people-h\">\n<h2 id=\"people-h\">People with access under several accounts</h2>\n")
        out.write("<p>One person across both consoles: matched by email, ignoring case, and by the policy's <code>identities</code>. <code>entitlements.csv</code> names the person of every grant in its <code>person</code> column; <code>roleaudit inspect --person EMAIL</code> shows one person's access and findings.</p>\n")
        guard !several.isEmpty else {
            out.write("<p>Nobody holds access under more than one account.</p>\n</section>\n")
            return
        }
        let limit = HTMLReportWriter.principalLimit
        if several.count > limit { out.write("<p class=\"note\">Showing \(limit) of \(several.count) people.</p>\n") }
        out.write("<table>\n<thead><tr><th scope=\"col\">Person</th><th scope=\"col\">Accounts</th><th scope=\"col\">Grants</th><th scope=\"col\">Open findings</th></tr></thead>\n<tbody>\n")
        for (person, held, grants) in several.prefix(limit) {
            let accounts = held.sorted().map { "\($0.platform.displayName) \($0.key)" }.joined(separator: "; ")
            let findings = held.reduce(0) { $0 + (open[$1] ?? 0) }
            out.write("<tr><th scope=\"row\" dir=\"auto\">\(person)</th><td class=\"wrap\" dir=\"auto\">\(accounts)</td><td>\(grants)</td><td>\(findings)</td></tr>\n")
        }
        out.write("</tbody>\n</table>\n</section>\n")
    }
}
