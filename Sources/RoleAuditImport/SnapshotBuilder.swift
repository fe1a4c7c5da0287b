import Foundation
import RoleAuditModel

/// Collects what the format readers find, then resolves it into a `Snapshot`: principals merged
/// by key, Cortex group membership expanded into grants (nested groups included), coverage gaps
/// recorded. Every merge is order-independent, so shuffling files or records changes nothing.
/// Identity of an account, organization or principal within a platform, without building a string.
struct PlatformKey: Hashable, Comparable {
    let platform: Platform
    let id: String
    static func < (a: PlatformKey, b: PlatformKey) -> Bool { a.platform != b.platform ? a.platform < b.platform : a.id < b.id }
}

final class SnapshotBuilder {
    private var accounts: [PlatformKey: Account] = [:]
    private var organizations: [PlatformKey: Organization] = [:]
    /// Principals in arrival order; `principalIndex` finds one by key. Grants carry the index of
    /// their principal (`grantPrincipal`), so that sorting a million grants compares integers.
    private var principalList: [Principal] = []
    private var principalIndex: [PlatformKey: Int] = [:]
    private var grantPrincipal: [Int32] = []
    private var roles: [RoleID: RoleParts] = [:]
    private var groups: [TenantName: GroupParts] = [:]
    private var grants: [Grant] = []
    /// Per grant: whether its source says what its endpoint scope is (false: the source carries no
    /// scope, as get_roles' user lists do, so another file's scope for the same grant is no conflict).
    private var scopeStated: [Bool] = []
    /// Lists that come whole (never paged): kind and scope to the files that held one.
    private var wholeLists: [ListScope: [String]] = [:]
    private var sources: [SourceFile] = []
    private var coverage: Set<CoverageIssue> = []
    private var strings: [String: String] = [:]

    // Cortex: memberships a user record claims, role ids, scopes, roles' group lists.
    private var claimedGroups: [(tenant: String, principal: String, group: String, provenance: Provenance)] = []
    private var roleNamesByID: [TenantName: String] = [:]
    private var scopes: [(tenant: String, entity: String, isGroup: Bool, scope: Scope)] = []
    private var groupsNamedByRoles: [(tenant: String, group: String, role: String, provenance: Provenance)] = []
    private var groupRoleIDs: [(tenant: String, group: String, roleID: String, file: String)] = []

    // Huntress: pages of each list (file and next_page_token), and which accounts had their
    // organization list exported.
    private var pages: [String: [(file: String, next: String?)]] = [:]
    private var listedOrganizations: [String: Set<String>] = [:]
    private var huntressAccountsSeen: Set<String> = []
    /// Organizations placed under more than one account, with the accounts.
    private var accountConflicts: [String: Set<String>] = [:]

    private var lastInterned = ""

    /// Shares one copy of repeated strings (role labels, list names) among a million grants.
    func intern(_ s: String) -> String {
        if s == lastInterned { return lastInterned }
        if let shared = strings[s] {
            lastInterned = shared
            return shared
        }
        strings[s] = s
        lastInterned = s
        return s
    }

    /// Sizes the tables for an input of this many bytes (a membership takes about 250).
    func reserve(forBytes bytes: Int) {
        let expected = bytes / 250
        guard expected > principalIndex.capacity else { return }
        // As many principals as memberships at most: growing a million-entry table rehashes it
        // (measured: a tenth of the import time).
        principalIndex.reserveCapacity(expected)
        principalList.reserveCapacity(expected)
        grants.reserveCapacity(grants.count + expected)
        grantPrincipal.reserveCapacity(grants.count + expected)
        scopeStated.reserveCapacity(grants.count + expected)
    }

    func add(source: SourceFile) { sources.append(source) }
    func add(coverage issue: CoverageIssue) { coverage.insert(issue) }

    func add(account: Account) {
        let key = PlatformKey(platform: account.platform, id: account.id)
        if let old = accounts[key] {
            accounts[key] = Account(platform: account.platform, id: account.id, name: minimum(old.name, account.name))
        } else {
            accounts[key] = account
        }
        if account.platform == .huntress { huntressAccountsSeen.insert(account.id) }
    }

