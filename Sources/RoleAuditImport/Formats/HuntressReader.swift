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

    // MARK: fast path

    private var lastRole = ""
    /// Role labels seen, as bytes and interned strings: a label is decoded once, not per membership.
    private var roleLabels: [([UInt8], String)] = []
    private var lastAccount = ""
    /// Numeric organization ids already added: an integer set, not a string lookup per membership.
    private var knownOrganizations = Set<Int>()

    /// The members of a nested object the fast path keeps (on the stack, not in an array).
    private struct Fields {
        var id: UnsafeBufferPointer<UInt8>?
        var name: UnsafeBufferPointer<UInt8>?
        var email: UnsafeBufferPointer<UInt8>?
    }

    /// Reads a well-formed membership straight from the bytes, decoding only the strings it keeps.
    /// Returns false, having consumed anything, at the first thing it does not expect (escapes,
    /// unknown members, wrong types, a bad timestamp): the caller rewinds and the checked path reads
    /// the element again and says exactly what is wrong. Both paths accept the same memberships.
    mutating func fastMembership(_ r: inout JSONReader, _ provenance: Provenance) throws -> Bool {
        typealias Bytes = UnsafeBufferPointer<UInt8>
        func eq(_ b: Bytes, _ s: StaticString) -> Bool {
            guard b.count == s.utf8CodeUnitCount, let base = b.baseAddress else { return false }
            return memcmp(base, s.utf8Start, b.count) == 0
        }
        func scalar(_ r: inout JSONReader) -> Bytes? { r.plainString() ?? r.plainDigits() }
        /// {id, name, ...} or {id, email, name}: anything else fails.
        func object(_ r: inout JSONReader, _ fields: inout Fields) -> Bool {
            guard r.consume(UInt8(ascii: "{")) else { return false }
            if r.consume(UInt8(ascii: "}")) { return true }
            repeat {
                r.skipWhitespace()
                guard let key = r.plainString(), r.consume(UInt8(ascii: ":")) else { return false }
                r.skipWhitespace()
                if eq(key, "id") {
                    guard let v = scalar(&r) else { return false }
                    fields.id = v
                } else if eq(key, "name") {
                    if !r.consumeNull() {
                        guard let v = r.plainString() else { return false }
                        fields.name = v
                    }
                } else if eq(key, "email") {
                    guard let v = r.plainString() else { return false }
                    fields.email = v
                } else {
                    return false
                }
            } while r.consume(UInt8(ascii: ","))
            return r.consume(UInt8(ascii: "}"))
        }
        guard r.consume(UInt8(ascii: "{")) else { return false }
        var role: Bytes?
        var account = Fields()
        var org = Fields()
        var user = Fields()
        var hasAccount = false, hasOrg = false, hasUser = false
        var created: Bytes?
        var updated: Bytes?
        if !r.consume(UInt8(ascii: "}")) {
            repeat {
                r.skipWhitespace()
                guard let key = r.plainString(), r.consume(UInt8(ascii: ":")) else { return false }
                r.skipWhitespace()
                if eq(key, "permissions") {
                    guard let v = r.plainString() else { return false }
                    role = v
                } else if eq(key, "account") {
                    if !r.consumeNull() {
                        guard object(&r, &account) else { return false }
                        hasAccount = true
                    }
                } else if eq(key, "organization") {
                    if !r.consumeNull() {
                        guard object(&r, &org) else { return false }
                        hasOrg = true
                    }
                } else if eq(key, "user") {
                    guard object(&r, &user) else { return false }
                    hasUser = true
                } else if eq(key, "created_at") {
                    if !r.consumeNull() {
                        guard let v = r.plainString() else { return false }
                        created = v
                    }
                } else if eq(key, "updated_at") {
                    if !r.consumeNull() {
                        guard let v = r.plainString() else { return false }
                        updated = v
                    }
                } else if eq(key, "id") {
                    guard scalar(&r) != nil else { return false }
                } else {
                    return false
                }
            } while r.consume(UInt8(ascii: ","))
            guard r.consume(UInt8(ascii: "}")) else { return false }
        }
        guard let role, hasUser, let emailBytes = user.email, emailBytes.contains(UInt8(ascii: "@")), hasAccount || hasOrg,
            !hasAccount || account.id != nil, !hasOrg || org.id != nil
        else { return false }
        var createdAt: Date?
        if let created {
            guard let d = Timestamps.parse(bytes: created) else { return false }
            createdAt = d
        }
        if let updated, Timestamps.parse(bytes: updated) == nil { return false }

        let b = context.builder
        if !lastRole.utf8.elementsEqual(role) {
            if let known = roleLabels.first(where: { $0.0.elementsEqual(role) }) {
                lastRole = known.1
            } else {
                lastRole = b.intern(String(decoding: role, as: UTF8.self))
                if roleLabels.count < 64 { roleLabels.append((Array(role), lastRole)) }
            }
        }
        var accountID: String?
        if let id = account.id {
            if !lastAccount.utf8.elementsEqual(id) { lastAccount = String(decoding: id, as: UTF8.self) }
            accountID = lastAccount
            if !accountIDs.contains(lastAccount) {
                b.add(account: Account(platform: .huntress, id: lastAccount, name: account.name.map { String(decoding: $0, as: UTF8.self) }))
                accountIDs.insert(lastAccount)
            }
        }
        let email = String(decoding: emailBytes, as: UTF8.self)
        let principal = b.add(principal: Principal(
            platform: .huntress, key: lowercasedEmail(email), email: email,
            name: user.name.map { String(decoding: $0, as: UTF8.self) },
            vendorIDs: user.id.map { [String(decoding: $0, as: UTF8.self)] } ?? []))
        let level: Level
        let target: String
        if let id = org.id {
            let orgID = String(decoding: id, as: UTF8.self)
            let number = id.count <= 18 && id.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? Int(orgID) : nil
            let known = number.map { knownOrganizations.contains($0) } ?? b.knows(organization: orgID, on: .huntress)
            if !known {
                b.add(organization: Organization(
                    platform: .huntress, kind: .organization, id: orgID, name: org.name.map { String(decoding: $0, as: UTF8.self) },
                    accountID: accountID))
                if let number { knownOrganizations.insert(number) }
            }
            level = .organization
            target = orgID
        } else {
            level = .account
            target = accountID ?? ""
        }
        b.add(grant: Grant(
            platform: .huntress, principal: principal, role: lastRole, level: level, target: target, createdAt: createdAt,
            provenance: provenance), roleInterned: true)
        return true
    }

    /// The common case, read straight from the parsed value: a well-formed membership costs no
    /// wrapper per field. Anything unusual goes to `checkedMembership`, which says exactly what is wrong.
    mutating func membership(_ e: Element, _ provenance: Provenance) throws {
        guard case .object(let members, _) = e.value else { return try checkedMembership(e, provenance) }
        var role: String?
        var account: [(key: String, value: JSONValue)]?
        var org: [(key: String, value: JSONValue)]?
        var user: [(key: String, value: JSONValue)]?
        var created: String?
        var valid = true
        for (key, value) in members {
            switch (key, value) {
            case ("permissions", .string(let s, _)): role = s
            case ("account", .object(let m, _)): account = m
            case ("organization", .object(let m, _)): org = m
            case ("user", .object(let m, _)): user = m
            case ("created_at", .string(let s, _)): created = s
            case ("account", .null), ("organization", .null), ("created_at", .null), ("updated_at", .string), ("updated_at", .null),
                ("id", _):
                break
            case ("permissions", _), ("account", _), ("organization", _), ("user", _), ("created_at", _), ("updated_at", _):
                valid = false
            default: break
            }
        }
        func field(_ m: [(key: String, value: JSONValue)], _ name: String) -> String? {
            for (k, v) in m where k == name {
                switch v {
                case .string(let s, _): return s
                case .number(let n, _): return n
                default: return nil
                }
            }
            return nil
        }
        guard valid, let role, let user, let email = field(user, "email"), email.utf8.contains(UInt8(ascii: "@")),
            account == nil || field(account ?? [], "id") != nil, org == nil || field(org ?? [], "id") != nil,
            account != nil || org != nil
        else { return try checkedMembership(e, provenance) }
        var createdAt: Date?
        if let created {
            guard let d = Timestamps.parse(created) else { return try checkedMembership(e, provenance) }
            createdAt = d
        }
        let b = context.builder
        let accountID = account.flatMap { field($0, "id") }
        if let account, let accountID {
            if !accountIDs.contains(accountID) {
                b.add(account: Account(platform: .huntress, id: accountID, name: field(account, "name")))
                accountIDs.insert(accountID)
            }
        }
        let principal = b.add(principal: Principal(
            platform: .huntress, key: lowercasedEmail(email), email: email, name: field(user, "name"),
            vendorIDs: field(user, "id").map { [$0] } ?? []))
        let level: Level
        let target: String
        if let org, let orgID = field(org, "id") {
            b.add(organization: Organization(platform: .huntress, kind: .organization, id: orgID, name: field(org, "name"), accountID: accountID))
            level = .organization
            target = orgID
        } else {
            level = .account
            target = accountID ?? ""
        }
        b.add(grant: Grant(
            platform: .huntress, principal: principal, role: role, level: level, target: target, createdAt: createdAt,
            provenance: provenance))
    }

    /// Most emails are already lower-case: do not build a million copies of them.
    private func lowercasedEmail(_ email: String) -> String {
        email.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? email.lowercased() : email
    }

    /// Reads a membership field by field, each with its own error.
    private mutating func checkedMembership(_ e: Element, _ provenance: Provenance) throws {
        try e.requireObject()
        let role = try e.requiredString("permissions")
        let account = try e.object("account")
        let accountID = try account.map { try $0.requiredString("id", allowNumber: true) }
        let org = try e.object("organization")
        guard let user = try e.object("user") else { throw e.missing("user") }
        let email = try user.requiredString("email")
        guard email.utf8.contains(UInt8(ascii: "@")) else { throw user.child("email")?.error("an email address") ?? e.missing("email") }
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
