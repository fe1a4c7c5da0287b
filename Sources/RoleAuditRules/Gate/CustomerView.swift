import Foundation
import RoleAuditGraph
import RoleAuditModel

/// One customer's part of a scan, as the gate restricts it: what a per-customer report reads.
public struct CustomerView: Sendable {
    public let customer: Customer
    /// The scan restricted to the customer: its places, the grants that reach them, the people who
    /// hold those grants, the findings about them (text from the whole scan scrubbed of other
    /// customers), with summary and coverage computed for the customer alone.
    public let result: ScanResult
    /// How many principals can reach the customer (its own people and the MSP's).
    public let principals: Int
}

extension Gate {
    /// Every customer's view of `result` (see `CustomerMap` for what a customer is), by name.
    public static func customers(_ result: ScanResult) -> [CustomerView] {
        let map = result.graph.customers
        // Grants bucketed by customer in one pass: an account-level role lands in every customer
        // under its account.
        var index: [String: Int] = [:]
        var underAccount: [String: [Int]] = [:]
        for (i, c) in map.all.enumerated() {
            index[c.name] = i
            for a in c.accounts { underAccount[a, default: []].append(i) }
        }
        var grantsOf = Array(repeating: [Grant](), count: map.all.count)
        for g in result.snapshot.grants {
            if g.platform == .huntress && g.level == .account {
                for i in underAccount[g.target] ?? [] { grantsOf[i].append(g) }
            } else if g.level != .account, let name = map.customer(ofPlace: PlaceID(platform: g.platform, id: g.target)), let i = index[name] {
                grantsOf[i].append(g)
            }
        }
        let domains = DomainModel(grants: result.graph.grants, policy: result.policy)
        let names = Scrubber.Names(result, map: map)
        let s = result.snapshot
        // Which customers each organization, tenant, account and input scope is: every record is
        // then handed to its customers in one pass, and no customer reads the whole scan.
        var organizationOwners: [String: [Int]] = [:], tenantOwners: [String: [Int]] = [:], scopeOwners: [String: [Int]] = [:]
        for (i, c) in map.all.enumerated() {
            for o in Set(c.organizations) { organizationOwners[o, default: []].append(i) }
            for t in Set(c.tenants) { tenantOwners[t, default: []].append(i) }
            for x in Set(c.tenants).union(c.accounts) { scopeOwners[x, default: []].append(i) }
        }
        // Record indices per customer, ascending (records in the whole scan's order).
        func bucket<T>(_ xs: [T], _ owners: (T) -> [Int]) -> [[Int]] {
            var out = Array(repeating: [Int](), count: map.all.count)
            for (k, x) in xs.enumerated() { for i in owners(x) where out[i].last != k { out[i].append(k) } }
            return out
        }
        let allCustomers = Array(map.all.indices)
        // A customer's inputs: every source at a path one of its scopes' sources has.
        var filesOf = bucket(s.sources) { $0.scope.flatMap { scopeOwners[$0] } ?? [] }.map { Set($0.map { s.sources[$0].path }) }
        var pathOwners: [String: [Int]] = [:]
        for (i, files) in filesOf.enumerated() { for f in files { pathOwners[f, default: []].append(i) } }
        let sourcesOf = bucket(s.sources) { pathOwners[$0.path] ?? [] }
        var peopleOf = grantsOf.map { Set($0.map { PrincipalID(platform: $0.platform, key: $0.principal) }) }
        let holders = Set(result.snapshot.grants.map { PrincipalID(platform: $0.platform, key: $0.principal) })
        // A Cortex user with no role belongs to the tenant whose export lists them.
        var customersOfFile: [String: [Int]] = [:]
        for (i, c) in map.all.enumerated() where !c.tenants.isEmpty {
            for f in filesOf[i] { customersOfFile[f, default: []].append(i) }
        }
        for p in s.principals where p.platform == .cortexXDR && !holders.contains(PrincipalID(platform: p.platform, key: p.key)) {
            guard let f = p.source?.file else { continue }
            for i in customersOfFile[f] ?? [] { peopleOf[i].insert(PrincipalID(platform: p.platform, key: p.key)) }
        }
        filesOf = []
        var peopleOwners: [PrincipalID: [Int]] = [:]
        for (i, people) in peopleOf.enumerated() { for p in people { peopleOwners[p, default: []].append(i) } }
        var recordIndex: [PrincipalID: Int] = [:]
        for (i, p) in s.principals.enumerated() { recordIndex[PrincipalID(platform: p.platform, key: p.key)] = i }
        // Which customers each finding's evidence reaches, and which customers may hold each
        // finding (`view` decides on these alone).
        var reachedBy = [Set<Int>](repeating: [], count: result.findings.count)
        for (k, f) in result.findings.enumerated() {
            for e in f.evidence {
                guard let g = e.grant else { continue }
                if g.platform == .huntress && g.level == .account {
                    reachedBy[k].formUnion(underAccount[g.target] ?? [])
                } else if g.level != .account, let name = map.customer(ofPlace: PlaceID(platform: g.platform, id: g.target)), let i = index[name] {
                    reachedBy[k].insert(i)
                }
            }
        }
        let findingsOf = bucket(Array(result.findings.indices)) { k -> [Int] in
            let f = result.findings[k]
            if let o = f.organization { return organizationOwners[o] ?? [] }
            if let t = f.tenant { return tenantOwners[t] ?? [] }
            var out = reachedBy[k]
            if f.evidence.allSatisfy({ $0.grant == nil }) {
                if let p = f.principal {
                    out.formUnion(peopleOwners[PrincipalID(platform: f.platform, key: p)] ?? [])
                } else if let a = f.account {
                    out.formUnion(underAccount[a] ?? [])
                }
            }
            return Array(out)
        }
        let records = Records(
            accounts: bucket(s.accounts) { $0.platform == .huntress ? underAccount[$0.id] ?? [] : [] },
            organizations: bucket(s.organizations) { ($0.platform == .huntress ? organizationOwners[$0.id] : tenantOwners[$0.id]) ?? [] },
            groups: bucket(s.groups) { tenantOwners[$0.tenant] ?? [] },
            roles: bucket(s.roles) { $0.tenant.map { tenantOwners[$0] ?? [] } ?? allCustomers },
            sources: sourcesOf,
            coverage: bucket(s.coverage) { $0.scope.flatMap { scopeOwners[$0] } ?? [] },
            findings: findingsOf)
        let shared = Shared(names: names, recordIndex: recordIndex, reachedBy: reachedBy, foreign: ForeignDomains(domains, map))
        return map.all.indices.map { i in
            view(result, map.all[i], number: i, grants: grantsOf[i], people: peopleOf[i], records: records, map: map, shared: shared)
        }
    }

