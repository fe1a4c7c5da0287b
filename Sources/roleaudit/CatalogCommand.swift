import ArgumentParser
import RoleAuditKit

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Print the role catalog: every documented role's capabilities with the seed line behind each.",
        discussion: """
            One row per (platform, level, role, capability, grant, source). `source` is SEED-FILE:LINE; \
            CSV and JSON also carry the quoted words, the other reading of an ambiguous passage, and notes.
            """
    )

    @Option(help: "Only this platform (huntress, cortex-xdr).")
    var platform: Platform?

    @Option(help: "Output format: table, csv or json.")
    var format: ListingFormat = .table

    @Option(help: "Only roles with this name (case-insensitive; both levels on Huntress).")
    var role: String?

    func run() throws {
        do {
            let listing = CatalogListing(catalog: try RoleCatalog.bundled())
            print(try listing.rows(platform: platform, role: role).render(format), terminator: "")
        } catch {
            throw fail(error)
        }
    }
}
