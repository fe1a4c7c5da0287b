import Foundation

/// Formats for the listing commands (`catalog`, `inspect`, `rules`, `history`).
public enum ListingFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// A flat listing for stdout: named columns and string cells. Rendered as an aligned text table,
/// CSV (the reports' `CSVTable`, without a byte-order mark) or a JSON array of objects with the
/// column names as keys. Every cell goes through `Terminal.text` first, whatever the format:
/// stdout may be a CI log.
public struct Tabular: Sendable {
    public let columns: [String]
    public let rows: [[String]]
    /// Columns left out of the text table (long quotes): CSV and JSON keep them.
    public let tableHidden: Set<String>

    public init(columns: [String], rows: [[String]], tableHidden: Set<String> = []) {
        self.columns = columns
        self.rows = rows
        self.tableHidden = tableHidden
    }

    public func render(_ format: ListingFormat) throws -> String {
        let shown = rows.map { $0.map(Terminal.text) }
        switch format {
        case .table: return Self.table(columns, shown, hidden: tableHidden)
        case .csv: return CSVTable.render(columns: columns, rows: shown)
        case .json: return try Self.json(columns, shown)
        }
    }

    /// The aligned text table.
    public func renderTable() -> TerminalText { TerminalText(verbatim: Self.table(columns, rows.map { $0.map(Terminal.text) }, hidden: tableHidden)) }

    private static func table(_ columns: [String], _ rows: [[String]], hidden: Set<String>) -> String {
        let shown = columns.indices.filter { !hidden.contains(columns[$0]) }
        let header = shown.map { columns[$0].uppercased() }
        let body = rows.map { row in shown.map { row[$0] } }
        var widths = header.map(\.count)
        for row in body {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + body.map(line)).joined(separator: "\n") + "\n"
    }

    private static func json(_ columns: [String], _ rows: [[String]]) throws -> String {
        // Keys keep column order (JSONEncoder would sort or scramble them), so objects are built by hand
        // from JSONEncoder-escaped strings.
        let encoder = JSONEncoder()
        func quoted(_ s: String) throws -> String { String(decoding: try encoder.encode(s), as: UTF8.self) }
        var out = "[\n"
        for (n, row) in rows.enumerated() {
            let fields = try zip(columns, row).map { "\(try quoted($0)): \(try quoted($1))" }
            out += "  {" + fields.joined(separator: ", ") + "}" + (n == rows.count - 1 ? "\n" : ",\n")
        }
        return out + "]\n"
    }
}

/// JSON for stdout: a document JSONEncoder wrote, with each string in it through `Terminal.text`
/// (JSONEncoder escapes the C0 controls, but leaves DEL, C1, bidirectional controls and CI
/// command openings as they are).
public enum TerminalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        var out = ""
        out.reserveCapacity(text.utf8.count + 1)
        // Inside a string (between unescaped quotes), its text so far.
        var string: String.UnicodeScalarView?
        var escaped = false
        for u in text.unicodeScalars {
            if string == nil {
                out.unicodeScalars.append(u)
                if u == "\"" { string = String.UnicodeScalarView() }
            } else if escaped || u == "\\" {
                string?.append(u)
                escaped = !escaped && u == "\\"
            } else if u == "\"" {
                out += Terminal.text(String(string ?? .init()))
                out.unicodeScalars.append(u)
                string = nil
            } else {
                string?.append(u)
            }
        }
        return out + "\n"
    }
}
