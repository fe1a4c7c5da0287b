import Foundation

// Written by hand, not Foundation: JSONDecoder was measured here at about 37 MB/s and
// JSONSerialization holds a whole 200 MB export as NSObjects; neither reports line and column.
// This reader streams the top-level lists of an export, builds a small JSONValue per element,
// and turns any malformation into an ImportError with line, column, expected and found.

/// A streaming JSON reader over the bytes of one file.
struct JSONReader {
    private let p: UnsafePointer<UInt8>
    private let end: Int
    private(set) var pos: Int
    let file: String
    private let marks: LineMarks?
    private var scratch: [UInt8] = []
    static let maxDepth = 256

    /// `bytes` must outlive the reader (see `InputFile`); `marks` says where released text ends.
    init(bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, file: String, marks: LineMarks? = nil) {
        // An empty buffer has no base address; point at a static byte instead (end == 0 guards reads).
        p = bytes.baseAddress ?? JSONReader.emptyByte
        end = bytes.count
        pos = start
        self.file = file
        self.marks = marks
    }

    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        b.initialize(to: 0)
        return UnsafePointer(b)
    }()

    // MARK: errors

    var locator: Locator { Locator(p: p, end: end, file: file, marks: marks) }

    func location(_ offset: Int, record: String? = nil) -> InputLocation {
        locator.location(offset, record: record)
    }

    func describe(_ offset: Int) -> String { locator.describe(offset) }
}

/// Turns byte offsets of one file into lines and columns. Copyable; valid while the file's bytes are.
struct Locator {
    let p: UnsafePointer<UInt8>
    let end: Int
    let file: String
    var marks: LineMarks?

    func location(_ offset: Int, record: String? = nil) -> InputLocation {
        let limit = min(offset, end)
        // Counted from the end of released text when the offset lies after it (released bytes read
        // as zeros); an offset inside released text has no line to give.
        var start = (0, 1, 1)
        if let marks {
            guard let s = marks.start(for: limit) else { return InputLocation(file: file, record: record) }
            start = s
        }
        let (from, line, column) = start
        let (l, c) = Locator.count(p, from: from, to: limit, line: line, column: column)
        return InputLocation(file: file, line: l, column: c, record: record)
    }

