import RoleAuditCatalog
import RoleAuditModel

@_exported import struct RoleAuditCatalog.RoleCatalog
@_exported import enum RoleAuditModel.Platform
@_exported import struct RoleAuditModel.Snapshot
@_exported import enum RoleAuditImport.Importer
@_exported import enum RoleAuditModel.Severity
@_exported import enum RoleAuditReports.ReportFormat
@_exported import enum RoleAuditReports.ListingFormat
@_exported import struct RoleAuditReports.Tabular
@_exported import enum RoleAuditReports.Terminal
@_exported import struct RoleAuditReports.TerminalText
@_exported import struct RoleAuditRules.RuleDescription
@_exported import enum RoleAuditRules.RuleEngine
@_exported import struct RoleAuditPolicy.Policy
@_exported import struct RoleAuditRules.Baseline
@_exported import struct RoleAuditRules.ScanResult
@_exported import struct RoleAuditHistory.ScanSummary

/// roleaudit's library entry points. The CLI calls these and nothing below them.
public enum RoleAudit {
    public static let version = "0.1.0"
}
