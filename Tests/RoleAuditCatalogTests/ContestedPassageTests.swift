import Foundation
import RoleAuditCatalog
import RoleAuditModel
import Testing

/// The passages of both seeds that read two ways (`passages:` in each platform file): every cell
/// resting on one is marked with both readings, no marked cell is without its passage, and the
/// README explains each.
struct ContestedPassageTests {
    static let ids: [String] = (try? Bundled.catalog().passages.map(\.id)) ?? []

    @Test func thereArePassagesOnBothPlatforms() throws {
        let passages = try Bundled.catalog().passages
        #expect(Set(passages.map(\.platform)) == [.huntress, .cortexXDR])
        #expect(Set(passages.map(\.id)).count == passages.count, "passage ids must be unique")
    }

    /// The promise of issue 12: a grant that cites contested words is marked, with this passage.
    @Test(arguments: ids)
    func everyCellRestingOnThePassageIsMarked(id: String) throws {
        let catalog = try Bundled.catalog()
        let passage = try #require(catalog.passage(id))
        for contest in passage.contested {
            var resting = 0
            for role in catalog.roles(on: passage.platform) {
                for grant in role.grants where contest.covers(role, grant) {
                    resting += 1
                    #expect(grant.isAmbiguous && grant.passage == id, "\(role.id) \(grant.capability) cites \(id)'s contested words but is not marked")
                }
            }
            #expect(resting > 0, "\(id): no grant cites \(contest.citations.map(\.description))")
        }
    }

    @Test(arguments: ids)
    func bothReadingsAreCitedAndTheDerivationWritten(id: String) throws {
        let passage = try #require(try Bundled.catalog().passage(id))
        #expect(passage.readings.map(\.label) == ["broader", "narrower"])
        #expect(passage.readings.allSatisfy { !$0.citations.isEmpty && !$0.says.isEmpty })
        #expect(passage.how.count > 60 && !passage.cells.isEmpty)
    }

    /// No ambiguity without a derivation: every marked grant names a passage that lists it.
    @Test func everyAmbiguousGrantBelongsToAPassage() throws {
        let catalog = try Bundled.catalog()
        for role in catalog.roles {
            for grant in role.grants where grant.isAmbiguous {
                let passage = try #require(grant.passage.flatMap(catalog.passage), "\(role.id) \(grant.capability) is ambiguous without a passage")
                #expect(passage.cells.contains { $0.role == role.id && $0.capability == grant.capability }, "\(passage.id) does not list \(role.id) \(grant.capability)")
            }
        }
    }

