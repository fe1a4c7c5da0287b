import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes of one input file, read once, normalised to UTF-8 (a UTF-16 export from Windows is
/// transcoded; a UTF-8 BOM is skipped), with the SHA-256 and size of the file as it is on disk.
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
    /// The allocation, freed with the file.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// UTF-8 text, BOM removed: a view into `storage`.
    let buffer: UnsafeBufferPointer<UInt8>

    /// True when `storage` is a mapping of the file (unmapped, not freed).
    private let mapped: Bool

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
            digestDone.signal()
        }
    }

    /// Hashes the mapped file in the background (the mapping outlives the hash: deinit waits).
    private func hashInBackground() {
        nonisolated(unsafe) let bytes = UnsafeRawBufferPointer(start: storage.baseAddress, count: size)
        DispatchQueue.global().async {
            self.digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            self.digestDone.signal()
        }
    }

    private var released = 0

    /// Hands the pages before `offset` back to the kernel once parsed: the model grows as the
    /// file is read, so the two are not both resident at their full size. The mapping is private
    /// and never written, so a page touched again (an error message counting lines) is read back
    /// from the file.
    func release(upTo offset: Int) {
        guard mapped, let text = buffer.baseAddress, let base = storage.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = (UnsafeRawPointer(text) - UnsafeRawPointer(base) + offset) / page * page
        guard end - released >= 32 << 20 else { return }
        madvise(UnsafeMutableRawPointer(base), end, MADV_DONTNEED)
        released = end
    }

    deinit {
        digestDone.wait()  // the background hash reads the mapping
        if mapped {
            munmap(storage.baseAddress, storage.count)
        } else {
            storage.deallocate()
        }
    }

    static func read(_ path: String) throws -> InputFile {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        guard size > 0 else { throw ImportError.empty(file: path) }
        // Large files are mapped, not read: no zero-filled copy of a few hundred megabytes.
        // MAP_POPULATE faults the pages in at once, which is faster than one fault per page.
        if size >= 16 << 20, let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0),
            mapped != MAP_FAILED
        {
            let raw = UnsafeMutableBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
            let isMapped = raw.first.map { $0 != 0xFF && $0 != 0xFE } ?? true  // UTF-16 is transcoded into a copy
            if isMapped {
                let (storage, text) = try normalise(raw, path: path, owner: raw, mapped: true)
                let file = InputFile(path: path, sha256: nil, size: size, storage: storage, text: text, mapped: true)
                file.hashInBackground()
                return file
            }
            let digest = SHA256.hash(data: UnsafeRawBufferPointer(raw)).map { String(format: "%02x", $0) }.joined()
            let (storage, text) = try normalise(raw, path: path, owner: raw, mapped: true)
            return InputFile(path: path, sha256: digest, size: size, storage: storage, text: text, mapped: false)
        }
        let raw = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
        guard let base = raw.baseAddress else { throw ImportError.empty(file: path) }
        var filled = 0
        while filled < size {
            let n = Glibc.read(fd, base + filled, size - filled)
            if n < 0 {
                raw.deallocate()
                throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(start: raw.baseAddress, count: filled))
            .map { String(format: "%02x", $0) }.joined()
        let (storage, text) = try normalise(UnsafeMutableBufferPointer(rebasing: raw[0..<filled]), path: path, owner: raw, mapped: false)
        return InputFile(path: path, sha256: digest, size: filled, storage: storage, text: text, mapped: false)
    }

    /// UTF-8 without BOM: the allocation to free and the view of the text in it. `owner` is
    /// returned as the allocation or freed.
    private static func normalise(
        _ data: UnsafeMutableBufferPointer<UInt8>, path: String, owner: UnsafeMutableBufferPointer<UInt8>, mapped: Bool
    ) throws -> (UnsafeMutableBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
        func release() {
            if mapped { munmap(owner.baseAddress, owner.count) } else { owner.deallocate() }
        }
        let n = data.count
        if n >= 2, (data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF) {
            let little = data[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(n / 2)
            var i = 2
            while i + 1 < n {
                units.append(little ? UInt16(data[i]) | UInt16(data[i + 1]) << 8 : UInt16(data[i]) << 8 | UInt16(data[i + 1]))
                i += 2
            }
            release()
            var text = ""
            var iterator = units.makeIterator()
            var decoder = UTF16()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let s): text.unicodeScalars.append(s)
                case .emptyInput: break loop
                case .error:
                    throw ImportError.encoding(
                        InputLocation(file: path), expected: "valid UTF-16 text after the UTF-16 byte order mark",
                        found: "an unpaired surrogate")
                }
            }
            let utf8 = Array(text.utf8)
            let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
            _ = out.initialize(from: utf8)
            return (out, UnsafeBufferPointer(rebasing: out[0..<utf8.count]))
        }
        let skip = n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0
        // Binary garbage: a NUL byte in the first 8 KiB is never in a JSON, CSV or XML export.
        if let nul = data[skip..<min(n, skip + 8192)].firstIndex(of: 0) {
            release()
            throw ImportError.unrecognized(
                file: path, expected: "a text export (JSON, CSV or XML)", found: "binary data (a NUL byte at offset \(nul))")
        }
        return (owner, UnsafeBufferPointer(rebasing: data[skip...]))
    }
}
