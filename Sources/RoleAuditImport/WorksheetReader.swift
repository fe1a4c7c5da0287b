import Foundation
import RoleAuditModel

/// Reads a reviewed access-review worksheet (the scan's entitlements.csv, with `decision`,
/// `reviewer` and `comment` filled in) as Excel and LibreOffice save it: UTF-8 with or without a
/// BOM, or UTF-16, `,` or `;`, CRLF. Every row is checked; the first bad one is a located error.
public enum WorksheetReader {
    /// The grants of the exports a worksheet is checked against (`certify --against`), and the
    /// paths they were read from, for an error.
    public struct Current: Sendable {
        public var grants: Set<Certification.GrantKey>
        public var label: String
        public init(grants: Set<Certification.GrantKey>, label: String) {
            self.grants = grants
            self.label = label
        }
    }

    /// Every row must still match its grant as the scan wrote it: a platform, a principal, and
    /// either no role at all (a principal that holds none) or a role, a level the platform has,
    /// the place that level names and no place of another platform or level, and a path; one
    /// scan's date; each grant once (two rows of one grant with different decisions cannot both
    /// be carried out); and, with `current`, a grant the current exports still hold.
    public static func read(_ path: String, reviewedAt: String, against current: Current? = nil) throws -> Certification {
        let file = try InputFile.read(path, maxSize: ImportOptions.defaultMaxFileSize)
        let text = String(decoding: file.buffer, as: UTF8.self)
        var rows = try SpreadsheetRows(
            text, file: path, what: "an entitlements.csv worksheet (columns platform, ..., decision, reviewer, comment)",
            required: ["platform", "principal", "role", "level", "via", "decision", "reviewer", "comment"])
        var reviewers: [String: Certification.Tally] = [:]
        var revocations: [Certification.Revocation] = []
        var scanDate: (date: String, row: Int)?
        var seen: [Certification.GrantKey: (row: Int, decision: String?)] = [:]
        let mismatch = " (the row no longer matches its grant)"
        while let row = try rows.next() {
            let record = row.record
            let at = row.at, value = { row.value($0, unguarded) }
            guard let platformText = value("platform"), let platform = Platform(rawValue: platformText.lowercased()) else {
                throw ImportError.invalid(at("platform"), expected: "huntress or cortex-xdr" + mismatch, found: value("platform").map(ErrorText.quote) ?? "nothing")
            }
            guard let principal = value("principal") else {
                throw ImportError.invalid(at("principal"), expected: "the principal the grant is held by" + mismatch, found: "nothing")
            }
            /// A cell the row's grant leaves empty.
            func empty(_ column: String, _ why: String) throws {
                if let v = value(column) { throw ImportError.invalid(at(column), expected: "nothing for \(why)" + mismatch, found: ErrorText.quote(v)) }
            }
            let key: Certification.GrantKey
            let role = value("role")
            if role == nil {
                // A principal with no role: the scan writes it with no level, path or place.
                for column in ["level", "via", "account", "organization", "tenant"] { try empty(column, "a principal that holds no role (role is empty)") }
                key = Certification.GrantKey(platform: platform, principal: principal)
            } else {
                guard let levelText = value("level"), let level = Level(rawValue: levelText.lowercased()) else {
                    throw ImportError.invalid(at("level"), expected: "account, organization or tenant" + mismatch, found: value("level").map(ErrorText.quote) ?? "nothing")
                }
                // Huntress grants are account- or organization-level; Cortex grants tenant-level,
                // or account-level in Cortex Gateway (Sources/RoleAuditModel/Platform.swift).
                let levels: [Level] = platform == .huntress ? [.account, .organization] : [.tenant, .account]
                guard levels.contains(level) else {
                    throw ImportError.invalid(
                        at("level"), expected: levels.map(\.rawValue).joined(separator: " or ") + " for a \(platform.rawValue) grant" + mismatch,
                        found: ErrorText.quote(levelText))
                }
                let place: String
                switch (platform, level) {
                case (.huntress, .organization): place = "organization"
                case (.huntress, _): place = "account"
                default: place = "tenant"
                }
                guard value(place) != nil else {
                    throw ImportError.invalid(at(place), expected: "the \(place) of a \(platform.rawValue) \(level.rawValue)-level grant" + mismatch, found: "nothing")
                }
                switch platform {
                case .huntress:
                    try empty("tenant", "a huntress grant")
                    if level == .account { try empty("organization", "an account-level grant") }
                case .cortexXDR:
                    try empty("account", "a cortex-xdr grant")
                    try empty("organization", "a cortex-xdr grant")
                }
                guard let via = value("via") else {
                    throw ImportError.invalid(at("via"), expected: "direct or the groups the grant comes through" + mismatch, found: "nothing")
                }
                key = Certification.GrantKey(
                    platform: platform, account: value("account"), organization: value("organization"), tenant: value("tenant"),
                    principal: principal, role: role, level: level, via: via)
            }
            // One worksheet is one scan's: a row copied from another scan's says another date.
            if let date = value("scan_date") {
                if let first = scanDate, first.date != date {
                    throw ImportError.invalid(
                        at("scan_date"), expected: "\(first.date), the scan of row \(first.row) (one worksheet, one scan)" + mismatch, found: ErrorText.quote(date))
                }
                scanDate = scanDate ?? (date, record)
            }
            let decision = value("decision")?.lowercased()
            if let decision, decision != "keep", decision != "revoke" {
                throw ImportError.invalid(at("decision"), expected: "keep, revoke or nothing", found: ErrorText.quote(decision))
            }
            if let (earlier, said) = seen[key] {
                // The same decision twice is one decision; two different ones cannot both be carried out.
                if said != decision {
                    throw ImportError.invalid(
                        row.location, expected: "one decision per grant: row \(earlier) is the same grant (\(key.label)) and says \(said ?? "nothing")",
                        found: decision.map(ErrorText.quote) ?? "no decision")
                }
            } else {
                seen[key] = (record, decision)
            }
            if let current, !current.grants.contains(key) {
                throw ImportError.invalid(
                    row.location, expected: "a grant the current exports (\(current.label)) hold" + mismatch, found: "none: \(key.label)")
            }
            let reviewer = value("reviewer")
            var tally = reviewers[reviewer ?? ""] ?? Certification.Tally()
            switch decision {
            case nil: tally.undecided += 1
            case "revoke"?:
                guard let role = key.role, let level = key.level else {
                    throw ImportError.invalid(
                        at("decision"), expected: "keep or nothing: the principal holds no role, so no grant to revoke (remove the user in the console)",
                        found: ErrorText.quote(value("decision") ?? "revoke"))
                }
                tally.revoke += 1
                // A grant revoked twice is removed once.
                if seen[key]?.row == record {
                    revocations.append(Certification.Revocation(
                        platform: platform, account: key.account, organization: key.organization, tenant: key.tenant,
                        principal: key.principal, role: role, level: level, via: key.via ?? "direct", reviewer: reviewer,
                        comment: value("comment"), row: record))
                }
            default: tally.keep += 1  // "keep": every other word was refused above
            }
            reviewers[reviewer ?? ""] = tally
        }
        return Certification(
            worksheet: .init(path: path, sha256: file.sha256, rows: rows.records), scanDate: scanDate?.date, reviewedAt: reviewedAt, reviewers: reviewers,
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