    /// What every customer's view reads, computed once.
    struct Shared {
        let names: Scrubber.Names
        let recordIndex: [PrincipalID: Int]
        let reachedBy: [Set<Int>]
        let foreign: ForeignDomains
    }

    /// Per customer, the indices of the whole scan's records that may be its (ascending).
    struct Records {
        let accounts: [[Int]], organizations: [[Int]], groups: [[Int]], roles: [[Int]], sources: [[Int]], coverage: [[Int]], findings: [[Int]]
    }

    /// `result` restricted to customer `c`, whose grants are `grants` and people `people`.
    static func view(
        _ result: ScanResult, _ c: Customer, number: Int, grants: [Grant], people: Set<PrincipalID>, records: Records, map: CustomerMap, shared: Shared
    ) -> CustomerView {
        let names = shared.names
        let s = result.snapshot
        let tenants = Set(c.tenants), organizations = Set(c.organizations), accounts = Set(c.accounts)
        let scopes = tenants.union(accounts)
        let scrubber = Scrubber(names, keep: c, people: people)
        func mine(_ k: Int) -> Bool {
            let f = result.findings[k]
            if let o = f.organization { return organizations.contains(o) }
            if let t = f.tenant { return tenants.contains(t) }
            if shared.reachedBy[k].contains(number) { return true }
            if let p = f.principal, f.evidence.allSatisfy({ $0.grant == nil }) {
                return people.contains(PrincipalID(platform: f.platform, key: p)) && (f.account.map(accounts.contains) ?? true)
            }
            return f.evidence.allSatisfy { $0.grant == nil } && (f.account.map(accounts.contains) ?? false)
        }
        let findings = records.findings[number].filter(mine).map { k -> Finding in
            var f = result.findings[k]
            f.evidence = f.evidence.filter { $0.grant.map { CustomerMap.reaches($0, c) } ?? true }.map { e in
                var e = e
                e.detail = scrubber.scrub(e.detail)
                return e
            }
            f.message = scrubber.scrub(f.message)
            f.assumptions = f.assumptions.map(scrubber.scrub)
            return f
        }
        let prints = Set(findings.map(\.fingerprint))
        let snapshot = Snapshot(
            accounts: records.accounts[number].map { s.accounts[$0] },
            organizations: records.organizations[number].map { s.organizations[$0] },
            principals: people.compactMap { shared.recordIndex[$0] }.sorted().map { s.principals[$0] },
            groups: records.groups[number].map { k in
                var g = s.groups[k]
                let platform = g.platform
                g.members = g.members.filter { people.contains(PrincipalID(platform: platform, key: $0.lowercased())) || people.contains(PrincipalID(platform: platform, key: $0)) }
                return g
            },
            roles: records.roles[number].map { s.roles[$0] },
            grants: grants,
            sources: records.sources[number].map { s.sources[$0] },
            coverage: records.coverage[number].map { s.coverage[$0] }.filter { issue in
                guard let scope = issue.scope, scopes.contains(scope) else { return false }
                if let p = issue.principal, let platform = issue.platform, !people.contains(PrincipalID(platform: platform, key: p)) { return false }
                return true
            }.map { issue in
                var issue = issue
                issue.detail = scrubber.scrub(issue.detail)
                issue.reference = issue.reference.map(scrubber.scrub)
                return issue
            })
        let graph = AccessGraph(snapshot: snapshot, catalog: result.catalog, policy: result.policy)
        let waivers = result.waivers.compactMap { w -> WaiverReport? in
            let held = w.findings.filter(prints.contains)
            guard !held.isEmpty else { return nil }
            var w = w
            w.findings = held
            return w
        }
        let baseline = result.baseline.map { b in
            BaselineReport(
                source: b.source, entries: b.entries, matched: b.matched,
                stale: b.stale.filter { scrubber.owns(scope: $0.scope) }.map(scrubber.scrub))
        }
        let changes = result.changes.map { ch in
            AccessChanges(
                before: scrubber.scrub(ch.before), after: scrubber.scrub(ch.after),
                changes: ch.changes.filter { map.reachesCustomer($0.grant, c) },
                introduced: findings.filter { f in ch.introduced.contains { $0.fingerprint == f.fingerprint } },
                resolved: ch.resolved.filter { scrubber.owns(scope: $0.scope) }.map(scrubber.scrub))
        }
        let restricted = ScanResult(
            snapshot: snapshot, graph: graph, findings: findings, waivers: waivers, rules: result.rules, disabledRules: result.disabledRules,
            catalogVersion: result.catalogVersion, catalog: result.catalog, policy: result.policy, now: result.now,
            limitations: result.limitations,
            // Which rules could run, judged on this customer's places alone: the whole scan's
            // reasons name other customers' tenants.
            dataCoverage: DataCoverage(
                rules: RuleEngine.descriptions, disabled: result.disabledRules, snapshot: snapshot, graph: graph,
                roster: result.dataCoverage.hasRoster, certification: result.dataCoverage.hasCertification),
            baseline: baseline, changes: changes,
            // The trend counts every customer's findings: a customer sees its findings' status and
            // first-seen dates, not the MSP's figures.
            history: nil)
        // Another customer's people who reach this one (its user with an account-level role) are
        // named by number: their address would name their customer.
        let foreign = Self.foreignPeople(restricted.snapshot, number, shared.foreign)
        return CustomerView(customer: c, result: foreign.isEmpty ? restricted : redact(restricted, foreign), principals: people.count)
    }