    /// The line and column at `to`, counting from `from` where they are `line` and `column`.
    static func count(_ p: UnsafePointer<UInt8>, from: Int, to: Int, line: Int, column: Int) -> (Int, Int) {
        var line = line
        var lineStart = from
        var i = from
        // memchr jumps from line break to line break.
        while i < to, let hit = memchr(p + i, 0x0A, to - i) {
            line += 1
            i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p + 1
            lineStart = i
        }
        var column = lineStart == from ? column : 1
        i = lineStart
        // A column counts characters: every byte but UTF-8 continuation bytes (10xxxxxx), eight
        // bytes at a time (a compact 300 MB export is one line).
        while i + 8 <= to {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            column += 8 - (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < to {
            if p[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }

    /// 1-based line of `offset`, counting on from the last call: linear over a whole file when
    /// offsets only grow (as a streamed list's elements do).
    func line(at offset: Int, cursor: inout (offset: Int, line: Int)) -> Int {
        if offset < cursor.offset { cursor = (0, 1) }
        var i = cursor.offset
        var line = cursor.line
        let limit = min(offset, end)
        // memchr jumps from line break to line break: a 300 MB file is counted in a few milliseconds.
        while i < limit, let hit = memchr(p + i, 0x0A, limit - i) {
            line += 1
            i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p + 1
        }
        cursor = (limit, line)
        return line
    }

    /// The error for text that is not UTF-8, pointing at the first byte that breaks it.
    func invalidUTF8(from start: Int = 0) -> ImportError {
        var i = start
        while i < end {
            let b = p[i]
            let n = b < 0x80 ? 1 : b >> 5 == 0x6 ? 2 : b >> 4 == 0xE ? 3 : b >> 3 == 0x1E ? 4 : 0
            if n == 0 || i + n > end || (1..<max(n, 1)).contains(where: { p[i + $0] & 0xC0 != 0x80 }) { break }
            i += n
        }
        return .encoding(location(i), expected: "UTF-8 text", found: describe(i) + " (save the export as UTF-8)")
    }

    func describe(_ offset: Int) -> String {
        guard offset < end else { return "the end of the file (is it truncated?)" }
        let b = p[offset]
        switch b {
        case 0x20...0x7E: return "'\(Character(UnicodeScalar(b)))'"
        case 0x0A: return "a line break"
        case 0x09: return "a tab"
        default: return "byte 0x" + String(b, radix: 16, uppercase: true)
        }
    }
}

extension JSONReader {
    func syntax(_ expected: String, at offset: Int? = nil, found: String? = nil) -> ImportError {
        let o = offset ?? pos
        return .syntax(location(o), expected: expected, found: found ?? describe(o))
    }

    // MARK: scanning

    mutating func skipWhitespace() {
        while pos < end {
            switch p[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    var atEnd: Bool { pos >= end }

    /// The next significant byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return pos < end ? p[pos] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard pos < end, p[pos] == byte else { throw syntax(what) }
        pos += 1
    }

    mutating func expectEnd() throws {
        skipWhitespace()
        guard pos >= end else { throw syntax("the end of the file after the top-level value") }
    }

    // MARK: values

    mutating func readValue(depth: Int = 0) throws -> JSONValue {
        skipWhitespace()
        guard pos < end else { throw syntax("a value") }
        let start = pos
        switch p[pos] {
        case UInt8(ascii: "{"):
            guard depth < JSONReader.maxDepth else { throw syntax("at most \(JSONReader.maxDepth) levels of nesting") }
            pos += 1
            var members: [(key: String, value: JSONValue)] = []
            if try consumeIf(UInt8(ascii: "}")) { return .object(members, offset: start) }
            var names = MemberNames()
            repeat {
                let key = try memberName(&names, objectAt: start)
                members.append((key, try readValue(depth: depth + 1)))
            } while try consumeSeparator(close: UInt8(ascii: "}"), in: "an object")
            return .object(members, offset: start)
        case UInt8(ascii: "["):
            guard depth < JSONReader.maxDepth else { throw syntax("at most \(JSONReader.maxDepth) levels of nesting") }
            pos += 1
            var items: [JSONValue] = []
            if try consumeIf(UInt8(ascii: "]")) { return .array(items, offset: start) }
            repeat {
                items.append(try readValue(depth: depth + 1))
            } while try consumeSeparator(close: UInt8(ascii: "]"), in: "an array")
            return .array(items, offset: start)
        case UInt8(ascii: "\""):
            return .string(try readString(), offset: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true, offset: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false, offset: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null(offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber(), offset: start)
        default:
            throw syntax("a value (object, array, string, number, true, false or null)", found: word(at: pos))
        }
    }

    /// A member name, its ':' after it, and the check that the object has no other member of that
    /// name (readers of one JSON would disagree on which one counts).
    mutating func memberName(_ names: inout MemberNames, objectAt object: Int) throws -> String {
        skipWhitespace()
        guard pos < end, p[pos] == UInt8(ascii: "\"") else { throw syntax("a member name in double quotes") }
        let at = pos
        let key = try readString()
        if !names.insert(key) { throw duplicate(key, at: at, objectAt: object) }
        try expect(UInt8(ascii: ":"), "':' after the member name \(ErrorText.quote(key))")
        return key
    }

    /// The error for a member name used twice, with both places.
    func duplicate(_ key: String, at offset: Int, objectAt object: Int) -> ImportError {
        let first = location(firstMember(named: key, inObjectAt: object) ?? offset)
        return .syntax(
            location(offset), expected: "each member name once in an object",
            found: "\(ErrorText.quote(key)) appears twice (first at \(first.line ?? 0):\(first.column ?? 0))")
    }

    /// Where the first member named `key` of the object at `object` starts (an error path: reads
    /// the object again).
    private func firstMember(named key: String, inObjectAt object: Int) -> Int? {
        var r = JSONReader(bytes: UnsafeBufferPointer(start: p, count: end), start: object + 1, file: file, marks: marks)
        while true {
            r.skipWhitespace()
            let at = r.pos
            guard let name = try? r.readString(), (try? r.expect(UInt8(ascii: ":"), "")) != nil else { return nil }
            if name == key { return at }
            guard (try? r.skipValue(depth: 1)) != nil, (try? r.consumeSeparator(close: UInt8(ascii: "}"), in: "")) == true else { return nil }
        }
    }

    /// What stands at `offset` where a value should: a bare word (`NaN`, `undefined`) is named whole.
    func word(at offset: Int) -> String {
        var i = offset
        while i < end, i - offset < 24, (p[i] | 0x20) >= UInt8(ascii: "a"), (p[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
        guard i - offset > 1 else { return describe(offset) }
        return "the word \(String(decoding: UnsafeBufferPointer(start: p + offset, count: i - offset), as: UTF8.self)) (not a JSON value)"
    }

    /// Reads past one value, checking it as `readValue` does but keeping nothing: for documents
    /// that are checked here and then decoded whole by another reader.
    mutating func skipValue(depth: Int = 0) throws {
        skipWhitespace()
        guard pos < end else { throw syntax("a value") }
        let start = pos
        switch p[pos] {
        case UInt8(ascii: "{"):
            guard depth < JSONReader.maxDepth else { throw syntax("at most \(JSONReader.maxDepth) levels of nesting") }
            pos += 1
            if try consumeIf(UInt8(ascii: "}")) { return }
            var names = MemberNames()
            repeat {
                _ = try memberName(&names, objectAt: start)
                try skipValue(depth: depth + 1)
            } while try consumeSeparator(close: UInt8(ascii: "}"), in: "an object")
        case UInt8(ascii: "["):
            guard depth < JSONReader.maxDepth else { throw syntax("at most \(JSONReader.maxDepth) levels of nesting") }
            pos += 1
            if try consumeIf(UInt8(ascii: "]")) { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try consumeSeparator(close: UInt8(ascii: "]"), in: "an array")
        case UInt8(ascii: "\""):
            if plainString() == nil { _ = try readString() }
        default:
            _ = try readValue(depth: depth)
        }
    }

    private mutating func consumeIf(_ byte: UInt8) throws -> Bool {
        skipWhitespace()
        if pos < end, p[pos] == byte {
            pos += 1
            return true
        }
        return false
    }

    /// After a member or element: true on ',', false on the closing bracket.
    mutating func consumeSeparator(close: UInt8, in container: String) throws -> Bool {
        skipWhitespace()
        guard pos < end else { throw syntax("',' or '\(Character(UnicodeScalar(close)))' to continue \(container)") }
        if p[pos] == UInt8(ascii: ",") {
            pos += 1
            return true
        }
        if p[pos] == close {
            pos += 1
            return false
        }
        throw syntax("',' or '\(Character(UnicodeScalar(close)))' in \(container)")
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        guard pos + n <= end else { throw syntax("\(word)") }
        for i in 0..<n where p[pos + i] != w[i] {
            throw syntax("\(word)", at: pos + i)
        }
        pos += n
    }

    private mutating func readNumber() throws -> String {
        let start = pos
        if p[pos] == UInt8(ascii: "-") { pos += 1 }
        func digits() -> Int {
            let s = pos
            while pos < end, p[pos] >= 0x30, p[pos] <= 0x39 { pos += 1 }
            return pos - s
        }
        guard pos < end, p[pos] >= 0x30, p[pos] <= 0x39 else { throw syntax("a digit", found: word(at: pos)) }
        var exact = true
        if p[pos] == 0x30 {
            pos += 1
            if pos < end, p[pos] >= 0x30, p[pos] <= 0x39 {
                throw syntax("a number without a leading zero (JSON writes 7, not 07)", at: start, found: "a leading zero")
            }
        } else if digits() > 15 {
            exact = false
        }
        if pos < end, p[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw syntax("a digit after the decimal point") }
        }
        if pos < end, p[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < end, p[pos] == UInt8(ascii: "+") || p[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw syntax("a digit in the exponent") }
            exact = false
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: pos - start), as: UTF8.self)
        // Beyond the range of a double a number is infinite to every reader that converts it.
        if !exact, !(Double(text)?.isFinite ?? false) {
            throw syntax("a number within the range of a double (about ±1.8e308)", at: start, found: "the number \(ErrorText.cut(text))")
        }
        return text
    }

    /// Reads a string; `pos` is at its opening quote.
    mutating func readString() throws -> String {
        let open = pos
        pos += 1
        let start = pos
        var high: UInt8 = 0
        while pos < end {
            let b = p[pos]
            if b == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: p + start, count: pos - start)
                pos += 1
                if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
                guard let s = String(validating: bytes, as: UTF8.self) else { throw invalidUTF8(from: start) }
                return s
            }
            if b == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if b < 0x20 { throw syntax("a closing '\"' (control characters must be escaped)", found: describe(pos)) }
            high |= b
            pos += 1
        }
        throw syntax("a closing '\"' for the string that starts here", at: open, found: "the end of the file (is it truncated?)")
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: pos - start))
        while pos < end {
            let b = p[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                guard let s = String(validating: scratch, as: UTF8.self) else { throw invalidUTF8(from: start) }
                return s
            }
            if b < 0x20 { throw syntax("a closing '\"' (control characters must be escaped)") }
            if b != UInt8(ascii: "\\") {
                scratch.append(b)
                pos += 1
                continue
            }
            pos += 1
            guard pos < end else { break }
            let e = p[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                let escape = pos - 2
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard pos + 1 < end, p[pos] == UInt8(ascii: "\\"), p[pos + 1] == UInt8(ascii: "u") else {
                        throw syntax("a low surrogate escape (\\uDC00-\\uDFFF) after the high surrogate", at: escape, found: "a lone high surrogate")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw syntax("a low surrogate escape (\\uDC00-\\uDFFF) after the high surrogate", at: pos - 6, found: "\\u" + String(low, radix: 16, uppercase: true))
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                // A lone surrogate is no character: an error, never a silent replacement.
                guard let u = UnicodeScalar(scalar) else {
                    throw syntax("a character escape (a low surrogate \\uDC00-\\uDFFF only after a high one)", at: escape, found: "a lone low surrogate")
                }
                if let encoded = UTF8.encode(u) { scratch.append(contentsOf: encoded) }
            default:
                throw syntax("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: pos - 1)
            }
        }
        throw syntax("a closing '\"'", found: "the end of the file (is it truncated?)")
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= end else { throw syntax("four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[pos]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw syntax("a hex digit")
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    private func invalidUTF8(from start: Int) -> ImportError { locator.invalidUTF8(from: start) }

    // MARK: raw access for fast paths

    /// A string's bytes when it has no escapes (nil otherwise, position unchanged): `pos` at its quote.
    mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        guard pos < end, p[pos] == UInt8(ascii: "\"") else { return nil }
        var i = pos + 1
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: p + pos + 1, count: i - pos - 1)
                pos = i + 1
                return bytes
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return nil }
            i += 1
        }
        return nil
    }

    /// An unsigned integer's digits (nil otherwise, position unchanged).
    mutating func plainDigits() -> UnsafeBufferPointer<UInt8>? {
        var i = pos
        while i < end, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        guard i > pos, i < end, p[i] != UInt8(ascii: "."), p[i] | 0x20 != UInt8(ascii: "e"),
            p[pos] != 0x30 || i - pos == 1  // a leading zero is the checked path's error
        else { return nil }
        defer { pos = i }
        return UnsafeBufferPointer(start: p + pos, count: i - pos)
    }

    /// Consumes `null` if it is next.
    mutating func consumeNull() -> Bool {
        guard pos + 4 <= end, p[pos] == UInt8(ascii: "n"), p[pos + 1] == UInt8(ascii: "u"), p[pos + 2] == UInt8(ascii: "l"),
            p[pos + 3] == UInt8(ascii: "l")
        else { return false }
        pos += 4
        return true
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard pos < end, p[pos] == byte else { return false }
        pos += 1
        return true
    }

    /// Back to an earlier position (a fast path that met something it does not handle).
    mutating func rewind(to offset: Int) { pos = offset }

    // MARK: top level

    /// Reads a top-level object member by member: each name first goes to `key`, with its offset. A member whose
    /// value is an array and for which `stream(key)` is true is read element by element through
    /// `element`, so the file is never held as one tree; every other member comes whole through
    /// `member`.
    mutating func readTopLevel(
        key: (String, Int) throws -> Void,
        stream: (String) throws -> Bool,
        member: (String, JSONValue) throws -> Void,
        element: (String, Int, inout JSONReader) throws -> Void
    ) throws {
        skipWhitespace()
        let object = pos
        try expect(UInt8(ascii: "{"), "a JSON object ('{') at the top level")
        if try consumeIf(UInt8(ascii: "}")) { return try expectEnd() }
        var names = MemberNames()
        repeat {
            skipWhitespace()
            let at = pos
            let name = try memberName(&names, objectAt: object)
            try key(name, at)
            if peek() == UInt8(ascii: "["), try stream(name) {
                pos += 1
                var index = 0
                // Built once, not per element: a million elements would build a million messages.
                let list = "the \(ErrorText.quote(name)) list"
                if try !consumeIf(UInt8(ascii: "]")) {
                    repeat {
                        skipWhitespace()
                        try element(name, index, &self)
                        index += 1
                    } while try consumeSeparator(close: UInt8(ascii: "]"), in: list)
                }
            } else {
                try member(name, try readValue(depth: 1))
            }
        } while try consumeSeparator(close: UInt8(ascii: "}"), in: "the top-level object")
        try expectEnd()
    }
}

/// The member names of one object so far: a short list scanned in place, a set once it grows.
struct MemberNames {
    private var few: [String] = []
    private var many: Set<String>?

    /// false when `name` is there already.
    mutating func insert(_ name: String) -> Bool {
        if var set = many {
            many = nil  // keeps the set's storage unique while it is changed
            defer { many = set }
            return set.insert(name).inserted
        }
        if few.contains(name) { return false }
        few.append(name)
        if few.count > 16 { many = Set(few) }
        return true
    }
}
