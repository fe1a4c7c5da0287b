import Foundation
import RoleAuditModel

/// Reads an HR roster: columns `email, name, status, left_on` (any order, any case, other columns
/// ignored), as spreadsheets save it: UTF-8 with or without a BOM, or UTF-16, `,` or `;`, CRLF.
/// Every row is checked; a bad one is a located error (file, line, column, expected, found).
public enum RosterReader {
    public static func read(_ path: String, maxSize: Int = ImportOptions.defaultMaxFileSize) throws -> Roster {
        let file = try InputFile.read(path, maxSize: maxSize)
        let text = String(decoding: file.buffer, as: UTF8.self)
        let entries = try parse(text, file: path)
        let source = SourceFile(
            path: path, format: "roster.csv", platform: nil, scope: nil, sha256: file.sha256, size: file.size, records: entries.count)
        return Roster(source: source, entries: entries)
    }

    static func parse(_ text: String, file: String) throws -> [Roster.Entry] {
        var rows = try SpreadsheetRows(text, file: file, what: "a roster header with columns email, name, status, left_on", required: ["email", "status"])
        var entries: [Roster.Entry] = []
        var seen: [String: Int] = [:]
        while let row = try rows.next() {
            let line = row.line
            let at = row.at, value = { row.value($0) }
            guard let email = value("email")?.lowercased(), email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
                throw ImportError.invalid(at("email"), expected: "an email address", found: value("email").map(ErrorText.quote) ?? "nothing")
            }
            if let first = seen[email] {
                throw ImportError.invalid(at("email"), expected: "each person once", found: "\(ErrorText.quote(email)) again (first on line \(first))")
            }
            seen[email] = line
            guard let statusText = value("status"), let status = Roster.Status(rawValue: statusText.lowercased()) else {
                throw ImportError.invalid(at("status"), expected: "active or left", found: value("status").map(ErrorText.quote) ?? "nothing")
            }
            var leftOn: Date?
            if let day = value("left_on") {
                guard let date = Self.day(day) else {
                    throw ImportError.invalid(at("left_on"), expected: "a date YYYY-MM-DD", found: ErrorText.quote(day))
                }
                guard status == .left else {
                    throw ImportError.invalid(at("left_on"), expected: "no leaving date for an active person", found: ErrorText.quote(day))
                }
                leftOn = date
            }
            entries.append(Roster.Entry(email: email, name: value("name"), status: status, leftOn: leftOn, line: line))
        }
        return entries
    }

    /// Midnight UTC of a `YYYY-MM-DD` day that exists.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return nil }
        let check = calendar.dateComponents([.year, .month, .day], from: date)
        return check.year == y && check.month == m && check.day == d ? date : nil
    }
}
