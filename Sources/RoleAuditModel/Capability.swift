/// A capability id from roleaudit's shared vocabulary, e.g. `billing.manage`. Stable once shipped.
public struct CapabilityID: RawRepresentable, Hashable, Codable, Sendable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (lhs: CapabilityID, rhs: CapabilityID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How much harm misuse of a capability can do. `privileged` is what makes a role "privileged" for
/// the least-privilege rules: access management, billing, code execution on endpoints, or anything
/// that can switch protection off.
public enum RiskTier: String, Codable, Sendable, CaseIterable, Comparable {
    case read, write, privileged

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .privileged: 2
        }
    }

    public static func < (lhs: RiskTier, rhs: RiskTier) -> Bool { lhs.rank < rhs.rank }
}

/// One entry of the shared vocabulary.
public struct Capability: Codable, Sendable, Hashable {
    public let id: CapabilityID
    public let tier: RiskTier
    public let summary: String

    public init(id: CapabilityID, tier: RiskTier, summary: String) {
        self.id = id
        self.tier = tier
        self.summary = summary
    }
}
