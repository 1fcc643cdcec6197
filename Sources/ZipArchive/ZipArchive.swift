internal import CZlib

/// A ZIP archive built in memory (the container of a Word file): files added one after another,
/// each deflated with zlib (or stored as it is), then the central directory. The only module
/// that touches zlib for writing. No ZIP64: an archive stays under 4 GB.
public struct ZipArchive {
    private var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    public init() {}

    /// Adds a file; `compressed` false stores it as it is (readable in the archive's bytes).
    public mutating func add(_ path: String, _ content: [UInt8], compressed: Bool = true) {
        let stored = compressed ? Self.deflate(content) : nil
        let data = stored ?? content
        let checksum = content.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let name = Array(path.utf8)
        let offset = UInt32(bytes.count)
        let method: UInt16 = stored == nil ? 0 : 8
        // Version 2.0, UTF-8 names, 1980-01-01 00:00.
        func common(into output: inout [UInt8]) {
            Self.put(UInt16(20), &output)
            Self.put(UInt16(0x0800), &output)
            Self.put(method, &output)
            Self.put(UInt16(0), &output)
            Self.put(UInt16(0x0021), &output)
            Self.put(checksum, &output)
            Self.put(UInt32(data.count), &output)
            Self.put(UInt32(content.count), &output)
            Self.put(UInt16(name.count), &output)
            Self.put(UInt16(0), &output)
        }
        Self.put(UInt32(0x0403_4B50), &bytes)
        common(into: &bytes)
        bytes += name
        bytes += data
        Self.put(UInt32(0x0201_4B50), &directory)
        Self.put(UInt16(20), &directory)
        common(into: &directory)
        Self.put(UInt16(0), &directory)
        Self.put(UInt16(0), &directory)
        Self.put(UInt16(0), &directory)
        Self.put(UInt32(0), &directory)
        Self.put(offset, &directory)
        directory += name
        count += 1
    }

    /// The archive's bytes: the files, the central directory and its end.
    public var data: [UInt8] {
        var result = bytes + directory
        Self.put(UInt32(0x0605_4B50), &result)
        Self.put(UInt16(0), &result)
        Self.put(UInt16(0), &result)
        Self.put(UInt16(count), &result)
        Self.put(UInt16(count), &result)
        Self.put(UInt32(directory.count), &result)
        Self.put(UInt32(bytes.count), &result)
        Self.put(UInt16(0), &result)
        return result
    }

    private static func put<T: FixedWidthInteger>(_ value: T, _ output: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { output += $0 }
    }

    /// Raw deflate (no zlib header), as ZIP's method 8 holds it; nil if zlib fails.
    private static func deflate(_ content: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        return finish(&stream, content, capacity: Int(deflateBound(&stream, uLong(content.count))) + 16) { CZlib.deflate(&$0, Z_FINISH) }
    }

    /// Runs a zlib stream over all of `input` at once into at most `capacity` bytes; nil unless
    /// it reaches the stream's end.
    static func finish(_ stream: inout z_stream, _ input: [UInt8], capacity: Int, _ step: (inout z_stream) -> Int32) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: max(capacity, 1))
        var input = input
        let result: Int32 = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return step(&stream)
            }
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
