import CSV
import Foundation
import RoleAuditModel

/// Reads a reviewed access-review worksheet (the scan's entitlements.csv, with `decision`,
/// `reviewer` and `comment` filled in) as Excel and LibreOffice save it: UTF-8 with or without a
/// BOM, or UTF-16, `,` or `;`, CRLF. Every row is checked; the first bad one is a located error.
public enum WorksheetReader {
    public static func read(_ path: String, reviewedAt: String) throws -> Certification {
        let file = try InputFile.read(path, maxSize: ImportOptions.defaultMaxFileSize)
        let text = String(decoding: file.buffer, as: UTF8.self)
        let starts = try CortexCSV.recordLines(text, file: path)
        let delimiter = CortexCSV.delimiter(of: Substring(text))
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false, delimiter: delimiter.unicodeScalars.first ?? ",")
        } catch {
            throw ImportError.syntax(InputLocation(file: path, line: 1), expected: "the worksheet's header row (entitlements.csv)", found: "\(error)")
        }
        let header = (reader.headerRow ?? []).map(CortexCSV.normalise)
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for required in ["platform", "principal", "role", "level", "via", "decision", "reviewer", "comment"] where columns[required] == nil {
            throw ImportError.invalid(
                InputLocation(file: path, line: 1), expected: "an entitlements.csv worksheet (columns platform, ..., decision, reviewer, comment)",
                found: "no '\(required)' column")
        }
        var reviewers: [String: Certification.Tally] = [:]
        var revocations: [Certification.Revocation] = []
        var scanDate: String?
        var record = 0
        while true {
            let row: [String]?
            do {
                if let error = reader.error { throw error }
                row = reader.next()
                if let error = reader.error { throw error }
            } catch {
                throw ImportError.syntax(InputLocation(file: path, record: "row \(record + 1)"), expected: "a CSV record", found: "\(error)")
            }
            guard let row else { break }
            record += 1
            let line = record < starts.count ? starts[record] : record + 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func at(_ column: String) -> InputLocation { InputLocation(file: path, line: line, record: "row \(record), column \"\(column)\"") }
            guard row.count == header.count else {
                throw ImportError.syntax(
                    InputLocation(file: path, line: line, record: "row \(record)"), expected: "\(header.count) fields as in the header",
                    found: "\(row.count) (an unquoted '\(delimiter)' or quote?)")
            }
            func value(_ name: String) -> String? {
                guard let i = columns[name] else { return nil }
                let v = unguarded(row[i]).trimmingCharacters(in: .whitespacesAndNewlines)
                return v.isEmpty ? nil : v
            }
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
            worksheet: .init(path: path, sha256: file.sha256, rows: record), scanDate: scanDate, reviewedAt: reviewedAt, reviewers: reviewers,
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
