/// The third stage: deleted and inserted blocks anywhere in the document that hold the same text,
/// or nearly, become moves, shown once where they went with the edits made on the way.
enum Moves {
    /// The entries with every move found: a deleted entry becomes `movedAway`, the inserted one
    /// `movedHere` (carrying A's block).
    static func find(in entries: [[BlockEntry]], options: CompareOptions) -> [[BlockEntry]] {
        let (split, weakPairs) = splittingWeakPairs(movesOfShortBlocks(in: entries, options: options), options: options)
        return joiningWeakPairs(matching(split, options: options), weakPairs)
    }

    /// `find` on entries whose short blocks and weak pairs are dealt with.
    private static func matching(_ entries: [[BlockEntry]], options: CompareOptions) -> [[BlockEntry]] {
        var result = entries
        // Candidates, in document order: where they stand (slot, entry) and their block.
        var deleted: [(slot: Int, entry: Int, block: BlockRef)] = []
        var inserted: [(slot: Int, entry: Int, block: BlockRef)] = []
        for slot in result.indices {
            for (position, entry) in result[slot].enumerated() {
                switch entry {
                case .deleted(let a) where a.parsed.wordCount >= options.minimumMoveWords:
                    deleted.append((slot, position, a))
                case .inserted(let b) where b.parsed.wordCount >= options.minimumMoveWords:
                    inserted.append((slot, position, b))
                default:
                    continue
                }
            }
        }
        guard !deleted.isEmpty, !inserted.isEmpty else { return result }
        var usedDeleted = Set<Int>(), usedInserted = Set<Int>()
        var byKey: [Int32: [Int]] = [:]
        for (position, place) in deleted.enumerated() { byKey[place.block.parsed.key, default: []].append(position) }
        // Whole blocks first: the same key deleted here and inserted there.
        var moves: [(deleted: Int, inserted: Int)] = []
        for (position, place) in inserted.enumerated() {
            let key = place.block.parsed.key
            guard var candidates = byKey[key], !candidates.isEmpty else { continue }
            let chosen = candidates.removeFirst()
            byKey[key] = candidates
            usedDeleted.insert(chosen)
            usedInserted.insert(position)
            moves.append((chosen, position))
        }
        // Then similar blocks, most alike first.
        let remainingDeleted = deleted.indices.filter { !usedDeleted.contains($0) }
        let remainingInserted = inserted.indices.filter { !usedInserted.contains($0) }
        var candidates: [(score: Double, deleted: Int, inserted: Int)] = []
        let insertedWords = remainingInserted.map { inserted[$0].block.section.sortedWords(inserted[$0].block.block) }
        if remainingDeleted.count * remainingInserted.count <= options.pairLimit {
            for d in remainingDeleted {
                let old = deleted[d].block.section.sortedWords(deleted[d].block.block)
                for (position, i) in remainingInserted.enumerated() {
                    let score = Similarity.dice(old, insertedWords[position])
                    if score >= options.blockSimilarity { candidates.append((score, d, i)) }
                }
            }
        } else {
            // Too many pairs to score each: a deleted block is scored against the inserted blocks
            // that share runs of words with it (see `Shingles`).
            let shingles = Shingles(remainingInserted.map { inserted[$0].block })
            var counts = shingles.counter()
            for d in remainingDeleted {
                let old = deleted[d].block.section.sortedWords(deleted[d].block.block)
                for position in shingles.candidates(for: deleted[d].block, counts: &counts) {
                    let score = Similarity.dice(old, insertedWords[position])
                    if score >= options.blockSimilarity { candidates.append((score, d, remainingInserted[position])) }
                }
            }
        }
        for candidate in candidates.sorted(by: { ($0.score, $1.deleted, $1.inserted) > ($1.score, $0.deleted, $0.inserted) })
        where !usedDeleted.contains(candidate.deleted) && !usedInserted.contains(candidate.inserted) {
            usedDeleted.insert(candidate.deleted)
            usedInserted.insert(candidate.inserted)
            moves.append((candidate.deleted, candidate.inserted))
        }
        for (d, i) in moves {
            let from = deleted[d], to = inserted[i]
            result[from.slot][from.entry] = .movedAway(a: from.block, to: to.slot)
            result[to.slot][to.entry] = .movedHere(a: from.block, b: to.block)
        }
        return result
    }
}

extension Moves {
    /// Blocks paired only because they stand in the same place, of one kind (see `pairGap`),
    /// and less alike than a move must be: split into a deletion and an insertion, so that either
    /// may be found moved (a paragraph moved and edited, another written where it was), and
    /// joined again by `joiningWeakPairs` where neither was. Also where each split one stands:
    /// per slot, the position of its deletion (its insertion follows).
    static func splittingWeakPairs(_ entries: [[BlockEntry]], options: CompareOptions) -> ([[BlockEntry]], [[Int]]) {
        var result = entries, weak = [[Int]](repeating: [], count: entries.count)
        for slot in entries.indices {
            var rebuilt: [BlockEntry] = []
            for entry in entries[slot] {
                if case .modified(let a, let b) = entry, a.slot == b.slot,
                   max(a.parsed.wordCount, b.parsed.wordCount) >= options.minimumMoveWords,
                   Similarity.dice(a.section.sortedWords(a.block), b.section.sortedWords(b.block)) < options.blockSimilarity
                {
                    weak[slot].append(rebuilt.count)
                    rebuilt.append(.deleted(a: a))
                    rebuilt.append(.inserted(b: b))
                } else {
                    rebuilt.append(entry)
                }
            }
            if !weak[slot].isEmpty { result[slot] = rebuilt }
        }
        return (result, weak)
    }

