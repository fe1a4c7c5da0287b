import CSV
import Foundation
import RoleAuditModel

/// Cortex CSV files: the users table as the console shows it (display headers, unknown columns
/// ignored) and the "Import Multiple User Roles" file (User email, Role Name, Is an account role).
/// Parsed with CSV.swift (yaslab) from the package mirror: these files are console-sized, so its
/// speed is not a concern.
struct CortexCSV {
    enum Kind { case usersTable, roleImport }

    let context: ImportContext

    /// Which CSV this is, from its header row; nil when the header is not one of Cortex's.
    static func detect(header: [String]) -> Kind? {
        let h = Set(header.map(normalise))
        if h.contains("user email"), h.contains("role name") { return .roleImport }
        if h.contains("email"), !h.isDisjoint(with: ["direct role", "direct xdr role", "groups", "user type", "role"]) {
            return .usersTable
        }
        return nil
    }

    static func normalise(_ header: String) -> String {
        header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: "*", with: "")
            .trimmingCharacters(in: .whitespaces)
    }

    /// The separator of the header line: Excel in many locales writes ';'.
    static func delimiter(of text: Substring) -> Character {
        let line = text.prefix { $0 != "\n" && $0 != "\r\n" }
        if line.contains(",") { return "," }
        if line.contains(";") { return ";" }
        if line.contains("\t") { return "\t" }
        return ","
    }

    /// The line each record starts on, and an error for a quoted field that never closes (a
    /// truncated file), which CSV.swift would silently run to the end of the file.
    static func recordLines(_ text: String, file: String) throws -> [Int] {
        var lines = [1]
        var line = 1
        var quoted = false
        var quoteLine = 0
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "\"") {
                quoted.toggle()
                if quoted { quoteLine = line }
            } else if b == 0x0A {
                line += 1
                if !quoted { lines.append(line) }
            }
            previous = b
        }
        _ = previous
        if quoted {
            throw ImportError.syntax(
                InputLocation(file: file, line: quoteLine), expected: "a closing '\"' for the quoted field that starts on this line",
                found: "the end of the file (is it truncated?)")
        }
        return lines
    }

    func read(text: String) throws -> SourceFile {
        let starts = try CortexCSV.recordLines(text, file: context.path)
        let delimiter = CortexCSV.delimiter(of: Substring(text))
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false, delimiter: delimiter.unicodeScalars.first ?? ",")
        } catch {
            throw ImportError.syntax(InputLocation(file: context.path, line: 1), expected: "a CSV header row", found: "\(error)")
        }
        let header = reader.headerRow ?? []
        guard let kind = CortexCSV.detect(header: header) else {
            throw ImportError.unrecognized(
                file: context.path,
                expected: "a Cortex users table (Email, Direct Role, Groups, ...) or role-import CSV (User email, Role Name)",
                found: "a CSV with columns " + header.prefix(8).map { ErrorText.quote($0) }.joined(separator: ", "))
        }
        let columns = Dictionary(header.enumerated().map { (CortexCSV.normalise($1), $0) }, uniquingKeysWith: { a, _ in a })
        var record = 0
        while true {
            let row: [String]?
            do {
                row = try nextRow(reader)
            } catch {
                throw ImportError.syntax(
                    InputLocation(file: context.path, record: "record \(record + 1)"), expected: "a CSV record",
                    found: "\(error)")
            }
            guard let row else { break }
            record += 1
            if row.count == 1, row[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard row.count == header.count else {
                throw ImportError.syntax(
                    InputLocation(file: context.path, line: record < starts.count ? starts[record] : nil, record: "record \(record)"),
                    expected: "\(header.count) fields as in the header", found: "\(row.count) (an unquoted comma or quote?)")
            }
            let line = record < starts.count ? starts[record] : nil
            let fields = Row(values: row, columns: columns, location: InputLocation(file: context.path, line: line, record: "record \(record)"))
            let provenance = Provenance(file: context.path, collection: "record", index: record, line: line)
            switch kind {
            case .usersTable: try user(fields, provenance)
            case .roleImport: try roleImport(fields, provenance)
            }
        }
        // The console's table shows every user of the tenant: two are two tenants (or two saves).
        if kind == .usersTable { context.builder.exported(list: "Cortex XDR users table (CSV)", scope: context.tenant, file: context.path) }
        return context.source(
            format: kind == .usersTable ? "cortex.csv.users" : "cortex.csv.role-import", platform: .cortexXDR,
            scope: context.tenant, records: record)
    }

    private func nextRow(_ reader: CSVReader) throws -> [String]? {
        if let error = reader.error { throw error }
        let row = reader.next()
        if let error = reader.error { throw error }
        return row
    }

    struct Row {
        let values: [String]
        let columns: [String: Int]
        let location: InputLocation

        func value(_ names: String...) -> String? {
            for n in names {
                if let i = columns[n] {
                    let v = values[i].trimmingCharacters(in: .whitespacesAndNewlines)
                    return v.isEmpty ? nil : v
                }
            }
            return nil
        }

        func error(_ column: String, expected: String, found: String) -> ImportError {
            var at = location
            at.record = (at.record ?? "") + ", column \"\(column)\""
            return .invalid(at, expected: expected, found: found)
        }
    }

    /// A cell that lists several names: the console joins them with commas (or line breaks).
    static func list(_ cell: String?) -> [String] {
        guard let cell else { return [] }
        return cell.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.hasSuffix(" (AD)") ? String($0.dropLast(5)) : $0 }
            .filter { !$0.isEmpty && $0 != "-" }
    }

    private func user(_ row: Row, _ provenance: Provenance) throws {
        guard let email = row.value("email", "user email"), email.utf8.contains(UInt8(ascii: "@")) else {
            throw row.error("Email", expected: "an email address", found: row.value("email", "user email").map { ErrorText.quote($0) } ?? "an empty cell")
        }
        let b = context.builder
        let name = row.value("user name")
            ?? [row.value("first name"), row.value("last name")].compactMap { $0 }.joined(separator: " ")
        let principal = b.add(principal: Principal(
            platform: .cortexXDR, key: email.lowercased(), email: email, name: name.isEmpty ? nil : name,
            userType: row.value("user type"), status: row.value("status"), tenant: context.tenant, lastLogin: try lastLogin(row), source: provenance))
        let scopeNames = CortexCSV.list(row.value("scope")).filter { $0.lowercased() != "all" }
        let scope = scopeNames.isEmpty ? nil : Scope(areas: ["endpoints": scopeNames.sorted()])
        if let role = row.value("direct role", "direct xdr role", "role"), role != "-" {
            // The Scope column shows only where scope-based access control is on.
            b.add(grant: Grant(
                platform: .cortexXDR, principal: principal, role: role, level: .tenant, target: context.tenant, scope: scope,
                provenance: provenance), scopeStated: row.columns["scope"] != nil)
        }
        let groups = CortexCSV.list(row.value("groups"))
        let groupRoles = CortexCSV.list(row.value("group roles"))
        if groups.count == groupRoles.count {
            // The table lists groups and their roles side by side.
            for (group, role) in zip(groups, groupRoles) {
                b.add(group: Group(platform: .cortexXDR, tenant: context.tenant, name: group, roles: [role], members: [principal], provenance: provenance))
            }
        } else {
            for group in groups {
                b.add(group: Group(platform: .cortexXDR, tenant: context.tenant, name: group, members: [principal], provenance: provenance))
            }
            for role in groupRoles {
                b.add(grant: Grant(
                    platform: .cortexXDR, principal: principal, role: role, level: .tenant, target: context.tenant,
                    path: .group(name: groups.joined(separator: ", "), chain: groups), provenance: provenance), scopeStated: false)
            }
        }
    }

    private func roleImport(_ row: Row, _ provenance: Provenance) throws {
        guard let email = row.value("user email"), email.utf8.contains(UInt8(ascii: "@")) else {
            throw row.error("User email", expected: "an email address", found: row.value("user email").map { ErrorText.quote($0) } ?? "an empty cell")
        }
        guard let role = row.value("role name") else {
            throw row.error("Role Name", expected: "a role name", found: "an empty cell")
        }
        let accountColumn = columns(row).first { $0.hasPrefix("is an account role") }
        let flag = accountColumn.flatMap { row.value($0) }?.lowercased() ?? "false"
        guard ["true", "false", "yes", "no", "1", "0"].contains(flag) else {
            throw row.error("Is an account role", expected: "TRUE or FALSE", found: ErrorText.quote(flag))
        }
        let account = ["true", "yes", "1"].contains(flag)
        let principal = context.builder.add(principal: Principal(platform: .cortexXDR, key: email.lowercased(), email: email))
        context.builder.add(grant: Grant(
            platform: .cortexXDR, principal: principal, role: role, level: account ? .account : .tenant,
            target: context.tenant, provenance: provenance), scopeStated: false)
    }

    private func columns(_ row: Row) -> [String] { Array(row.columns.keys) }

    /// "Never" is never; an empty cell is unknown (a console export may leave it blank for other
    /// reasons, and unknown must not be read as never).
    private func lastLogin(_ row: Row) throws -> LastLogin {
        guard let text = row.value("last login time", "last login") else { return .unknown }
        if ["never", "n/a", "-"].contains(text.lowercased()) { return .never }
        if let date = Timestamps.parse(text) ?? CortexCSV.parseConsoleDate(text) { return .at(date) }
        throw row.error(
            "Last Login Time", expected: "a date such as \"2026-01-22 01:07:08\", \"Jan 22, 2026 01:07:08\" or \"Never\"",
            found: ErrorText.quote(text))
    }

    static func parseConsoleDate(_ text: String) -> Date? {
        let formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "MMM d, yyyy HH:mm:ss", "MMM d, yyyy h:mm:ss a",
                       "MMM d, yyyy h:mm a", "MMM d yyyy HH:mm:ss", "dd/MM/yyyy HH:mm:ss", "yyyy-MM-dd"]
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        for format in formats {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
