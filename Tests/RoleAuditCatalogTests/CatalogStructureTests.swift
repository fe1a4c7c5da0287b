import Foundation
import RoleAuditCatalog
import RoleAuditModel
import Testing

struct CatalogStructureTests {
    @Test func huntressHasElevenRolesSevenAtAccountLevelAndFourAtOrganizationLevel() throws {
        let roles = try Bundled.catalog().roles(on: .huntress)
        #expect(Set(roles.filter { $0.level == .account }.map(\.name))
            == ["Admin", "Security Engineer", "Provisioner", "User", "Finance", "Marketing", "Read-only"])
        #expect(Set(roles.filter { $0.level == .organization }.map(\.name))
            == ["Admin", "Security Engineer", "User", "Read-only"])
        #expect(roles.count == 11)
    }

    /// The seed's three tables plus the machine-only table hold 27 predefined roles.
    @Test func cortexHasEveryPredefinedRoleOfTheSeed() throws {
        let names = Set(try Bundled.catalog().roles(on: .cortexXDR).map(\.name))
        #expect(names == [
            "Account Admin", "Instance Administrator", "Deployment Admin", "IT Admin", "Privileged IT Admin",
            "Scoped Agent Admin", "Investigator", "Privileged Investigator", "Responder", "Privileged Responder",
            "Investigation Admin", "Security Admin", "Privileged Security Admin", "Viewer", "Developer", "AppSec Admin",
            "DevSecOps", "Compliance Administrator", "AI Security Viewer", "AI Security Administrator",
            "Data Security Viewer", "Data Security Administrator", "Identity Security Runtime Viewer",
            "Identity Security Runtime Administrator", "Identity Security Viewer", "Identity Security Administrator",
            "Generic Collector",
        ])
    }

    /// Every role row of the Cortex seed's tables ("| Role | Description |" rows) is in the catalog.
    @Test func everyRoleRowOfTheCortexSeedIsCatalogued() throws {
        let catalog = try Bundled.catalog()
        let seed = try #require(catalog.seeds.first { $0.platform == .cortexXDR })
        let rowNames = seed.lines.compactMap { line -> String? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count >= 4, let first = cells.first else { return nil }
            let name = first.trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name == "Role" || name == "Location" || name.hasPrefix("Cortex") ? nil : name
        }
        #expect(rowNames.count == 27)
        for name in rowNames {
            #expect(catalog.role(name, on: .cortexXDR) != nil, "seed role '\(name)' is not in the catalog")
        }
    }

    @Test func everyRoleHasASummaryACitationAndAtLeastOneCapability() throws {
        for role in try Bundled.catalog().roles {
            #expect(!role.summary.isEmpty, "\(role.id)")
            #expect(!role.citations.isEmpty, "\(role.id)")
            #expect(!role.grants.isEmpty, "\(role.id)")
        }
    }

    /// The traceability promise: each capability a role holds cites seed lines, and the quoted
    /// words stand on those lines.
    @Test func everyCitationQuotesItsSeedLine() throws {
        let catalog = try Bundled.catalog()
        for role in catalog.roles {
            for grant in role.grants {
                #expect(!grant.citations.isEmpty, "\(role.id) \(grant.capability) has no source")
                let all = grant.citations + (grant.alternative?.citations ?? []) + role.citations
                for c in all {
                    let line = try #require(catalog.seed(c.document)?.line(c.line), "\(c) is outside the seed")
                    #expect(line.contains(c.quote), "\(role.id) \(grant.capability): \(c) does not say \"\(c.quote)\"")
                }
            }
        }
    }

    @Test func limitedGrantsSpellOutTheirLimit() throws {
        for role in try Bundled.catalog().roles {
            for g in role.grants {
                #expect((g.kind == .limited) == (g.limit?.isEmpty == false), "\(role.id) \(g.capability)")
            }
        }
    }

    @Test func capabilityIdsAreDottedLowerCaseAndEveryOneIsUsed() throws {
        let catalog = try Bundled.catalog()
        let used = Set(catalog.roles.flatMap(\.grants).map(\.capability))
        for id in catalog.capabilities.keys {
            #expect(id.rawValue.range(of: #"^[a-z_]+(\.[a-z_]+)+$"#, options: .regularExpression) != nil, "\(id)")
            #expect(used.contains(id), "\(id) is in the vocabulary but no role holds it")
        }
    }

    /// The catalog's copies of the seeds are the documents in ../shared/seeds, byte for byte.
    @Test(.enabled(if: SharedSeeds.present, "needs ../shared/seeds beside the checkout"))
    func embeddedSeedsMatchTheSharedSeeds() throws {
        for seed in try Bundled.catalog().seeds {
            let shared = try String(contentsOf: SharedSeeds.directory.appendingPathComponent(seed.file), encoding: .utf8)
            #expect(shared == seed.lines.joined(separator: "\n"), "\(seed.file) differs from ../shared/seeds")
        }
    }

    @Test func versionNamesTheDataAndItsDigest() throws {
        let version = try Bundled.catalog().version
        #expect(version.range(of: #"^\d{4}\.\d{2}\+[0-9a-f]{12}$"#, options: .regularExpression) != nil, "\(version)")
    }

    @Test(arguments: [
        ("Read-Only", Level.account, "Read-only"), ("read only", .organization, "Read-only"),
        ("ADMIN", .organization, "Admin"), ("Security Engineer", .account, "Security Engineer"),
    ])
    func huntressLabelsResolveByLevel(label: String, level: Level, expected: String) throws {
        let role = try #require(try Bundled.catalog().role(label, on: .huntress, level: level))
        #expect(role.name == expected && role.level == level)
    }

    @Test func unknownHuntressLabelsAreNotGuessed() throws {
        #expect(try Bundled.catalog().role("Admin-Read-only", on: .huntress, level: .account) == nil)
    }
}
