import Foundation

/// Writes large exports in the vendors' shapes, deterministically: no randomness, no clock, so the
/// same arguments always give the same bytes and benchmark figures compare across runs.
public enum LargeExports {
    static let roles = ["Admin", "Security Engineer", "User", "Read-only", "Read-only", "User", "Finance", "Provisioner"]

    /// A `GET /v1/memberships` page holding `count` memberships of an MSP account with
    /// `organizations` customer organizations: one in ten account-level, users mostly in one
    /// organization, some in two (about 1.6 memberships per user), both timestamp styles, compact
    /// JSON as the API sends it (about 200 bytes a membership).
    public static func huntressMemberships(count: Int, organizations: Int = 5000, to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let out = try FileHandle(forWritingTo: url)
        defer { try? out.close() }
        var buffer = "{\"memberships\":["
        buffer.reserveCapacity(1 << 20)
        for i in 0..<count {
            let user = i * 5 / 8
            let org = user % organizations
            let role = roles[i % roles.count]
            let month = 1 + i % 12
            let day = 1 + i % 28
            let stamp = i % 3 == 0
                ? String(format: "2025-%02d-%02dT%02d:%02d:%02dZ", month, day, i % 24, i % 60, (i / 7) % 60)
                : String(format: "2025-%02d-%02d %02d:%02d:%02d UTC", month, day, i % 24, i % 60, (i / 7) % 60)
            let organization = i % 10 == 0 ? "null" : "{\"id\":\(90000 + org),\"name\":\"Org \(org)\"}"
            if i > 0 { buffer += "," }
            buffer += "{\"id\":\(100_000 + i),\"permissions\":\"\(role)\",\"account\":{\"id\":4120,\"name\":\"Northwind MSP\"},"
                + "\"organization\":\(organization),\"user\":{\"id\":\(500_000 + user),\"email\":\"u\(user)@c\(org).example\","
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
