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
        bytes.withUnsafeBufferPointer { buffer in
            let tokens = Tokenizer.tokens(buffer, in: 0..<buffer.count)
            var ids: [Int32] = []
            ids.reserveCapacity(tokens.count)
            for token in tokens { ids.append(interner.id(buffer, token, verbatim: false)) }
            return TokenizedText(ids: ids, tokens: tokens)
        }
    }

    /// Whether `id` is the id of white space.
    public static func isSpace(_ id: Int32) -> Bool { id == 0 }
}
