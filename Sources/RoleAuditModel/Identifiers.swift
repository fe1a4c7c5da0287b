/// Typed keys for the things the stages index: compared field by field, so that no two different
/// things share a key (a key joined with "|" made tenant "a|b" with role "c" one with tenant "a"
/// and role "b|c").

/// A principal: its platform and its key (the lower-cased e-mail, or the vendor id).
public struct PrincipalID: Hashable, Sendable, Comparable {
    public let platform: Platform
    public let key: String
    public init(platform: Platform, key: String) {
        self.platform = platform
        self.key = key
    }
    public static func < (a: PrincipalID, b: PrincipalID) -> Bool { (a.platform, a.key) < (b.platform, b.key) }
}

extension PrincipalID {
    /// The platform and the key's first seven bytes in one integer, in the order `<` gives ids
    /// whose keys are ASCII (their bytes order as their characters do): a sort settles most
    /// comparisons on it and compares ids only on ties. Nil for a key with any other byte, whose
    /// String comparison (on normalised text) may order otherwise.
    public var asciiSortPrefix: UInt64? {
        var v = UInt64(platform.rank) << 56
        var i = 0
        for b in key.utf8 {
            guard b < 0x80 else { return nil }
            if i < 7 { v |= UInt64(b) << UInt64(48 - 8 * i) }
            i += 1
        }
        return v
    }
}

/// A place on a platform: a Huntress account or organization, a Cortex tenant.
public struct PlaceID: Hashable, Sendable, Comparable {
    public let platform: Platform
    public let id: String
    public init(platform: Platform, id: String) {
        self.platform = platform
        self.id = id
    }
    /// Platforms in their names' order, then ids: the order of the reports.
    public static func < (a: PlaceID, b: PlaceID) -> Bool { (a.platform.rawValue, a.id) < (b.platform.rawValue, b.id) }
}

/// A role as an export names it: platform, the tenant that defines it (empty: the whole
/// platform) and its name as compared (vendors compare role names without case).
public struct RoleID: Hashable, Sendable {
    public let platform: Platform
    public let tenant: String
    public let name: String
    public init(platform: Platform, tenant: String?, name: String) {
        self.platform = platform
        self.tenant = tenant ?? ""
        self.name = name.lowercased()
    }
}
