/// The fourth stage: a word diff inside every pair of blocks (edited, or moved with edits),
/// cleaned up into phrase replacements.
enum WordDiffs {
    /// The spans of every entry that pairs two blocks, by slot and then entry. The diffs are made
    /// ahead on all threads, each with a share of the budget; the budget is then spent in
    /// document order, and a diff that did not finish within its share, or would not have fit in
    /// what was left, is made again with what is left, as one thread would have made it. So the
    /// result is the same whatever the number of threads.
    static func spans(_ entries: [[BlockEntry]], options: CompareOptions, budget: inout Int)
        -> [[Int: [Span]]]
    {
        var pairs: [(slot: Int, entry: Int, a: BlockRef, b: BlockRef)] = []
        for (slot, content) in entries.enumerated() {
            for (entry, value) in content.enumerated() {
                if let pair = value.pair { pairs.append((slot, entry, pair.a, pair.b)) }
            }
        }
        func sides(_ index: Int) -> (ParsedSection, Int, ParsedSection, Int) {
            let pair = pairs[index]
            return (pair.a.section, pair.a.block, pair.b.section, pair.b.block)
        }
        var ahead: [(spans: [Span], steps: Int)?] = []
        if options.workers > 1, pairs.count > 1 {
            let pool = StepPool(budget: budget, workers: options.workers)
            ahead = Parallel.map(pairs.count, workers: options.workers) { index in
                withBlocks(sides(index)) { a, b in
                    let limit = pool.take()
                    let (runs, left) = Myers.wordScript(a.ids, b.ids, budget: limit)
                    pool.giveBack(left)
                    return left >= 0 ? (spans(runs, a, b), limit - left) : nil
                }
            }
        }
        var result = [[Int: [Span]]](repeating: [:], count: entries.count)
        for (index, pair) in pairs.enumerated() {
            if index < ahead.count, let made = ahead[index], made.steps <= budget {
                budget -= made.steps
                result[pair.slot][pair.entry] = made.spans
            } else {
                result[pair.slot][pair.entry] = withBlocks(sides(index)) { a, b in
                    spans(Myers.diffWords(a.ids, b.ids, budget: &budget), a, b)
                }
            }
        }
        return result
    }

    /// One side of a pair of blocks, read in place: its section, block, tokens and ids.
    struct BlockView {
        var parsed: ParsedSection
        var block: Block
        var tokens: UnsafeBufferPointer<Token>
        var ids: UnsafeBufferPointer<Int32>
    }

    private static func withBlocks<Result>(_ pair: (ParsedSection, Int, ParsedSection, Int),
                                           _ body: (BlockView, BlockView) -> Result) -> Result
    {
        let (aParsed, aIndex, bParsed, bIndex) = pair
        return aParsed.withTokens(of: aIndex) { aTokens, aIDs in
            bParsed.withTokens(of: bIndex) { bTokens, bIDs in
                body(BlockView(parsed: aParsed, block: aParsed.blocks[aIndex].block, tokens: aTokens, ids: aIDs),
                     BlockView(parsed: bParsed, block: bParsed.blocks[bIndex].block, tokens: bTokens, ids: bIDs))
            }
        }
    }

    /// The spans of two paired blocks from the edit script of their tokens, after the clean-up.
    private static func spans(_ runs: [EditRun], _ a: BlockView, _ b: BlockView) -> [Span] {
        let pieces = Cleanup.phrases(runs, a: a.tokens, b: b.tokens, aIDs: a.ids, bIDs: b.ids)
        let aParsed = a.parsed, bParsed = b.parsed
        var spans: [Span] = []
        for piece in pieces {
            func words(_ tokens: Slice<UnsafeBufferPointer<Token>>) -> Int {
                tokens.reduce(0) { $0 + ($1.kind.isWordLike ? 1 : 0) }
            }
            func range(_ tokens: UnsafeBufferPointer<Token>, _ piece: Range<Int>, at fallback: Int) -> Range<Int> {
                piece.isEmpty ? fallback..<fallback : tokens[piece.lowerBound].start..<tokens[piece.upperBound - 1].end
            }
            let aRange = range(a.tokens, piece.a, at: piece.a.lowerBound < a.tokens.count ? a.tokens[piece.a.lowerBound].start : a.block.end)
            let bRange = range(b.tokens, piece.b, at: piece.b.lowerBound < b.tokens.count ? b.tokens[piece.b.lowerBound].start : b.block.end)
            if piece.equal {
                spans.append(Span(kind: .equal, a: aParsed.text(aRange), b: bParsed.text(bRange), words: words(b.tokens[piece.b]),
                                  aRange: aRange, bRange: bRange))
            } else {
                if !piece.a.isEmpty {
                    spans.append(Span(kind: .deleted, a: aParsed.text(aRange), b: "", words: words(a.tokens[piece.a]), aRange: aRange))
                }
                if !piece.b.isEmpty {
                    spans.append(Span(kind: .inserted, a: "", b: bParsed.text(bRange), words: words(b.tokens[piece.b]), bRange: bRange))
                }
            }
        }
        return spans
    }
}
