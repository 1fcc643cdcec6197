#if canImport(Glibc)
import Glibc
#endif

/// A text as interned tokens: the same token text has the same id in every text tokenized by
/// one table. White space is one id whatever it holds (prose reflow is no change).
public struct TokenizedText: Sendable {
    public var ids: [Int32]
    public var tokens: [Token]
}

/// A text tokenized and interned among its own tokens, ready for `TokenTable.intern`.
public struct PreparedText: Sendable {
    var bytes: [UInt8]
    /// Every token of the text.
    var tokens: [Token]
    /// For a text prepared as an edit of another: how many tokens at its start and at its end are
    /// the other text's (whose ids `intern` is then given).
    public private(set) var sharedPrefix = 0
    public private(set) var sharedSuffix = 0
    /// The tokens between the shared ones, interned among themselves.
    var local: [Int32]
    var distinct: [(token: Token, hash: UInt64)]
    /// For a text compared whole: the key its one token is known by.
    var wholeKey: String?

    init(bytes: [UInt8], tokens: [Token], sharedPrefix: Int = 0, sharedSuffix: Int = 0, local: [Int32],
         distinct: [(token: Token, hash: UInt64)], wholeKey: String?)
    {
        self.bytes = bytes
        self.tokens = tokens
        self.sharedPrefix = sharedPrefix
        self.sharedSuffix = sharedSuffix
        self.local = local
        self.distinct = distinct
        self.wholeKey = wholeKey
    }
}

/// Tokenizes whole texts into ids that can be compared across texts (for following tokens
/// through a history, where block structure does not matter).
public struct TokenTable {
    private var interner = Interner()

    public init() {}

    public mutating func tokenize(_ bytes: [UInt8]) -> TokenizedText {
        intern(Self.prepare(bytes))
    }

    /// The part of `tokenize` that needs no table, so texts are prepared on many threads and
    /// interned (`intern`) in order on one.
    public static func prepare(_ bytes: [UInt8]) -> PreparedText {
        if bytes.count > Comparer.wholeSectionLimit {
            // Followed whole, as the comparison compares it: one token, known by a hash of its bytes.
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return PreparedText(bytes: [], tokens: [Token(kind: .atomic, start: 0, end: bytes.count)], local: [],
                                distinct: [], wholeKey: String(hash, radix: 16))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let tokens = Tokenizer.tokens(buffer, in: 0..<buffer.count)
            let (local, distinct) = tokens.withUnsafeBufferPointer { LocalInterner.intern(buffer, $0) }
            return PreparedText(bytes: bytes, tokens: tokens, local: local, distinct: distinct, wholeKey: nil)
        }
    }

    /// `prepare` for a new version of a text prepared before: only the tokens around what
    /// changed are read and interned; `intern` takes the ids of the rest from the earlier
    /// version's. Gives the tokens `prepare` gives.
    public static func prepare(_ bytes: [UInt8], editedFrom base: PreparedText) -> PreparedText {
        guard base.wholeKey == nil, bytes.count <= Comparer.wholeSectionLimit else { return prepare(bytes) }
        return bytes.withUnsafeBufferPointer { buffer in
            base.bytes.withUnsafeBufferPointer { baseBuffer in
                let (tokens, prefix, suffix) = Tokenizer.tokens(buffer, editedFrom: baseBuffer, tokens: base.tokens)
                let (local, distinct) = tokens.withUnsafeBufferPointer {
                    LocalInterner.intern(buffer, UnsafeBufferPointer(rebasing: $0[prefix..<tokens.count - suffix]))
                }
                return PreparedText(bytes: bytes, tokens: tokens, sharedPrefix: prefix, sharedSuffix: suffix, local: local,
                                    distinct: distinct, wholeKey: nil)
            }
        }
    }

    /// A prepared text with this table's ids: each distinct token interned once, in order of
    /// first appearance, so the ids are those `tokenize` gives. A text prepared as an edit of
    /// another needs that one's ids (`base`) for the tokens they share.
    public mutating func intern(_ text: PreparedText, base: [Int32] = []) -> TokenizedText {
        TokenizedText(ids: Self.ids(of: text, global: globalIDs(of: text), base: base), tokens: text.tokens)
    }

