/// Something wrong with the bundled catalog data. Only a broken build can produce one, but the
/// loader reports it instead of crashing.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    case malformed(file: String, detail: String)
    case unknownCapability(file: String, role: String, capability: String)
    case badCitation(file: String, role: String, citation: String, reason: String)
    case unknownParentRole(file: String, role: String, parent: String)
    case inheritanceCycle(file: String, roles: [String])
    case duplicateRole(String)

    public var description: String {
        switch self {
        case .malformed(let file, let detail):
            "catalog \(file): \(detail)"
        case .unknownCapability(let file, let role, let capability):
            "catalog \(file): role '\(role)' names capability '\(capability)', which is not in capabilities.yml"
        case .badCitation(let file, let role, let citation, let reason):
            "catalog \(file): role '\(role)': citation '\(citation)': \(reason)"
        case .unknownParentRole(let file, let role, let parent):
            "catalog \(file): role '\(role)' inherits from '\(parent)', which the file does not define"
        case .inheritanceCycle(let file, let roles):
            "catalog \(file): roles inherit from each other in a cycle: \(roles.joined(separator: " -> "))"
        case .duplicateRole(let id):
            "catalog: role \(id) is defined twice"
        }
    }
}
