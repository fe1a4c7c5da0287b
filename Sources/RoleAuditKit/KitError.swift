import RoleAuditCatalog
import RoleAuditImport
import RoleAuditPolicy
import RoleAuditReports

/// Errors the façade reports to the CLI, each with the exit code PRODUCT.md assigns.
public enum KitError: Error, Equatable, CustomStringConvertible {
    case unknownRole(String, known: [String])
    case unknownPrincipal(String, suggestions: [String])
    case badInput(ImportError)
    case unknownRule(String, known: [String])
    /// A configuration file other than the policy (a baseline, a history database) that cannot be used.
    case configuration(file: String, problem: String)
    /// A report, baseline or other output that cannot be written.
    case cannotWrite(OutputError)

    public var description: String {
        switch self {
        case .unknownRole(let name, let known):
            "unknown role '\(name)'; the catalog has: \(known.joined(separator: ", "))"
        case .unknownPrincipal(let email, let suggestions):
            "no principal '\(email)' in the inputs" + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?")
        case .badInput(let error):
            error.description
        case .unknownRule(let id, let known):
            "unknown rule '\(id)'; the rules are: \(known.joined(separator: ", "))"
        case .configuration(let file, let problem):
            "\(file): \(problem)"
        case .cannotWrite(let error):
            error.description
        }
    }

    /// Exit code (PRODUCT.md "Exit codes"): 2 input, 3 configuration, 64 usage, 73 output that
    /// cannot be created (sysexits.h's EX_CANTCREAT).
    public var exitCode: Int32 {
        switch self {
        case .cannotWrite: 73
        case .configuration: 3
        case .unknownRole, .unknownPrincipal, .unknownRule: 64
        case .badInput: 2
        }
    }
}

extension RoleAudit {
    /// The exit code and message lines for any error the library throws: one line, or for several
    /// import errors one line each.
    public static func failure(_ error: any Error) -> (code: Int32, lines: [String]) {
        switch error {
        case let e as KitError: (e.exitCode, [e.description])
        case let e as ImportError: (2, e.lines)
        case let e as OutputError: (73, [e.description])
        case let e as PolicyError: (3, [e.description])
        case let e as CatalogError: (3, ["roleaudit's built-in catalog is damaged: \(e)"])
        default: (2, ["\(error)"])
        }
    }
}
