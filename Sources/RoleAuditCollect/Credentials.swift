import Foundation
import RoleAuditImport

/// A Huntress API key and secret, read from the environment (never from a file or an argument,
/// which shell history and the process list keep).
public struct HuntressCredential: Sendable {
    /// Names the credential in the manifest and in messages: `huntress` on the command line, the
    /// `name` of a --config entry.
    public var name: String
    public var keyVariable: String
    public var secretVariable: String
    public var key: String
    public var secret: String

    public init(name: String, keyVariable: String, secretVariable: String, key: String, secret: String) {
        self.name = name
        self.keyVariable = keyVariable
        self.secretVariable = secretVariable
        self.key = key
        self.secret = secret
    }

    public static func from(environment env: [String: String], name: String = "huntress", key: String = "HUNTRESS_API_KEY", secret: String = "HUNTRESS_API_SECRET") throws -> HuntressCredential {
        HuntressCredential(
            name: name, keyVariable: key, secretVariable: secret, key: try Environment.value(key, env), secret: try Environment.value(secret, env))
    }

    /// The API key itself is half of what authenticates, so it is named by a fingerprint only.
    var fingerprint: String { String(CollectionManifest.sha256(Data(key.utf8)).prefix(12)) }

    var basic: String { "Basic " + Data("\(key):\(secret)".utf8).base64EncodedString() }

    /// How messages name this credential: never the key or the secret.
    var label: String { "Huntress credential '\(name)' (\(keyVariable), key fingerprint \(fingerprint))" }
}

/// A Cortex XDR API key id and key, from the environment. Advanced keys are signed per request.
public struct CortexCredential: Sendable {
    public var name: String
    public var keyIDVariable: String
    public var keyVariable: String
    public var keyID: String
    public var key: String
    public var advanced: Bool

    public init(name: String, keyIDVariable: String, keyVariable: String, keyID: String, key: String, advanced: Bool) {
        self.name = name
        self.keyIDVariable = keyIDVariable
        self.keyVariable = keyVariable
        self.keyID = keyID
        self.key = key
        self.advanced = advanced
    }

    public static func from(
        environment env: [String: String], name: String, keyID: String = "CORTEX_API_KEY_ID", key: String = "CORTEX_API_KEY", advanced: Bool
    ) throws -> CortexCredential {
        CortexCredential(
            name: name, keyIDVariable: keyID, keyVariable: key, keyID: try Environment.value(keyID, env), key: try Environment.value(key, env),
            advanced: advanced)
    }

    var label: String { "Cortex key id \(keyID) for '\(name)' (\(keyIDVariable), \(advanced ? "advanced" : "standard") key)" }
}

enum Environment {
    static func value(_ name: String, _ env: [String: String]) throws -> String {
        guard let value = env[name], !value.isEmpty else {
            throw CollectError.usage("the environment variable \(name) is not set (credentials are read from the environment only)")
        }
        return value
    }
}

/// Removes every secret from text before it is printed or written: the keys, the secrets, the
/// Basic header's encoding of them, a proxy's password. The last line of defence: messages are
/// built without secrets in the first place.
public struct Redactor: Sendable {
    private var secrets: [String] = []

    public init(_ secrets: [String] = []) { add(secrets) }

    mutating func add(_ values: [String]) {
        for v in values where v.count >= 4 && !secrets.contains(v) { secrets.append(v) }
        secrets.sort { $0.count > $1.count }
    }

    public func callAsFunction(_ text: String) -> String {
        var out = text
        for s in secrets where out.contains(s) { out = out.replacingOccurrences(of: s, with: "[redacted]") }
        return out
    }

    /// True when `body` holds any secret verbatim: such a response is not written to disk.
    func leaks(into body: Data) -> Bool {
        secrets.contains { body.range(of: Data($0.utf8)) != nil }
    }

    /// A URL without its user and password, for messages about a proxy setting.
    static func withoutUserInfo(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        let start = url.range(of: "://")?.upperBound ?? url.startIndex
        return String(url[..<start]) + "[redacted]@" + String(url[url.index(after: at)...])
    }
}

/// Text from a server made safe for a terminal and a one-line message: control characters
/// replaced, length bounded.
func printable(_ text: String, limit: Int = 200) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if out.unicodeScalars.count >= limit {
            out += "…"
            break
        }
        let v = scalar.value
        out.unicodeScalars.append(v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) ? "?" : scalar)
    }
    return out
}
