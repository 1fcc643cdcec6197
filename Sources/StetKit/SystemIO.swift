#if canImport(Glibc)
import Glibc
#endif

/// The one place stet reads and writes file descriptors, each call tried again when a signal
/// interrupts it.
public enum SystemIO {
    /// Writes all of `bytes`; the error number when it cannot.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// Reads up to `count` bytes into `buffer` from its start, until the end of the file; how
    /// many were read, or nil on an error.
    public static func readAll(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int) -> Int? {
        var filled = 0
        while filled < count {
            let got = read(descriptor, buffer.baseAddress! + filled, count - filled)
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            filled += got
        }
        return filled
    }
}
