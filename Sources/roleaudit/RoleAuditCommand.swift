import Foundation
import ArgumentParser
import RoleAuditKit

@main
struct RoleAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roleaudit",
        abstract: "Audit who holds which role in Huntress and Cortex XDR against what the vendors document.",
        version: RoleAudit.version,
        subcommands: [ScanCommand.self, DiffCommand.self, BaselineCommand.self, HistoryCommand.self, InspectCommand.self, CatalogCommand.self, RulesCommand.self, ExplainCommand.self, CollectCommand.self, CertifyCommand.self]
    )
}

/// Option values the parser reads into the library's enums, ignoring case: `--fail-on HIGH`,
/// `--format CSV`, `--platform Huntress`.
protocol CaseInsensitiveArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension CaseInsensitiveArgument {
    public init?(argument: String) {
        guard let value = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(argument) == .orderedSame }) else { return nil }
        self = value
    }
}

extension Platform: CaseInsensitiveArgument {}
extension ListingFormat: CaseInsensitiveArgument {}
extension FailThreshold: CaseInsensitiveArgument {}
extension ReportFormat: CaseInsensitiveArgument {}

extension ReportFormat {
    /// `--format html,CSV, junit`: a comma-separated list, each name as `ReportFormat` reads it.
    static func list(_ argument: String) throws -> [ReportFormat] {
        let names = argument.split(separator: ",")
        guard !names.isEmpty else { throw ValidationError("name at least one format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
        return try names.map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let format = ReportFormat(argument: trimmed) else {
                throw ValidationError("unknown format '\(Terminal.text(trimmed))'; available: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return format
        }
    }
}

/// Prints a library error and exits with the code PRODUCT.md gives it. The message quotes exports
/// and paths: each of its lines (one, or one per file for several import errors) goes through
/// `Terminal.text`, so that no value can break a line or carry an escape sequence or CI command.
func fail(_ error: any Error) -> ExitCode {
    let (code, lines) = RoleAudit.failure(error)
    for (i, line) in lines.enumerated() { printError((i == 0 ? "roleaudit: " : "") + Terminal.text(line)) }
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