    /// The part of `intern` that needs the table: this table's id of each of the text's distinct
    /// tokens (in order, so that ids do not depend on threads).
    public mutating func globalIDs(of text: PreparedText) -> GlobalIDs {
        if let key = text.wholeKey { return GlobalIDs(values: [interner.id(opaque: key)]) }
        return GlobalIDs(values: text.bytes.withUnsafeBufferPointer { bytes in
            text.distinct.enumerated().map { index, entry in index == 0 ? 0 : interner.id(bytes, entry.token, hash: entry.hash) }
        })
    }

    /// The ids of a text's distinct tokens in one table, from `globalIDs`.
    public struct GlobalIDs: Sendable {
        var values: [Int32]
    }

    /// The rest of `intern`, which needs no table, so texts' ids are assembled on many threads:
    /// the text's ids from its distinct tokens' (`global`) and, for a text prepared as an edit of
    /// another, that one's ids (`base`) for the tokens they share.
    public static func ids(of text: PreparedText, global: GlobalIDs, base: [Int32] = []) -> [Int32] {
        let global = global.values
        if text.wholeKey != nil { return global }
        guard text.sharedPrefix + text.sharedSuffix > 0 else { return text.local.map { global[Int($0)] } }
        precondition(base.count >= text.sharedPrefix + text.sharedSuffix, "the ids of the text this one was prepared from")
        var ids = Array(base[0..<text.sharedPrefix])
        ids.reserveCapacity(text.tokens.count)
        ids.append(contentsOf: text.local.lazy.map { global[Int($0)] })
        ids.append(contentsOf: base[(base.count - text.sharedSuffix)...])
        return ids
    }

    /// The tokens `tokenize` gives a text (one token for a text compared whole).
    public static func tokens(of text: String) -> [Token] {
        var text = text
        return text.withUTF8 { buffer in
            buffer.count > Comparer.wholeSectionLimit
                ? [Token(kind: .atomic, start: 0, end: buffer.count)] : Tokenizer.tokens(buffer, in: 0..<buffer.count)
        }
    }

    /// Which of a prepared text's tokens are white space that ends a line: a diff of ids cannot
    /// tell (white space is one id whatever it holds), and an edit is best placed at line ends.
    /// A text prepared as an edit of another needs that one's (`base`) for the tokens they share,
    /// as `ids(of:global:base:)` does.
    public static func lineBreaks(of text: PreparedText, base: [Bool] = []) -> [Bool] {
        guard text.sharedPrefix + text.sharedSuffix > 0 else { return lineBreaks(text.tokens[...], in: text.bytes) }
        precondition(base.count >= text.sharedPrefix + text.sharedSuffix, "the line breaks of the text this one was prepared from")
        var breaks = Array(base[0..<text.sharedPrefix])
        breaks.reserveCapacity(text.tokens.count)
        breaks.append(contentsOf: lineBreaks(text.tokens[text.sharedPrefix..<text.tokens.count - text.sharedSuffix], in: text.bytes))
        breaks.append(contentsOf: base[(base.count - text.sharedSuffix)...])
        return breaks
    }

    /// `lineBreaks(of:)` of tokens of `bytes`: found from the line breaks (by `memchr`), each
    /// looked up among the tokens from the one before, as tokens are far more than lines.
    public static func lineBreaks(_ tokens: ArraySlice<Token>, in bytes: [UInt8]) -> [Bool] {
        var breaks = [Bool](repeating: false, count: tokens.count)
        guard let first = tokens.first, let last = tokens.last else { return breaks }
        bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress, last.end <= bytes.count else { return }
            tokens.withUnsafeBufferPointer { tokens in
                var offset = first.start, token = 0
                while offset < last.end, let found = memchr(base + offset, 0x0A, last.end - offset) {
                    let newline = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    token = firstToken(in: tokens, endingAfter: newline, from: token)
                    guard token < tokens.count else { break }
                    if tokens[token].start <= newline, tokens[token].kind == .space { breaks[token] = true }
                    offset = max(newline + 1, tokens[token].end)
                }
            }
        }
        return breaks
    }

    /// The first token from `start` on that ends after `offset` (tokens are in order): galloping,
    /// then a binary search.
    private static func firstToken(in tokens: UnsafeBufferPointer<Token>, endingAfter offset: Int, from start: Int) -> Int {
        guard start < tokens.count else { return start }
        var low = start, step = 1
        while low + step < tokens.count, tokens[low + step].end <= offset {
            low += step
            step *= 2
        }
        if tokens[low].end > offset { return low }
        var high = min(low + step, tokens.count)
        low += 1
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].end > offset { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Whether `id` is the id of white space.
    public static func isSpace(_ id: Int32) -> Bool { id == 0 }
}
