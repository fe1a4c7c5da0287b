import Foundation
import RoleAuditRules

/// What a report may print besides the scan: the tool's version and the time it stamps, passed
/// in so that the same scan and `--now` give the same bytes.
public struct ReportContext: Sendable {
    public let toolVersion: String
    public let generatedAt: Date

    public init(toolVersion: String, generatedAt: Date) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
    }
}

/// What every writer reads: the scan's result, the context, and the effective grants, built once
/// for all the writers that show them, by the first that reads them: the writers that do not
/// (junit.xml, findings.json, findings.sarif, findings.csv) are already writing meanwhile, where
/// building them before any writer started kept a million-grant scan on one core for a second.
public struct ReportInput: Sendable {
    public let result: ScanResult
    public let context: ReportContext
    private let table: Once<Entitlements>

    /// The entitlements are built only if a writer reads them.
    public init(_ result: ScanResult, context: ReportContext) {
        self.result = result
        self.context = context
        table = Once { Entitlements(result) }
    }

    var entitlements: Entitlements { table.value }
}

/// A value made on first use, once, by whichever thread asks first; the others wait for it.
final class Once<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private let make: @Sendable () -> Value

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}

/// A report format. Writers are pure: the same input gives the same bytes. Each streams its
/// files into the report folder through the output layer (`Output/`): no report is built whole
/// in memory, and no text from an export reaches a file except through that layer's escaping.
public protocol ReportWriter: Sendable {
    static func write(_ input: ReportInput, to folder: ReportFolder) throws
    /// The writer's work in parts that can run at the same time (`ReportFolder.writeConcurrently`),
    /// in the order `write` writes them: by default one part, `write`.
    static func jobs(_ input: ReportInput) -> [@Sendable (ReportFolder) throws -> Void]
}

extension ReportWriter {
    public static func jobs(_ input: ReportInput) -> [@Sendable (ReportFolder) throws -> Void] { [{ try write(input, to: $0) }] }
}

/// The formats `--format` accepts. Each maps to its writer through an exhaustive switch, so a
/// format without a writer does not compile.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, csv, junit, json, sarif

    public var writer: any ReportWriter.Type {
        switch self {
        case .html: HTMLReportWriter.self
        case .csv: CSVReportWriter.self
        case .junit: JUnitReportWriter.self
        case .json: JSONReportWriter.self
        case .sarif: SARIFReportWriter.self
        }
    }
}
