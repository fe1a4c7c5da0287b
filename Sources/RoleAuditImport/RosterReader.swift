import CSV
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
        let starts = try CortexCSV.recordLines(text, file: file)
        let delimiter = CortexCSV.delimiter(of: Substring(text))
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false, delimiter: delimiter.unicodeScalars.first ?? ",")
        } catch {
            throw ImportError.syntax(InputLocation(file: file, line: 1), expected: "a CSV header row (email, name, status, left_on)", found: "\(error)")
        }
        let header = (reader.headerRow ?? []).map(CortexCSV.normalise)
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for required in ["email", "status"] where columns[required] == nil {
            throw ImportError.invalid(
                InputLocation(file: file, line: 1), expected: "a roster header with columns email, name, status, left_on",
                found: "no '\(required)' column (columns: \(header.prefix(8).map { ErrorText.quote($0) }.joined(separator: ", ")))")
        }
        var entries: [Roster.Entry] = []
        var seen: [String: Int] = [:]
        var record = 0
        while true {
            let row: [String]?
            do {
                if let error = reader.error { throw error }
                row = reader.next()
                if let error = reader.error { throw error }
            } catch {
                throw ImportError.syntax(InputLocation(file: file, record: "row \(record + 1)"), expected: "a CSV record", found: "\(error)")
            }
            guard let row else { break }
            record += 1
            let line = record < starts.count ? starts[record] : record + 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func at(_ column: String) -> InputLocation { InputLocation(file: file, line: line, record: "row \(record), column \"\(column)\"") }
            guard row.count == header.count else {
                throw ImportError.syntax(
                    InputLocation(file: file, line: line, record: "row \(record)"), expected: "\(header.count) fields as in the header",
                    found: "\(row.count) (an unquoted '\(delimiter)' or quote?)")
            }
            func value(_ name: String) -> String? {
                guard let i = columns[name] else { return nil }
                let v = row[i].trimmingCharacters(in: .whitespacesAndNewlines)
                return v.isEmpty ? nil : v
            }
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