    /// The domains a customer's view hides: a domain whose organizations (`org_domains`, or
    /// inferred) are all another customer's. Found once for all the customers, as which customers
    /// own an organization of each domain, so that no customer's view reads every domain.
    struct ForeignDomains: Sendable {
        /// Each domain that can be foreign (not the MSP's, with organizations) to the customers
        /// (by number) that own one of its organizations.
        let owners: [String: Set<Int>]
        /// Per customer, how many of those domains are its own.
        let own: [Int]
        let maxWords: Int
        let firstWords: Set<String>

        init(_ domains: DomainModel, _ map: CustomerMap) {
            var organizationOwners: [String: [Int]] = [:]
            for (i, c) in map.all.enumerated() { for o in c.organizations { organizationOwners[o, default: []].append(i) } }
            var owners: [String: Set<Int>] = [:]
            var own = Array(repeating: 0, count: map.all.count)
            for (d, orgs) in domains.organizationsOf where !orgs.isEmpty && !domains.mspDomains.contains(d) {
                let o = Set(orgs.flatMap { organizationOwners[$0] ?? [] })
                owners[d] = o
                for i in o { own[i] += 1 }
            }
            self.owners = owners
            self.own = own
            maxWords = min(12, owners.keys.map { TextRewriter.words(in: Array($0.unicodeScalars)).count }.max() ?? 1)
            firstWords = TextRewriter.firstWords(of: owners.keys)
        }

