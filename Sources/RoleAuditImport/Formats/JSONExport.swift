import Foundation
import RoleAuditModel

/// Reads one JSON file: detects from its top-level members which vendor response it is, streams
/// the lists, and hands each element to the reader for that shape.
final class JSONExport {
    private let context: ImportContext
    private var huntress: HuntressReader
    private var cortex: CortexReader
    private var members: [(String, JSONValue)] = []
    private var counts: [String: Int] = [:]
    private var cursor = (offset: 0, line: 1)
    /// The list being streamed, interned once, and its running count (not a dictionary update per element).
    private var currentList = ""
    private var currentCount = 0

    static let streamed: Set<String> = ["memberships", "organizations", "accounts", "reply", "data"]

    init(context: ImportContext) {
        self.context = context
        huntress = HuntressReader(context: context)
        cortex = CortexReader(context: context)
    }

    func read() throws -> SourceFile? {
        var reader = JSONReader(bytes: context.file.buffer, file: context.path)
        let locator = reader.locator
        if reader.peek() == UInt8(ascii: "[") {
            throw ImportError.unrecognized(
                file: context.path, expected: "a JSON object as the vendor APIs return (with \"memberships\", \"reply\", \"data\", ...)",
                found: "a JSON array at the top level")
        }
        try reader.readTopLevel(
            stream: { JSONExport.streamed.contains($0) },
            member: { self.members.append(($0, $1)) },
            element: { key, index, reader in
                let start = reader.pos
                let line = locator.line(at: start, cursor: &self.cursor)
                if key != self.currentList {
                    self.flushCount()
                    self.currentList = self.context.builder.intern(key)
                }
                self.currentCount += 1
                let provenance = Provenance(file: self.context.path, collection: self.currentList, index: index, line: line)
                self.context.file.release(upTo: start)
                if key == "memberships", try self.huntress.fastMembership(&reader, provenance) { return }
                reader.rewind(to: start)
                let element = Element(value: try reader.readValue(depth: 2), root: self.currentList, index: index, locator: locator)
                switch key {
                case "memberships": try self.huntress.membership(element, provenance)
                case "organizations": try self.huntress.organization(element, provenance)
                case "accounts": try self.huntress.account(element)
                default: try self.cortex.element(element, list: key, provenance)
                }
            })
        flushCount()
        return try finish(locator)
    }

    private func flushCount() {
        if currentCount > 0 { counts[currentList, default: 0] += currentCount }
        currentCount = 0
    }

    private func finish(_ locator: Locator) throws -> SourceFile? {
        let keys = Set(members.map(\.0)).union(counts.keys)
        func member(_ key: String) -> Element? {
            members.first { $0.0 == key }.map { Element(value: $0.1, path: key, locator: locator) }
        }
        if keys.contains("roleaudit_snapshot") { return nil }  // the caller reads snapshots whole
        if keys.contains("memberships") || keys.contains("organizations") || keys.contains("accounts") {
            let list = ["memberships", "organizations", "accounts"].first(where: keys.contains) ?? "memberships"
            let next = try member("pagination")?.string("next_page_token")
            huntress.page(list: list, next: next)
            return context.source(
                format: "huntress.\(list)", platform: .huntress, scope: huntress.accountScope, records: counts[list] ?? 0)
        }
        if keys.contains("membership"), let m = member("membership") {
            try huntress.membership(m, Provenance(file: context.path, collection: "membership"))
            return context.source(format: "huntress.membership", platform: .huntress, scope: huntress.accountScope, records: 1)
        }
        if keys.contains("account"), let a = member("account") {
            try huntress.account(a)
            let actor = keys.contains("user") || keys.contains("reseller")
            return context.source(
                format: actor ? "huntress.actor" : "huntress.account", platform: .huntress, scope: huntress.accountScope,
                records: 1)
        }
        if keys.contains("reply") || keys.contains("data") {
            if let reply = member("reply") { try cortex.replyObject(reply) }
            if let data = member("data") { try cortex.dataObject(data) }
            if let total = try member("metadata")?.child("total_count").map({ try $0.value.intValue(in: $0) }) {
                let got = counts["data"] ?? 0
                if total != got {
                    context.builder.add(coverage: CoverageIssue(
                        kind: .countMismatch, platform: .cortexXDR, scope: context.tenant, file: context.path,
                        detail: "metadata.total_count says \(total) but the file holds \(got) record(s)"))
                }
            }
            let records = (counts["reply"] ?? 0) + (counts["data"] ?? 0) + cortex.singleRecords
            return context.source(format: cortex.format, platform: .cortexXDR, scope: context.tenant, records: records)
        }
        let found = keys.isEmpty ? "an empty object" : "an object with members " + keys.sorted().prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
        throw ImportError.unrecognized(
            file: context.path,
            expected: "a Huntress API response (memberships, organizations, accounts, account, actor), a Cortex XDR API reply (reply, data) or a roleaudit snapshot",
            found: found)
    }
}

extension JSONValue {
    func intValue(in element: Element) throws -> Int {
        guard case .number(let n, _) = self, let v = Int(n) else { throw element.error("a whole number") }
        return v
    }
}
