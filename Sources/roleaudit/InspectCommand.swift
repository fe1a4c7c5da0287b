import ArgumentParser
import RoleAuditKit

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what roleaudit reads from exports: sources, accounts, tenants, coverage, or one principal's access.",
        discussion: """
            PATH is an export file or a folder of them (searched recursively; .json, .csv, .tsv, .xml). \
            Formats are detected from content. Exit code 2 when an input cannot be read.
            """
    )

    @Argument(help: "Export files or folders.")
    var paths: [String]

    @Option(help: "Show this principal's effective access, each capability with the grants and files that give it.")
    var principal: String?

    @Option(help: "Output format: table, csv or json.")
    var format: ListingFormat = .table

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out files whose name or path matches this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    func run() throws {
        do {
            print(try Inspection.load(paths, exclude: exclude).render(format, principal: principal), terminator: "")
        } catch {
            throw fail(error)
        }
    }
}
