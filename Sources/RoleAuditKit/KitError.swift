/// Errors the façade reports to the CLI, each with the exit code PRODUCT.md assigns.
public enum KitError: Error, Equatable, CustomStringConvertible {
    case unknownRole(String, known: [String])

    public var description: String {
        switch self {
        case .unknownRole(let name, let known):
            "unknown role '\(name)'; the catalog has: \(known.joined(separator: ", "))"
        }
    }

    /// Exit code (PRODUCT.md "Exit codes"): 64 usage.
    public var exitCode: Int32 {
        switch self {
        case .unknownRole: 64
        }
    }
}
