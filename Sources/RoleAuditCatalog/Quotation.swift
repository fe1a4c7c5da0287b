import Foundation

/// The vendor's words as a report shows them: the whole sentence (or sentences) a cited quote
/// stands in, read from the seed line, with the document named by its title and address.
///
/// Citations point at a line and a few words on it; many seed lines are Markdown table rows
/// (`Account Admin | A super user role ... | Assign to ... |`) or run several sentences together.
/// Quoting the bare words cuts a sentence; quoting the line shows raw pipes and the other cells.
/// Every report that quotes a seed goes through `RoleCatalog.quotations(of:)`, so a passage is
/// cut the same way everywhere and appears once per list even when several citations point into it.
public struct Quotation: Sendable, Hashable, CustomStringConvertible {
    /// The whole sentence(s) around the cited words, from one table cell when the line is a row.
    public let text: String
    /// The vendor document: its title and where it is published.
    public let title: String
    public let url: String
    /// The 1-based seed lines the text was cited at (one, or more when citations of different
    /// lines give the same words).
    public let lines: [Int]

    /// `Setting Huntress User Permissions, line 76`
    public var reference: String { "\(title), line\(lines.count == 1 ? "" : "s") \(lines.map(String.init).joined(separator: ", "))" }

    /// `Setting Huntress User Permissions, line 76, https://...`
    public var source: String { "\(reference), \(url)" }

    /// `"The whole sentence." (Setting Huntress User Permissions, line 76, https://...)`
    public var description: String { "\"\(text)\" (\(source))" }

    /// Where `quotations` stand, without the words, for a column too narrow to quote in (`inspect
    /// --principal`, `rules`): each document once, by its title, with its lines, each line once
    /// (`Set up users, groups, and roles (Cortex XDR 5.x Documentation), lines 30, 29`), never by
    /// the seed's file name.
    public static func citedLines(_ quotations: [Quotation]) -> String {
        var byTitle: [Quotation] = []
        for q in quotations {
            if let i = byTitle.firstIndex(where: { $0.title == q.title }) {
                let old = byTitle[i]
                byTitle[i] = Quotation(text: "", title: old.title, url: old.url, lines: old.lines + q.lines.filter { !old.lines.contains($0) })
            } else {
                byTitle.append(Quotation(text: "", title: q.title, url: q.url, lines: q.lines))
            }
        }
        return byTitle.map(\.reference).joined(separator: "; ")
    }
}

extension SeedDocument {
    /// The sentence(s) of `line` that hold `quote`: if the line is a table row, only the cell that
    /// holds it; a leading list marker dropped. A quote of a permission matrix's marks (`(1) | — |`)
    /// gives the row: its label and marks. The quote itself when it is not on the line.
    public func passage(line number: Int, quote: String) -> String {
        guard let line = line(number) else { return quote }
        let cells = Self.cells(of: line)
        if let cell = cells.first(where: { $0.contains(quote) }), cell.contains(where: \.isLetter) {
            return Self.sentences(of: cell, around: quote)
        }
        guard line.contains(quote) else { return quote }
        // The Huntress matrices wrap a row over two lines, its label on the first: the marks alone
        // ("(1); —") say nothing without it.
        var row = cells
        if row.first?.contains(where: \.isLetter) != true, let previous = self.line(number - 1), previous.hasPrefix("|") {
            row = Self.cells(of: previous) + row
        }
        guard let label = row.first, label.contains(where: \.isLetter) else { return row.joined(separator: ", ") }
        return "\(label): \(row.dropFirst().joined(separator: ", "))"
    }

    /// A Markdown table row's cell texts, or the line itself; list markers and the table's `---`
    /// separator cells dropped.
    static func cells(of line: String) -> [String] {
        var text = line.trimmingCharacters(in: .whitespaces)
        for marker in ["- ", "* ", "• "] where text.hasPrefix(marker) { text.removeFirst(marker.count) }
        guard text.contains("|") else { return [text] }
        return text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.allSatisfy { $0 == "-" || $0 == ":" } }
    }

    /// From the start of the sentence the quote begins in to the end of the sentence it ends in.
    static func sentences(of cell: String, around quote: String) -> String {
        guard let range = cell.range(of: quote) else { return cell }
        var start = cell.startIndex
        var i = cell.startIndex
        while i < range.lowerBound {
            let next = cell.index(after: i)
            if endsSentence(cell, at: i) { start = next }
            i = next
        }
        var end = cell.endIndex
        i = cell.index(before: range.upperBound)
        while i < cell.endIndex {
            if endsSentence(cell, at: i) {
                end = cell.index(after: i)
                break
            }
            i = cell.index(after: i)
        }
        return cell[start..<end].trimmingCharacters(in: .whitespaces)
    }

    /// A `.`, `!` or `?` followed by a space or the end, not the dot of "e.g." or "i.e.".
    private static func endsSentence(_ text: String, at i: String.Index) -> Bool {
        guard ".!?".contains(text[i]) else { return false }
        let next = text.index(after: i)
        guard next == text.endIndex || text[next] == " " else { return false }
        let before = text[..<next].suffix(4).lowercased()
        return !before.hasSuffix("e.g.") && !before.hasSuffix("i.e.") && !before.hasSuffix("etc.")
    }
}

extension RoleCatalog {
    /// The passages behind `citations` (document file, line, quote), in citation order, each
    /// text once: a citation whose passage is already listed adds its line to that one.
    public func quotations(of citations: [(document: String, line: Int, quote: String)]) -> [Quotation] {
        var out: [Quotation] = []
        for c in citations {
            let doc = seed(c.document)
            let text = doc?.passage(line: c.line, quote: c.quote) ?? c.quote
            let title = doc?.title ?? c.document, url = doc?.url ?? ""
            if let i = out.firstIndex(where: { $0.text == text && $0.title == title }) {
                let old = out[i]
                if !old.lines.contains(c.line) { out[i] = Quotation(text: text, title: title, url: url, lines: old.lines + [c.line]) }
            } else {
                out.append(Quotation(text: text, title: title, url: url, lines: [c.line]))
            }
        }
        return out
    }

    /// The passages behind the catalog's own citations.
    public func quotations(of citations: [SeedCitation]) -> [Quotation] {
        quotations(of: citations.map { ($0.document, $0.line, $0.quote) })
    }
}
