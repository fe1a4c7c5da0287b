import Foundation
import Testing

/// Same input and `--now`, same bytes, on an export large enough to take the paths small ones do
/// not: the file is read into a mapping whose parsed pages are handed back while a second thread
/// hashes it, the rules run on both cores, findings merge and their evidence is capped.
struct DeterminismTests {
    /// A Huntress memberships export in the shape of /work/shared/peers/gen_huntress.py, derived
    /// from each membership's number (no clock, no randomness): most users hold several roles in
    /// their own organization, 2% are MSP staff mostly at account level, 1% of memberships cross
    /// into another organization. Names are padded so that the file passes the 16 MiB above which
    /// the importer maps and releases it.
    static func export(memberships n: Int, organizations orgs: Int, to url: URL) throws {
        let users = max(1, n / 2)
        let accountRoles = ["Admin", "Security Engineer", "User", "Read-only", "Finance", "Provisioner"]
        let organizationRoles = ["Admin", "Security Engineer", "User", "Read-only"]
        let padding = String(repeating: "x", count: 700)
        var text = "{\"memberships\":["
        for i in 0..<n {
            // Multiplying by primes scatters a user's memberships through the file.
            let user = i * 7919 % users
            let staff = user % 50 == 0
            let home = user % orgs
            let email = staff ? "u\(user)@msp.example" : "u\(user)@cust\(home).example"
            let role: String
            let organization: String
            if staff && i % 10 != 0 {
                role = accountRoles[i * 31 % accountRoles.count]
                organization = "null"
            } else {
                let org = i % 100 == 7 ? i * 104_729 % orgs : home
                role = organizationRoles[i * 13 % organizationRoles.count]
                organization = "{\"id\":\(10000 + org),\"name\":\"Customer \(org)\"}"
            }
            if i > 0 { text += "," }
            text += "{\"id\":\(i + 1),\"permissions\":\"\(role)\",\"account\":{\"id\":1,\"name\":\"Big MSP\"},\"organization\":\(organization),"
                + "\"user\":{\"id\":\(user),\"email\":\"\(email)\",\"name\":\"User \(user) \(padding)\"},"
                + "\"created_at\":\"2025-03-04 09:15:00 UTC\",\"updated_at\":\"2025-09-10 17:40:12 UTC\"}"
        }
        text += "],\"pagination\":{\"next_page_token\":null}}"
        try Data(text.utf8).write(to: url)
    }

    @Test func twoScansOfALargeExportWriteTheSameBytes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-determinism-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let file = input.appendingPathComponent("memberships.json")
        try Self.export(memberships: 24_000, organizations: 400, to: file)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(size > 16 << 20, "\(size) bytes: too small to be mapped and released as it is read")

        var outputs: [URL] = []
        for run in 1...2 {
            let out = root.appendingPathComponent("reports-\(run)")
            let r = try Executable.run(["scan", input.path, "--output", out.path, "--now", "2026-11-23T00:00:00Z", "--fail-on", "never"])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(out)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: outputs[0].path).sorted()
        #expect(names == ["entitlements.csv", "findings.csv", "findings.json", "findings.sarif", "junit.xml", "report.html"])
        for name in names {
            let a = try Data(contentsOf: outputs[0].appendingPathComponent(name))
            let b = try Data(contentsOf: outputs[1].appendingPathComponent(name))
            #expect(!a.isEmpty && a == b, "\(name) differs between two runs")
        }
        // Large enough that findings merge and evidence is capped: not a test that passes on little.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: outputs[0].appendingPathComponent("findings.json"))) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count > 2_000)
        #expect(findings.contains { ($0["evidence"] as? [Any])?.count == 100 })
    }
}
