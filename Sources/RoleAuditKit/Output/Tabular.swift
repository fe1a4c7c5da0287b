import CSV
import Foundation

/// Formats for the listing commands (`catalog`, later `rules` and `history`).
public enum ListingFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// A flat listing: named columns and string cells. Rendered as an aligned text table, RFC 4180
/// CSV (CRLF, quoted as needed) or a JSON array of objects with the column names as keys.
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
        switch format {
        case .table: renderTable()
        case .csv: try renderCSV()
        case .json: try renderJSON()
        }
    }

    func renderTable() -> String {
        let shown = columns.indices.filter { !tableHidden.contains(columns[$0]) }
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

    func renderCSV() throws -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: columns)
        for row in rows { try writer.write(row: row) }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
        // CSVWriter separates records; RFC 4180 allows, and spreadsheets expect, a final CRLF.
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }

    func renderJSON() throws -> String {
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
