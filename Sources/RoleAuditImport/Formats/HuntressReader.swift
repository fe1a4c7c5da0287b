import Foundation
import RoleAuditModel

/// Huntress API responses: memberships (also the reseller's per-account variant), organizations,
/// accounts, account and actor. A membership is org-level when `organization` is an object,
/// account-level otherwise (the vendor's own example fills both).
struct HuntressReader {
    let context: ImportContext
    private var accountIDs: Set<String> = []

    init(context: ImportContext) { self.context = context }

    var accountScope: String? { accountIDs.count == 1 ? accountIDs.first : nil }

    mutating func membership(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        let role = try e.requiredString("permissions")
        let account = try e.object("account")
        let accountID = try account.map { try $0.requiredString("id", allowNumber: true) }
        let org = try e.object("organization")
        guard let user = try e.object("user") else { throw e.missing("user") }
        let email = try user.requiredString("email")
        guard email.contains("@") else { throw user.child("email")?.error("an email address") ?? e.missing("email") }
        let createdAt = try timestamp(e, "created_at")
        _ = try timestamp(e, "updated_at")
        let b = context.builder
        if let account, let accountID {
            b.add(account: Account(platform: .huntress, id: accountID, name: try account.string("name")))
            accountIDs.insert(accountID)
        }
        let principal = b.add(principal: Principal(
            platform: .huntress, key: email.lowercased(), email: email, name: try user.string("name"),
            vendorIDs: try user.id("id").map { [$0] } ?? []))
        let level: Level
        let target: String
        if let org {
            let orgID = try org.requiredString("id", allowNumber: true)
            b.add(organization: Organization(
                platform: .huntress, kind: .organization, id: orgID, name: try org.string("name"), accountID: accountID))
            level = .organization
            target = orgID
        } else if let accountID {
            level = .account
            target = accountID
        } else {
            throw e.error("an \"account\" or \"organization\" object (a membership belongs to one)")
        }
        b.add(grant: Grant(
            platform: .huntress, principal: principal, role: role, level: level, target: target, createdAt: createdAt,
            provenance: provenance))
    }

    mutating func organization(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        let id = try e.requiredString("id", allowNumber: true)
        let accountID = try e.id("account_id")
        _ = try timestamp(e, "created_at")
        context.builder.add(organization: Organization(
            platform: .huntress, kind: .organization, id: id, name: try e.string("name"), accountID: accountID))
        if let accountID {
            context.builder.listedOrganization(id, account: accountID)
            accountIDs.insert(accountID)
        }
    }

    mutating func account(_ e: Element) throws {
        try e.requireObject()
        let id = try e.requiredString("id", allowNumber: true)
        context.builder.add(account: Account(platform: .huntress, id: id, name: try e.string("name")))
        accountIDs.insert(id)
    }

    func page(list: String, next: String?) {
        context.builder.page(of: "\(list) of account \(accountScope ?? "unknown")", next: next)
    }

    private func timestamp(_ e: Element, _ key: String) throws -> Date? {
        guard let text = try e.string(key) else { return nil }
        guard let date = Timestamps.parse(text) else {
            throw e.child(key)?.error("a timestamp such as \"2026-01-22 01:07:08 UTC\" or \"2026-01-22T01:07:08Z\" for \"\(key)\"")
                ?? e.missing(key)
        }
        return date
    }
}
