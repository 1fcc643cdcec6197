import Foundation
import ProseDiff

/// A page's images from the repository, embedded as `data:` addresses within its
/// Content-Security-Policy (`img-src data:`): PNG, JPEG, GIF and WebP as they are, SVG only as an
/// image (an `<img>` runs no script of it and loads nothing), each up to `limit` bytes and all of
/// them up to `totalLimit`; past that, or for any other file, a note says why the image is not
/// shown.
struct EmbeddedImages {
    static let limit = 2 * 1_048_576
    static let totalLimit = 16 * 1_048_576

    let files: [String: [UInt8]]
    private(set) var total = 0
    /// One line per image not shown, naming it.
    private(set) var notes: [String] = []

    /// - Parameter files: each image's bytes; one over `limit` may hold only its first
    ///   `limit + 1` bytes.
    init(files: [String: [UInt8]]) {
        self.files = files
    }

    /// How the image at `path` (from the repository's root) is shown; nil when the repository
    /// has no file there.
    mutating func image(at path: String) -> HTMLOptions.Image? {
        guard let bytes = files[path] else { return nil }
        guard bytes.count <= Self.limit else {
            notes.append("\(path) is larger than \(Self.megabytes(Self.limit)); such an image is named, not shown")
            return .note("larger than the \(Self.megabytes(Self.limit)) an image may have in this page")
        }
        guard let mediaType = Self.mediaType(of: bytes) else {
            notes.append("\(path) is not a PNG, JPEG, GIF, WebP or SVG image; it is named, not shown")
            return .note("not an image stet shows")
        }
        guard total + bytes.count <= Self.totalLimit else {
            notes.append("\(path) is named, not shown: the page's images reached \(Self.megabytes(Self.totalLimit))")
            return .note("not shown: the page's images reached \(Self.megabytes(Self.totalLimit))")
        }
        total += bytes.count
        return .embedded(mediaType: mediaType, bytes: bytes)
    }

    /// The media type the bytes start as; nil for anything else.
    static func mediaType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        // SVG: XML text whose first element is <svg.
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        var rest = head.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        while rest.hasPrefix("<?") || rest.hasPrefix("<!--") || rest.hasPrefix("<!DOCTYPE") {
            let close = rest.hasPrefix("<!--") ? "-->" : ">"
            guard let end = rest.range(of: close) else { return nil }
            rest = rest[end.upperBound...].drop { $0.isWhitespace }
        }
        if rest.hasPrefix("<svg"), let next = rest.dropFirst(4).first, next.isWhitespace || next == ">" || next == "/" {
            return "image/svg+xml"
        }
        return nil
    }

    static func megabytes(_ count: Int) -> String {
        count >= 1_048_576 ? "\((Double(count) / 1_048_576 * 10).rounded() / 10) MB" : "\(max(1, count / 1024)) KB"
    }
}
