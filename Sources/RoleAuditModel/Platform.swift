/// The platforms roleaudit audits. Raw values are stable: they appear in policies, reports and waivers.
public enum Platform: String, Codable, Sendable, CaseIterable, Comparable {
    case huntress
    case cortexXDR = "cortex-xdr"

    public var displayName: String {
        switch self {
        case .huntress: "Huntress"
        case .cortexXDR: "Cortex XDR"
        }
    }

    /// The platform's place in the order below (0, 1, ...).
    public var rank: Int {
        switch self {
        case .cortexXDR: 0
        case .huntress: 1
        }
    }

    /// Alphabetical by raw value, without comparing strings (sorting a million grants asks often).
    public static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.rank < rhs.rank }
}

/// Where a role applies. Huntress roles are account- or organization-level; Cortex roles are tenant
/// roles, except that Account Admin is granted in Cortex Gateway at account level.
public enum Level: String, Codable, Sendable, CaseIterable, Comparable {
    case account
    case organization
    case tenant

    private var rank: Int {
        switch self {
        case .account: 0
        case .organization: 1
        case .tenant: 2
        }
    }

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
}

/// Severity of a finding. Raw values are stable (policy files and `--fail-on` use them).
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