    func add(organization org: Organization) {
        let key = PlatformKey(platform: org.platform, id: org.id)
        guard var old = organizations[key] else {
            organizations[key] = org
            return
        }
        if old == org { return }
        if let a = old.accountID, let b = org.accountID, a != b {
            accountConflicts[org.id, default: []].formUnion([a, b])
        }
        old.name = minimum(old.name, org.name)
        old.accountID = minimum(old.accountID, org.accountID)
        old.customer = minimum(old.customer, org.customer)
        organizations[key] = old
    }

    /// The organization list of a Huntress account was exported: memberships may be checked against it.
    func listedOrganization(_ id: String, account: String) {
        listedOrganizations[account, default: []].insert(id)
    }

    @discardableResult
    func add(principal p: Principal) -> String {
        principalList[addPrincipal(p)].key
    }

    private var lastPrincipal = -1

    /// Adds or merges a principal; returns its index.
    private func addPrincipal(_ p: Principal) -> Int {
        // Consecutive records of one user (pages sorted by user) skip the lookup.
        if lastPrincipal >= 0, principalList[lastPrincipal].key == p.key, principalList[lastPrincipal].platform == p.platform {
            merge(p, into: lastPrincipal)
            return lastPrincipal
        }
        // One hash per record: the defaulted subscript looks up and inserts through one access.
        let fresh = principalList.count
        let index = current(&principalIndex[PlatformKey(platform: p.platform, id: p.key), default: fresh])
        if index == fresh {
            principalList.append(p)
        } else {
            merge(p, into: index)
        }
        lastPrincipal = index
        return index
    }

    private func current(_ value: inout Int) -> Int { value }

    private func merge(_ p: Principal, into i: Int) {
        let old = principalList[i]
        // The same user on every page of a large export, or a group's member already read from the
        // users list (a bare key and email): nothing new, nothing to merge. Each test below is a
        // case in which the merge keeps the old value.
        if p.email == nil || old.email == p.email, p.name == nil || old.name == p.name, p.vendorIDs.allSatisfy(old.vendorIDs.contains),
            p.userType == nil, p.status == nil, p.tenantStatuses.isEmpty, p.hidden == nil, p.lastLogin == .unknown,
            p.kind == old.kind || p.kind != .nonHuman, p.source == nil, p.apiKey == nil
        {
            return
        }
        var merged = old
        merged.email = minimum(old.email, p.email)
        merged.name = minimum(old.name, p.name)
        if !p.vendorIDs.allSatisfy(old.vendorIDs.contains) { merged.vendorIDs = Array(Set(old.vendorIDs + p.vendorIDs)).sorted() }
        merged.userType = minimum(old.userType, p.userType)
        merged.mergeStatuses(of: p)
        merged.hidden = old.hidden.map { $0 || (p.hidden ?? false) } ?? p.hidden
        merged.lastLogin = LastLogin.latest(old.lastLogin, p.lastLogin)
        if p.kind == .nonHuman { merged.kind = .nonHuman }
        merged.source = [old.source, p.source].compactMap { $0 }.min()
        merged.apiKey = old.apiKey ?? p.apiKey
        principalList[i] = merged
    }

    /// `scopeStated`: false when the source cannot say a grant's scope (see `scopeStated`).
    func add(grant: Grant, roleInterned: Bool = false, scopeStated stated: Bool = true) {
        var g = grant
        if !roleInterned { g.role = intern(g.role) }
        let index = lastPrincipal >= 0 && principalList[lastPrincipal].key == g.principal && principalList[lastPrincipal].platform == g.platform
            ? lastPrincipal
            : addPrincipal(Principal(platform: g.platform, key: g.principal, email: g.principal.utf8.contains(UInt8(ascii: "@")) ? g.principal : nil))
        g.principal = principalList[index].key
        grants.append(g)
        grantPrincipal.append(Int32(index))
        scopeStated.append(stated)
    }

