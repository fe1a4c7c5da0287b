import CSV
import Foundation

/// A CSV file as a spreadsheet saves it (UTF-8 with or without a BOM, or UTF-16, as `InputFile`
/// gives it; `,` or `;`; CRLF), read row by row with each row's line in the file: what the roster
/// (RosterReader.swift) and the reviewed worksheet (WorksheetReader.swift) share. Column names are
/// matched as `CortexCSV.normalise` folds them; blank rows are skipped; a row with another number
/// of fields than the header is a located error.
struct SpreadsheetRows {
    struct Row {
        let fields: [String]
        /// 1 = the first row after the header.
        let record: Int
        let line: Int
        fileprivate let file: String
        fileprivate let columns: [String: Int]

        /// Where column `name` of this row is, for an error.
        func at(_ column: String) -> InputLocation { InputLocation(file: file, line: line, record: "row \(record), column \"\(column)\"") }

        /// Where this row is, for an error about the row as a whole.
        var location: InputLocation { InputLocation(file: file, line: line, record: "row \(record)") }

        /// The cell of column `name`, passed through `clean` and trimmed; nil when empty or no such column.
        func value(_ name: String, _ clean: (String) -> String = { $0 }) -> String? {
            guard let i = columns[name] else { return nil }
            let v = clean(fields[i]).trimmingCharacters(in: .whitespacesAndNewlines)
            return v.isEmpty ? nil : v
        }
    }

    let header: [String]
    private let columns: [String: Int]
    private let file: String
    private let delimiter: Character
    private let reader: CSVReader
    private let starts: [Int]
    private(set) var records = 0

    /// `what` names the file in the errors ("a roster header with columns email, name, status, left_on").
    init(_ text: String, file: String, what: String, required: [String]) throws {
        self.file = file
        starts = try CortexCSV.recordLines(text, file: file)
        delimiter = CortexCSV.delimiter(of: Substring(text))
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false, delimiter: delimiter.unicodeScalars.first ?? ",")
        } catch {
            throw ImportError.syntax(InputLocation(file: file, line: 1), expected: what, found: "\(error)")
        }
        header = (reader.headerRow ?? []).map(CortexCSV.normalise)
        columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for name in required where columns[name] == nil {
            throw ImportError.invalid(
                InputLocation(file: file, line: 1), expected: what,
                found: "no '\(name)' column (columns: \(header.prefix(8).map { ErrorText.quote($0) }.joined(separator: ", ")))")
        }
    }

    /// The next row that is not blank, or nil at the end.
    mutating func next() throws -> Row? {
        while true {
            let row: [String]?
            do {
                if let error = reader.error { throw error }
                row = reader.next()
                if let error = reader.error { throw error }
            } catch {
                throw ImportError.syntax(InputLocation(file: file, record: "row \(records + 1)"), expected: "a CSV record", found: "\(error)")
            }
            guard let row else { return nil }
            records += 1
            let line = records < starts.count ? starts[records] : records + 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw ImportError.syntax(
                    InputLocation(file: file, line: line, record: "row \(records)"), expected: "\(header.count) fields as in the header",
                    found: "\(row.count) (an unquoted '\(delimiter)' or quote?)")
            }
            return Row(fields: row, record: records, line: line, file: file, columns: columns)
        }
    }
}
