import CZlib

/// Reads the files of a ZIP archive (stored or deflated), as an XLSX or DOCX package holds them.
/// Sizes come from the central directory; an entry larger than `limit` is refused, so a small
/// archive that inflates to gigabytes cannot exhaust memory.
public struct ZipReader {
    public enum Failure: Error, Equatable {
        /// Not a ZIP archive, or a damaged one.
        case notZip
        /// An entry's method is neither stored nor deflate, or it is encrypted.
        case unsupported(String)
        case tooLarge(String)
        case damaged(String)
    }

    private struct Entry {
        var method: UInt16
        var flags: UInt16
        var compressedSize: Int
        var size: Int
        var localHeader: Int
    }

    private let bytes: [UInt8]
    private var entries: [String: Entry] = [:]
    /// Entry names, in the archive's order.
    public private(set) var names: [String] = []

    public init(_ bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        // The end of central directory record: its signature within the last 64 KiB + 22 bytes.
        guard bytes.count >= 22 else { throw .notZip }
        var end = -1
        var index = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while index >= lowest {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 5, bytes[index + 3] == 6 { end = index; break }
            index -= 1
        }
        guard end >= 0 else { throw .notZip }
        let count = Int(u16(end + 10)), directory = Int(u32(end + 16))
        var offset = directory
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4B50 else { throw .notZip }
            let nameLength = Int(u16(offset + 28)), extraLength = Int(u16(offset + 30)), commentLength = Int(u16(offset + 32))
            guard offset + 46 + nameLength <= bytes.count else { throw .notZip }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(method: u16(offset + 10), flags: u16(offset + 8), compressedSize: Int(u32(offset + 20)),
                                  size: Int(u32(offset + 24)), localHeader: Int(u32(offset + 42)))
            names.append(name)
            offset += 46 + nameLength + extraLength + commentLength
        }
    }

    private func u16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
    private func u32(_ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// The content of entry `name`, or nil when the archive has none.
    public func read(_ name: String, limit: Int = 256 * 1_048_576) throws(Failure) -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        guard entry.flags & 1 == 0 else { throw .unsupported(name) }
        guard entry.size <= limit else { throw .tooLarge(name) }
        let header = entry.localHeader
        guard header + 30 <= bytes.count, u32(header) == 0x0403_4B50 else { throw .damaged(name) }
        let start = header + 30 + Int(u16(header + 26)) + Int(u16(header + 28))
        guard start + entry.compressedSize <= bytes.count else { throw .damaged(name) }
        let data = Array(bytes[start..<(start + entry.compressedSize)])
        switch entry.method {
        case 0:
            return data
        case 8:
            guard let inflated = Self.inflate(data, size: entry.size), inflated.count == entry.size else { throw .damaged(name) }
            return inflated
        default:
            throw .unsupported(name)
        }
    }

    /// Raw inflate of `data` into `size` bytes; nil if zlib fails or the data is longer.
    private static func inflate(_ data: [UInt8], size: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        return ZipArchive.finish(&stream, data, capacity: size) { CZlib.inflate(&$0, Z_FINISH) }
    }
}
