/// A text as interned tokens: the same token text has the same id in every text tokenized by
/// one table. White space is one id whatever it holds (prose reflow is no change).
public struct TokenizedText: Sendable {
    public var ids: [Int32]
    public var tokens: [Token]
}

/// A text tokenized and interned among its own tokens, ready for `TokenTable.intern`.
public struct PreparedText: Sendable {
    var bytes: [UInt8]
    var tokens: [Token]
    var local: [Int32]
    var distinct: [(token: Token, hash: UInt64)]
    /// For a text compared whole: the key its one token is known by.
    var wholeKey: String?
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
            let (local, distinct) = LocalInterner.intern(buffer, [tokens], verbatim: { _ in false })
            return PreparedText(bytes: bytes, tokens: tokens, local: local[0], distinct: distinct, wholeKey: nil)
        }
    }

    /// A prepared text with this table's ids: each distinct token interned once, in order of
    /// first appearance, so the ids are those `tokenize` gives.
    public mutating func intern(_ text: PreparedText) -> TokenizedText {
        if let key = text.wholeKey { return TokenizedText(ids: [interner.id(opaque: key)], tokens: text.tokens) }
        let global = text.bytes.withUnsafeBufferPointer { bytes in
            text.distinct.enumerated().map { index, entry in index == 0 ? 0 : interner.id(bytes, entry.token, hash: entry.hash) }
        }
        return TokenizedText(ids: text.local.map { global[Int($0)] }, tokens: text.tokens)
    }

    /// The tokens `tokenize` gives a text (one token for a text compared whole).
    public static func tokens(of text: String) -> [Token] {
        var text = text
        return text.withUTF8 { buffer in
            buffer.count > Comparer.wholeSectionLimit
                ? [Token(kind: .atomic, start: 0, end: buffer.count)] : Tokenizer.tokens(buffer, in: 0..<buffer.count)
        }
    }

    /// Whether `id` is the id of white space.
    public static func isSpace(_ id: Int32) -> Bool { id == 0 }
}
