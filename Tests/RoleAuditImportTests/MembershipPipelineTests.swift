import Foundation
import RoleAuditImport
import RoleAuditModel
import Testing

/// Memberships are read on one thread and recorded on another, in batches (JSONExport): what a
/// page longer than a batch holds must come out as one thread reading it would have it, whatever
/// falls on a batch's edge, and the file's text must stay readable until what names it is recorded.
struct MembershipPipelineTests {
    /// `count` memberships of `users` users over `organizations` organizations; `odd` indexes are
    /// written so that only the checked path reads them (an escape in the user's name).
    static func page(count: Int, users: Int, organizations: Int, odd: Set<Int> = [], bad: Int? = nil) -> [UInt8] {
        var out = #"{"memberships": ["#
        for i in 0..<count {
            if i > 0 { out += ",\n" }
            let u = i % users, o = i % organizations
            let name = odd.contains(i) ? #"User \u0041\#(u)"# : "User A\(u)"
            let role = i % 7 == 0 ? "Admin" : i % 3 == 0 ? "Security Engineer" : "Read-only"
            let created = i == bad ? "yesterday" : "2025-01-02 03:04:05 UTC"
            out += #"{"id": \#(i), "permissions": "\#(role)", "account": {"id": 7, "name": "MSP"}, "organization": {"id": \#(5000 + o), "name": "Org \#(o)"}, "user": {"id": \#(u), "email": "user\#(u)@example.com", "name": "\#(name)"}, "created_at": "\#(created)"}"#
        }
        out += #"], "pagination": {"next_page_token": null}}"#
        return Array(out.utf8)
    }

    /// Batches hold 8,192 memberships: checked-path records on and around their edges, one user in
    /// records of several batches, and an error after three batches' worth.
    @Test func aPageOfSeveralBatchesReadsAsOneThreadWouldReadIt() async throws {
        let edges: Set<Int> = [0, 8191, 8192, 8193, 16383, 16384, 20000]
        let whole = Self.page(count: 30000, users: 9000, organizations: 700, odd: edges)
        let broken = Self.page(count: 30000, users: 9000, organizations: 700, odd: edges, bad: 25001)
        let (a, b, c, d) = try await offPool {
            (
                DifferentialTests.outcome(whole, name: "t/page.json", fast: true), DifferentialTests.outcome(whole, name: "t/page.json", fast: false),
                DifferentialTests.outcome(broken, name: "t/page.json", fast: true), DifferentialTests.outcome(broken, name: "t/page.json", fast: false)
            )
        }
        #expect(!a.hasPrefix("error"), "\(a.prefix(300))")
        #expect(a == b)
        #expect(c.hasPrefix("error") && c.contains("created_at") && c.contains("page.json:25002:") && c.contains("memberships[25001].created_at"), "\(c.prefix(400))")
        #expect(c == d)
        let snapshot = try Importer.load(bytes: whole, name: "t/page.json")
        #expect(snapshot.grants.count == 30000)
        #expect(snapshot.principals.count == 9000)
        #expect(snapshot.principals.first { $0.key == "user0@example.com" }?.name == "User A0")
    }

    /// A large file's parsed text is handed back to the kernel as it is read; an organization's
    /// name is decoded when its membership is recorded, later, on the other thread. Every name must
    /// still be there (released text reads as zeros). 80 MB: releases happen 32 MB at a time.
    @Test func namesOfALargeFileSurviveItsTextBeingReleased() async throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("memberships.json")
        let organizations = 150_000
        try Data(Self.page(count: 300_000, users: 300_000, organizations: organizations)).write(to: file)
        let snapshot = try await offPool { try Importer.load([file.path]) }
        let orgs = snapshot.organizations.filter { $0.platform == .huntress }
        #expect(orgs.count == organizations)
        let wrong = orgs.filter { "Org \((Int($0.id) ?? 0) - 5000)" != $0.name }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }
}
