/// Links in Markdown source that point to other files: found where they are written, so they can
/// be checked and rewritten in place.
///
/// What counts: the destinations of inline links and images (`[text](dest "title")`) and of link
/// reference definitions (`[label]: dest`), outside fenced code blocks and code spans. Only
/// relative destinations are files (`05-data.md`, `../part/03-x.md#scope`); a scheme
/// (`https:`, `mailto:`), a leading `/` or a bare `#fragment` is not.
public enum MarkdownLinks {
    /// A link destination as written.
    public struct Destination: Sendable, Hashable {
        /// Where the destination's path is in the text, in UTF-8 bytes (without `<>`, the
        /// fragment or a title).
        public var range: Range<Int>
        /// The path as written (percent escapes and all).
        public var path: String
        /// What follows `#`, if anything.
        public var fragment: String?
    }

    /// The relative file destinations in `text`, in text order.
    public static func destinations(in text: String) -> [Destination] {
        text.withUTF8Bytes { bytes in
            var found: [Destination] = []
            var fence: (byte: UInt8, count: Int)?
            var lineStart = 0
            while lineStart < bytes.count {
                let lineEnd = (lineStart..<bytes.count).first { bytes[$0] == 0x0A } ?? bytes.count
                defer { lineStart = lineEnd + 1 }
                var start = lineStart
                while start < lineEnd, bytes[start] == 0x20 { start += 1 }
                let indent = start - lineStart
                let run = (start..<lineEnd).prefix { bytes[$0] == bytes[start] }.count
                if let open = fence {
                    if indent <= 3, start < lineEnd, bytes[start] == open.byte, run >= open.count,
                       (start + run..<lineEnd).allSatisfy({ bytes[$0] == 0x20 || bytes[$0] == 0x09 || bytes[$0] == 0x0D })
                    {
                        fence = nil
                    }
                    continue
                }
                if indent <= 3, start < lineEnd, bytes[start] == UInt8(ascii: "`") || bytes[start] == UInt8(ascii: "~"), run >= 3 {
                    fence = (bytes[start], run)
                    continue
                }
                if indent <= 3, start < lineEnd, bytes[start] == UInt8(ascii: "["),
                   let definition = referenceDefinition(bytes, from: start, to: lineEnd)
                {
                    if let destination = parseDestination(bytes, from: definition, to: lineEnd, inline: false) {
                        found.append(destination)
                    }
                    continue
                }
                found += inlineDestinations(bytes, from: lineStart, to: lineEnd)
            }
            return found.filter { isRelativeFile($0.path) }
        }
    }

    /// Whether a destination names a file beside the document: no scheme, not absolute, not empty.
    public static func isRelativeFile(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("\\") else { return false }
        if let colon = path.firstIndex(of: ":") {
            let scheme = path[..<colon]
            if !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
                return false
            }
        }
        return true
    }

    /// `[label]:` at `start`: where the destination may begin, or nil.
    private static func referenceDefinition(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start + 1
        while index < end, bytes[index] != UInt8(ascii: "]") {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        guard index + 1 < end, index > start + 1, bytes[index + 1] == UInt8(ascii: ":") else { return nil }
        return index + 2
    }

    /// The destinations of `](...)` on one line, code spans left out.
    private static func inlineDestinations(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> [Destination] {
        var found: [Destination] = []
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "`") {
                // A code span: to the next run of as many backticks, or none at all.
                let run = (index..<end).prefix { bytes[$0] == byte }.count
                var probe = index + run
                var closed: Int?
                while probe < end {
                    if bytes[probe] == byte {
                        let other = (probe..<end).prefix { bytes[$0] == byte }.count
                        if other == run { closed = probe + other; break }
                        probe += other
                    } else {
                        probe += 1
                    }
                }
                index = closed ?? index + run
                continue
            }
            if byte == UInt8(ascii: "]"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "("),
               let destination = parseDestination(bytes, from: index + 2, to: end, inline: true)
            {
                found.append(destination)
            }
            index += 1
        }
        return found
    }

    /// A destination starting at `start` (spaces first allowed): `<...>` or a run without spaces
    /// (with balanced parentheses inside an inline link).
    private static func parseDestination(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, inline: Bool)
        -> Destination?
    {
        var index = start
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < end else { return nil }
        var pathStart = index, pathEnd: Int
        if bytes[index] == UInt8(ascii: "<") {
            pathStart = index + 1
            guard let close = (pathStart..<end).first(where: { bytes[$0] == UInt8(ascii: ">") }) else { return nil }
            pathEnd = close
        } else {
            var depth = 0
            pathEnd = index
            while pathEnd < end {
                let byte = bytes[pathEnd]
                if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte < 0x20 { break }
                if byte == UInt8(ascii: "\\") { pathEnd += 2; continue }
                if inline, byte == UInt8(ascii: "(") { depth += 1 }
                if inline, byte == UInt8(ascii: ")") {
                    if depth == 0 { break }
                    depth -= 1
                }
                pathEnd += 1
            }
            pathEnd = min(pathEnd, end)
        }
        guard pathEnd > pathStart else { return nil }
        let whole = String(decoding: UnsafeBufferPointer(rebasing: bytes[pathStart..<pathEnd]), as: UTF8.self)
        guard let hash = whole.utf8.firstIndex(of: UInt8(ascii: "#")) else {
            return Destination(range: pathStart..<pathEnd, path: whole, fragment: nil)
        }
        let pathLength = whole.utf8.distance(from: whole.utf8.startIndex, to: hash)
        return Destination(range: pathStart..<pathStart + pathLength, path: String(whole[..<hash]),
                           fragment: String(whole[whole.index(after: hash)...]))
    }

    /// A relative path resolved against the folder of the file that holds it (both relative to
    /// one root, `/`-separated), percent escapes decoded; nil when it climbs above the root.
    public static func resolve(_ path: String, from file: String) -> String? {
        var parts = file.split(separator: "/").dropLast().map(String.init)
        for part in decodePercents(path).split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The relative path from the folder of `file` to `target` (both relative to one root).
    public static func relative(to target: String, from file: String) -> String {
        let from = file.split(separator: "/").dropLast()
        let to = target.split(separator: "/")
        var shared = 0
        while shared < from.count, shared < to.count - 1, from[from.startIndex + shared] == to[shared] { shared += 1 }
        let up = Array(repeating: "..", count: from.count - shared)
        return (up + to[shared...].map(String.init)).joined(separator: "/")
    }

    /// `%20` and the like decoded; an invalid escape is kept as written.
    static func decodePercents(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "%"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.dropFirst().prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with each destination in `replacements` (by range) written anew.
    public static func rewriting(_ text: String, _ replacements: [(range: Range<Int>, path: String)]) -> String {
        var bytes = Array(text.utf8)
        for replacement in replacements.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(replacement.range, with: Array(replacement.path.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
