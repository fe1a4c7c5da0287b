import RoleAuditCatalog
import RoleAuditModel

@_exported import struct RoleAuditCatalog.RoleCatalog
@_exported import enum RoleAuditModel.Platform
@_exported import struct RoleAuditModel.Snapshot
@_exported import enum RoleAuditImport.Importer

/// roleaudit's library entry points. The CLI calls these and nothing below them.
public enum RoleAudit {
    public static let version = "0.1.0"
}
