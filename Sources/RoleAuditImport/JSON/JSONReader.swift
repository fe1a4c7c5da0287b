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
    private var scratch: [UInt8] = []
    static let maxDepth = 256

    /// `bytes` must outlive the reader (see `InputFile`).
    init(bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, file: String) {
        // An empty buffer has no base address; point at a static byte instead (end == 0 guards reads).
        p = bytes.baseAddress ?? JSONReader.emptyByte
        end = bytes.count
        pos = start
        self.file = file
    }

    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        b.initialize(to: 0)
        return UnsafePointer(b)
    }()

    // MARK: errors

    var locator: Locator { Locator(p: p, end: end, file: file) }

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

    func location(_ offset: Int, record: String? = nil) -> InputLocation {
        var line = 1
        var lineStart = 0
        var i = 0
        let limit = min(offset, end)
        while i < limit {
            if p[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        i = lineStart
        while i < limit {
            if p[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return InputLocation(file: file, line: line, column: column, record: record)
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
            repeat {
                skipWhitespace()
                guard pos < end, p[pos] == UInt8(ascii: "\"") else { throw syntax("a member name in double quotes") }
                let key = try readString()
                try expect(UInt8(ascii: ":"), "':' after the member name \"\(key)\"")
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
            throw syntax("a value (object, array, string, number, true, false or null)")
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
        guard pos < end, p[pos] >= 0x30, p[pos] <= 0x39 else { throw syntax("a digit") }
        if p[pos] == 0x30 { pos += 1 } else { _ = digits() }
        if pos < end, p[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw syntax("a digit after the decimal point") }
        }
        if pos < end, p[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < end, p[pos] == UInt8(ascii: "+") || p[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw syntax("a digit in the exponent") }
        }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: pos - start), as: UTF8.self)
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
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), pos + 1 < end, p[pos] == UInt8(ascii: "\\"), p[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw syntax("a low surrogate \\uDC00-\\uDFFF", at: pos - 6) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                // A lone surrogate cannot be UTF-8; keep the text readable rather than reject the file.
                let u = UnicodeScalar(scalar) ?? "\u{FFFD}"
                scratch.append(contentsOf: Array(String(Character(u)).utf8))
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
        guard i > pos, i < end, p[i] != UInt8(ascii: "."), p[i] | 0x20 != UInt8(ascii: "e") else { return nil }
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

    /// Reads a top-level object member by member. A member whose value is an array and for which
    /// `stream(key)` is true is read element by element through `element`, so the file is never
    /// held as one tree; every other member comes whole through `member`.
    mutating func readTopLevel(
        stream: (String) -> Bool,
        member: (String, JSONValue) throws -> Void,
        element: (String, Int, inout JSONReader) throws -> Void
    ) throws {
        try expect(UInt8(ascii: "{"), "a JSON object ('{') at the top level")
        if try consumeIf(UInt8(ascii: "}")) { return try expectEnd() }
        repeat {
            skipWhitespace()
            guard pos < end, p[pos] == UInt8(ascii: "\"") else { throw syntax("a member name in double quotes") }
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':' after the member name \"\(key)\"")
            if peek() == UInt8(ascii: "["), stream(key) {
                pos += 1
                var index = 0
                if try !consumeIf(UInt8(ascii: "]")) {
                    repeat {
                        skipWhitespace()
                        try element(key, index, &self)
                        index += 1
                    } while try consumeSeparator(close: UInt8(ascii: "]"), in: "the \"\(key)\" list")
                }
            } else {
                try member(key, try readValue(depth: 1))
            }
        } while try consumeSeparator(close: UInt8(ascii: "}"), in: "the top-level object")
        try expectEnd()
    }
}