    /// The README's catalog section explains how the catalog reads each passage.
    @Test func theReadmeExplainsEveryPassage() throws {
        let readme = try String(contentsOf: SharedSeeds.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## The role catalog").dropFirst().first?.components(separatedBy: "\n## ").first)
        for id in Self.ids {
            #expect(section.contains("`\(id)`"), "the README's catalog section does not explain \(id)")
        }
    }

    struct Cell: Sendable, CustomTestStringConvertible {
        let role: String
        let level: Level
        let capability: CapabilityID
        let passage: String
        let other: AlternativeReading.Grant
        var testDescription: String { "\(role) \(capability) (\(passage))" }
    }

    /// The cells issue 12 names, each checked against the seed: granted (the broader reading) and
    /// marked with the other.
    @Test(arguments: [
        Cell(role: "Scoped Agent Admin", level: .tenant, capability: "response.live_terminal", passage: "C-RESPONSE", other: .none),
        Cell(role: "Scoped Agent Admin", level: .tenant, capability: "agent.uninstall", passage: "C-AGENT-MANAGEMENT", other: .none),
        Cell(role: "AI Security Administrator", level: .tenant, capability: "response.live_terminal", passage: "C-RESPONSE", other: .none),
        Cell(role: "Data Security Administrator", level: .tenant, capability: "response.scripts", passage: "C-RESPONSE", other: .none),
        Cell(role: "Identity Security Administrator", level: .tenant, capability: "response.file_ops", passage: "C-RESPONSE", other: .none),
        Cell(role: "Security Admin", level: .tenant, capability: "response.scripts", passage: "C-RESPONSE", other: .none),
        Cell(role: "Responder", level: .tenant, capability: "response.file_ops", passage: "C-RESPONSE", other: .none),
        Cell(role: "Privileged Security Admin", level: .tenant, capability: "identity_security.manage", passage: "C-PSA-REACH", other: .none),
        Cell(role: "Investigation Admin", level: .tenant, capability: "device_control.edit", passage: "C-INVESTIGATION-ADMIN-RESPONSE", other: .none),
        Cell(role: "Investigation Admin", level: .tenant, capability: "response.actions", passage: "C-INVESTIGATION-ADMIN-RESPONSE", other: .none),
        Cell(role: "IT Admin", level: .tenant, capability: "config.edit", passage: "C-IT-ADMIN-CONFIG", other: .none),
        Cell(role: "Privileged IT Admin", level: .tenant, capability: "incidents.resolve", passage: "C-PRIVILEGED-IT-ADMIN-CASES", other: .none),
        Cell(role: "User", level: .account, capability: "remediation.approve", passage: "H-USER-REMEDIATION", other: .none),
        Cell(role: "Marketing", level: .account, capability: "account.view", passage: "H-ACCOUNT-VIEW", other: .none),
        Cell(role: "Read-only", level: .account, capability: "account_key.view", passage: "H-ACCOUNT-KEY", other: .none),
        Cell(role: "Provisioner", level: .account, capability: "settings.global", passage: "H-PROVISIONER-83-84", other: .none),
        Cell(role: "Admin", level: .organization, capability: "roles.assign", passage: "H-ORG-ROLES", other: .limited),
        Cell(role: "Security Engineer", level: .organization, capability: "roles.assign", passage: "H-ORG-ROLES", other: .limited),
    ])
    func namedCellsAreGrantedAndMarked(_ cell: Cell) throws {
        let platform: Platform = cell.level == .tenant ? .cortexXDR : .huntress
        let role = try Bundled.catalog().require(cell.role, platform, cell.level)
        let grant = try #require(role.grant(cell.capability), "\(role.id) does not hold \(cell.capability)")
        #expect(grant.passage == cell.passage && grant.alternative?.grant == cell.other)
    }

    /// 33: what the description names is stated; only the rest rests on "the only capabilities
    /// reserved above this role".
    @Test func privilegedSecurityAdminMarksOnlyWhatItsListDoesNotName() throws {
        let psa = try Bundled.catalog().require("Privileged Security Admin", .cortexXDR, .tenant)
        let reach = psa.grants.filter { $0.passage == "C-PSA-REACH" }.map(\.capability)
        #expect(reach.count == 26)
        for stated in ["response.live_terminal", "response.file_ops", "response.scripts", "playbooks.edit", "audit.view", "broker.manage"] as [CapabilityID] {
            #expect(psa.grant(stated)?.isAmbiguous == false, "\(stated) is on line 33's list")
        }
    }

    /// 45, 47, 48: the identity roles that include "the baseline Identity Analytics capabilities"
    /// hold its queries and playbooks; the Identity Security Administrator isolates as the AI and
    /// Data Security Administrators do.
    @Test func identityRolesHoldTheBaselineAnalyticsCapabilities() throws {
        let catalog = try Bundled.catalog()
        let viewer = try catalog.require("Identity Security Viewer", .cortexXDR, .tenant)
        let admin = try catalog.require("Identity Security Administrator", .cortexXDR, .tenant)
        #expect(viewer.grant("query.run")?.kind == .limited)
        #expect(admin.holds("query.run") && admin.holds("playbooks.edit") && admin.holds("endpoint.isolate"))
    }
}