    /// The weak pairs `splittingWeakPairs` split, joined again where both are still a deletion
    /// and an insertion.
    static func joiningWeakPairs(_ entries: [[BlockEntry]], _ weak: [[Int]]) -> [[BlockEntry]] {
        var result = entries
        for slot in weak.indices {
            for position in weak[slot].reversed() {
                guard case .deleted(let a) = result[slot][position], case .inserted(let b) = result[slot][position + 1] else { continue }
                result[slot].replaceSubrange(position...position + 1, with: [.modified(a: a, b: b)])
            }
        }
        return result
    }

    /// Blocks too short to be moves across the document (a heading of three words, a short list
    /// item: the same text may well stand in many places) are moves within their section when
    /// the same text is deleted in one place of it and inserted in another.
    static func movesOfShortBlocks(in entries: [[BlockEntry]], options: CompareOptions) -> [[BlockEntry]] {
        var result = entries
        for slot in result.indices {
            var deletedByKey: [Int32: [(entry: Int, block: BlockRef)]] = [:]
            for (position, entry) in result[slot].enumerated() {
                if case .deleted(let a) = entry, a.parsed.wordCount > 0, a.parsed.wordCount < options.minimumMoveWords {
                    deletedByKey[a.parsed.key, default: []].append((position, a))
                }
            }
            guard !deletedByKey.isEmpty else { continue }
            for (position, entry) in result[slot].enumerated() {
                guard case .inserted(let b) = entry, var candidates = deletedByKey[b.parsed.key], !candidates.isEmpty else { continue }
                let from = candidates.removeFirst()
                deletedByKey[b.parsed.key] = candidates
                result[slot][from.entry] = .movedAway(a: from.block, to: slot)
                result[slot][position] = .movedHere(a: from.block, b: b)
            }
        }
        return result
    }
}

/// An index of blocks by the runs of four words they hold, to find the blocks a block may be
/// like without scoring it against all of them: an edited block keeps most of its runs, and a
/// run that many blocks hold says little of which are alike, so it is not followed. The runs'
/// hashes are well mixed already: the index is an open-addressing table of them, each slot
/// heading a list of the blocks that hold its run.
struct Shingles {
    static let length = 4
    /// A run held by more blocks than this is not followed.
    static let common = 16

    /// Per slot: the run's hash (0 for an empty slot), its first holder (an index into
    /// `holders`) and how many blocks hold it.
    private var keys: [UInt64]
    private var firsts: [Int32]
    private var counts: [Int32]
    /// Per holder: the block (by position) and the next holder of the same run, or -1.
    private var holders: [Int32] = []
    private var nexts: [Int32] = []
    private let shift: UInt64
    private let blockCount: Int

    init(_ blocks: [BlockRef]) {
        blockCount = blocks.count
        let runs = blocks.map { Self.distinctRuns($0) }
        let total = runs.reduce(0) { $0 + $1.count }
        var bits: UInt64 = 4
        while 1 << bits < 2 * total { bits += 1 }
        shift = 64 - bits
        keys = [UInt64](repeating: 0, count: 1 << bits)
        firsts = [Int32](repeating: -1, count: 1 << bits)
        counts = [Int32](repeating: 0, count: 1 << bits)
        holders.reserveCapacity(total)
        nexts.reserveCapacity(total)
        for (position, blockRuns) in runs.enumerated() {
            for run in blockRuns {
                let slot = self.slot(of: run)
                keys[slot] = run
                nexts.append(firsts[slot])
                firsts[slot] = Int32(holders.count)
                holders.append(Int32(position))
                counts[slot] += 1
            }
        }
    }

    /// The slot that holds `run`, or the empty one where it would go.
    private func slot(of run: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (run &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while keys[slot] != 0, keys[slot] != run { slot = (slot + 1) & mask }
        return slot
    }

    /// The positions of the blocks that share at least an eighth of `block`'s runs, in order.
    func candidates(for block: BlockRef, counts found: inout [Int32]) -> [Int] {
        let runs = Self.distinctRuns(block)
        let needed = Int32(max(1, runs.count / 8))
        var touched: [Int32] = []
        for run in runs {
            let slot = slot(of: run)
            guard keys[slot] == run, counts[slot] <= Self.common else { continue }
            var holder = firsts[slot]
            while holder >= 0 {
                let position = Int(holders[Int(holder)])
                if found[position] == 0 { touched.append(Int32(position)) }
                found[position] += 1
                holder = nexts[Int(holder)]
            }
        }
        var result: [Int] = []
        for position in touched {
            if found[Int(position)] >= needed { result.append(Int(position)) }
            found[Int(position)] = 0
        }
        return result.sorted()
    }

    /// A buffer of counts for `candidates`, one per block, all zero.
    func counter() -> [Int32] { [Int32](repeating: 0, count: blockCount) }

    /// Hashes of the block's runs of `length` consecutive words (of its only words, when it has
    /// fewer), each once, never 0 (the mark of an empty slot).
    static func distinctRuns(_ block: BlockRef) -> [UInt64] {
        let words = block.section.words(in: block.parsed.tokens)
        guard !words.isEmpty else { return [] }
        let runs = words.count < length ? [Interner.hash(of: words[...])]
            : (0...(words.count - length)).map { Interner.hash(of: words[$0..<$0 + length]) }
        var sorted = runs.map { $0 == 0 ? 1 : $0 }.sorted()
        var kept = 0
        for index in sorted.indices where index == 0 || sorted[index] != sorted[kept - 1] {
            sorted[kept] = sorted[index]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }
}
