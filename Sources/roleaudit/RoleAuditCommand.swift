import Foundation
import ArgumentParser
import RoleAuditKit

@main
struct RoleAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roleaudit",
        abstract: "Audit who holds which role in Huntress and Cortex XDR against what the vendors document.",
        version: RoleAudit.version,
        subcommands: [ScanCommand.self, DiffCommand.self, BaselineCommand.self, HistoryCommand.self, InspectCommand.self, CatalogCommand.self, RulesCommand.self, ExplainCommand.self, CollectCommand.self]
    )
}

extension Platform: ExpressibleByArgument {}
extension ListingFormat: ExpressibleByArgument {}

/// Prints a library error as one line and exits with the code PRODUCT.md gives it.
func fail(_ error: any Error) -> ExitCode {
    let (code, message) = RoleAudit.failure(error)
    printError("roleaudit: \(message)")
    return ExitCode(code)
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
