import Foundation
import RoleAuditModel

/// Reads a reviewed access-review worksheet (the scan's entitlements.csv, with `decision`,
/// `reviewer` and `comment` filled in) as Excel and LibreOffice save it: UTF-8 with or without a
/// BOM, or UTF-16, `,` or `;`, CRLF. Every row is checked; the first bad one is a located error.
public enum WorksheetReader {
    public static func read(_ path: String, reviewedAt: String) throws -> Certification {
        let file = try InputFile.read(path, maxSize: ImportOptions.defaultMaxFileSize)
        let text = String(decoding: file.buffer, as: UTF8.self)
        var rows = try SpreadsheetRows(
            text, file: path, what: "an entitlements.csv worksheet (columns platform, ..., decision, reviewer, comment)",
            required: ["platform", "principal", "role", "level", "via", "decision", "reviewer", "comment"])
        var reviewers: [String: Certification.Tally] = [:]
        var revocations: [Certification.Revocation] = []
        var scanDate: String?
        while let row = try rows.next() {
            let record = row.record
            let at = row.at, value = { row.value($0, unguarded) }
            // The row must still name a grant as the scan wrote it: a platform, a principal, a role,
            // a level, and the place that level names.
            guard let platformText = value("platform"), let platform = Platform(rawValue: platformText.lowercased()) else {
                throw ImportError.invalid(at("platform"), expected: "huntress or cortex-xdr (the row no longer matches a grant)", found: value("platform").map(ErrorText.quote) ?? "nothing")
            }
            guard let levelText = value("level"), let level = Level(rawValue: levelText.lowercased()) else {
                throw ImportError.invalid(at("level"), expected: "account, organization or tenant (the row no longer matches a grant)", found: value("level").map(ErrorText.quote) ?? "nothing")
            }
            guard let principal = value("principal") else {
                throw ImportError.invalid(at("principal"), expected: "the principal the grant is held by (the row no longer matches a grant)", found: "nothing")
            }
            guard let role = value("role") else {
                throw ImportError.invalid(at("role"), expected: "the role granted (the row no longer matches a grant)", found: "nothing")
            }
            let place: String
            switch (platform, level) {
            case (.huntress, .organization): place = "organization"
            case (.huntress, _): place = "account"
            default: place = "tenant"
            }
            guard value(place) != nil else {
                throw ImportError.invalid(at(place), expected: "the \(place) of a \(platform.rawValue) \(level.rawValue)-level grant (the row no longer matches a grant)", found: "nothing")
            }
            if scanDate == nil { scanDate = value("scan_date") }
            let reviewer = value("reviewer")
            var tally = reviewers[reviewer ?? ""] ?? Certification.Tally()
            switch value("decision")?.lowercased() {
            case nil: tally.undecided += 1
            case "keep": tally.keep += 1
            case "revoke":
                tally.revoke += 1
                revocations.append(Certification.Revocation(
                    platform: platform, account: value("account"), organization: value("organization"), tenant: value("tenant"),
                    principal: principal.lowercased(), role: role, level: level, via: value("via") ?? "direct", reviewer: reviewer,
                    comment: value("comment"), row: record))
            case let other?:
                throw ImportError.invalid(at("decision"), expected: "keep, revoke or nothing", found: ErrorText.quote(other))
            }
            reviewers[reviewer ?? ""] = tally
        }
        return Certification(
            worksheet: .init(path: path, sha256: file.sha256, rows: rows.records), scanDate: scanDate, reviewedAt: reviewedAt, reviewers: reviewers,
            revocations: revocations)
    }

    /// The scan writes a text cell that a spreadsheet would run (`=`, `+`, `-`, `@`, tab, CR first)
    /// with a leading `'`: read back, the quote goes.
    static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@\t\r ".contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    /// certification.json as `certify` wrote it; a located error otherwise.
    public static func certification(_ path: String) throws -> Certification {
        let file = try InputFile.read(path, maxSize: ImportOptions.defaultMaxFileSize)
        let data = Data(file.buffer)
        let c: Certification
        do { c = try JSONDecoder().decode(Certification.self, from: data) } catch {
            throw ImportError.invalid(
                InputLocation(file: path), expected: "a certification.json written by roleaudit certify", found: "\(String(describing: error).prefix(200))")
        }
        guard c.schema == Certification.schemaName, c.schema_version == Certification.version else {
            throw ImportError.invalid(
                InputLocation(file: path), expected: "schema \(Certification.schemaName) version \(Certification.version)", found: "\(c.schema) version \(c.schema_version)")
        }
        return c
    }
}
