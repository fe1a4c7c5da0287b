import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes of one input file, read once, normalised to UTF-8 (a UTF-16 export from Windows is
/// transcoded; a UTF-8 BOM is skipped), with the SHA-256 and size of the file as it is on disk.
///
/// The file is read into memory of the process, never mapped: a mapped file that an export job
/// truncates while roleaudit reads it kills the process with SIGBUS. A file that changes size while
/// it is read is refused.
final class InputFile: @unchecked Sendable {
    let path: String
    let size: Int
    /// SHA-256 of the file as on disk. For large files it is computed on the other core while the
    /// file is parsed; reading it waits for that.
    var sha256: String {
        digestDone.wait()
        digestDone.signal()
        return digest
    }
    private var digest = ""
    private let digestDone = DispatchSemaphore(value: 0)
    /// How many bytes of `storage` the background hash has read: pages are released only behind it.
    private let hashed = Atomic<Int>(0)
    /// The allocation, freed with the file.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// True when `storage` is an anonymous mapping (unmapped, not freed).
    private let mapped: Bool
    /// UTF-8 text, BOM removed: a view into `storage`.
    let buffer: UnsafeBufferPointer<UInt8>
    /// The line and column where released text ends, so that errors after it are still located.
    let marks = LineMarks()

    /// Files this large are read into an anonymous mapping whose parsed pages are handed back.
    static let largeFile = 16 << 20
    /// Bytes looked at before the rest of a file is read: a binary file is refused after these.
    static let sniffLength = 8192

    private init(
        path: String, sha256: String?, size: Int, storage: UnsafeMutableBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>,
        mapped: Bool
    ) {
        self.mapped = mapped
        self.path = path
        self.size = size
        self.storage = storage
        self.buffer = text
        if let sha256 {
            digest = sha256
            hashed.store(storage.count, ordering: .releasing)
            digestDone.signal()
        }
    }

    /// Hashes the file's bytes in the background, publishing how far it got.
    private func hashInBackground() {
        nonisolated(unsafe) let bytes = UnsafeRawBufferPointer(start: storage.baseAddress, count: size)
        DispatchQueue.global().async {
            var hasher = SHA256()
            var done = 0
            let chunk = 4 << 20
            while done < bytes.count {
                let n = min(chunk, bytes.count - done)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[done..<(done + n)]))
                done += n
                self.hashed.store(done, ordering: .releasing)
            }
            self.digest = InputFile.hex(hasher.finalize())
            self.digestDone.signal()
        }
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// Hands the pages of parsed text before `offset` back to the kernel: the model grows as the
    /// file is read, so the two are not both resident at their full size. Only text after the
    /// first call is released (what came before, the members ahead of a streamed list, is read
    /// again at the end), and only what the hash has read. Released text reads as zeros, so the
    /// line and column where it ends are kept in `marks` first.
    func release(upTo offset: Int) {
        guard mapped, let text = buffer.baseAddress, let base = storage.baseAddress else { return }
        let skip = UnsafeRawPointer(text) - UnsafeRawPointer(base)
        let floor = marks.floor ?? offset
        marks.floor = floor
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (skip + floor + page - 1) / page * page
        let end = min(skip + offset, hashed.load(ordering: .acquiring)) / page * page
        guard end - max(marks.releasedEnd, start) >= 32 << 20 else { return }
        marks.advance(to: end - skip, in: buffer)
        let from = max(marks.releasedEnd, start)
        madvise(UnsafeMutableRawPointer(base + from), end - from, MADV_DONTNEED)
        marks.releasedEnd = end
    }

    deinit {
        digestDone.wait()  // the background hash reads the storage
        if mapped {
            munmap(storage.baseAddress, storage.count)
        } else {
            storage.deallocate()
        }
    }

    /// Reads a regular file of at most `maxSize` bytes.
    static func read(_ path: String, maxSize: Int) throws -> InputFile {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ImportError.unreadable(file: path, reason: "not a regular file (\(FileKind(mode: info.st_mode).description))")
        }
        let size = Int(info.st_size)
        guard size > 0 else { throw ImportError.empty(file: path) }
        guard size <= maxSize else { throw ImportError.tooLarge(file: path, size: size, limit: maxSize) }

        // The first bytes first, into a small buffer: a binary file is refused before memory for
        // the whole of it is taken or the rest is read.
        let first = min(size, sniffLength)
        var head = [UInt8](repeating: 0, count: first)
        try head.withUnsafeMutableBufferPointer { try fill(fd, $0, from: 0, to: first, size: size, path: path) }
        try head.withUnsafeBufferPointer { try sniff($0, path: path) }

        let large = size >= largeFile
        let storage: UnsafeMutableBufferPointer<UInt8>
        if large {
            // MAP_POPULATE faults the pages in at once, which is faster than one fault per page.
            guard let m = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0), m != MAP_FAILED else {
                throw ImportError.unreadable(file: path, reason: "not enough memory for \(size) bytes")
            }
            storage = UnsafeMutableBufferPointer(start: m.assumingMemoryBound(to: UInt8.self), count: size)
        } else {
            storage = .allocate(capacity: size)
        }
        func free() {
            if large { munmap(storage.baseAddress, size) } else { storage.deallocate() }
        }
        do {
            _ = UnsafeMutableBufferPointer(rebasing: storage[0..<first]).initialize(from: head)
            try fill(fd, storage, from: first, to: size, size: size, path: path)
            // Grown since fstat (still being written)?
            var after = stat()
            if fstat(fd, &after) == 0, Int(after.st_size) != size { throw changed(path, was: size, now: Int(after.st_size)) }
        } catch {
            free()
            throw error
        }
        let isUTF16 = utf16Order(UnsafeBufferPointer(storage)) != nil
        if large && !isUTF16 {
            let file = InputFile(path: path, sha256: nil, size: size, storage: storage, text: normalise(storage), mapped: true)
            file.hashInBackground()
            return file
        }
        let digest = hex(SHA256.hash(data: UnsafeRawBufferPointer(storage)))
        if isUTF16 {
            defer { free() }
            let (out, text) = try transcodeUTF16(UnsafeBufferPointer(storage), path: path)
            return InputFile(path: path, sha256: digest, size: size, storage: out, text: text, mapped: false)
        }
        return InputFile(path: path, sha256: digest, size: size, storage: storage, text: normalise(storage), mapped: large)
    }

    /// An input held in memory (read from elsewhere, or generated), named `path` in messages.
    static func read(bytes: [UInt8], path: String, maxSize: Int) throws -> InputFile {
        guard !bytes.isEmpty else { throw ImportError.empty(file: path) }
        guard bytes.count <= maxSize else { throw ImportError.tooLarge(file: path, size: bytes.count, limit: maxSize) }
        let digest = bytes.withUnsafeBytes { hex(SHA256.hash(data: $0)) }
        try bytes.withUnsafeBufferPointer { try sniff(UnsafeBufferPointer(rebasing: $0.prefix(sniffLength)), path: path) }
        if bytes.withUnsafeBufferPointer({ utf16Order($0) }) != nil {
            let (out, text) = try bytes.withUnsafeBufferPointer { try transcodeUTF16($0, path: path) }
            return InputFile(path: path, sha256: digest, size: bytes.count, storage: out, text: text, mapped: false)
        }
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = storage.initialize(from: bytes)
        return InputFile(path: path, sha256: digest, size: bytes.count, storage: storage, text: normalise(storage), mapped: false)
    }

    private static func fill(_ fd: Int32, _ storage: UnsafeMutableBufferPointer<UInt8>, from: Int, to: Int, size: Int, path: String) throws {
        guard let base = storage.baseAddress else { return }
        var filled = from
        while filled < to {
            let n = Glibc.read(fd, base + filled, to - filled)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { throw changed(path, was: size, now: filled) }
            filled += n
        }
    }

    private static func changed(_ path: String, was: Int, now: Int) -> ImportError {
        .unreadable(file: path, reason: "the file changed while it was read (\(was) bytes when opened, \(now) now): is an export still writing it? Read a finished copy")
    }

    /// Refuses binary data on its first bytes: a NUL byte is never in a JSON, CSV or XML export
    /// (UTF-16 text, which has them, announces itself with a byte order mark).
    private static func sniff(_ head: UnsafeBufferPointer<UInt8>, path: String) throws {
        guard utf16Order(head) == nil else { return }
        let skip = head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0
        if let nul = head[skip...].firstIndex(of: 0) {
            throw ImportError.unrecognized(
                file: path, expected: "a text export (JSON, CSV or XML)", found: "binary data (a NUL byte at offset \(nul))")
        }
    }

    /// true: little-endian UTF-16 (FF FE); false: big-endian (FE FF); nil: no UTF-16 byte order mark.
    private static func utf16Order(_ data: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard data.count >= 2 else { return nil }
        if data[0] == 0xFF && data[1] == 0xFE { return true }
        if data[0] == 0xFE && data[1] == 0xFF { return false }
        return nil
    }

    /// The UTF-8 text of `data`, without a byte order mark.
    private static func normalise(_ data: UnsafeMutableBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let skip = data.count >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0
        return UnsafeBufferPointer(rebasing: data[skip...])
    }

    /// UTF-16 (after its byte order mark) as UTF-8 in a new allocation. An odd number of bytes or
    /// an unpaired surrogate is an error at its line and column: never replaced in silence.
    private static func transcodeUTF16(
        _ data: UnsafeBufferPointer<UInt8>, path: String
    ) throws -> (UnsafeMutableBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
        let little = utf16Order(data) ?? true
        let n = data.count
        var utf8: [UInt8] = []
        utf8.reserveCapacity(n)
        var line = 1
        var column = 1
        var i = 2
        func unit(_ at: Int) -> UInt16 {
            little ? UInt16(data[at]) | UInt16(data[at + 1]) << 8 : UInt16(data[at]) << 8 | UInt16(data[at + 1])
        }
        func fail(_ found: String) -> ImportError {
            .encoding(InputLocation(file: path, line: line, column: column), expected: "UTF-16 text (the file starts with a UTF-16 byte order mark)", found: found)
        }
        while i < n {
            guard i + 1 < n else { throw fail("an odd number of bytes: one byte left over at the end (is the file truncated?)") }
            let u = unit(i)
            var scalar: UInt32
            if (0xD800..<0xDC00).contains(u) {
                guard i + 3 < n, (0xDC00..<0xE000).contains(unit(i + 2)) else {
                    throw fail("a high surrogate 0x\(String(u, radix: 16, uppercase: true)) without the low surrogate that must follow it")
                }
                scalar = 0x10000 + (UInt32(u - 0xD800) << 10) + UInt32(unit(i + 2) - 0xDC00)
                i += 4
            } else if (0xDC00..<0xE000).contains(u) {
                throw fail("a low surrogate 0x\(String(u, radix: 16, uppercase: true)) without a high surrogate before it")
            } else {
                scalar = UInt32(u)
                i += 2
            }
            guard let s = Unicode.Scalar(scalar) else { throw fail("the value 0x\(String(scalar, radix: 16))") }
            if let encoded = UTF8.encode(s) { utf8.append(contentsOf: encoded) }
            if scalar == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        _ = out.initialize(from: utf8)
        return (out, UnsafeBufferPointer(rebasing: out[0..<utf8.count]))
    }
}

