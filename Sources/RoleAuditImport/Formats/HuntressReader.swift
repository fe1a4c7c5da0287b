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
    /// Numeric organization ids already added, with the account they were added under: an integer
    /// lookup per membership, not a string one.
    private var knownOrganizations: [Int: String?] = [:]

    /// The members of a nested object the fast path keeps (on the stack, not in an array).
    private struct Fields {
        var id: UnsafeBufferPointer<UInt8>?
        var name: UnsafeBufferPointer<UInt8>?
        var email: UnsafeBufferPointer<UInt8>?
    }

    /// A membership as the fast path read it: the strings every membership needs decoded, the
    /// rest still bytes of the file, valid while the file holds them (JSONExport releases text only
    /// behind what was recorded).
    struct Parsed {
        var role: UnsafeBufferPointer<UInt8>
        var accountID: UnsafeBufferPointer<UInt8>?
        var accountName: UnsafeBufferPointer<UInt8>?
        /// Built here rather than by `record`: this is the reading thread's share of the work.
        var user: Principal
        var orgID: String?
        var orgName: UnsafeBufferPointer<UInt8>?
        var createdAt: Date?
    }

    /// Reads a well-formed membership straight from the bytes, decoding only the strings it keeps.
    /// Returns nil, having consumed anything, at the first thing it does not expect (escapes,
    /// unknown members, wrong types, a bad timestamp): the caller rewinds and the checked path reads
    /// the element again and says exactly what is wrong. Both paths accept the same memberships.
    /// Reads only: `record` adds what it read, so the two can run on two threads (JSONExport).
    static func parse(_ r: inout JSONReader) -> Parsed? {
        typealias Bytes = UnsafeBufferPointer<UInt8>
        func eq(_ b: Bytes, _ s: StaticString) -> Bool {
            guard b.count == s.utf8CodeUnitCount, let base = b.baseAddress else { return false }
            return memcmp(base, s.utf8Start, b.count) == 0
        }
        func scalar(_ r: inout JSONReader) -> Bytes? { r.plainString() ?? r.plainDigits() }
        /// Marks member `bit` as seen; false when it was already (a repeated name is the checked
        /// path's error).
        func first(_ seen: inout UInt8, _ bit: UInt8) -> Bool {
            defer { seen |= bit }
            return seen & bit == 0
        }
        /// {id, name, ...} or {id, email, name}: anything else fails.
        func object(_ r: inout JSONReader, _ fields: inout Fields) -> Bool {
            guard r.consume(UInt8(ascii: "{")) else { return false }
            if r.consume(UInt8(ascii: "}")) { return true }
            var seen: UInt8 = 0
            repeat {
                r.skipWhitespace()
                guard let key = r.plainString(), r.consume(UInt8(ascii: ":")) else { return false }
                r.skipWhitespace()
                if eq(key, "id") {
                    guard first(&seen, 1), let v = scalar(&r) else { return false }
                    fields.id = v
                } else if eq(key, "name") {
                    guard first(&seen, 2) else { return false }
                    if !r.consumeNull() {
                        guard let v = r.plainString() else { return false }
                        fields.name = v
                    }
                } else if eq(key, "email") {
                    guard first(&seen, 4), let v = r.plainString() else { return false }
                    fields.email = v
                } else {
                    return false
                }
            } while r.consume(UInt8(ascii: ","))
            return r.consume(UInt8(ascii: "}"))
        }
        guard r.consume(UInt8(ascii: "{")) else { return nil }
        var role: Bytes?
        var account = Fields()
        var org = Fields()
        var user = Fields()
        var hasAccount = false, hasOrg = false, hasUser = false
        var created: Bytes?
        var updated: Bytes?
        if !r.consume(UInt8(ascii: "}")) {
            var seen: UInt8 = 0
            repeat {
                r.skipWhitespace()
                guard let key = r.plainString(), r.consume(UInt8(ascii: ":")) else { return nil }
                r.skipWhitespace()
                if eq(key, "permissions") {
                    guard first(&seen, 1), let v = r.plainString() else { return nil }
                    role = v
                } else if eq(key, "account") {
                    guard first(&seen, 2) else { return nil }
                    if !r.consumeNull() {
                        guard object(&r, &account) else { return nil }
                        hasAccount = true
                    }
                } else if eq(key, "organization") {
                    guard first(&seen, 4) else { return nil }
                    if !r.consumeNull() {
                        guard object(&r, &org) else { return nil }
                        hasOrg = true
                    }
                } else if eq(key, "user") {
                    guard first(&seen, 8), object(&r, &user) else { return nil }
                    hasUser = true
                } else if eq(key, "created_at") {
                    guard first(&seen, 16) else { return nil }
                    if !r.consumeNull() {
                        guard let v = r.plainString() else { return nil }
                        created = v
                    }
                } else if eq(key, "updated_at") {
                    guard first(&seen, 32) else { return nil }
                    if !r.consumeNull() {
                        guard let v = r.plainString() else { return nil }
                        updated = v
                    }
                } else if eq(key, "id") {
                    guard first(&seen, 64), scalar(&r) != nil else { return nil }
                } else {
                    return nil
                }
            } while r.consume(UInt8(ascii: ","))
            guard r.consume(UInt8(ascii: "}")) else { return nil }
        }
        guard let role, hasUser, let emailBytes = user.email, emailBytes.contains(UInt8(ascii: "@")), hasAccount || hasOrg,
            !hasAccount || account.id != nil, !hasOrg || org.id != nil
        else { return nil }
        var createdAt: Date?
        if let created {
            guard let d = Timestamps.parse(bytes: created) else { return nil }
            createdAt = d
        }
        if let updated, Timestamps.parse(bytes: updated) == nil { return nil }
        func text(_ b: Bytes) -> String { String(decoding: b, as: UTF8.self) }
        return Parsed(
            role: role, accountID: account.id, accountName: account.name,
            user: HuntressReader.principal(email: text(emailBytes), name: user.name.map(text), id: user.id.map(text)),
            orgID: org.id.map(text), orgName: org.name, createdAt: createdAt)
    }

    /// Adds a membership `parse` read.
    mutating func record(_ m: Parsed, _ provenance: Provenance) {

        if !HuntressReader.same(&lastRole, m.role) {
            if let known = roleLabels.first(where: { $0.0.elementsEqual(m.role) }) {
                lastRole = known.1
            } else {
                lastRole = context.builder.intern(String(decoding: m.role, as: UTF8.self))
                if roleLabels.count < 64 { roleLabels.append((Array(m.role), lastRole)) }
            }
        }
        var accountID: String?
        if let id = m.accountID {
            if !HuntressReader.same(&lastAccount, id) { lastAccount = String(decoding: id, as: UTF8.self) }
            accountID = lastAccount
        }
        record(
            role: lastRole, accountID: accountID, accountName: { m.accountName.map { String(decoding: $0, as: UTF8.self) } },
            user: m.user, orgID: m.orgID,
            orgName: { m.orgName.map { String(decoding: $0, as: UTF8.self) } }, createdAt: m.createdAt, provenance: provenance)
    }

    /// A membership's user: one principal per lower-cased email.
    static func principal(email: String, name: String?, id: String?) -> Principal {
        // Most emails are already lower-case: do not build a million copies of them.
        let key = email.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? email.lowercased() : email
        return Principal(platform: .huntress, key: key, email: email, name: name, vendorIDs: id.map { [$0] } ?? [])
    }

    /// Whether `s` holds these bytes: one memcmp (the generic `elementsEqual` walked the string's
    /// UTF-8 view a byte at a time, for every membership).
    private static func same(_ s: inout String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        s.withUTF8 { text in
            guard text.count == bytes.count, let a = text.baseAddress, let b = bytes.baseAddress else { return text.count == bytes.count }
            return memcmp(a, b, text.count) == 0
        }
    }

    /// Reads a membership field by field, each with its own error: the path for anything the
    /// fast path does not take (and for single `membership` responses).
    mutating func membership(_ e: Element, _ provenance: Provenance) throws {
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
        guard account != nil || org != nil else {
            throw e.error("an \"account\" or \"organization\" object (a membership belongs to one)")
        }
        record(
            role: context.builder.intern(role), accountID: accountID, accountName: { try? account?.string("name") },
            user: HuntressReader.principal(email: email, name: try user.string("name"), id: try user.id("id")),
            orgID: try org.map { try $0.requiredString("id", allowNumber: true) }, orgName: { try? org?.string("name") },
            createdAt: createdAt, provenance: provenance)
    }

    /// Adds one membership to the snapshot: its account, principal, organization and grant. Both
    /// paths end here, so they cannot disagree on what a membership means. Names are asked for only
    /// when the account or organization is new.
    private mutating func record(
        role: String, accountID: String?, accountName: () -> String?, user: Principal,
        orgID: String?, orgName: () -> String?, createdAt: Date?, provenance: Provenance
    ) {
        let b = context.builder
        if let accountID, !accountIDs.contains(accountID) {
            b.add(account: Account(platform: .huntress, id: accountID, name: accountName()))
            accountIDs.insert(accountID)
        }
        let principal = b.add(principal: user)
        if let orgID {
            let number = orgID.utf8.count <= 18 && orgID.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? Int(orgID) : nil
            // Added again when the account differs: the builder reports an organization under two accounts.
            let known = number.map { knownOrganizations[$0] == .some(accountID) } ?? false
            if !known {
                b.add(organization: Organization(platform: .huntress, kind: .organization, id: orgID, name: orgName(), accountID: accountID))
                if let number { knownOrganizations[number] = accountID }
            }
        }
        b.add(grant: Grant(
            platform: .huntress, principal: principal, role: role, level: orgID == nil ? .account : .organization,
            target: orgID ?? accountID ?? "", createdAt: createdAt, provenance: provenance), roleInterned: true)
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
        context.builder.page(of: "\(list) of account \(accountScope ?? "unknown")", file: context.path, next: next)
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
