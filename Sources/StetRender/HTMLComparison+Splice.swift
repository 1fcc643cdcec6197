import Mustache

extension HTMLComparison {
    /// Markers for redlines set into the page after Mustache: a per-page random prefix and the
    /// redline's number.
    ///
    /// Invariant: the page Mustache renders holds the prefix only in markers the templates
    /// printed, each whole (`PREFIX` + a number below the count of redlines + `.`). The prefix
    /// carries 128 random bits made for this page, so no text of the repository or of a
    /// template can hold it; `pieces` therefore checks each marker it finds with a
    /// `precondition`, rather than leaving a damaged one in the page.
    struct Splice {
        let prefix: String

        func marker(_ index: Int) -> String { prefix + String(index) + "." }

        /// The page cut at each marker, with the redline it names in its place.
        func pieces(of page: String, redlines: [String]) -> [String] {
            var pieces: [String] = []
            pieces.reserveCapacity(redlines.count * 2 + 1)
            var page = page
            page.withUTF8 { bytes in
                let marker = Array(prefix.utf8)
                var start = 0, index = 0
                while let found = Self.find(marker, in: bytes, from: index) {
                    var end = found + marker.count, number = 0
                    while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 {
                        number = number * 10 + Int(bytes[end] - 0x30)
                        end += 1
                    }
                    // Safe: only markers hold the prefix (see the invariant above).
                    precondition(end < bytes.count && bytes[end] == UInt8(ascii: ".") && number < redlines.count,
                                 "a redline marker in the page is whole and names a redline")
                    pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<found]), as: UTF8.self))
                    pieces.append(redlines[number])
                    start = end + 1
                    index = start
                }
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
            return pieces
        }

        static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
            guard let first = needle.first, needle.count <= bytes.count else { return nil }
            var index = start
            while index + needle.count <= bytes.count {
                if bytes[index] == first, needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) { return index }
                index += 1
            }
            return nil
        }
    }

    /// A redline field: Mustache prints its marker (in `{{{ }}}`, the only use a splice is made
    /// for), and the page gets the HTML there.
    struct SplicedRedline: MustacheCustomRenderable {
        let renderText: String
        var isNull: Bool { false }
    }
}
