import RoleAuditModel
import RoleAuditPolicy

/// Who is who across the consoles: the one place a person is matched. An email address, ignoring
/// letter case, is one person on Huntress, on every Cortex tenant and in a roster; the policy's
/// `identities` join several addresses into one person. API keys and other principals without an
/// address are no person.
public struct People: Sendable {
    /// Lower-cased address to the index of the identity that lists it.
    private let identityOf: [String: Int]
    public let identities: [Policy.Identity]
    private let serviceAccounts: Set<String>

    public init(policy: Policy) {
        identities = policy.identities
        var of: [String: Int] = [:]
        for (i, identity) in policy.identities.enumerated() {
            for e in identity.emails where of[e] == nil { of[e] = i }
        }
        identityOf = of
        serviceAccounts = policy.serviceAccounts
    }

    /// The person an address belongs to: the identity's name for an address the policy lists,
    /// else the address itself, lower-cased. Nil for text that is no address.
    public func person(ofEmail email: String) -> String? {
        let e = Self.lowered(email)
        guard let at = e.utf8.firstIndex(of: UInt8(ascii: "@")), at != e.utf8.startIndex, e.utf8.index(after: at) != e.utf8.endIndex else {
            return nil
        }
        // Without identities in the policy there is nothing to look up (a hash per address saved).
        return identityOf.isEmpty ? e : identityOf[e].map { identities[$0].name } ?? e
    }

    /// The person behind a principal: by its email (else its key, which for a human is the
    /// lower-cased email); nil for a non-human principal.
    public func person(of principal: Principal) -> String? {
        principal.kind == .nonHuman ? nil : person(ofEmail: principal.email ?? principal.key)
    }

    /// The person behind a principal id, with its record when the export has one.
    public func person(of id: PrincipalID, record: Principal?) -> String? {
        if let record { return person(of: record) }
        return person(ofEmail: id.key)
    }

    /// Every address a person is known by (the identity's, or the one address), lower-cased.
    public func emails(of person: String) -> [String] {
        if let identity = identities.first(where: { $0.name == person }) { return identity.emails }
        return [person]
    }

    /// Whether the policy lists any of the person's addresses as a service account.
    public func isServiceAccount(_ person: String) -> Bool {
        emails(of: person).contains(where: serviceAccounts.contains)
    }

    /// Principal keys of humans are lower-cased already: copied only when they are not.
    private static func lowered(_ s: String) -> String {
        s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? s.lowercased() : s
    }
}

extension AccessGraph {
    /// The person behind principal id `i` (`person(of:record:)`), its record read in place: an
    /// optional copy of the record is a retain per string it holds, on every principal a report
    /// walks.
    public func person(ofPrincipal i: Int) -> String? {
        let r = Int(recordOf[i])
        return r >= 0 ? people.person(of: records[r]) : people.person(ofEmail: principals[i].key)
    }

    /// Every principal (on every platform) of a person, with its record and grants: the person
    /// view of `inspect --person` and of the XP rules. Sorted by platform and key.
    public func principals(ofPerson person: String) -> [(id: PrincipalID, record: Principal?, grants: ArraySlice<Grant>)] {
        var out: [(id: PrincipalID, record: Principal?, grants: ArraySlice<Grant>)] = []
        for email in people.emails(of: person) {
            for platform in Platform.allCases {
                let id = PrincipalID(platform: platform, key: email)
                let record = record(id)
                let grants = grants(of: id)
                // A principal whose record names another person (an identity it is not in) is not this one.
                guard record != nil || !grants.isEmpty, people.person(of: id, record: record) == person else { continue }
                out.append((id, record, grants))
            }
        }
        return out.sorted { $0.id < $1.id }
    }
}
