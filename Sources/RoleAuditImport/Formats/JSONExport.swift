import Foundation
import RoleAuditModel
import Synchronization

/// Reads one JSON file: tells from its top-level members which vendor response it is, streams
/// its list, and hands each element to the reader for that shape.
final class JSONExport {
    /// The API response families an export can come from, each told by top-level members that only
    /// it uses. A file with members of two families, or with two lists, is no response any API
    /// gives: it is refused rather than read as one of them. A new family is one entry here (and
    /// its reader in `element` and `finish`).
    struct Family: Equatable {
        enum Kind { case huntress, cortexLegacy, cortexIAM }
        let kind: Kind
        /// For messages: "the Huntress API".
        let name: String
        let members: Set<String>
        /// The members that hold a list, streamed element by element. A list may be empty.
        let lists: Set<String>
    }

    static let families: [Family] = [
        Family(
            kind: .huntress, name: "the Huntress API",
            members: ["memberships", "organizations", "accounts", "membership", "account", "user", "reseller", "pagination"],
            lists: ["memberships", "organizations", "accounts"]),
        Family(kind: .cortexLegacy, name: "Cortex XDR's legacy API", members: ["reply"], lists: ["reply"]),
        Family(kind: .cortexIAM, name: "Cortex XDR's platform IAM API", members: ["data", "metadata"], lists: ["data"]),
    ]
    static let streamed = Set(families.flatMap(\.lists))

    private let context: ImportContext
    private var huntress: HuntressReader
    private var cortex: CortexReader
    private var members: [(String, JSONValue)] = []
    private var cursor = (offset: 0, line: 1)
    /// The family the first family member named, and that member.
    private var family: (family: Family, key: String)?
    /// The one list of the file, interned once, and its running count.
    private var list: String?
    private var count = 0

    // Memberships are read (`HuntressReader.parse`: bytes, timestamps, the user) on this thread
    // and recorded (`HuntressReader.record`, the builder) on another, a batch at a time: on the
    // realistic 1,000,000-membership export the import went from 4.2 s to 3.1 s (README, "Speed").
    // Only `record` runs there, and whatever touches `huntress` or the builder here waits for it
    // first (`settle`), so the builder sees the calls in the order one thread would make them.
    private let recorder = DispatchQueue(label: "roleaudit.import.record")
    /// Batches handed over and not yet recorded, at most: a reader faster than the recorder waits.
    private let slots = DispatchSemaphore(value: 4)
    private var batch: [(HuntressReader.Parsed, Provenance)] = []
    /// Where the batch's last membership ends in the text.
    private var batchEnd = 0
    private var handedOver = false
    /// Text offset before which every membership handed over is recorded: the file's text is
    /// released only behind it, as `record` may still read names from it.
    private let recordedUpTo = Atomic<Int>(0)
    private static let batchSize = 8192

    init(context: ImportContext) {
        self.context = context
        huntress = HuntressReader(context: context)
        cortex = CortexReader(context: context)
    }

    /// Reads the file; nil when it turns out to be a roleaudit snapshot (read whole by the caller).
    func read() throws -> SourceFile? {
        var reader = JSONReader(bytes: context.file.buffer, file: context.path, marks: context.file.marks)
        let locator = reader.locator
        if reader.peek() == UInt8(ascii: "[") {
            throw ImportError.unrecognized(
                file: context.path, expected: "a JSON object as the vendor APIs return (with \"memberships\", \"reply\", \"data\", ...)",
                found: "a JSON array at the top level")
        }
        var snapshot = false
        var keyOffset = 0
        defer { settle() }
        try reader.readTopLevel(
            key: { key, offset in
                if key == "roleaudit_snapshot" { snapshot = true }
                keyOffset = offset
                try self.note(key, at: locator.location(offset))
            },
            stream: { key in
                guard JSONExport.streamed.contains(key) else { return false }
                self.settle()
                try self.start(list: key, at: locator.location(keyOffset))
                return true
            },
            member: { self.members.append(($0, $1)) },
            element: { _, index, reader in
                let start = reader.pos
                let line = locator.line(at: start, cursor: &self.cursor)
                self.count += 1
                let list = self.list ?? ""
                let provenance = Provenance(file: self.context.path, collection: list, index: index, line: line)
                if list == "memberships", self.context.fastPaths {
                    if self.count == 1 { self.recordedUpTo.store(start, ordering: .relaxed) }
                    self.context.file.release(upTo: min(start, self.recordedUpTo.load(ordering: .acquiring)))
                    if let m = HuntressReader.parse(&reader) {
                        self.batch.append((m, provenance))
                        self.batchEnd = reader.pos
                        if self.batch.count == JSONExport.batchSize { self.handOver() }
                        return
                    }
                    self.settle()
                } else {
                    self.context.file.release(upTo: start)
                }
                reader.rewind(to: start)
                let element = Element(value: try reader.readValue(depth: 2), root: list, index: index, locator: locator)
                switch list {
                case "memberships": try self.huntress.membership(element, provenance)
                case "organizations": try self.huntress.organization(element, provenance)
                case "accounts": try self.huntress.account(element)
                default: try self.cortex.element(element, list: list, provenance)
                }
            })
        settle()
        if snapshot { return nil }
        return try finish(locator)
    }

