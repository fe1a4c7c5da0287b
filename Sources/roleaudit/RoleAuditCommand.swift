import ArgumentParser
import RoleAuditKit

@main
struct RoleAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roleaudit",
        abstract: "Audit who holds which role in Huntress and Cortex XDR against what the vendors document.",
        version: RoleAudit.version,
        subcommands: [CatalogCommand.self]
    )
}

extension Platform: ExpressibleByArgument {}
extension ListingFormat: ExpressibleByArgument {}

/// Prints a library error and exits with the code it carries.
func fail(_ error: KitError) -> ExitCode {
    printError("roleaudit: \(error)")
    return ExitCode(error.exitCode)
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

import Foundation
