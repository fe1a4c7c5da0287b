import RoleAuditCatalog
import RoleAuditModel

@_exported import struct RoleAuditCatalog.RoleCatalog
@_exported import enum RoleAuditModel.Platform

/// roleaudit's library entry points. The CLI calls these and nothing below them.
public enum RoleAudit {
    public static let version = "0.1.0"
}
