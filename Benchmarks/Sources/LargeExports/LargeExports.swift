import Foundation

/// Writes large exports in the vendors' shapes, deterministically: no randomness, no clock, so the
/// same arguments always give the same bytes and benchmark figures compare across runs.
public enum LargeExports {
    static let accountRoles = ["Admin", "Admin", "Admin", "Security Engineer", "Security Engineer", "Security Engineer", "Security Engineer",
        "Security Engineer", "User", "User", "Read-only", "Read-only", "Read-only", "Read-only", "Finance", "Provisioner", "Marketing"]
    static let organizationRoles = ["User", "User", "User", "User", "User", "User", "Read-only", "Read-only", "Read-only", "Admin",
        "Security Engineer", "User", "Read-only", "User", "Read-only", "User", "User", "Admin", "User", "Read-only"]

    /// A `GET /v1/memberships` page holding `count` memberships of an MSP account with
    /// `organizations` customer organizations, shaped like a large MSP: a few dozen account-level
    /// staff, every other user in their own customer's organization, about one in a thousand
    /// (contractors) in a second one; both timestamp styles; compact JSON as the API sends it
    /// (about 270 bytes a membership).
    public static func huntressMemberships(count: Int, organizations: Int = 5000, to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let out = try FileHandle(forWritingTo: url)
        defer { try? out.close() }
        var buffer = "{\"memberships\":["
        buffer.reserveCapacity(1 << 20)
        for i in 0..<count {
            let month = 1 + i % 12
            let day = 1 + i % 28
            let stamp = i % 3 == 0
                ? String(format: "2025-%02d-%02dT%02d:%02d:%02dZ", month, day, i % 24, i % 60, (i / 7) % 60)
                : String(format: "2025-%02d-%02d %02d:%02d:%02d UTC", month, day, i % 24, i % 60, (i / 7) % 60)
            let staff = i < 2 * accountRoles.count
            let user = staff ? i % accountRoles.count : i
            let contractor = !staff && i % 997 == 0
            // A contractor's second membership lands in the next organization.
            let org = (contractor ? (i - 1) : i) % organizations
            let role = staff ? accountRoles[i % accountRoles.count] : organizationRoles[i % organizationRoles.count]
            let email = staff ? "staff\(user)@msp.example" : contractor ? "u\(i - 1)@c\((i - 1) % organizations).example" : "u\(user)@c\(org).example"
            let organization = staff ? "null" : "{\"id\":\(90000 + (contractor ? (org + 1) % organizations : org)),\"name\":\"Org \(org)\"}"
            if i > 0 { buffer += "," }
            buffer += "{\"id\":\(100_000 + i),\"permissions\":\"\(role)\",\"account\":{\"id\":4120,\"name\":\"Northwind MSP\"},"
                + "\"organization\":\(organization),\"user\":{\"id\":\(500_000 + user),\"email\":\"\(email)\","
                + "\"name\":\"U\(user)\"},\"created_at\":\"\(stamp)\",\"updated_at\":\"\(stamp)\"}"
            if buffer.utf8.count > 1 << 20 {
                out.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer += "],\"pagination\":{\"next_page_token\":null,\"next_page_url\":null}}\n"
        out.write(Data(buffer.utf8))
    }
}
