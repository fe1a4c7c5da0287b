import RoleAuditCatalog
import RoleAuditModel
import Testing

/// The Huntress matrices lost their check marks; the catalog derives each cell from prose. These
/// tests hold the derivation to what survived in the seed and to the roles' capabilities.
struct MatrixDerivationTests {
    static let rows: [(MatrixTable, MatrixTable.Row)] = {
        guard let catalog = try? Bundled.catalog() else { return [] }
        return catalog.matrices.flatMap { table in table.rows.map { (table, $0) } }
    }()

    @Test func bothHuntressMatricesAreRecorded() throws {
        let tables = try Bundled.catalog().matrices
        #expect(tables.map(\.level) == [.account, .organization])
        #expect(tables.map(\.rows.count) == [10, 12])
    }

    @Test(arguments: rows.map { "\($0.0.level.rawValue): \($0.1.label)" })
    func cellsAgreeWithTheMarksThatSurvived(row key: String) throws {
        let catalog = try Bundled.catalog()
        let (table, row) = try #require(Self.rows.first { "\($0.0.level.rawValue): \($0.1.label)" == key })
        #expect(row.cells.count == table.columns.count)
        let seed = try #require(catalog.seeds.first { $0.platform == table.platform })
        let text = row.lines.compactMap { seed.line($0) }.joined(separator: "\n")
        #expect(text.contains(row.label), "lines \(row.lines) do not hold the row '\(row.label)'")
        guard !row.keptText else { return }
        let dashes = text.filter { $0 == "—" }.count
        let limited = text.components(separatedBy: "(1)").count - 1
        #expect(dashes == row.cells.filter { $0 == .none }.count, "'\(row.label)': \(dashes) dashes in the seed")
        #expect(limited == row.cells.filter { $0 == .limited }.count, "'\(row.label)': \(limited) (1) marks in the seed")
    }

    @Test(arguments: rows.map { "\($0.0.level.rawValue): \($0.1.label)" })
    func cellsAgreeWithTheRolesCapabilities(row key: String) throws {
        let catalog = try Bundled.catalog()
        let (table, row) = try #require(Self.rows.first { "\($0.0.level.rawValue): \($0.1.label)" == key })
        for (column, cell) in zip(table.columns, row.cells) {
            let role = try catalog.require(column, table.platform, table.level)
            let held = row.capabilities.filter(role.holds)
            if cell == .none {
                #expect(held.isEmpty, "\(role.id) holds \(held) but '\(row.label)' is not allowed")
            } else {
                #expect(!held.isEmpty, "\(role.id) holds none of \(row.capabilities) but '\(row.label)' is \(cell)")
            }
        }
    }
}