    /// A role definition as the records give it, gathered in sets: repeated records of one role
    /// (one per file, per page, per users-table row) cost one insertion each, not a sort.
    /// A role read from one record keeps its lists as exported; one merged from several has them sorted.
    private struct RoleParts {
        var role: RoleDefinition
        var permissions: Set<String>
        var merged = false
        var built: RoleDefinition {
            var r = role
            if merged { r.permissions = permissions.sorted() }
            return r
        }
    }

    private struct GroupParts {
        var group: Group
        var roles: Set<String>
        var members: Set<String>
        var idpGroups: Set<String>
        var nestedGroups: Set<String>
        var merged = false
        init(_ g: Group) {
            group = g
            roles = Set(g.roles)
            members = Set(g.members)
            idpGroups = Set(g.idpGroups)
            nestedGroups = Set(g.nestedGroups)
        }
        var built: Group {
            var g = group
            if merged {
                (g.roles, g.members, g.idpGroups, g.nestedGroups) = (roles.sorted(), members.sorted(), idpGroups.sorted(), nestedGroups.sorted())
            }
            return g
        }
    }

    func add(role: RoleDefinition) {
        let key = RoleID(platform: role.platform, tenant: role.tenant, name: role.name)
        if let id = role.id, let tenant = role.tenant { roleNamesByID[TenantName(tenant: tenant, name: id)] = role.name }
        guard var old = roles[key] else {
            roles[key] = RoleParts(role: role, permissions: Set(role.permissions))
            return
        }
        roles[key] = nil  // unique while changed: no copy of the sets
        old.merged = true
        old.role.id = minimum(old.role.id, role.id)
        old.role.isCustom = old.role.isCustom ?? role.isCustom
        old.permissions.formUnion(role.permissions)
        old.role.description = minimum(old.role.description, role.description)
        old.role.provenance = min(old.role.provenance, role.provenance)
        roles[key] = old
    }

    func add(group: Group) {
        let key = TenantName(tenant: group.tenant, name: group.name.lowercased())
        guard var old = groups[key] else {
            groups[key] = GroupParts(group)
            return
        }
        groups[key] = nil  // unique while changed: no copy of the sets
        old.merged = true
        old.group.id = minimum(old.group.id, group.id)
        old.roles.formUnion(group.roles)
        old.members.formUnion(group.members)
        old.idpGroups.formUnion(group.idpGroups)
        old.nestedGroups.formUnion(group.nestedGroups)
        old.group.type = minimum(old.group.type, group.type)
        old.group.provenance = min(old.group.provenance, group.provenance)
        groups[key] = old
    }

    /// A list of `kind` that an API returns whole (a Cortex tenant's users, roles or user groups):
    /// two for one scope cannot be pages of one list, so they are two scopes in one folder, or
    /// two exports of one.
    func exported(list kind: String, scope: String, file: String) {
        wholeLists[ListScope(kind: kind, scope: scope), default: []].append(file)
    }

    private struct ListScope: Hashable, Comparable {
        let kind: String
        let scope: String
        static func < (a: ListScope, b: ListScope) -> Bool { (a.kind, a.scope) < (b.kind, b.scope) }
    }

    func group(roleID: String, ofGroup group: String, tenant: String, file: String) {
        groupRoleIDs.append((tenant, group, roleID, file))
    }

    func claim(tenant: String, principal: String, group: String, provenance: Provenance) {
        claimedGroups.append((tenant, principal, group, provenance))
    }

    func role(_ role: String, namesGroup group: String, tenant: String, provenance: Provenance) {
        groupsNamedByRoles.append((tenant, group, role, provenance))
    }

    func add(scope: Scope, tenant: String, entity: String, isGroup: Bool) {
        scopes.append((tenant, entity.lowercased(), isGroup, scope))
    }

    /// One page of a Huntress list: `list` names the list and its account; `next` is its next_page_token.
    func page(of list: String, file: String, next: String?) {
        pages[list, default: []].append((file, next.flatMap { $0.isEmpty ? nil : $0 }))
    }

    // MARK: build

