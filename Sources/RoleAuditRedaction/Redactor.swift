import Crypto
import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy
import RoleAuditRules

/// `--redact`: a stable pseudonym for every identity in the exports, derived with HMAC-SHA-256
/// from the value (lower-cased) and a key the user keeps: the same key gives the same pseudonyms
/// across runs and formats (findings and worksheets can still be followed), another key others.
public struct Redactor: Sendable {
    /// What is redacted besides people's emails, names and user ids.
    public struct Options: Sendable, Equatable {
        /// Email domains too (kept by default: the isolation findings are about them).
        public var domains = false
        /// Account, organization and tenant names and customer names too.
        public var organizations = false
        public init(domains: Bool = false, organizations: Bool = false) {
            self.domains = domains
            self.organizations = organizations
        }
    }

    public static let keyVariable = "ROLEAUDIT_REDACT_KEY"

    /// The key's bytes (SymmetricKey is not Sendable; one is made per pseudonym run).
    private let key: [UInt8]
    public let options: Options

    public init(key: String, options: Options) {
        self.key = Array(key.utf8)
        self.options = options
    }

    /// The key from `ROLEAUDIT_REDACT_KEY`; nil when it is unset or empty.
    public static func keyFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let k = environment[keyVariable], !k.isEmpty else { return nil }
        return k
    }

    /// `kind-` and the first 12 hex digits of HMAC-SHA-256(key, kind:value lower-cased): the
    /// kind is part of the message, so a name and an email that happen to be equal differ.
    public func pseudonym(_ value: String, kind: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(kind):\(value.lowercased())".utf8), using: SymmetricKey(data: key))
        let bytes = mac.withUnsafeBytes { Array($0.prefix(6)) }
        return kind + "-" + bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// An email's pseudonym: the local part always, the domain with `domains`.
    public func email(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return pseudonym(address, kind: "user") }
        let domain = String(address[address.index(after: at)...])
        return pseudonym(address, kind: "user") + "@" + (options.domains ? self.domain(domain) : domain.lowercased())
    }

    public func domain(_ domain: String) -> String { pseudonym(domain, kind: "domain") + ".invalid" }

    /// Every identity the snapshot holds, to its pseudonym: principals' keys, emails, names and
    /// vendor ids, API keys' creators and user names, group members, waiver owners; with the
    /// options, domains and organization, tenant, account and customer names. Values that are
    /// also a role's name are left out (a person called "Admin" must not rename the role).
    public func table(_ s: Snapshot, policy: Policy, roleNames: Set<String>) -> [String: String] {
        var t: [String: String] = [:]
        func person(_ v: String?) {
            guard let v, !v.isEmpty else { return }
            if v.contains("@") {
                t[v] = email(v)
                t[v.lowercased()] = email(v)
            } else if !roleNames.contains(v.lowercased()) {
                t[v] = pseudonym(v, kind: "name")
            }
        }
        func id(_ v: String) {
            guard !v.isEmpty, t[v] == nil, !roleNames.contains(v.lowercased()) else { return }
            t[v] = pseudonym(v, kind: "id")
        }
        for p in s.principals {
            if p.kind == .human { person(p.key) }
            person(p.email)
            person(p.name)
            // A person's user id (an API key's id names no one); a short number is left alone,
            // since replacing it would replace every such number in the text.
            if p.kind == .human { p.vendorIDs.filter { $0.count >= 4 || $0.contains(where: { !$0.isNumber }) }.forEach(id) }
            person(p.apiKey?.createdBy)
            person(p.apiKey?.userName)
        }
        for g in s.grants where g.principal.contains("@") { person(g.principal) }
        for g in s.groups { g.members.forEach(person) }
        for w in policy.waivers {
            person(w.owner)
            person(w.principal)
        }
        if options.domains {
            let domains = Set(t.keys.compactMap { address in
                address.lastIndex(of: "@").map { at in String(address[address.index(after: at)...]).lowercased() }
            })
            for d in domains.union(policy.mspDomains).union(policy.orgDomains.values.joined()) where !d.isEmpty { t[d] = domain(d) }
        }
        if options.organizations {
            for a in s.accounts { if let n = a.name, !n.isEmpty { t[n] = pseudonym(n, kind: "account") } }
            for o in s.organizations {
                if o.kind == .tenant { t[o.id] = pseudonym(o.id, kind: "tenant") }
                if let n = o.name, !n.isEmpty, t[n] == nil { t[n] = pseudonym(n, kind: o.kind == .tenant ? "tenant" : "organization") }
                if let c = o.customer, !c.isEmpty { t[c] = pseudonym(c, kind: "customer") }
            }
            for (tenant, customer) in policy.customers {
                t[tenant] = t[tenant] ?? pseudonym(tenant, kind: "tenant")
                t[customer] = pseudonym(customer, kind: "customer")
            }
        }
        return t
    }

    /// `result` with every identity replaced (`Gate.redact`), and the table used. `also`: other
    /// snapshots the result quotes (a diff's state before the change, whose resolved findings
    /// name people who are gone).
    public func apply(to result: ScanResult, also: [Snapshot] = []) -> (result: ScanResult, table: [String: String]) {
        var roles = Set(result.catalog.roles.flatMap { [$0.name] + $0.aliases }.map { $0.lowercased() })
        var table: [String: String] = [:]
        for s in also + [result.snapshot] {
            roles.formUnion(s.grants.map { $0.role.lowercased() })
            roles.formUnion(s.roles.map { $0.name.lowercased() })
        }
        for s in also + [result.snapshot] { table.merge(self.table(s, policy: result.policy, roleNames: roles)) { a, _ in a } }
        return (Gate.redact(result, TextRewriter(table)), table)
    }

    /// The mapping back, pseudonym to identity (the lower-cased form where several spellings
    /// share one), as sorted, pretty-printed JSON: `--redaction-map`.
    public static func mapJSON(_ table: [String: String]) -> Data {
        var back: [String: String] = [:]
        for (original, pseudonym) in table.sorted(by: { $0.key < $1.key }) {
            if back[pseudonym] == nil || original == original.lowercased() { back[pseudonym] = original }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(back)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}
