/// A section read for comparing: its blocks, and its tokens and their ids, block after block, in
/// one array each (a block knows its range). Made by `ParsedSection.parseAll`; read by every later
/// stage. A class so that stages share one copy of its arrays; after parsing, only the cache of
/// sorted words changes, and only on the thread that aligns the section's blocks.
final class ParsedSection {
    let section: SectionText
    let tokens: [Token]
    let ids: [Int32]
    private(set) var blocks: [ParsedBlock] = []

    init(_ section: SectionText, tokens: [Token], ids: [Int32], blocks: [ParsedBlock]) {
        self.section = section
        self.tokens = tokens
        self.ids = ids
        self.blocks = blocks
    }

    func text(_ range: Range<Int>) -> String {
        section.text.withUTF8Bytes { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The sorted word ids of the whole section.
    lazy var words: [Int32] = words(in: 0..<tokens.count).sorted()

    /// Word, number and atomic ids of a range of tokens, in text order.
    func words(in range: Range<Int>) -> [Int32] {
        range.compactMap { tokens[$0].kind.isWordLike ? ids[$0] : nil }
    }

    private var sorted: [Int: [Int32]] = [:]

    /// The sorted word ids of block `index` (sorted when first asked: most blocks never are).
    func sortedWords(_ index: Int) -> [Int32] {
        if let known = sorted[index] { return known }
        let value = words(in: blocks[index].tokens).sorted()
        sorted[index] = value
        return value
    }

    /// Block `index`'s tokens and ids, in place (while the section is alive).
    func withTokens<Result>(of index: Int, _ body: (UnsafeBufferPointer<Token>, UnsafeBufferPointer<Int32>) -> Result) -> Result {
        let range = blocks[index].tokens
        return tokens.withUnsafeBufferPointer { tokens in
            ids.withUnsafeBufferPointer { ids in
                body(UnsafeBufferPointer(rebasing: tokens[range]), UnsafeBufferPointer(rebasing: ids[range]))
            }
        }
    }
}

struct ParsedBlock {
    var block: Block
    /// Where its tokens are in its section's `tokens` and `ids`.
    var tokens: Range<Int>
    /// The interned id of the whole token sequence: equal keys, equal blocks (white space aside).
    var key: Int32
    /// How many words, numbers and atomic tokens it has.
    var wordCount: Int
}

extension ParsedSection {
    /// A section split into blocks and tokens: the part of parsing that needs no shared state,
    /// so sections are prepared on all cores at once.
    struct Prepared: Sendable {
        /// The section's length in UTF-8 bytes.
        var byteCount: Int
        var blocks: [Block]
        /// The tokens of every block, block after block; block `i`'s are
        /// `tokenStarts[i]..<tokenStarts[i + 1]`.
        var tokens: [Token]
        var tokenStarts: [Int]
        /// Each token as an index into `distinct`: the section's own interning, so that the
        /// interner shared by all sections sees each distinct token of a section once.
        var local: [Int32] = []
        /// The section's distinct tokens (first occurrence) and their hashes; entry 0 stands
        /// for white space in prose, which is one token whatever it holds.
        var distinct: [(token: Token, hash: UInt64)] = []

        func tokens(of block: Int) -> Range<Int> { tokenStarts[block]..<tokenStarts[block + 1] }
    }

    static func prepare(_ section: SectionText) -> Prepared {
        let count = section.text.utf8.count
        if count > Comparer.wholeSectionLimit {
            return Prepared(byteCount: count, blocks: [Block(kind: .code, start: 0, end: count)],
                            tokens: [Token(kind: .atomic, start: 0, end: count)], tokenStarts: [0, 1])
        }
        return section.text.withUTF8Bytes { buffer in
            let blocks = BlockParser.blocks(of: buffer, bodyOffset: min(section.bodyOffset, buffer.count))
            var tokens: [Token] = [], tokenStarts = [0]
            // Prose has about one token in three bytes: room for one in two is seldom outgrown
            // (growing copies the array into fresh memory).
            tokens.reserveCapacity(buffer.count / 2 + 16)
            tokenStarts.reserveCapacity(blocks.count + 1)
            var verbatim: [Range<Int>] = []
            for block in blocks {
                Tokenizer.append(buffer, in: block.start..<block.end, to: &tokens)
                if block.kind.isVerbatim { verbatim.append(tokenStarts[tokenStarts.count - 1]..<tokens.count) }
                tokenStarts.append(tokens.count)
            }
            var prepared = Prepared(byteCount: count, blocks: blocks, tokens: tokens, tokenStarts: tokenStarts)
            (prepared.local, prepared.distinct) = tokens.withUnsafeBufferPointer {
                LocalInterner.intern(buffer, $0, verbatim: verbatim)
            }
            return prepared
        }
    }

    /// `prepare` for every section, spread over `workers` threads.
    static func prepareAll(_ sections: [SectionText], workers: Int) -> [Prepared] {
        Parallel.map(sections.count, workers: workers) { prepare(sections[$0]) }
    }

    /// Interns prepared sections, in order. The shared interner sees each section's distinct
    /// tokens once (one thread, in order, so ids do not depend on threads); the sections' ids are
    /// then filled in on all threads, and the blocks' sequence keys given in order.
    static func parseAll(_ jobs: [(section: SectionText, prepared: Prepared)], interner: inout Interner, workers: Int)
        -> [ParsedSection]
    {
        let globals: [[Int32]] = jobs.map { section, prepared in
            if prepared.byteCount > Comparer.wholeSectionLimit {
                // A section compared whole is one token, known by its content key, not its bytes.
                return [interner.id(opaque: section.key ?? String(prepared.byteCount))]
            }
            return section.text.withUTF8Bytes { bytes in
                prepared.distinct.enumerated().map { index, entry in
                    index == 0 ? 0 : interner.id(bytes, entry.token, hash: entry.hash)
                }
            }
        }
        let built: [(ids: [Int32], blocks: [(wordCount: Int, hash: UInt64)])] = Parallel.map(jobs.count, workers: workers) { job in
            let prepared = jobs[job].prepared, global = globals[job]
            if prepared.byteCount > Comparer.wholeSectionLimit {
                return (global, [(1, Interner.hash(of: global[...]))])
            }
            let ids = prepared.local.map { global[Int($0)] }
            let blocks = prepared.blocks.indices.map { block in
                let range = prepared.tokens(of: block)
                let wordCount = prepared.tokens[range].reduce(0) { $0 + ($1.kind.isWordLike ? 1 : 0) }
                return (wordCount, Interner.hash(of: ids[range]))
            }
            return (ids, blocks)
        }
        return zip(jobs, built).map { job, built in
            let prepared = job.prepared
            let blocks = prepared.blocks.enumerated().map { index, block in
                let range = prepared.tokens(of: index)
                return ParsedBlock(block: block, tokens: range, key: interner.key(of: built.ids, in: range, hash: built.blocks[index].hash),
                                   wordCount: built.blocks[index].wordCount)
            }
            return ParsedSection(job.section, tokens: prepared.tokens, ids: built.ids, blocks: blocks)
        }
    }
}