    /// Throws when the inputs contradict each other (two lists of one kind and scope, two files
    /// that give one grant different scopes).
    func build() throws -> Snapshot {
        try checkLists()
        try checkPagination()
        resolveGroupRoles()
        expandGroupGrants()
        applyScopes()
        checkOrganizations()
        for account in huntressAccountsSeen.sorted() {
            coverage.insert(CoverageIssue(
                kind: .dataNotExported, platform: .huntress, scope: account,
                detail: "Huntress exports carry no last-login data: dormant and never-used account checks (LP-002, LP-003) cannot run; last login is unknown, not never"))
        }
        // Most comparisons are settled by the platform and the key's first seven bytes packed in
        // an integer; only ties compare strings. (UTF-8 byte order is code point order, so for
        // keys in normal form this is the order String comparison gives; for a key that is not,
        // the access graph finds the grants out of that order and sorts them again:
        // AccessGraph.sortedByPrincipal.)
        let prefix: [UInt64] = principalList.map { p in
            var v: UInt64 = p.platform == .huntress ? 1 << 63 : 0
            for (i, b) in p.key.utf8.prefix(7).enumerated() { v |= UInt64(b) << UInt64(55 - 8 * i) }
            return v
        }
        let sortedPrincipals = principalList.indices.sorted { a, b in
            if prefix[a] != prefix[b] { return prefix[a] < prefix[b] }
            return PlatformKey(platform: principalList[a].platform, id: principalList[a].key)
                < PlatformKey(platform: principalList[b].platform, id: principalList[b].key)
        }
        var rank = [Int32](repeating: 0, count: principalList.count)
        for (r, i) in sortedPrincipals.enumerated() { rank[i] = Int32(r) }
        // The lookup tables are done with: free them before the sort, the peak of the import.
        principalIndex = [:]
        strings = [:]
        try sortUniqueGrants(rank: rank)
        grantPrincipal = []
        scopeStated = []
        principalList = sortedPrincipals.map { principalList[$0] }
        return Snapshot(
            accounts: accounts.keys.sorted().compactMap { accounts[$0] },
            organizations: organizations.keys.sorted().compactMap { organizations[$0] },
            principals: principalList,
            groups: groups.values.map(\.built).sorted { ($0.tenant, $0.name) < ($1.tenant, $1.name) },
            roles: roles.values.map(\.built).sorted { ($0.platform, $0.tenant ?? "", $0.name) < ($1.platform, $1.tenant ?? "", $1.name) },
            grants: grants,
            sources: sources.sorted { $0.path < $1.path },
            coverage: coverage.sorted())
    }

    /// Puts the grants in a deterministic order and makes one grant of each assignment: the same
    /// (principal, role, place, path) seen in several records or files is one grant, with the
    /// scope a source states and every record that gave it (`alsoIn`). Two sources that state
    /// different scopes for it contradict each other: a located error.
    private func sortUniqueGrants(rank: [Int32]) throws {
        let order: [Int] = grants.withUnsafeBufferPointer { g in
            grantPrincipal.withUnsafeBufferPointer { p in
                rank.withUnsafeBufferPointer { r in
                    Array(g.indices).sorted { a, b in
                        // Platform first, then principal by rank: integers, not strings.
                        if g[a].platform != g[b].platform { return g[a].platform < g[b].platform }
                        let ra = r[Int(p[a])], rb = r[Int(p[b])]
                        if ra != rb { return ra < rb }
                        return grantOrder(g[a], g[b])
                    }
                }
            }
        }
        // A new array filled in order: reading in random order but writing in sequence costs
        // far fewer cache misses than permuting a million structs in place (measured: 536 ms
        // against 305 ms for 100,000 memberships).
        var unique: [Grant] = []
        unique.reserveCapacity(grants.count)
        var stated: [Bool] = []
        var runStart = 0
        for i in order {
            let g = grants[i]
            // Repeats sort next to each other (same prefix of the order): only this run is searched.
            if let last = unique.last, !samePrefix(last, g) { runStart = unique.count }
            guard let j = unique[runStart...].firstIndex(where: { $0.path == g.path && samePrefix($0, g) }) else {
                unique.append(g)
                stated.append(scopeStated[i])
                continue
            }
            if unique[j].scope != g.scope {
                if stated[j] && scopeStated[i] { throw scopeConflict(unique[j], g) }
                if scopeStated[i] {
                    unique[j].scope = g.scope
                    stated[j] = true
                }
            }
            if g.provenance != unique[j].provenance, !unique[j].alsoIn.contains(g.provenance) { unique[j].alsoIn.append(g.provenance) }
            unique[j].otherPaths = max(unique[j].otherPaths, g.otherPaths)
        }
        grants = unique
    }

