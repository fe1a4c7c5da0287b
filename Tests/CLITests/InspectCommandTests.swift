import Foundation
import Testing

/// `roleaudit inspect`, through the built executable, on the bundled samples.
struct InspectCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func samplesShowBothPlatformsEveryTenantAndOrganization() throws {
        let result = try Executable.run(["inspect", "samples/"], in: Self.root)
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("HUNTRESS account 41207 (\"Northwind Managed Services\")"))
        for org in ["Acme Dental Group", "Birchwood Law LLP", "Cedar Valley Credit Union", "Dunmore Logistics", "Evergreen Pediatrics"] {
            #expect(out.contains(org), "\(org) missing")
        }
        #expect(out.contains("CORTEX XDR tenant acme-prod (customer Acme Dental Group)"))
        #expect(out.contains("CORTEX XDR tenant birchwood-xdr (customer Birchwood Law LLP)"))
        for format in ["huntress.memberships", "cortex.legacy.users", "cortex.legacy.roles", "cortex.legacy.groups", "cortex.legacy.api_keys",
                       "cortex.iam.users", "cortex.iam.roles", "cortex.iam.groups", "cortex.iam.scope", "cortex.csv.users"] {
            #expect(out.contains(format), "\(format) missing")
        }
        #expect(out.contains("COVERAGE: complete"))
    }

    @Test func summaryAsJSON() throws {
        let result = try Executable.run(["inspect", "samples", "--format", "json"], in: Self.root)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let scopes = try #require(json["scopes"] as? [[String: Any]])
        #expect(scopes.compactMap { $0["id"] as? String } == ["41207", "52001", "acme-prod", "birchwood-xdr"])
        #expect((json["sources"] as? [Any])?.count == 17)  // 19 files less the two manifests
        #expect(json["complete"] as? Bool == true)
    }

    /// Effective access with provenance: a capability through a nested group, with the file and
    /// record of the membership and the seed line behind it.
    @Test func principalEffectiveAccessCarriesProvenance() throws {
        let result = try Executable.run(["inspect", "samples", "--principal", "SOC1@northwind-msp.com", "--format", "csv"], in: Self.root)
        #expect(result.status == 0, "\(result.stderr)")
        let isolate = result.stdout.split(separator: "\r\n").filter { $0.contains(",endpoint.isolate,") }
        #expect(isolate.contains { $0.contains("group Northwind MSSP > MSSP Analysts") && $0.contains("samples/cortex-birchwood/user-groups.json:") && $0.contains("Set up users, groups, and roles (Cortex XDR 5.x Documentation), line") && $0.contains("29") })
        #expect(isolate.contains { $0.contains("Privileged Security Admin") && $0.contains(",direct,") })
        #expect(result.stdout.contains("Investigator,tenant acme-prod,,group Northwind SOC,samples/cortex-acme-prod/get_user_group.json:3 (reply[0])"))
    }

    @Test func unknownPrincipalIsAUsageError() throws {
        let result = try Executable.run(["inspect", "samples", "--principal", "nobody@example.com"], in: Self.root)
        #expect(result.status == 64)
        #expect(result.stderr.contains("no principal 'nobody@example.com' in the inputs"))
    }

    @Test(arguments: ["malformed.json", "truncated.json", "empty.json", "garbage.json", "latin1.csv", "malformed.xml", "wrong-type.json"])
    func badInputExitsTwoWithOneLine(file: String) throws {
        let path = "Tests/RoleAuditImportTests/Fixtures/bad/\(file)"
        let result = try Executable.run(["inspect", path], in: Self.root)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("roleaudit: \(path)"), "\(result.stderr)")
    }

    @Test func missingPathExitsTwo() throws {
        let result = try Executable.run(["inspect", "no/such/folder"], in: Self.root)
        #expect(result.status == 2)
        #expect(result.stderr == "roleaudit: no/such/folder: cannot read: no such file or folder\n")
    }
}
