import Crypto
import Foundation
import RoleAuditModel
import Yams

/// A policy that cannot be used. The CLI prints it as one line and exits 3.
public struct PolicyError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let key: String
    public let expected: String
    public let found: String

    public var description: String {
        let text = "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : "'\(key)': ")expected \(expected), found \(found)"
        // Bounded, whatever the file holds (keys and values are cut where they are quoted).
        return text.count > 1000 ? String(text.prefix(999)) + "…" : text
    }
}

/// Reads `roleaudit.yml`, checking every key against what roleaudit knows: unknown keys, wrong
/// types, unknown rule ids or capabilities and bad dates name the key and its line.
public struct PolicyLoader {
    public let knownRules: Set<String>
    public let knownCapabilities: Set<CapabilityID>

    public init(knownRules: Set<String>, knownCapabilities: Set<CapabilityID>) {
        self.knownRules = knownRules
        self.knownCapabilities = knownCapabilities
    }

    public func load(path: String) throws -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(file: path, line: nil, key: "", expected: "a readable policy file", found: "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: path, line: nil, key: "", expected: "UTF-8 YAML", found: "bytes that are not UTF-8")
        }
        var policy = try parse(text, file: path)
        policy.path = path
        policy.sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return policy
    }

    public func parse(_ text: String, file: String) throws -> Policy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyError(file: file, line: PolicyLoader.line(of: error), key: "", expected: "valid YAML", found: PolicyLoader.problem(of: error))
        }
        var p = Policy()
        guard let root else { return p }
        try PolicyLoader.checkExpansion(root, bytes: text.utf8.count, file: file)
        let r = Reader(file: file)
        let top = try r.mapping(root, "")
        try r.allow(top, ["version", "rules", "thresholds", "msp_domains", "org_domains", "customers", "ceilings",
                          "sod_conflicts", "permission_map", "allowed_cross_org", "waivers", "identities", "service_accounts"], at: "")
        guard let version = top["version"] else {
            throw PolicyError(file: file, line: root.mark?.line, key: "version", expected: "version: 1", found: "no version")
        }
        let v = try r.int(version, "version")
        guard v == 1 else { throw PolicyError(file: file, line: version.mark?.line, key: "version", expected: "1", found: "\(v)") }

        if let rules = top["rules"] {
            for (id, value) in try r.entries(rules, "rules") {
                let key = "rules.\(id.string ?? "")"
                guard let rule = id.string, knownRules.contains(rule) else {
                    throw PolicyError(file: file, line: id.mark?.line, key: key, expected: "a rule id (roleaudit rules lists them)", found: "'\(Reader.cut(id.string ?? ""))'")
                }
                var setting = Policy.RuleSetting()
                if let flag = value.scalar?.string, ["on", "off", "true", "false", "enabled", "disabled"].contains(flag) {
                    setting.enabled = ["on", "true", "enabled"].contains(flag)
                } else {
                    let m = try r.mapping(value, key)
                    try r.allow(m, ["enabled", "severity"], at: key)
                    if let e = m["enabled"] { setting.enabled = try r.bool(e, key + ".enabled") }
                    if let s = m["severity"] { setting.severity = try r.severity(s, key + ".severity") }
                }
                p.rules[rule] = setting
            }
        }
        if let t = top["thresholds"] {
            let m = try r.mapping(t, "thresholds")
            try r.allow(m, ["max_full_admins", "dormant_days"], at: "thresholds")
            if let n = m["max_full_admins"] { p.maxFullAdmins = try r.positive(n, "thresholds.max_full_admins") }
            if let n = m["dormant_days"] { p.dormantDays = try r.positive(n, "thresholds.dormant_days") }
        }
        if let d = top["msp_domains"] { p.mspDomains = try r.strings(d, "msp_domains").map { $0.lowercased() } }
        if let o = top["org_domains"] {
            for (org, domains) in try r.entries(o, "org_domains") {
                let id = try r.string(org, "org_domains")
                p.orgDomains[id] = try r.strings(domains, "org_domains.\(id)").map { $0.lowercased() }
            }
        }
        if let c = top["customers"] {
            for (tenant, customer) in try r.entries(c, "customers") {
                let id = try r.string(tenant, "customers")
                p.customers[id] = try r.string(customer, "customers.\(id)")
            }
        }
        if let list = top["ceilings"] {
            for (i, item) in try r.sequence(list, "ceilings").enumerated() {
                let key = "ceilings[\(i)]"
                let m = try r.mapping(item, key)
                try r.allow(m, ["name", "domains", "groups", "max_tier"], at: key)
                guard let tier = m["max_tier"] else {
                    throw PolicyError(file: file, line: item.mark?.line, key: key + ".max_tier", expected: "read or write", found: "no max_tier")
                }
                let tierName = try r.string(tier, key + ".max_tier")
                guard let maxTier = RiskTier(rawValue: tierName), maxTier != .privileged else {
                    throw PolicyError(file: file, line: tier.mark?.line, key: key + ".max_tier", expected: "read or write", found: "'\(Reader.cut(tierName))'")
                }
                var domains: [String] = []
                var external = false
                if let d = m["domains"] {
                    if d.scalar?.string == "external" { external = true } else { domains = try r.strings(d, key + ".domains").map { $0.lowercased() } }
                }
                let groups = try m["groups"].map { try r.strings($0, key + ".groups") } ?? []
                guard external || !domains.isEmpty || !groups.isEmpty else {
                    throw PolicyError(file: file, line: item.mark?.line, key: key, expected: "domains (a list, or external) or groups", found: "neither")
                }
                p.ceilings.append(Policy.Ceiling(
                    name: try m["name"].map { try r.string($0, key + ".name") } ?? "ceiling \(i + 1)", domains: domains,
                    external: external, groups: groups, maxTier: maxTier, line: item.mark?.line ?? 0))
            }
        }
        if let list = top["sod_conflicts"] {
            for (i, item) in try r.sequence(list, "sod_conflicts").enumerated() {
                let key = "sod_conflicts[\(i)]"
                let m = try r.mapping(item, key)
                try r.allow(m, ["id", "name", "left", "right", "severity", "rationale"], at: key)
                func side(_ name: String) throws -> Policy.Conflict.Side {
                    guard let node = m[name] else {
                        throw PolicyError(file: file, line: item.mark?.line, key: "\(key).\(name)", expected: "capabilities and/or roles", found: "nothing")
                    }
                    let s = try r.mapping(node, "\(key).\(name)")
                    try r.allow(s, ["capabilities", "roles"], at: "\(key).\(name)")
                    let caps = try s["capabilities"].map { try capabilities($0, "\(key).\(name).capabilities", r) } ?? []
                    let roles = try s["roles"].map { try r.strings($0, "\(key).\(name).roles") } ?? []
                    guard !caps.isEmpty || !roles.isEmpty else {
                        throw PolicyError(file: file, line: node.mark?.line, key: "\(key).\(name)", expected: "capabilities and/or roles", found: "empty lists")
                    }
                    return .init(capabilities: caps, roles: roles)
                }
                guard let idNode = m["id"] else {
                    throw PolicyError(file: file, line: item.mark?.line, key: key + ".id", expected: "a stable id (used in waivers and fingerprints)", found: "no id")
                }
                let id = try r.string(idNode, key + ".id")
                p.conflicts.append(Policy.Conflict(
                    id: id, name: try m["name"].map { try r.string($0, key + ".name") } ?? id, left: try side("left"),
                    right: try side("right"), severity: try m["severity"].map { try r.severity($0, key + ".severity") } ?? .high,
                    rationale: try m["rationale"].map { try r.string($0, key + ".rationale") } ?? "", line: item.mark?.line ?? 0))
            }
        }
        if let map = top["permission_map"] {
            for (permission, caps) in try r.entries(map, "permission_map") {
                let name = try r.string(permission, "permission_map")
                p.permissionMap[name] = try capabilities(caps, "permission_map.\(name)", r)
            }
        }
        if let list = top["allowed_cross_org"] { p.allowedCrossOrg = Set(try r.strings(list, "allowed_cross_org").map { $0.lowercased() }) }
        if let list = top["identities"] {
            // An address in two identities would make one account two people: refused, located.
            var owner: [String: String] = [:]
            for (i, item) in try r.sequence(list, "identities").enumerated() {
                let key = "identities[\(i)]"
                let m = try r.mapping(item, key)
                try r.allow(m, ["name", "emails"], at: key)
                guard let nameNode = m["name"] else {
                    throw PolicyError(file: file, line: item.mark?.line, key: key + ".name", expected: "the person's name", found: "no name")
                }
                let name = try r.string(nameNode, key + ".name")
                guard let emailsNode = m["emails"] else {
                    throw PolicyError(file: file, line: item.mark?.line, key: key + ".emails", expected: "a list of email addresses", found: "no emails")
                }
                let emails = try r.strings(emailsNode, key + ".emails").map { $0.lowercased() }
                guard !emails.isEmpty else {
                    throw PolicyError(file: file, line: emailsNode.mark?.line, key: key + ".emails", expected: "at least one email address", found: "an empty list")
                }
                for e in emails {
                    guard e.contains("@") else {
                        throw PolicyError(file: file, line: emailsNode.mark?.line, key: key + ".emails", expected: "an email address", found: "'\(Reader.cut(e))'")
                    }
                    if let other = owner[e], other != name {
                        throw PolicyError(
                            file: file, line: emailsNode.mark?.line, key: key + ".emails", expected: "each address in one identity",
                            found: "'\(Reader.cut(e))' also under '\(Reader.cut(other))'")
                    }
                    owner[e] = name
                }
                p.identities.append(Policy.Identity(name: name, emails: emails, line: item.mark?.line ?? 0))
            }
        }
        if let list = top["service_accounts"] { p.serviceAccounts = Set(try r.strings(list, "service_accounts").map { $0.lowercased() }) }
        if let list = top["waivers"] {
            var ids = Set<String>()
            for (i, item) in try r.sequence(list, "waivers").enumerated() {
                let key = "waivers[\(i)]"
                let m = try r.mapping(item, key)
                try r.allow(m, ["id", "rule", "match", "reason", "owner", "ticket", "mitigating_control", "expires"], at: key)
                func required(_ name: String) throws -> String {
                    guard let node = m[name] else {
                        throw PolicyError(file: file, line: item.mark?.line, key: "\(key).\(name)", expected: "a value", found: "nothing")
                    }
                    return try r.string(node, "\(key).\(name)")
                }
                let id = try required("id")
                guard ids.insert(id).inserted else {
                    throw PolicyError(file: file, line: m["id"]?.mark?.line, key: key + ".id", expected: "a unique waiver id", found: "'\(Reader.cut(id))' again")
                }
                let rule = try required("rule")
                guard knownRules.contains(rule) || p.conflicts.contains(where: { $0.id == rule }) else {
                    throw PolicyError(file: file, line: m["rule"]?.mark?.line, key: key + ".rule", expected: "a rule id", found: "'\(Reader.cut(rule))'")
                }
                guard let matchNode = m["match"] else {
                    throw PolicyError(file: file, line: item.mark?.line, key: key + ".match", expected: "principal, organization and/or tenant", found: "nothing")
                }
                let match = try r.mapping(matchNode, key + ".match")
                try r.allow(match, ["principal", "organization", "tenant"], at: key + ".match")
                guard !match.isEmpty else {
                    throw PolicyError(file: file, line: matchNode.mark?.line, key: key + ".match", expected: "principal, organization and/or tenant", found: "an empty match")
                }
                let expiresText = try required("expires")
                guard let expires = PolicyLoader.day(expiresText) else {
                    throw PolicyError(file: file, line: m["expires"]?.mark?.line, key: key + ".expires", expected: "a date YYYY-MM-DD", found: "'\(Reader.cut(expiresText))'")
                }
                p.waivers.append(Policy.Waiver(
                    id: id, rule: rule, principal: try match["principal"].map { try r.string($0, key + ".match.principal").lowercased() },
                    organization: try match["organization"].map { try r.string($0, key + ".match.organization") },
                    tenant: try match["tenant"].map { try r.string($0, key + ".match.tenant") }, reason: try required("reason"),
                    owner: try required("owner"), ticket: try m["ticket"].map { try r.string($0, key + ".ticket") },
                    mitigatingControl: try m["mitigating_control"].map { try r.string($0, key + ".mitigating_control") },
                    expires: expires, line: item.mark?.line ?? 0))
            }
        }
        return p
    }

    private func capabilities(_ node: Node, _ key: String, _ r: Reader) throws -> [CapabilityID] {
        let items = try r.sequence(node, key)
        return try items.map { item in
            let id = CapabilityID(try r.string(item, key))
            guard knownCapabilities.contains(id) else {
                throw PolicyError(file: r.file, line: item.mark?.line, key: key, expected: "a capability id (roleaudit catalog lists them)", found: "'\(Reader.cut(id.rawValue))'")
            }
            return id
        }
    }

    /// YAML anchors and aliases (`&caps` ... `*caps`) let a policy repeat a part by reference: a
    /// few hundred kilobytes can stand for millions of entries, each of which the checks below
    /// would visit. A policy may expand to at most twice its size in bytes (plus 10,000) values;
    /// without aliases it never comes near that. The count stops at the limit, so refusing costs
    /// no more than reading an honest policy.
    static func checkExpansion(_ root: Node, bytes: Int, file: String) throws {
        let limit = 2 * bytes + 10_000
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            guard count <= limit else {
                throw PolicyError(
                    file: file, line: node.mark?.line, key: "",
                    expected: "a policy whose anchors and aliases (&name, *name) repeat little (at most \(limit) values once expanded)",
                    found: "more than that: aliases repeat large parts of it; write the lists out, or refer to fewer of them")
            }
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    stack.append(k)
                    stack.append(v)
                }
            case .sequence(let items): stack.append(contentsOf: items)
            case .scalar, .alias: break
            }
        }
    }

    /// Midnight UTC after the given day: a waiver that expires on 2026-12-31 still applies that day.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var c = DateComponents()
        (c.year, c.month, c.day) = (parts[0], parts[1], parts[2] + 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: c) else { return nil }
        let check = calendar.dateComponents([.year, .month, .day], from: date.addingTimeInterval(-1))
        return check.day == parts[2] && check.month == parts[1] ? date : nil
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}

