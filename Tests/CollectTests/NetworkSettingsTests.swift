import Foundation
import RoleAuditCollect
import Testing

/// HTTPS_PROXY, NO_PROXY and the CA bundle, read as curl reads them (AsyncHTTPClient reads none).
@Suite struct NetworkSettingsTests {
    @Test func proxyFromTheEnvironmentAndItsExemptions() throws {
        let p = try #require(try ProxySettings.from(environment: [
            "HTTPS_PROXY": "http://user:p%40ss@proxy.corp.example:3128", "NO_PROXY": "localhost, .internal.example,api-x.example",
        ]))
        #expect(p.host == "proxy.corp.example" && p.port == 3128 && p.username == "user" && p.password == "p@ss")
        #expect(p.applies(to: URL(string: "https://api.huntress.io/v1/actor")!))
        #expect(!p.applies(to: URL(string: "https://svc.internal.example/x")!))
        #expect(!p.applies(to: URL(string: "https://api-x.example/public_api/v1/rbac/get_users")!))
        #expect(!p.applies(to: URL(string: "http://127.0.0.1:8080/v1/actor")!), "plain http (a loopback test server) never goes through it")
        #expect(try ProxySettings.from(environment: ["https_proxy": "proxy:8080"])?.port == 8080)
        #expect(try ProxySettings.from(environment: [:]) == nil)
        let all = try #require(try ProxySettings.from(environment: ["HTTPS_PROXY": "http://proxy:1", "NO_PROXY": "*"]))
        #expect(!all.applies(to: URL(string: "https://api.huntress.io")!))
    }

    @Test func badSettingsAreUsageErrorsThatHideThePassword() throws {
        #expect(throws: CollectError.self) { try ProxySettings.from(environment: ["HTTPS_PROXY": "socks5://u:topsecret@proxy:1080"]) }
        do {
            _ = try ProxySettings.from(environment: ["HTTPS_PROXY": "socks5://u:topsecret@proxy:1080"])
        } catch let e as CollectError {
            #expect(e.exitCode == 64 && !e.description.contains("topsecret"))
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-ca-\(UUID().uuidString).pem").path
        #expect(throws: CollectError.self) { try NetworkSettings.from(environment: [:], caFile: missing) }
        #expect(throws: CollectError.self) { try NetworkSettings.from(environment: ["SSL_CERT_FILE": missing], caFile: nil) }
        #expect(try NetworkSettings.from(environment: [:], caFile: nil) == NetworkSettings())
    }
}