        func isForeign(_ domain: String?, to customer: Int) -> Bool {
            guard let d = domain, let o = owners[d] else { return false }
            return !o.contains(customer)
        }
    }

    /// Pseudonyms, for one customer's view (customer number `customer`), for the people and domains
    /// of other customers (see `ForeignDomains`): the domains, and whoever has an address there.
    static func foreignPeople(_ s: Snapshot, _ customer: Int, _ domains: ForeignDomains) -> TextRewriter {
        func domain(_ address: String) -> String? {
            address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]).lowercased() }
        }
        var keys = Set(s.grants.map(\.principal).filter { domains.isForeign(domain($0), to: customer) })
        var withKey: [String: [Int]] = [:]
        for (k, p) in s.principals.enumerated() {
            withKey[p.key, default: []].append(k)
            if domains.isForeign(p.emailDomain, to: customer) { keys.insert(p.key) }
        }
        var table: [String: String] = [:]
        for (i, key) in keys.sorted().enumerated() {
            let alias = "user-\(i + 1)@another-customer.invalid"
            table[key] = alias
            for p in (withKey[key] ?? []).map({ s.principals[$0] }) {
                if let e = p.email { table[e] = alias }
                if let n = p.name, !n.isEmpty { table[n] = "user \(i + 1) of another customer" }
            }
        }
        table[""] = nil
        // Every domain foreign to the customer is in the table, and wins over a person's entry of
        // the same spelling; looked up, not copied, so that a view costs its own size. Words are
        // tried for the longest of every domain, which finds no other match than the customer's.
        let people = table
        let maxWords = max(min(12, people.keys.map { TextRewriter.words(in: Array($0.unicodeScalars)).count }.max() ?? 1), domains.maxWords)
        return TextRewriter(
            maxWords: maxWords, isEmpty: people.isEmpty && domains.owners.count - domains.own[customer] - (domains.isForeign("", to: customer) ? 1 : 0) == 0,
            firstWords: TextRewriter.firstWords(of: people.keys).union(domains.firstWords)
        ) { key in
            if key.isEmpty { return nil }
            if domains.isForeign(key, to: customer) { return "another-customer.invalid" }
            return people[key]
        }
    }
}

