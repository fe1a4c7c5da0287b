import Foundation
import Yams

/// `collect.yml`: several Huntress credentials and Cortex tenants in one run. Secrets are never in
/// the file: each entry names the environment variables that hold them, and a key that looks like
/// a secret (`key`, `secret`, `api_key`, ...) is refused with its line.
///
///     version: 1
///     parallel: 4
///     huntress:
///       - name: northwind
///         key_env: NW_HUNTRESS_API_KEY
///         secret_env: NW_HUNTRESS_API_SECRET
///         accounts: [52001]            # optional; default every account the key reaches
///     cortex:
///       - tenant: acme-prod
///         customer: Acme Dental Group  # optional
///         api_url: https://api-acme.xdr.eu.paloaltonetworks.com
///         key_id_env: ACME_XDR_KEY_ID
///         key_env: ACME_XDR_KEY
///         key_type: advanced           # or standard
public struct CollectConfig {
    public var parallel: Int?
    public var huntress: [HuntressTarget] = []
    public var cortex: [CortexTarget] = []

    static let secretKeys: Set<String> = ["key", "secret", "api_key", "api_secret", "password", "token", "key_id", "api_key_id"]

    /// Reads the file and the environment variables it names. A malformed file is a
    /// configuration error (exit 3); a variable it names that is not set is a usage error (64).
    public static func load(path: String, environment env: [String: String]) throws -> CollectConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CollectError.configuration("\(path): cannot read the collection config")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CollectError.configuration("\(path): not UTF-8 text") }
        let r = Reader(file: path)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw CollectError.configuration("\(path): not valid YAML: \(error)") }
        guard let root else { throw CollectError.configuration("\(path): empty; expected version: 1 and huntress: or cortex: entries") }
        let top = try r.mapping(root, "")
        try r.allow(top, ["version", "parallel", "huntress", "cortex"], at: "")
        guard let version = top["version"], try r.int(version, "version") == 1 else { throw r.error(root, "version", "version: 1") }
        var config = CollectConfig()
        if let p = top["parallel"] { config.parallel = try r.int(p, "parallel") }
        for (i, item) in try r.sequence(top["huntress"], "huntress").enumerated() {
            let at = "huntress[\(i)]"
            let m = try r.mapping(item, at)
            try r.allow(m, ["name", "key_env", "secret_env", "base_url", "accounts", "page_size"], at: at)
            let name = try r.string(m["name"], item, "\(at).name")
            let credential = try HuntressCredential.from(
                environment: env, name: name, key: try r.string(m["key_env"], item, "\(at).key_env"),
                secret: try r.string(m["secret_env"], item, "\(at).secret_env"))
            var target = HuntressTarget(credential: credential)
            if m["base_url"] != nil { target.baseURL = try r.url(m["base_url"], item, "\(at).base_url") }
            if let a = m["accounts"] { target.accounts = try r.sequence(a, "\(at).accounts").map { try r.scalar($0, "\(at).accounts") } }
            if let p = m["page_size"] { target.pageSize = try r.int(p, "\(at).page_size") }
            config.huntress.append(target)
        }
        for (i, item) in try r.sequence(top["cortex"], "cortex").enumerated() {
            let at = "cortex[\(i)]"
            let m = try r.mapping(item, at)
            try r.allow(m, ["tenant", "customer", "api_url", "key_id_env", "key_env", "key_type"], at: at)
            let tenant = try r.string(m["tenant"], item, "\(at).tenant")
            var type = "advanced"
            if m["key_type"] != nil { type = try r.string(m["key_type"], item, "\(at).key_type") }
            guard type == "advanced" || type == "standard" else { throw r.error(m["key_type"] ?? item, "\(at).key_type", "advanced or standard") }
            let credential = try CortexCredential.from(
                environment: env, name: tenant, keyID: try r.string(m["key_id_env"], item, "\(at).key_id_env"),
                key: try r.string(m["key_env"], item, "\(at).key_env"), advanced: type == "advanced")
            var customer: String?
            if m["customer"] != nil { customer = try r.string(m["customer"], item, "\(at).customer") }
            config.cortex.append(CortexTarget(
                credential: credential, tenant: tenant, customer: customer, apiURL: try r.url(m["api_url"], item, "\(at).api_url")))
        }
        guard !config.huntress.isEmpty || !config.cortex.isEmpty else {
            throw r.error(root, "", "at least one huntress: or cortex: entry")
        }
        return config
    }

    /// Names the key and its line in every error.
    struct Reader {
        let file: String

        func error(_ node: Node, _ key: String, _ expected: String, found: String? = nil) -> CollectError {
            let line = node.mark.map { ":\($0.line)" } ?? ""
            let what = found ?? node.scalar.map { "'\($0.string)'" } ?? "a \(kind(node))"
            return .configuration("\(file)\(line): \(key.isEmpty ? "" : "'\(key)': ")expected \(expected), found \(what)")
        }

        private func kind(_ node: Node) -> String {
            switch node {
            case .mapping: "mapping"
            case .sequence: "list"
            default: "value"
            }
        }

        func mapping(_ node: Node, _ key: String) throws -> [String: Node] {
            guard let m = node.mapping else { throw error(node, key, "a mapping") }
            var out: [String: Node] = [:]
            for (k, v) in m {
                guard let name = k.string else { throw error(k, key, "a key") }
                out[name] = v
            }
            return out
        }

        func allow(_ m: [String: Node], _ keys: Set<String>, at key: String) throws {
            for (name, node) in m.sorted(by: { $0.key < $1.key }) where !keys.contains(name) {
                let path = key.isEmpty ? name : "\(key).\(name)"
                if CollectConfig.secretKeys.contains(name) {
                    throw error(node, path, "no secret in the file: name the environment variable that holds it (key_env, secret_env, key_id_env)", found: "a value")
                }
                throw error(node, path, "one of \(keys.sorted().joined(separator: ", "))", found: "an unknown key")
            }
        }

        func sequence(_ node: Node?, _ key: String) throws -> [Node] {
            guard let node else { return [] }
            guard let s = node.sequence else { throw error(node, key, "a list") }
            return Array(s)
        }

        func scalar(_ node: Node, _ key: String) throws -> String {
            guard let s = node.scalar?.string, !s.isEmpty else { throw error(node, key, "a value") }
            return s
        }

        func string(_ node: Node?, _ parent: Node, _ key: String) throws -> String {
            guard let node else { throw error(parent, key, "'\(key.split(separator: ".").last ?? "")'", found: "none") }
            return try scalar(node, key)
        }

        func int(_ node: Node, _ key: String) throws -> Int {
            guard let v = node.int else { throw error(node, key, "a whole number") }
            return v
        }

        func url(_ node: Node?, _ parent: Node, _ key: String) throws -> URL {
            let text = try string(node, parent, key)
            guard let url = URL(string: text), url.host != nil else { throw error(node ?? parent, key, "an https:// URL") }
            return url
        }
    }
}
