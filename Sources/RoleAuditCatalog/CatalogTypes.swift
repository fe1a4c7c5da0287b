import Foundation
import RoleAuditModel

/// A line of a vendor document, with the words on it that the statement rests on.
public struct SeedCitation: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The seed's file name, e.g. `000_3b8203ae780ed25f.txt`.
    public let document: String
    /// 1-based line number in the seed.
    public let line: Int
    /// Words found verbatim on that line.
    public let quote: String

    public var description: String { "\(document):\(line)" }

    public static func < (a: SeedCitation, b: SeedCitation) -> Bool {
        (a.document, a.line, a.quote) < (b.document, b.line, b.quote)
    }
}

/// `allowed`, or `limited` with the limit written out (the seed's "(1)").
public enum GrantKind: String, Codable, Sendable { case allowed, limited }

/// How the catalog knows: the seed says it, the permission matrix shows it, it follows from what
/// the seed says of another role, or the role inherits it from a role it "extends".
public enum Basis: String, Codable, Sendable { case stated, matrix, inferred, inherited }

/// The other reading of an ambiguous or self-contradicting passage. The engine assumes the grant
/// (the broader reading); findings that rely on it say so.
public struct AlternativeReading: Codable, Sendable, Hashable {
    public enum Grant: String, Codable, Sendable { case none, limited, allowed }
    public let grant: Grant
    public let citations: [SeedCitation]
    public let note: String?
}

/// One capability of one role, with the seed passages it rests on.
public struct CapabilityGrant: Codable, Sendable, Hashable {
    public let capability: CapabilityID
    public let kind: GrantKind
    public let limit: String?
    public let basis: Basis
    public let note: String?
    public let citations: [SeedCitation]
    public let alternative: AlternativeReading?
    /// Set when the grant was copied from a role this one extends.
    public let inheritedFrom: String?
    /// The contested passage (`ContestedPassage.id`) an ambiguous grant rests on.
    public internal(set) var passage: String? = nil

    public var isAmbiguous: Bool { alternative != nil }
}

/// A passage of a seed that contradicts itself or reads two ways, with the derivation of every
/// cell that rests on it: both readings with their citations, which one the catalog takes, and
/// the (role, capability) cells that depend on it. Each such cell is granted (the broader reading)
/// and carries the other reading as its `alternative`.
public struct ContestedPassage: Codable, Sendable, Hashable, Identifiable {
    public struct Reading: Codable, Sendable, Hashable {
        /// `broader` (what the catalog assumes) or `narrower`.
        public let label: String
        public let citations: [SeedCitation]
        public let says: String
    }

    public struct Cell: Codable, Sendable, Hashable {
        /// `CatalogRole.id`, e.g. `cortex-xdr/tenant/Responder`.
        public let role: String
        public let capability: CapabilityID
    }

    /// Words whose reading is contested, for some roles (all when nil) and capabilities (all when
    /// nil): a grant of those that cites those words (on that line, either quote containing the
    /// other) rests on the passage and must carry its other reading.
    public struct Contest: Codable, Sendable, Hashable {
        public let roles: [String]?
        public let capabilities: [CapabilityID]?
        public let citations: [SeedCitation]

        /// Whether `grant` of `role` rests on these words.
        public func covers(_ role: CatalogRole, _ grant: CapabilityGrant) -> Bool {
            guard roles?.contains(role.id) ?? true, capabilities?.contains(grant.capability) ?? true else { return false }
            return grant.citations.contains { g in
                citations.contains { c in c.document == g.document && c.line == g.line && (g.quote.contains(c.quote) || c.quote.contains(g.quote)) }
            }
        }
    }

    /// Stable, e.g. `C-RESPONSE`: listings, CAT-004 and the README name it.
    public let id: String
    public let platform: Platform
    public let title: String
    public let readings: [Reading]
    /// How the catalog reads the passage, and why.
    public let how: String
    public let contested: [Contest]
    /// Every cell that rests on the passage, those inherited from a role that "extends" another included.
    public let cells: [Cell]
}

/// A documented role of a platform.
public struct CatalogRole: Codable, Sendable, Hashable, Identifiable {
    public let platform: Platform
    public let level: Level
    public let name: String
    public let aliases: [String]
    public let summary: String
    public let citations: [SeedCitation]
    /// Not intended for humans (Cortex Generic Collector).
    public let machineOnly: Bool
    /// Only meaningful with an SBAC scope (Cortex Scoped Agent Admin).
    public let scopeRequired: Bool
    /// Sorted by capability id.
    public let grants: [CapabilityGrant]
    /// The capability ids of `grants`, kept as a set: rules ask for it once per grant.
    public let capabilities: Set<CapabilityID>

    public init(
        platform: Platform, level: Level, name: String, aliases: [String], summary: String, citations: [SeedCitation],
        machineOnly: Bool, scopeRequired: Bool, grants: [CapabilityGrant]
    ) {
        self.platform = platform
        self.level = level
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.citations = citations
        self.machineOnly = machineOnly
        self.scopeRequired = scopeRequired
        self.grants = grants
        capabilities = Set(grants.map(\.capability))
    }

    /// `huntress/account/Admin`: unique in the catalog.
    public var id: String { "\(platform.rawValue)/\(level.rawValue)/\(name)" }

    public func grant(_ capability: CapabilityID) -> CapabilityGrant? {
        grants.first { $0.capability == capability }
    }

    public func holds(_ capability: CapabilityID) -> Bool { capabilities.contains(capability) }

    /// True when `label` names this role (case-insensitive, aliases included).
    public func isNamed(_ label: String) -> Bool {
        let key = CatalogRole.normalize(label)
        return CatalogRole.normalize(name) == key || aliases.contains { CatalogRole.normalize($0) == key }
    }

    /// Case and surrounding spaces ignored. Without Foundation: this runs once per grant.
    static func normalize(_ label: String) -> String {
        let trimmed = label.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        return String(trimmed).lowercased()
    }
}

/// A permission matrix of a seed whose check marks were lost, with each cell derived from prose.
public struct MatrixTable: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public let label: String
        public let lines: [Int]
        public let capabilities: [CapabilityID]
        public let cells: [AlternativeReading.Grant]
        public let how: String
        /// The row kept its text in the export: its "not allowed" cells are sentences, not dashes.
        public let keptText: Bool
    }
    public let platform: Platform
    public let level: Level
    public let columns: [String]
    public let rows: [Row]
}

/// A vendor document the catalog cites.
public struct SeedDocument: Sendable, Hashable {
    public let platform: Platform
    public let file: String
    public let title: String
    /// Where the vendor publishes the document; reports name it by title and address, never by
    /// the seed's file name.
    public let url: String
    public let sha256: String
    public let lines: [String]

    /// The text of a 1-based line, or nil past the end.
    public func line(_ number: Int) -> String? {
        (1...lines.count).contains(number) ? lines[number - 1] : nil
    }
}
