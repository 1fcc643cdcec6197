/// A text as interned tokens: the same token text has the same id in every text tokenized by
/// one table. White space is one id whatever it holds (prose reflow is no change).
public struct TokenizedText: Sendable {
    public var ids: [Int32]
    public var tokens: [Token]
}

/// Tokenizes whole texts into ids that can be compared across texts (for following tokens
/// through a history, where block structure does not matter).
public struct TokenTable {
    private var interner = Interner()

    public init() {}

    public mutating func tokenize(_ bytes: [UInt8]) -> TokenizedText {
        if bytes.count > Comparer.wholeSectionLimit {
            // Followed whole, as the comparison compares it: one token, known by a hash of its bytes.
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return TokenizedText(ids: [interner.id(opaque: String(hash, radix: 16))],
                                 tokens: [Token(kind: .atomic, start: 0, end: bytes.count)])
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let tokens = Tokenizer.tokens(buffer, in: 0..<buffer.count)
            var ids: [Int32] = []
            ids.reserveCapacity(tokens.count)
            for token in tokens { ids.append(interner.id(buffer, token, verbatim: false)) }
            return TokenizedText(ids: ids, tokens: tokens)
        }
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
