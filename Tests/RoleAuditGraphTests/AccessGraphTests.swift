import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy
import Testing

/// The access graph through its public API: ids, runs, what each grant gives, places, records.
struct AccessGraphTests {
    let catalog: RoleCatalog
    init() throws { catalog = try RoleCatalog.bundled() }

    func grant(_ platform: Platform, _ who: String, _ role: String, _ level: Level, _ target: String, path: GrantPath = .direct, otherPaths: Int = 0) -> Grant {
        Grant(
            platform: platform, principal: who, role: role, level: level, target: target, path: path,
            provenance: Provenance(file: "g", collection: "grants", index: 0), otherPaths: otherPaths)
    }

    /// Two Huntress members and a Cortex user who holds a custom role through a nested group, the
    /// grants out of principal order: the graph sorts them into one run per principal, gives a label
    /// one role id however many grants hold it, and resolves each role against the catalog or the
    /// policy's permission map.
    @Test func buildsRunsRolesAndPlaces() throws {
        var s = Snapshot()
        s.organizations = [Organization(platform: .huntress, kind: .organization, id: "10", accountID: "1")]
        s.principals = [
            Principal(platform: .huntress, key: "bo@x.com"), Principal(platform: .huntress, key: "al@x.com"),
            Principal(platform: .cortexXDR, key: "cy@x.com"), Principal(platform: .huntress, key: "nobody@x.com"),
        ]
        s.roles = [RoleDefinition(platform: .cortexXDR, tenant: "t1", name: "Triage", isCustom: true, permissions: ["alerts.view"], provenance: Provenance(file: "r", collection: "roles"))]
        s.grants = [
            grant(.huntress, "bo@x.com", "Admin", .account, "1"),
            grant(.huntress, "al@x.com", "Admin", .account, "1"),
            grant(.huntress, "al@x.com", "Read-only", .organization, "10"),
            grant(.cortexXDR, "cy@x.com", "Triage", .tenant, "t1", path: .group(name: "Inner", chain: ["Outer", "Inner"]), otherPaths: 2),
            grant(.cortexXDR, "cy@x.com", "Mystery", .tenant, "t1"),
            grant(.huntress, "ghost@x.com", "Admin", .organization, "10"),
        ]
        var policy = Policy()
        policy.permissionMap = ["alerts.view": ["alerts.view"]]
        let g = AccessGraph(snapshot: s, catalog: catalog, policy: policy)

        #expect(g.principals.map(\.key) == ["cy@x.com", "al@x.com", "bo@x.com", "ghost@x.com"])
        #expect(g.grantRange == [0..<2, 2..<4, 4..<5, 5..<6])
        #expect(g.grants.map(\.role) == ["Triage", "Mystery", "Admin", "Read-only", "Admin", "Admin"])
        #expect(g.principalOf == [0, 0, 1, 1, 2, 3])
        // The record of each principal; ghost@x.com has grants but no user record.
        #expect(g.recordOf.map { $0 >= 0 ? g.records[Int($0)].key : "-" } == ["cy@x.com", "al@x.com", "bo@x.com", "-"])
        #expect(g.record(PrincipalID(platform: .huntress, key: "nobody@x.com")) != nil)
        #expect(g.grants(of: PrincipalID(platform: .huntress, key: "nobody@x.com")).isEmpty)
        #expect(g.grants(of: PrincipalID(platform: .huntress, key: "al@x.com")).map(\.role) == ["Admin", "Read-only"])

        // Account-level Admin is one label (role id) for both holders; org-level Admin is another.
        #expect(g.roleOf[2] == g.roleOf[4])
        #expect(g.roleOf[5] != g.roleOf[2])
        #expect(g.grantsOfRole[Int(g.roleOf[2])] == [2, 4])
        #expect(g.roles.count == 5)
        let admin = g.role(ofGrant: 2)
        #expect(admin.documented?.name == "Admin" && admin.isPrivileged && admin.ambiguous == (admin.documented?.grants.filter(\.isAmbiguous) ?? []))
        #expect(admin.sortedCapabilities == admin.documented?.capabilities.sorted())
        let triage = g.role(ofGrant: 0)
        #expect(triage.documented == nil && triage.defined?.name == "Triage" && triage.capabilities == ["alerts.view"])
        let mystery = g.role(ofGrant: 1)
        #expect(!mystery.isKnown && mystery.tier == nil && mystery.sortedCapabilities.isEmpty)

        // The group path and the count of other paths come through as the importer recorded them.
        #expect(g.grants[0].path.label == "group Inner > Outer" && g.grants[0].otherPaths == 2)
        // Three deep: from the giving group to the member's, never the giver and then the chain
        // from the member's (which printed "Top > Leaf > Middle").
        #expect(GrantPath.group(name: "Top", chain: ["Leaf", "Middle", "Top"]).label == "group Top > Middle > Leaf")

        // Places: one id per account, organization or tenant, shared by every grant there.
        #expect(Set(g.places) == [PlaceID(platform: .cortexXDR, id: "t1"), PlaceID(platform: .huntress, id: "1"), PlaceID(platform: .huntress, id: "10")])
        #expect(g.placeOf[2] == g.placeOf[4] && g.placeOf[3] == g.placeOf[5] && g.placeOf[2] != g.placeOf[3])
        #expect(g.account(of: g.grants[3]) == "1")
    }

    /// A grant the snapshot does not hold resolves like one it does; an ambiguous documented role
    /// carries the statements whose reading the seed leaves open.
    @Test func resolvesGrantsOutsideTheSnapshotAndAmbiguity() throws {
        let contested = try #require(
            (catalog.roles(on: .cortexXDR) + catalog.roles(on: .huntress)).first { $0.grants.contains(where: \.isAmbiguous) })
        let g = AccessGraph(snapshot: Snapshot(), catalog: catalog, policy: Policy())
        #expect(g.principals.isEmpty && g.roles.isEmpty)
        let resolved = g.resolution(of: grant(contested.platform, "a@x.com", contested.name, contested.level, "t1"))
        #expect(resolved.documented == contested)
        #expect(!resolved.ambiguous.isEmpty && resolved.ambiguous == contested.grants.filter(\.isAmbiguous))
        #expect(g.roleID(of: grant(contested.platform, "a@x.com", contested.name, contested.level, "t1")) == nil)
    }
}
