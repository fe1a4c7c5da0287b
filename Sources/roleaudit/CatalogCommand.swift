import ArgumentParser
import RoleAuditKit

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Print the role catalog: every documented role's capabilities with the seed line behind each.",
        discussion: """
            One row per (platform, level, role, capability, grant, source). `source` is SEED-FILE:LINE; \
            CSV and JSON also carry the quoted words, the other reading of an ambiguous passage, and notes. \
            With --passages: every passage of the vendors' documents that reads two ways, one row per \
            reading (the broader one is what roleaudit assumes), and how many cells rest on it.
            """
    )

    @Option(help: "Only this platform (huntress, cortex-xdr).")
    var platform: Platform?

    @Option(help: "Output format: table, csv or json.")
    var format: ListingFormat = .table

    @Option(help: "Only roles with this name (case-insensitive; both levels on Huntress).")
    var role: String?

    @Flag(help: "List the contested passages of the seeds with both readings instead of the roles.")
    var passages = false

    func validate() throws {
        if passages, role != nil { throw ValidationError("--passages lists passages, not roles: leave out --role") }
    }

    func run() throws {
        do {
            let listing = CatalogListing(catalog: try RoleCatalog.bundled())
            let table = passages ? listing.passages(platform: platform) : try listing.rows(platform: platform, role: role)
            print(try table.render(format), terminator: "")
        } catch {
            throw fail(error)
        }
    }
}
