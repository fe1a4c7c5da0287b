import Foundation
import RoleAuditModel

/// JSON streamed into a sink, byte for byte as Foundation's `JSONEncoder` writes it with
/// `.prettyPrinted`, `.sortedKeys` and `.withoutEscapingSlashes` (two-space indents, `"key" : value`,
/// an empty container as `[` or `{`, a blank line and the closing bracket): findings.json and
/// findings.sarif kept their bytes when they stopped being built whole in memory by the encoder,
/// which took half of a large findings.json run and held the file twice over.
///
/// Keys are written in the order the encoder sorts them (by their UTF-8 bytes); a debug build
/// checks it. Strings are escaped on bytes: `"` and `\`, `\b \t \n \f \r`, other C0 controls as
/// `\u001b`; everything else, `/` included, as it is.
public final class JSONOutput {
    private let sink: ByteSink
    /// Per open container: whether nothing was written in it yet. Flags only: the array is read
    /// and written for every member of a large findings.json.
    private var open: [Bool] = []
    #if DEBUG
        /// Per open container: its last key, to check the order.
        private var lastKeys: [[UInt8]?] = []
    #endif
    private var afterKey = false

    init(_ sink: ByteSink) { self.sink = sink }

    /// An output that continues inside an array `depth` containers deep, as if its earlier
    /// elements were written (`first`: none were): one run of a concurrent array's elements.
    private init(_ sink: ByteSink, insideArrayAt depth: Int, first: Bool) {
        self.sink = sink
        open = Array(repeating: false, count: depth - 1) + [first]
        #if DEBUG
            lastKeys = Array(repeating: nil, count: depth)
        #endif
    }

