#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A report file that cannot be written: its path and the system's reason, as `strerror` says it
/// (`No space left on device`, `Permission denied`, `Not a directory`).
public struct OutputError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        self.init(path: path, reason: String(cString: strerror(code)))
    }

    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Bytes on their way to a file, written in 256 KiB blocks: no report is ever held whole in memory.
/// The first failed write is kept and thrown by `close()`; later writes are dropped, so writers
/// stream without a `try` on every cell.
///
/// Only the output layer writes into a sink, each format through its escaping (`HTML`,
/// `CSVTable`, `XMLOutput`, `JSONOutput`); diff.md, a few dozen lines, is built as text with
/// `Markdown.code` around every value and written whole. Outside this module a sink takes no text.
public final class ByteSink {
    public let path: String
    private var fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 18
    private var count = 0
    /// Set for a sink in memory (tests, text for the terminal).
    private var memory: [UInt8]?
    private var failure: OutputError?

    private init(path: String, fd: Int32, memory: [UInt8]?) {
        self.path = path
        self.fd = fd
        self.memory = memory
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if fd >= 0 { _ = closeDescriptor(fd) }
    }

    /// Creates (or truncates) the file at `path`.
    public static func create(_ path: String) throws(OutputError) -> ByteSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OutputError(path: path, errno: errno) }
        return ByteSink(path: path, fd: fd, memory: nil)
    }

    /// A sink that keeps what is written, for `bytes`.
    public static func inMemory(name: String = "(memory)") -> ByteSink { ByteSink(path: name, fd: -1, memory: []) }

    /// What an in-memory sink holds.
    public var bytes: [UInt8] {
        flush()
        return memory ?? []
    }

    /// Writes what is buffered and closes the file; throws the first error any write met.
    public func close() throws(OutputError) {
        flush()
        if fd >= 0 {
            if closeDescriptor(fd) != 0 && failure == nil { failure = OutputError(path: path, errno: errno) }
            fd = -1
        }
        if let failure { throw failure }
    }

    // MARK: bytes

    @inline(__always)
    func byte(_ b: UInt8) {
        if count == capacity { flush() }
        buffer[count] = b
        count += 1
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count > capacity - count {
            flush()
            if bytes.count >= capacity {
                emit(base, bytes.count)
                return
            }
        }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    /// Markup and punctuation written in roleaudit's source.
    func append(_ literal: StaticString) { literal.withUTF8Buffer { append($0) } }

    /// Text the caller has already made safe for the format (escaped, or roleaudit's own words).
    func appendVerbatim(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// A decimal number.
    func append(_ n: Int) {
        if n >= 0 && n < 10 {
            byte(UInt8(ascii: "0") + UInt8(n))
            return
        }
        appendVerbatim(String(n))
    }

    private func flush() {
        guard count > 0 else { return }
        emit(buffer, count)
        count = 0
    }

    private func emit(_ base: UnsafePointer<UInt8>, _ n: Int) {
        if memory != nil {
            memory?.append(contentsOf: UnsafeBufferPointer(start: base, count: n))
            return
        }
        guard failure == nil, fd >= 0 else { return }
        var done = 0
        while done < n {
            let written = write(fd, base + done, n - done)
            if written < 0 {
                if errno == EINTR { continue }
                failure = OutputError(path: path, errno: errno)
                return
            }
            done += written
        }
    }
}

/// `close(2)`, out of reach of `ByteSink.close()`'s name.
private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