    private struct HandOver: @unchecked Sendable {
        let export: JSONExport
        let batch: [(HuntressReader.Parsed, Provenance)]
        let end: Int
    }

    private func handOver() {
        guard !batch.isEmpty else { return }
        let work = HandOver(export: self, batch: batch, end: batchEnd)
        batch = []
        batch.reserveCapacity(JSONExport.batchSize)
        slots.wait()
        handedOver = true
        recorder.async {
            for (m, provenance) in work.batch { work.export.huntress.record(m, provenance) }
            work.export.recordedUpTo.store(work.end, ordering: .releasing)
            work.export.slots.signal()
        }
    }

    /// Records what was read and waits until it is: after this, this thread alone uses the builder.
    private func settle() {
        handOver()
        guard handedOver else { return }
        recorder.sync {}
        handedOver = false
    }

    /// A top-level member: it must not belong to a second family.
    private func note(_ key: String, at location: @autoclosure () -> InputLocation) throws {
        guard let f = JSONExport.families.first(where: { $0.members.contains(key) }) else { return }
        guard let (known, first) = family else {
            family = (f, key)
            return
        }
        guard known == f else {
            throw ImportError.invalid(
                location(), expected: "the response of one API (an export holds the reply to one request)",
                found: "members of two: \(ErrorText.quote(first)) (\(known.name)) and \(ErrorText.quote(key)) (\(f.name))")
        }
    }

    /// The list of the file starts: a response holds one.
    private func start(list key: String, at location: @autoclosure () -> InputLocation) throws {
        if let list, list != key {
            throw ImportError.invalid(
                location(), expected: "one list (an API response holds one)", found: "two: \(ErrorText.quote(list)) and \(ErrorText.quote(key))")
        }
        list = context.builder.intern(key)
    }

    private func finish(_ locator: Locator) throws -> SourceFile {
        func member(_ key: String) -> Element? {
            members.first { $0.0 == key }.map { Element(value: $0.1, path: key, locator: locator) }
        }
        guard let (family, _) = family else {
            let keys = members.map(\.0)
            let found = keys.isEmpty ? "an empty object" : "an object with members " + keys.sorted().prefix(8).map { ErrorText.quote($0) }.joined(separator: ", ")
            throw ImportError.unrecognized(
                file: context.path,
                expected: "a Huntress API response (memberships, organizations, accounts, account, actor), a Cortex XDR API reply (reply, data) or a roleaudit snapshot",
                found: found)
        }
        switch family.kind {
        case .huntress: return try finishHuntress(member)
        case .cortexLegacy, .cortexIAM: return try finishCortex(member)
        }
    }

    private func finishHuntress(_ member: (String) -> Element?) throws -> SourceFile {
        if let list {
            let next = try member("pagination")?.string("next_page_token")
            huntress.page(list: list, next: next)
            return context.source(format: "huntress.\(list)", platform: .huntress, scope: huntress.accountScope, records: count)
        }
        if let m = member("membership") {
            try huntress.membership(m, Provenance(file: context.path, collection: "membership"))
            return context.source(format: "huntress.membership", platform: .huntress, scope: huntress.accountScope, records: 1)
        }
        if let a = member("account") {
            try huntress.account(a)
            let actor = member("user") != nil || member("reseller") != nil
            return context.source(
                format: actor ? "huntress.actor" : "huntress.account", platform: .huntress, scope: huntress.accountScope, records: 1)
        }
        throw ImportError.unrecognized(
            file: context.path, expected: "a Huntress list (memberships, organizations, accounts), a membership, an account or an actor",
            found: "an object with members " + members.map(\.0).sorted().prefix(8).map { ErrorText.quote($0) }.joined(separator: ", "))
    }

    private func finishCortex(_ member: (String) -> Element?) throws -> SourceFile {
        cortex.family = family?.family.kind == .cortexIAM ? "iam" : "legacy"
        if let reply = member("reply") { try cortex.replyObject(reply) }
        if let data = member("data") { try cortex.dataObject(data) }
        if let total = try member("metadata")?.child("total_count").map({ try $0.value.intValue(in: $0) }) {
            let got = list == "data" ? count : 0
            if total != got {
                context.builder.add(coverage: CoverageIssue(
                    kind: .countMismatch, platform: .cortexXDR, scope: context.tenant, file: context.path,
                    detail: "metadata.total_count says \(total) but the file holds \(got) record(s)"))
            }
        }
        if list != nil, let kind = cortex.listKind {
            context.builder.exported(list: kind, scope: context.tenant, file: context.path)
        }
        return context.source(format: cortex.format, platform: .cortexXDR, scope: context.tenant, records: count + cortex.singleRecords)
    }
}

extension JSONValue {
    func intValue(in element: Element) throws -> Int {
        guard case .number(let n, _) = self, let v = Int(n) else { throw element.error("a whole number") }
        return v
    }
}
