/// What a token is, for statistics and for the clean-up that merges changes into phrases.
public enum TokenKind: UInt8, Sendable {
    /// Letters (with their combining marks), possibly with digits and inner apostrophes.
    case word
    /// Digits, possibly with inner `.` or `,` between digits.
    case number
    /// One punctuation or symbol character.
    case punctuation
    /// A run of Markdown markers (`**`, `##`, `|`, `>`), or a line's list or quote prefix.
    case markup
    /// Spaces, tabs and line breaks (with the quote markers that continue a line).
    case space
    /// Something never split: a code span, a link's `](url)`, an autolink, a footnote reference.
    case atomic

    /// Counted as a word: a word, a number or an atomic token.
    public var isWordLike: Bool { self == .word || self == .number || self == .atomic }
}

/// A token: a byte range of the text it was read from.
public struct Token: Sendable, Hashable {
    public var kind: TokenKind
    /// UTF-8 offsets into the text, stored in 32 bits: a comparison holds millions of tokens, and
    /// sections over 5 MB are never tokenized.
    private var start32: UInt32
    private var end32: UInt32

    public var start: Int { Int(start32) }
    public var end: Int { Int(end32) }

    public init(kind: TokenKind, start: Int, end: Int) {
        self.kind = kind
        start32 = UInt32(start)
        end32 = UInt32(end)
    }
}

/// Splits prose into tokens, Unicode-aware: letters of scripts written without spaces (Chinese,
/// Japanese, Thai, ...) are one token each, combining marks stay with their letter, and Markdown
/// markers are tokens of their own.
public enum Tokenizer {
    /// The tokens of `bytes[range]`, covering every byte exactly once, in order.
    public static func tokens(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(range.count / 2)
        append(bytes, in: range, to: &tokens)
        return tokens
    }