/// Typed access to YAML nodes with errors that name the key and line.
private struct Reader {
    let file: String

    func fail(_ node: Node, _ key: String, _ expected: String) -> PolicyError {
        let found: String
        switch node {
        case .scalar(let s): found = s.string.isEmpty ? "an empty value" : "'\(Reader.cut(s.string))'"
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .alias: found = "an alias"
        }
        return PolicyError(file: file, line: node.mark?.line, key: key, expected: expected, found: found)
    }

    /// A value quoted in an error, cut to 80 characters.
    static func cut(_ s: String) -> String {
        s.utf8.count <= 80 ? s : String(String(decoding: s.utf8.prefix(320), as: UTF8.self).prefix(80)) + "…"
    }

    func mapping(_ node: Node, _ key: String) throws -> Node.Mapping {
        guard case .mapping(let m) = node else { throw fail(node, key, "a mapping") }
        return m
    }

    func entries(_ node: Node, _ key: String) throws -> [(Node, Node)] {
        try mapping(node, key).map { ($0.key, $0.value) }
    }

    func sequence(_ node: Node, _ key: String) throws -> [Node] {
        guard case .sequence(let s) = node else { throw fail(node, key, "a list") }
        return Array(s)
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw fail(node, key, "a text value") }
        return s.string
    }

    func strings(_ node: Node, _ key: String) throws -> [String] {
        try sequence(node, key).map { try string($0, key) }
    }

    func int(_ node: Node, _ key: String) throws -> Int {
        guard let v = node.scalar.flatMap({ Int($0.string) }) else { throw fail(node, key, "a whole number") }
        return v
    }

    func positive(_ node: Node, _ key: String) throws -> Int {
        let v = try int(node, key)
        guard v > 0 else { throw fail(node, key, "a number above 0") }
        return v
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard let s = node.scalar?.string, ["true", "false"].contains(s) else { throw fail(node, key, "true or false") }
        return s == "true"
    }

    func severity(_ node: Node, _ key: String) throws -> Severity {
        guard let s = node.scalar?.string, let v = Severity(rawValue: s) else {
            throw fail(node, key, "a severity (critical, high, medium, low, info)")
        }
        return v
    }

    /// Unknown keys are errors: a misspelt `waviers` must not silently waive nothing.
    func allow(_ mapping: Node.Mapping, _ keys: Set<String>, at key: String) throws {
        for (k, _) in mapping {
            guard let name = k.string, keys.contains(name) else {
                throw PolicyError(
                    file: file, line: k.mark?.line, key: key.isEmpty ? (k.string ?? "") : "\(key).\(k.string ?? "")",
                    expected: "one of " + keys.sorted().joined(separator: ", "), found: "an unknown key")
            }
        }
    }
}