/// Where the released part of a file's text ends, with the line and column there: errors further
/// on count from here instead of from the start of the file (whose released bytes read as zeros).
final class LineMarks: @unchecked Sendable {
    /// Text offset where releasing started; text before it is kept.
    var floor: Int?
    /// Text offset up to which `line` and `column` are counted.
    private(set) var offset = 0
    private(set) var line = 1
    private(set) var column = 1
    /// Storage offset up to which pages were released.
    var releasedEnd = 0

    /// Counts lines and columns on to text offset `end`, before that text is released.
    func advance(to end: Int, in text: UnsafeBufferPointer<UInt8>) {
        guard let p = text.baseAddress, end > offset else { return }
        let (l, c) = Locator.count(p, from: offset, to: end, line: line, column: column)
        (offset, line, column) = (end, l, c)
    }

    /// The start to count a position from: (offset, line, column), or nil when `target` lies in
    /// released text.
    func start(for target: Int) -> (Int, Int, Int)? {
        guard let floor, offset > 0 else { return (0, 1, 1) }
        if target >= offset { return (offset, line, column) }
        return target < floor ? (0, 1, 1) : nil
    }
}

/// What kind of file a mode says, for messages.
struct FileKind: CustomStringConvertible {
    let mode: mode_t
    var description: String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}