    private func scopeConflict(_ a: Grant, _ b: Grant) -> ImportError {
        func describe(_ s: Scope?) -> String {
            guard let s, !s.isEmpty else { return "no scope (the whole tenant)" }
            return s.areas.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.map(ErrorText.quote).joined(separator: ", "))" }.joined(separator: "; ")
        }
        return .conflict(
            files: [a.provenance.description, b.provenance.description],
            problem: "these records give \(ErrorText.quote(a.principal)) the role \(ErrorText.quote(a.role)) in \(a.level.rawValue) \(ErrorText.quote(a.target)) with different endpoint scopes (\(describe(a.scope)) against \(describe(b.scope)))",
            advice: "export the files at one time, or leave out the stale one")
    }

    private func resolveGroupRoles() {
        for link in groupRoleIDs {
            let key = TenantName(tenant: link.tenant, name: link.group.lowercased())
            if let name = roleNamesByID[TenantName(tenant: link.tenant, name: link.roleID)], groups[key] != nil {
                groups[key]?.roles.insert(name)
                groups[key]?.merged = true
            } else {
                coverage.insert(CoverageIssue(
                    kind: .undefinedRole, platform: .cortexXDR, scope: link.tenant, file: link.file,
                    detail: "group '\(link.group)' has role id '\(link.roleID)', which no exported role list defines",
                    reference: "role id \(link.roleID) of group \(link.group)"))
            }
        }
        for link in groupsNamedByRoles {
            let key = TenantName(tenant: link.tenant, name: link.group.lowercased())
            if groups[key] != nil {
                groups[key]?.roles.insert(link.role)
                groups[key]?.merged = true
            } else {
                coverage.insert(CoverageIssue(
                    kind: .undefinedGroup, platform: .cortexXDR, scope: link.tenant, file: link.provenance.file,
                    detail: "role '\(link.role)' names group '\(link.group)', which was not exported: its members are unknown",
                    reference: "group \(link.group)", role: link.role, record: link.provenance))
            }
        }
    }

    /// Effective Cortex access: every group a user is in, directly or through nested groups, gives
    /// the user that group's roles: one grant per user, role and tenant, through the nearest group
    /// that gives it, with the number of the user's other groups that give it too (see
    /// `GroupResolution`). Cycles of nested groups are reported.
    private func expandGroupGrants() {
        let keys = groups.keys.sorted()
        var index: [TenantName: Int32] = [:]
        index.reserveCapacity(keys.count)
        for (i, k) in keys.enumerated() { index[k] = Int32(i) }
        var members = [[String: Provenance]](repeating: [:], count: keys.count)
        var parents = [[Int32]](repeating: [], count: keys.count)
        for (i, k) in keys.enumerated() {
            guard let g = groups[k] else { continue }
            for m in g.members { members[i][m.lowercased()] = g.group.provenance }
            for nested in g.nestedGroups.sorted() {
                guard let child = index[TenantName(tenant: g.group.tenant, name: nested.lowercased())] else {
                    coverage.insert(CoverageIssue(
                        kind: .undefinedGroup, platform: .cortexXDR, scope: g.group.tenant, file: g.group.provenance.file,
                        detail: "group '\(g.group.name)' nests group '\(nested)', which was not exported", reference: "group \(nested)",
                        record: g.group.provenance))
                    continue
                }
                parents[Int(child)].append(Int32(i))
            }
        }
        for c in claimedGroups {
            guard let i = index[TenantName(tenant: c.tenant, name: c.group.lowercased())].map(Int.init) else {
                coverage.insert(CoverageIssue(
                    kind: .undefinedGroup, platform: .cortexXDR, scope: c.tenant, file: c.provenance.file,
                    detail: "user '\(c.principal)' is in group '\(c.group)', which was not exported: the roles it gives are unknown",
                    principal: c.principal, reference: "group \(c.group)", record: c.provenance))
                continue
            }
            members[i][c.principal] = min(members[i][c.principal] ?? c.provenance, c.provenance)
        }
        let roleNames = Set(groups.values.flatMap(\.roles)).sorted()
        var roleID: [String: Int32] = [:]
        for (i, r) in roleNames.enumerated() { roleID[r] = Int32(i) }
        let resolution = GroupResolution(
            groups: keys.enumerated().map { i, k in
                let g = groups[k]
                return GroupResolution.Group(
                    name: g?.group.name ?? k.name, tenant: g?.group.tenant ?? k.tenant, file: g?.group.provenance.file ?? "",
                    roles: (g?.roles ?? []).compactMap { roleID[$0] }.sorted(), parents: Array(Set(parents[i])).sorted(),
                    members: members[i])
            },
            roleNames: roleNames)
        let (grants, cycles) = resolution.resolve()
        for g in grants {
            let principal = add(principal: Principal(platform: .cortexXDR, key: g.user, email: g.user))
            add(grant: Grant(
                platform: .cortexXDR, principal: principal, role: g.role, level: .tenant, target: g.tenant,
                path: .group(name: g.giver, chain: g.chain), provenance: g.provenance, otherPaths: g.otherGroups),
                scopeStated: false)
        }
        for cycle in cycles {
            let named = cycle.map { resolution.groups[Int($0)] }.sorted { $0.name < $1.name }
            let shown = named.prefix(5).map { "'\($0.name)'" }.joined(separator: ", ") + (named.count > 5 ? " and \(named.count - 5) more" : "")
            coverage.insert(CoverageIssue(
                kind: .groupCycle, platform: .cortexXDR, scope: named.first?.tenant, file: named.first?.file,
                detail: "\(named.count) group(s) nest each other in a cycle (\(shown)): each of their members gets the roles of all of them"))
        }
    }

    private func applyScopes() {
        guard !scopes.isEmpty else { return }
        struct Entity: Hashable { let tenant: String, isGroup: Bool, name: String }
        var byEntity: [Entity: Scope] = [:]
        for s in scopes { byEntity[Entity(tenant: s.tenant, isGroup: s.isGroup, name: s.entity)] = s.scope }
        for i in grants.indices where grants[i].platform == .cortexXDR && grants[i].scope == nil && !scopeStated[i] {
            let g = grants[i]
            let user = byEntity[Entity(tenant: g.target, isGroup: false, name: g.principal)]
            let group = g.path.groupName.flatMap { byEntity[Entity(tenant: g.target, isGroup: true, name: $0.lowercased())] }
            if let scope = user ?? group {
                grants[i].scope = scope
                scopeStated[i] = true
            }
        }
    }

    /// Two lists that an API returns whole, of one kind for one scope.
    private func checkLists() throws {
        for (list, files) in wholeLists.sorted(by: { $0.key < $1.key }) where files.count > 1 {
            throw ImportError.conflict(
                files: files.sorted(),
                problem: "\(files.count) \(list.kind)s for tenant '\(list.scope)': its API returns the whole list in one reply, so these are the lists of \(files.count) tenants (or \(files.count) exports of one)",
                advice: "put each tenant's exports in a folder of its own, or name the tenant in a roleaudit-source.json beside them")
        }
    }

    /// Pages of one Huntress list: a page pointing at a page that was not supplied is a gap; two
    /// last pages, or two pages pointing at one next page, are two exports of the list.
    private func checkPagination() throws {
        for (list, entries) in pages.sorted(by: { $0.key < $1.key }) {
            let last = entries.filter { $0.next == nil }.map(\.file).sorted()
            if last.count > 1 {
                throw ImportError.conflict(
                    files: last, problem: "these are each the last page (next_page_token null) of the \(list), and one list has one last page",
                    advice: "they are exports of the list from different times: keep the pages of one export")
            }
            let byNext = Dictionary(grouping: entries.filter { $0.next != nil }, by: { $0.next ?? "" })
            if let (token, same) = byNext.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
                throw ImportError.conflict(
                    files: same.map(\.file).sorted(),
                    problem: "these pages of the \(list) all point at the next page \(ErrorText.quote(token)), and in one list only one page does",
                    advice: "they are exports of the list from different times (or copies of one page): keep the pages of one export")
            }
            let pending = entries.compactMap(\.next)
            guard pending.count >= entries.count else { continue }
            let missing = pending.count - entries.count + 1
            coverage.insert(CoverageIssue(
                kind: .missingPage, platform: .huntress, scope: list,
                detail: "\(entries.count) page(s) of \(list) were supplied and \(pending.count) of them point at a next page (next_page_token \(pending.sorted().map { "'\($0)'" }.joined(separator: ", "))): at least \(missing) page(s) are missing"))
        }
    }

    private func checkOrganizations() {
        // An organization list is the authority on which account an organization belongs to.
        var listedAccount: [String: String] = [:]
        for (account, orgs) in listedOrganizations { for o in orgs { listedAccount[o] = account } }
        for (org, accounts) in accountConflicts.sorted(by: { $0.key < $1.key }) {
            let key = PlatformKey(platform: .huntress, id: org)
            let owner = listedAccount[org]
            if let owner { organizations[key]?.accountID = owner }
            let others = accounts.subtracting([owner].compactMap { $0 }).sorted()
            coverage.insert(CoverageIssue(
                kind: .foreignOrganization, platform: .huntress, scope: owner ?? accounts.sorted().first,
                detail: owner.map { "organization \(org) belongs to account \($0) (its organization list) but memberships place it under account \(others.joined(separator: ", "))" }
                    ?? "organization \(org) is placed under accounts \(accounts.sorted().joined(separator: ", "))",
                reference: "organization \(org)"))
        }
        guard !listedOrganizations.isEmpty else { return }
        for g in grants where g.platform == .huntress && g.level == .organization {
            guard accountConflicts[g.target] == nil, let org = organizations[PlatformKey(platform: .huntress, id: g.target)], let account = org.accountID,
                let listed = listedOrganizations[account], !listed.contains(g.target)
            else { continue }
            coverage.insert(CoverageIssue(
                kind: .undefinedOrganization, platform: .huntress, scope: account, file: g.provenance.file,
                detail: "membership \(g.provenance.record) is in organization \(g.target), which the exported organization list of account \(account) does not contain",
                principal: g.principal, reference: "organization \(g.target)", role: g.role, record: g.provenance))
        }
    }
}

/// Same place in the sort order, provenance aside.
private func samePrefix(_ a: Grant, _ b: Grant) -> Bool {
    a.platform == b.platform && a.principal == b.principal && a.level == b.level && a.target == b.target && a.role == b.role
        && a.path.groupName == b.path.groupName
}

private func grantOrder(_ a: Grant, _ b: Grant) -> Bool {
    if a.platform != b.platform { return a.platform < b.platform }
    if a.principal != b.principal { return a.principal < b.principal }
    if a.level != b.level { return a.level < b.level }
    if a.target != b.target { return a.target < b.target }
    if a.role != b.role { return a.role < b.role }
    let pa = a.path.groupName ?? "", pb = b.path.groupName ?? ""
    if pa != pb { return pa < pb }
    return a.provenance < b.provenance
}

/// Order-independent choice between two optional values: the smaller one that is present.
private func minimum(_ a: String?, _ b: String?) -> String? {
    switch (a, b) {
    case (nil, _): b
    case (_, nil): a
    case (let x?, let y?): min(x, y)
    }
}