    /// `tokens(_:in:)`, appended to `tokens` (the tokens of many ranges kept in one array).
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, to tokens: inout [Token]) {
        var index = range.lowerBound
        while index < range.upperBound {
            let token = next(bytes, at: index, end: range.upperBound)
            tokens.append(token)
            index = token.end
        }
    }

    /// The tokens of `bytes`, an edited version of `base` whose tokens are `baseTokens`, reading
    /// again only around what changed: the result is what `tokens(_:in:)` gives for the whole
    /// text. Its first `prefix` tokens are the base's first ones, and its last `suffix` tokens
    /// the base's last ones, moved by the change in length.
    public static func tokens(_ bytes: UnsafeBufferPointer<UInt8>, editedFrom base: UnsafeBufferPointer<UInt8>,
                              tokens baseTokens: [Token]) -> (tokens: [Token], prefix: Int, suffix: Int)
    {
        let count = bytes.count, shift = bytes.count - base.count
        let same = commonPrefix(bytes, base)
        let sameEnd = commonSuffix(bytes, base, limit: min(bytes.count, base.count) - same)
        // A base token made from bytes before the first difference is a token of this text too.
        var prefix = 0
        while prefix < baseTokens.count, horizon(base, baseTokens[prefix]) <= same { prefix += 1 }
        var tokens = Array(baseTokens[0..<prefix])
        tokens.reserveCapacity(baseTokens.count + max(0, shift / 2) + 16)
        var index = prefix == 0 ? 0 : baseTokens[prefix - 1].end
        var old = prefix, suffix = 0
        while index < count {
            // Once a token starts inside the shared end where a base token starts, the rest is the
            // base's: a token depends only on the bytes from its start on.
            if index >= count - sameEnd {
                while old < baseTokens.count, baseTokens[old].start < index - shift { old += 1 }
                if old < baseTokens.count, baseTokens[old].start == index - shift {
                    suffix = baseTokens.count - old
                    for token in baseTokens[old...] {
                        tokens.append(Token(kind: token.kind, start: token.start + shift, end: token.end + shift))
                    }
                    break
                }
            }
            let token = next(bytes, at: index, end: count)
            tokens.append(token)
            index = token.end
        }
        return (tokens, prefix, suffix)
    }

    /// An exclusive bound on the bytes `next` read to make `token` of `bytes`: a few bytes past
    /// its end (a word looks ahead for an inner apostrophe or a link's `://`, a character is up to
    /// four bytes), the end of its line for a search that stops there (a link destination, an
    /// autolink, a footnote reference, a bare link), past the end for an unclosed code span, which
    /// searched the whole rest of the text.
    static func horizon(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Int {
        let first = bytes[token.start]
        switch first {
        case UInt8(ascii: "`"):
            return token.kind == .atomic ? token.end + 1 : bytes.count + 1
        case UInt8(ascii: "]"), UInt8(ascii: "["), UInt8(ascii: "<"):
            return lineEnd(bytes, from: token.start)
        default:
            return token.kind == .atomic && isASCIIAlphanumeric(first) ? lineEnd(bytes, from: token.start) : token.end + 8
        }
    }

    /// Just past the first line break at or after `index`, or past the end of the text.
    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var scan = index
        while scan < bytes.count, bytes[scan] != 0x0A { scan += 1 }
        return scan + 1
    }

    /// How many bytes two texts share at the start.
    static func commonPrefix(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let limit = min(a.count, b.count)
        var index = 0
        guard let aBase = a.baseAddress, let bBase = b.baseAddress else { return 0 }
        let rawA = UnsafeRawPointer(aBase), rawB = UnsafeRawPointer(bBase)
        while index + 8 <= limit,
              rawA.loadUnaligned(fromByteOffset: index, as: UInt64.self) == rawB.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            index += 8
        }
        while index < limit, a[index] == b[index] { index += 1 }
        return index
    }

    /// How many bytes two texts share at the end, at most `limit`.
    static func commonSuffix(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        var length = 0
        guard let aBase = a.baseAddress, let bBase = b.baseAddress else { return 0 }
        let rawA = UnsafeRawPointer(aBase), rawB = UnsafeRawPointer(bBase)
        while length + 8 <= limit,
              rawA.loadUnaligned(fromByteOffset: a.count - length - 8, as: UInt64.self)
                == rawB.loadUnaligned(fromByteOffset: b.count - length - 8, as: UInt64.self)
        {
            length += 8
        }
        while length < limit, a[a.count - 1 - length] == b[b.count - 1 - length] { length += 1 }
        return length
    }

    /// The token that starts at `index` (before `end`). It depends on the bytes from `index` on
    /// only, so a text can be tokenized from any token boundary.
    @inline(__always)
    static func next(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Token {
        var index = start
        let byte = bytes[index]
        let kind: TokenKind
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            // White space; after a line break, the indentation and quote markers that only
            // continue the line belong to it, so reflowing a quoted paragraph changes nothing.
            var sawNewline = false
            while index < end {
                let current = bytes[index]
                if current == 0x0A { sawNewline = true; index += 1; continue }
                if current == 0x20 || current == 0x09 || current == 0x0D { index += 1; continue }
                if current == UInt8(ascii: ">") && sawNewline { index += 1; continue }
                break
            }
            return Token(kind: .space, start: start, end: index)
        }
        if byte < 0x80 {
            if isASCIIAlphanumeric(byte) {
                index = wordEnd(bytes, from: index, end: end)
                kind = allDigits(bytes, start, index) ? .number : .word
                if kind == .word, let link = bareLinkEnd(bytes, from: start, wordEnd: index, end: end) {
                    return Token(kind: .atomic, start: start, end: link)
                }
            } else if let atomicEnd = atomicEnd(bytes, at: index, end: end) {
                index = atomicEnd
                kind = .atomic
            } else if isMarkdownMarker(byte) {
                index += 1
                while index < end, bytes[index] == byte { index += 1 }
                kind = .markup
            } else {
                index += 1
                kind = .punctuation
            }
        } else {
            let (scalar, length) = decode(bytes, at: index, end: end)
            if isUnspacedLetter(scalar) {
                index += length
                index = skipMarks(bytes, from: index, end: end)
                kind = .word
            } else if isWordScalar(scalar) {
                index = wordEnd(bytes, from: index, end: end)
                kind = .word
            } else if isWhitespace(scalar) {
                index += length
                kind = .space
            } else {
                index += length
                index = skipMarks(bytes, from: index, end: end)
                kind = .punctuation
            }
        }
        return Token(kind: kind, start: start, end: index)
    }

    // MARK: Classes of characters

    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    static func isMarkdownMarker(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "#"), UInt8(ascii: "`"), UInt8(ascii: "~"),
             UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "+"):
            true
        default:
            false
        }
    }

    // The functions below that read a scalar's Unicode properties are never inlined: a caller
    // that inlines one sets up room for the properties' types on every call (their size is
    // known only at run time), which was a third of the time of scanning an ASCII word.
    @inline(never)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    @inline(never)
    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: scalar.value == 0x200D || (0xFE00...0xFE0F).contains(scalar.value)
        }
    }

    /// Letters of scripts written without spaces between words: each is a token.
    @inline(never)
    static func isUnspacedLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
             0xFF66...0xFF9F, 0x20000...0x3134F, 0x0E00...0x0E7F, 0x0E80...0x0EFF, 0x1780...0x17FF,
             0x1000...0x109F:
            scalar.properties.isAlphabetic
        default:
            false
        }
    }

    @inline(never)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        !isUnspacedLetter(scalar) && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil || isMark(scalar))
    }

    // MARK: Scanning

    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard lead >= 0xC2, index + length <= end else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Past letters, digits and marks (and an apostrophe or dot or comma between two of them).
    static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                if isASCIIAlphanumeric(byte) { index += 1; continue }
                // Inner apostrophes (don't) and number separators (1,000.5) stay in the word.
                if (byte == UInt8(ascii: "'") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")),
                   index > start, index + 1 < end, isASCIIAlphanumeric(bytes[index + 1]),
                   byte == UInt8(ascii: "'") || (isDigit(bytes[index - 1]) && isDigit(bytes[index + 1]))
                {
                    index += 1
                    continue
                }
                break
            }
            let (scalar, length) = decode(bytes, at: index, end: end)
            if isUnspacedLetter(scalar) || !isWordScalar(scalar) {
                // A typographic apostrophe inside a word.
                if scalar == "\u{2019}", index > start, index + length < end, isASCIIAlphanumeric(bytes[index + length]) {
                    index += length
                    continue
                }
                break
            }
            index += length
        }
        return index
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func allDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard isDigit(bytes[start]) else { return false }
        for index in start..<end where !(isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".")
            || bytes[index] == UInt8(ascii: ",")) {
            return false
        }
        return true
    }

    static func skipMarks(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        var index = start
        while index < end, bytes[index] >= 0x80 {
            let (scalar, length) = decode(bytes, at: index, end: end)
            guard isMark(scalar) else { break }
            index += length
        }
        return index
    }

    /// `https://...` or `www....` up to white space or a closing bracket: one token.
    static func bareLinkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, wordEnd: Int, end: Int) -> Int? {
        let word = wordEnd - start
        let isScheme = (word == 4 || word == 5 || word == 6) && wordEnd + 2 < end && bytes[wordEnd] == UInt8(ascii: ":")
            && bytes[wordEnd + 1] == UInt8(ascii: "/") && bytes[wordEnd + 2] == UInt8(ascii: "/")
            && matchesScheme(bytes, start, wordEnd)
        let isWWW = word == 3 && wordEnd < end && bytes[wordEnd] == UInt8(ascii: ".")
            && bytes[start] | 0x20 == 0x77 && bytes[start + 1] | 0x20 == 0x77 && bytes[start + 2] | 0x20 == 0x77
        guard isScheme || isWWW else { return nil }
        var index = wordEnd
        while index < end {
            let byte = bytes[index]
            if byte <= 0x20 || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "<") || byte >= 0x80 { break }
            index += 1
        }
        // Trailing punctuation ends a sentence, not the link.
        while index > wordEnd + 1, [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":")]
            .contains(bytes[index - 1]) { index -= 1 }
        return index
    }

    static func matchesScheme(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).lowercased()
        return word == "http" || word == "https" || word == "ftp"
    }

    /// A code span, a link destination `](...)`, an autolink `<scheme:...>` or a footnote
    /// reference `[^id]` starting at `index`: the end of it, or nil.
    static func atomicEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Int? {
        let byte = bytes[index]
        if byte == UInt8(ascii: "`") {
            var run = index
            while run < end, bytes[run] == byte { run += 1 }
            let length = run - index
            var scan = run
            while scan < end {
                if bytes[scan] == byte {
                    var close = scan
                    while close < end, bytes[close] == byte { close += 1 }
                    if close - scan == length { return close }
                    scan = close
                } else {
                    scan += 1
                }
            }
            return nil
        }
        if byte == UInt8(ascii: "]"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "(") {
            var depth = 0
            var scan = index + 1
            while scan < end {
                switch bytes[scan] {
                case UInt8(ascii: "("): depth += 1
                case UInt8(ascii: ")"):
                    depth -= 1
                    if depth == 0 { return scan + 1 }
                case 0x0A: return nil
                default: break
                }
                scan += 1
            }
            return nil
        }
        if byte == UInt8(ascii: "["), index + 1 < end, bytes[index + 1] == UInt8(ascii: "^") {
            var scan = index + 2
            while scan < end, bytes[scan] != UInt8(ascii: "]"), bytes[scan] > 0x20 { scan += 1 }
            return scan < end && bytes[scan] == UInt8(ascii: "]") && scan > index + 2 ? scan + 1 : nil
        }
        if byte == UInt8(ascii: "<"), index + 1 < end, isASCIIAlphanumeric(bytes[index + 1]) {
            var scan = index + 1
            var sawColonOrAt = false
            while scan < end {
                let current = bytes[scan]
                if current == UInt8(ascii: ">") { return sawColonOrAt ? scan + 1 : nil }
                if current <= 0x20 || current == UInt8(ascii: "<") { return nil }
                if current == UInt8(ascii: ":") || current == UInt8(ascii: "@") { sawColonOrAt = true }
                scan += 1
            }
        }
        return nil
    }
}
