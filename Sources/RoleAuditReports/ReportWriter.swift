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

/// A report format. Writers are pure: the same result and context give the same bytes.
public protocol ReportWriter: Sendable {
    /// The files this writer produces, by name, with their content.
    static func render(_ result: ScanResult, context: ReportContext) throws -> [(name: String, data: Data)]
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