extension CustomerMap {
    func reachesCustomer(_ g: Grant, _ c: Customer) -> Bool { Self.reaches(g, c) }
}

/// Rewrites text from the whole scan for one customer: other customers' organizations, tenants,
/// names and people become "another organization", "another tenant", "another customer",
/// "someone else", and MSP-wide counts ("in 5 organizations") become "this and other ...".
struct Scrubber {
    /// Every name a customer's view may have to hide, built once for all the customers: whose
    /// place it names, or which principals it names.
    final class Names: Sendable {
        let placeOwner: [String: (customer: String, placeholder: String)]
        let principals: [String: [PrincipalID]]
        let maxWords: Int
        let firstWords: Set<String>

        init(_ result: ScanResult, map: CustomerMap) {
            var places: [String: (customer: String, placeholder: String)] = [:]
            for c in map.all {
                for o in c.organizations { places[o] = (c.name, "another organization") }
                for t in c.tenants { places[t] = (c.name, "another tenant") }
            }
            for o in result.snapshot.organizations {
                guard let n = o.name, !n.isEmpty, places[n] == nil,
                    let owner = map.customer(ofPlace: PlaceID(platform: o.platform, id: o.id))
                else { continue }
                places[n] = (owner, o.kind == .tenant ? "another tenant" : "another organization")
            }
            for c in map.all where places[c.name] == nil || places[c.name]?.customer == c.name {
                places[c.name] = (c.name, "another customer")
            }
            var people: [String: [PrincipalID]] = [:]
            for p in result.snapshot.principals {
                let id = PrincipalID(platform: p.platform, key: p.key)
                for v in Set([p.key, p.email, p.name].compactMap { $0 }) where !v.isEmpty { people[v, default: []].append(id) }
            }
            for g in result.snapshot.grants where people[g.principal] == nil {
                people[g.principal] = [PrincipalID(platform: g.platform, key: g.principal)]
            }
            placeOwner = places
            principals = people
            maxWords = min(12, (Array(places.keys) + Array(people.keys)).lazy.map { $0.split(separator: " ").count }.max() ?? 1)
            firstWords = TextRewriter.firstWords(of: Array(places.keys) + Array(people.keys))
        }
    }

    private let rewrite: TextRewriter
    private let ownScopes: Set<String>

    init(_ names: Names, keep c: Customer, people: Set<PrincipalID>) {
        let customer = c.name
        let own = Set(c.organizations + c.tenants + [c.name])
        rewrite = TextRewriter(maxWords: names.maxWords, firstWords: names.firstWords) { word in
            if own.contains(word) { return nil }
            if let p = names.placeOwner[word], p.customer != customer { return p.placeholder }
            if let ids = names.principals[word], !ids.contains(where: people.contains) { return "someone else" }
            return nil
        }
        ownScopes = Set(c.organizations.map { "organization \($0)" } + c.tenants.map { "tenant \($0)" })
    }

    /// Whether a finding's scope label (`organization 88101`) is the customer's.
    func owns(scope: String) -> Bool { ownScopes.contains(scope) }

    func scrub(_ e: Baseline.Entry) -> Baseline.Entry {
        var e = e
        e.message = scrub(e.message)
        return e
    }

    func scrub(_ text: String) -> String {
        var out = rewrite(text)
        // The patterns only where their words occur: a regex literal is built again on every call,
        // and for a thousand customers' views of every message that was a quarter of the time.
        if out.contains(" organizations") || out.contains(" tenants") || out.contains(" customers") {
            out = out.replacing(#/\b\d+ (organizations|tenants|customers)\b/#) { m in "this and other \(m.output.1)" }
        }
        if out.contains(" principal(s)") { out = out.replacing(#/\b\d+ principal\(s\)/#) { _ in "principals" } }
        for word in ["another organization", "another tenant", "another customer", "someone else"] {
            // A run of the same placeholder in a list says only that there are others.
            while out.contains("\(word), \(word)") { out = out.replacingOccurrences(of: "\(word), \(word)", with: word) }
        }
        return out
    }
}
