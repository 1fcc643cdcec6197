#if canImport(Glibc)
import Glibc
#endif

/// Line ends as stet reads a section: a file saved with CRLF (an editor on Windows does that)
/// holds the same text as one saved with LF, so the two are one content, and stet records LF.
enum LineEndings {
    /// The bytes with every CRLF made LF; nil when they hold no CRLF. A lone CR is left as it is.
    static func normalized(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let base = bytes.baseAddress, let first = crlf(in: bytes, from: 0) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var start = 0
        var next: Int? = first
        while let cr = next {
            // Up to the CR; its LF starts the next piece.
            result.append(contentsOf: UnsafeBufferPointer(start: base + start, count: cr - start))
            start = cr + 1
            next = crlf(in: bytes, from: cr + 2)
        }
        result.append(contentsOf: UnsafeBufferPointer(start: base + start, count: bytes.count - start))
        return result
    }

    static func normalized(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { normalized($0) }
    }

    /// The offset of the next CR that a LF follows, from `start`.
    private static func crlf(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            guard let found = memchrOffset(bytes, 0x0D, from: index) else { return nil }
            if found + 1 < bytes.count, bytes[found + 1] == 0x0A { return found }
            index = found + 1
        }
        return nil
    }

    private static func memchrOffset(_ bytes: UnsafeBufferPointer<UInt8>, _ byte: UInt8, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}
