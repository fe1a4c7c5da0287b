import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// A built-in check. The type carries its description (stable id, rationale, the seed passage it
/// rests on, frameworks, remediation) and its examples, which the test suite runs.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// Pure: reads the context, never files. Linear in the number of grants.
    func evaluate(_ context: RuleContext) -> [Finding]
}

public enum RuleCategory: String, Codable, Sendable, CaseIterable {
    case leastPrivilege = "least-privilege"
    case separationOfDuties = "separation-of-duties"
    case isolation = "isolation"
    case catalog = "catalog-conformance"
    case hygiene = "hygiene"
    case escalation = "escalation"
    case people = "people"
}

/// A seed line a rule rests on, checked against the catalog's copy of the seed by the tests.
public struct SeedReference: Codable, Sendable, Hashable {
    public let document: String
    public let line: Int
    public let quote: String

    public static func huntress(_ line: Int, _ quote: String) -> SeedReference {
        SeedReference(document: "000_3b8203ae780ed25f.txt", line: line, quote: quote)
    }

    public static func cortex(_ line: Int, _ quote: String) -> SeedReference {
        SeedReference(document: "003_531c79ba9149ac3a.txt", line: line, quote: quote)
    }
}

public struct RuleDescription: Sendable {
    public let id: String
    public let title: String
    public let category: RuleCategory
    public let defaultSeverity: Severity
    public let rationale: String
    public let seed: [SeedReference]
    public let frameworks: [String]
    public let remediation: String
    public let triggering: [RuleExample]
    public let nonTriggering: [RuleExample]
    /// Data the rule cannot judge without: where the scan has none, the rule is "not evaluated",
    /// never "passed".
    public let needs: [DataNeed]

    public init(
        id: String, title: String, category: RuleCategory, defaultSeverity: Severity, rationale: String,
        seed: [SeedReference], frameworks: [String], remediation: String, triggering: [RuleExample],
        nonTriggering: [RuleExample], needs: [DataNeed] = []
    ) {
        self.needs = needs
        self.id = id
        self.title = title
        self.category = category
        self.defaultSeverity = defaultSeverity
        self.rationale = rationale
        self.seed = seed
        self.frameworks = frameworks
        self.remediation = remediation
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }
}

/// An input on which a rule must (or must not) fire, and the principals (or scopes, for findings
/// without a principal) it must name.
public struct RuleExample: Sendable {
    public let name: String
    public let snapshot: Snapshot
    public let policy: Policy
    public let flags: [String]
    /// The HR roster the example is scanned with, if any (XP-002, XP-003).
    public let roster: Roster?
    /// The access review the example is scanned with, if any (CERT-001).
    public let certification: Certification?
    public let file: String
    public let line: Int

    public init(
        _ name: String, _ snapshot: ExampleSnapshot, policy: Policy = Policy(), roster: Roster? = nil, certification: Certification? = nil, flags: [String] = [],
        file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.roster = roster
        self.certification = certification
        self.snapshot = snapshot.snapshot
        self.policy = policy
        self.flags = flags
        self.file = file
        self.line = line
    }
}