    /// What `body` writes, as text.
    public static func render(_ body: (JSONOutput) -> Void) -> String {
        let sink = ByteSink.inMemory()
        body(JSONOutput(sink))
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    // MARK: containers

    public func beginObject() {
        prefix()
        sink.byte(UInt8(ascii: "{"))
        push()
    }

    public func endObject() { close(UInt8(ascii: "}")) }

    public func beginArray() {
        prefix()
        sink.byte(UInt8(ascii: "["))
        push()
    }

    public func endArray() { close(UInt8(ascii: "]")) }

    /// `{ body }` as the value of `key`.
    public func object(_ key: StaticString, _ body: () -> Void) {
        self.key(key)
        beginObject()
        body()
        endObject()
    }

    /// `[ one element per item ]` as the value of `key`.
    public func array<S: Sequence>(_ key: StaticString, _ items: S, _ element: (S.Element) -> Void) {
        self.key(key)
        beginArray()
        for item in items { element(item) }
        endArray()
    }

    /// `[ one element per item ]` as the value of `key`, byte for byte as `array` writes it, with
    /// the elements rendered on every core: in rounds of one run of `run` items per core, each run
    /// into memory through an output of its own, the runs then written in order. Memory holds a
    /// round's text, not the array's. `makeElement` is called once per run, so that what an element
    /// writer keeps between elements (a cache) is never shared between threads. The findings of a
    /// large findings.json were one core's work for seconds.
    public func array<T: Sendable>(
        _ key: StaticString, concurrently items: [T], run: Int = 2048, _ makeElement: @Sendable () -> (T, JSONOutput) -> Void
    ) {
        self.key(key)
        beginArray()
        let depth = open.count
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var start = 0
        while start < items.count {
            let round = start
            let runs = (0..<cores).map { c in min(items.count, round + c * run)..<min(items.count, round + (c + 1) * run) }.filter { !$0.isEmpty }
            let texts = Parallel.map(runs.count) { r -> [UInt8] in
                let memory = ByteSink.inMemory()
                let out = JSONOutput(memory, insideArrayAt: depth, first: round == 0 && r == 0)
                let element = makeElement()
                for i in runs[r] { element(items[i], out) }
                return memory.bytes
            }
            for text in texts { sink.append(text) }
            start = runs.last?.upperBound ?? items.count
        }
        if !items.isEmpty { open[open.count - 1] = false }
        endArray()
    }

    /// An array of strings as the value of `key`.
    public func strings(_ key: StaticString, _ items: some Sequence<String>) { array(key, items) { self.string($0) } }

    // MARK: members

    public func key(_ key: StaticString) { key.withUTF8Buffer { name($0) } }

    /// A key computed at run time (a rule id in `by_rule`): the caller sorts them.
    public func key(_ key: String) { Array(key.utf8).withUnsafeBufferPointer { name($0) } }

    public func field(_ key: StaticString, _ value: String?) {
        self.key(key)
        string(value)
    }

    public func field(_ key: StaticString, _ value: Int?) {
        self.key(key)
        number(value)
    }

    public func field(_ key: StaticString, _ value: Int64) {
        self.key(key)
        prefix()
        sink.appendVerbatim(String(value))
    }

    public func field(_ key: StaticString, _ value: Bool) {
        self.key(key)
        prefix()
        sink.append(value ? "true" : "false")
    }

    /// A string, or `null` for nil.
    public func string(_ s: String?) {
        prefix()
        guard var s else {
            sink.append("null")
            return
        }
        sink.byte(0x22)
        s.withUTF8 { p in
            var start = 0
            for i in 0..<p.count {
                let b = p[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                sink.append(UnsafeBufferPointer(rebasing: p[start..<i]))
                switch b {
                case 0x22: sink.append("\\\"")
                case 0x5C: sink.append("\\\\")
                case 0x08: sink.append("\\b")
                case 0x09: sink.append("\\t")
                case 0x0A: sink.append("\\n")
                case 0x0C: sink.append("\\f")
                case 0x0D: sink.append("\\r")
                default:
                    sink.append("\\u00")
                    sink.byte(Self.hex[Int(b >> 4)])
                    sink.byte(Self.hex[Int(b & 0xF)])
                }
                start = i + 1
            }
            sink.append(UnsafeBufferPointer(rebasing: p[start..<p.count]))
        }
        sink.byte(0x22)
    }

    /// A number, or `null` for nil.
    public func number(_ n: Int?) {
        prefix()
        if let n { sink.append(n) } else { sink.append("null") }
    }

    /// The end of the document: JSONEncoder writes none, the reports a line feed.
    public func newline() { sink.byte(0x0A) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    // MARK: layout

    private func name(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Only a debug build keeps each container's last key to check the order: copying every key
        // into an array cost an allocation per member written.
        #if DEBUG
            if let last = lastKeys.last ?? nil {
                assert(last.lexicographicallyPrecedes(bytes), "JSON keys out of order: \(String(decoding: bytes, as: UTF8.self))")
            }
            if !lastKeys.isEmpty { lastKeys[lastKeys.count - 1] = Array(bytes) }
        #endif
        element()
        sink.byte(0x22)
        sink.append(bytes)
        sink.append("\" : ")
        afterKey = true
    }

    /// Before a value: nothing after a key; in an array, the separator and the indent.
    private func prefix() {
        if afterKey {
            afterKey = false
        } else if !open.isEmpty {
            element()
        }
    }

    private func push() {
        open.append(true)
        #if DEBUG
            lastKeys.append(nil)
        #endif
    }

    /// The separator, the line feed and the indent before a member or element, in one append.
    private func element() {
        let first = open[open.count - 1]
        if first { open[open.count - 1] = false }
        lead(depth: open.count, comma: !first)
    }

    private func close(_ bracket: UInt8) {
        let empty = open.removeLast()
        #if DEBUG
            lastKeys.removeLast()
        #endif
        if empty { sink.byte(0x0A) }
        lead(depth: open.count, comma: false)
        sink.byte(bracket)
    }

    /// `,` (when `comma`), a line feed and two spaces per level, from one run of bytes: appending
    /// the indent two spaces at a time was a call per level for every line of a large findings.json.
    private func lead(depth: Int, comma: Bool) {
        let from = comma ? 0 : 1, to = 2 + 2 * depth
        if to <= Self.leads.count {
            Self.leads.withUnsafeBufferPointer { sink.append(UnsafeBufferPointer(rebasing: $0[from..<to])) }
        } else {
            if comma { sink.byte(UInt8(ascii: ",")) }
            sink.byte(0x0A)
            for _ in 0..<depth { sink.append("  ") }
        }
    }

    private static let leads: [UInt8] = Array(",\n".utf8) + [UInt8](repeating: 0x20, count: 64)
}
