/// Finds a passage a reader copied from the typeset draft in the section's Markdown source.
///
/// A copied passage has lost the Markdown (`**`, a link's target, line breaks) and may have
/// gained typographic quotes and dashes, so both are read as their words only: letters and
/// digits, lower-cased, split at apostrophes, each letter of an unspaced script a word of its
/// own. The words of a code span or an autolink count; a link's target and a footnote
/// reference, which the reader never sees as text, do not. A passage is found where all its
/// words stand in a row, in order; a paraphrase, which changes words, is never found.
public enum QuoteFinder {
    /// A word of the source and the bytes it stands at.
    public struct Word: Sendable, Hashable {
        public var key: String
        public var range: Range<Int>
    }

    /// The words of Markdown text, with their UTF-8 ranges.
    public static func words(of text: String) -> [Word] {
        var words: [Word] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            append(UnsafeBufferPointer(buffer), 0..<buffer.count, to: &words)
        }
        return words
    }

    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to words: inout [Word]) {
        for token in Tokenizer.tokens(bytes, in: range) {
            switch token.kind {
            case .word, .number:
                split(bytes, token.start..<token.end, into: &words)
            case .atomic:
                let first = bytes[token.start]
                if first == UInt8(ascii: "`") || first == UInt8(ascii: "<") {
                    // A code span's or an autolink's text, without its delimiters.
                    var start = token.start, end = token.end
                    while start < end, bytes[start] == first { start += 1 }
                    let closing = first == UInt8(ascii: "<") ? UInt8(ascii: ">") : first
                    while end > start, bytes[end - 1] == closing { end -= 1 }
                    if start < end { append(bytes, start..<end, to: &words) }
                } else if Tokenizer.isASCIIAlphanumeric(first) {
                    // A bare address reads as it is written.
                    append(bytes, token.start..<token.end, into: &words)
                }
            default:
                continue
            }
        }
    }

    /// Every run of letters and digits of a range, as words.
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into words: inout [Word]) {
        var index = range.lowerBound, start: Int?
        while index < range.upperBound {
            let (scalar, length) = scalar(bytes, at: index, end: range.upperBound)
            let isWord = scalar.isASCII ? Tokenizer.isASCIIAlphanumeric(UInt8(scalar.value)) : Tokenizer.isWordScalar(scalar) || Tokenizer.isUnspacedLetter(scalar)
            if !isWord, let wordStart = start {
                split(bytes, wordStart..<index, into: &words)
                start = nil
            } else if isWord, start == nil {
                start = index
            }
            index += length
        }
        if let start { split(bytes, start..<range.upperBound, into: &words) }
    }

    /// The scalar at `index` and its length in bytes.
    private static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (Unicode.Scalar, Int) {
        bytes[index] < 0x80 ? (Unicode.Scalar(bytes[index]), 1) : Tokenizer.decode(bytes, at: index, end: end)
    }

    /// A word token as words: split at apostrophes, and each unspaced letter alone.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into words: inout [Word]) {
        var index = range.lowerBound, start = range.lowerBound
        func flush(_ end: Int) {
            guard end > start else { return }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            words.append(Word(key: text.lowercased(), range: start..<end))
        }
        while index < range.upperBound {
            let (scalar, length) = scalar(bytes, at: index, end: range.upperBound)
            if scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "\u{02BC}" {
                flush(index)
                start = index + length
            } else if Tokenizer.isUnspacedLetter(scalar) {
                flush(index)
                start = index
                index = Tokenizer.skipMarks(bytes, from: index + length, end: range.upperBound)
                flush(index)
                start = index
                continue
            }
            index += length
        }
        flush(range.upperBound)
    }

    /// The byte ranges of the source where the words of `quote` stand in a row; empty when the
    /// quote has no words.
    public static func find(_ quote: String, in words: [Word]) -> [Range<Int>] {
        let wanted = QuoteFinder.words(of: quote).map(\.key)
        guard let first = wanted.first, wanted.count <= words.count else { return [] }
        var found: [Range<Int>] = []
        var index = 0
        while index + wanted.count <= words.count {
            if words[index].key == first {
                var matched = 1
                while matched < wanted.count, words[index + matched].key == wanted[matched] { matched += 1 }
                if matched == wanted.count {
                    found.append(words[index].range.lowerBound..<words[index + wanted.count - 1].range.upperBound)
                }
            }
            index += 1
        }
        return found
    }
}
