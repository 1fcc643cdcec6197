/// A block of one side of a section: the parsed section, its slot in the result, and the block.
struct BlockRef {
    let section: ParsedSection
    let slot: Int
    let block: Int

    var parsed: ParsedBlock { section.blocks[block] }
}

/// One block of the redline while it is built: a case for each way a block can show, carrying
/// the blocks it shows (`a` always a block of an A side, `b` of a B side).
enum BlockEntry {
    case unchanged(a: BlockRef, b: BlockRef)
    /// Paired as one edited block: their words are compared.
    case modified(a: BlockRef, b: BlockRef)
    case deleted(a: BlockRef)
    case inserted(b: BlockRef)
    /// A's block, moved to a block of the slot `to`.
    case movedAway(a: BlockRef, to: Int)
    /// B's block, moved from A's block `a` (of the section in slot `a.slot`): their words are compared.
    case movedHere(a: BlockRef, b: BlockRef)

    /// The two blocks whose words are compared, for the cases that have them.
    var pair: (a: BlockRef, b: BlockRef)? {
        switch self {
        case .modified(let a, let b), .movedHere(let a, let b): (a, b)
        case .unchanged, .deleted, .inserted, .movedAway: nil
        }
    }
}

/// The second stage: inside each section, blocks matched by an edit script of their keys (equal
/// blocks), then the deleted and inserted blocks of each gap paired by their words (edited
/// blocks). Blocks found whole elsewhere in the document are left for `Moves`.
enum BlockAlignment {
    /// Each slot's block-level edit script (nil for a slot with one side), and the keys of blocks
    /// deleted in one place and inserted whole in another: moves, never paired with a merely
    /// similar block.
    struct Scripts {
        var runs: [[EditRun]?]
        var movableKeys: Set<Int32>
    }

    static func scripts(_ slots: [SectionSlot], options: CompareOptions, budget: inout Int) -> Scripts {
        var runs: [[EditRun]?] = []
        var deletedKeys = Set<Int32>(), insertedKeys = Set<Int32>()
        for slot in slots {
            guard let a = slot.a, let b = slot.b else {
                runs.append(nil)
                for block in slot.a?.blocks ?? [] where block.wordCount >= options.minimumMoveWords { deletedKeys.insert(block.key) }
                for block in slot.b?.blocks ?? [] where block.wordCount >= options.minimumMoveWords { insertedKeys.insert(block.key) }
                continue
            }
            let script = Myers.diff(a.blocks.map(\.key), b.blocks.map(\.key), budget: &budget)
            runs.append(script)
            var aPosition = 0, bPosition = 0
            for run in script {
                switch run.operation {
                case .equal: aPosition += run.count; bPosition += run.count
                case .delete:
                    for block in a.blocks[aPosition..<aPosition + run.count] where block.wordCount >= options.minimumMoveWords {
                        deletedKeys.insert(block.key)
                    }
                    aPosition += run.count
                case .insert:
                    for block in b.blocks[bPosition..<bPosition + run.count] where block.wordCount >= options.minimumMoveWords {
                        insertedKeys.insert(block.key)
                    }
                    bPosition += run.count
                }
            }
        }
        return Scripts(runs: runs, movableKeys: deletedKeys.intersection(insertedKeys))
    }

    /// The entries of every slot. Each slot's blocks are paired on its own thread (a section's
    /// parsed sides belong to one slot, so the words each pairing sorts and keeps are touched by
    /// one thread).
    static func entries(_ slots: [SectionSlot], scripts: Scripts, options: CompareOptions) -> [[BlockEntry]] {
        Parallel.map(slots.count, workers: options.workers) { index in
            entries(of: slots[index], slot: index, runs: scripts.runs[index], movable: scripts.movableKeys, options: options)
        }
    }

    private static func entries(of slot: SectionSlot, slot index: Int, runs: [EditRun]?, movable: Set<Int32>,
                                options: CompareOptions) -> [BlockEntry]
    {
        guard let a = slot.a else {
            guard let b = slot.b else { return [] }
            return b.blocks.indices.map { .inserted(b: BlockRef(section: b, slot: index, block: $0)) }
        }
        guard let b = slot.b else {
            return a.blocks.indices.map { .deleted(a: BlockRef(section: a, slot: index, block: $0)) }
        }
        var entries: [BlockEntry] = []
        var aPosition = 0, bPosition = 0
        var pendingDeleted: [Int] = [], pendingInserted: [Int] = []
        func flush() {
            entries += pairGap(a, b, pendingDeleted, pendingInserted, slot: index, movable: movable, options: options)
            pendingDeleted = []
            pendingInserted = []
        }
        for run in runs ?? [] {
            switch run.operation {
            case .equal:
                flush()
                for offset in 0..<run.count {
                    entries.append(.unchanged(a: BlockRef(section: a, slot: index, block: aPosition + offset),
                                              b: BlockRef(section: b, slot: index, block: bPosition + offset)))
                }
                aPosition += run.count
                bPosition += run.count
            case .delete:
                pendingDeleted += aPosition..<(aPosition + run.count)
                aPosition += run.count
            case .insert:
                pendingInserted += bPosition..<(bPosition + run.count)
                bPosition += run.count
            }
        }
        flush()
        return entries
    }

    /// The pairs of deleted and inserted blocks (by position in the gap) that keep both orders and
    /// are most alike in all: the greatest sum of `score` over pairs that do not cross, as an
    /// editor reads a passage that was edited in place. A score of 0 is no pair. Where sums tie,
    /// earlier blocks pair.
    static func bestPairs(_ deleted: Int, _ inserted: Int, score: (Int, Int) -> Double) -> [(Int, Int)] {
        let width = inserted + 1
        var scores = [Double](repeating: 0, count: deleted * inserted)
        for old in 0..<deleted { for new in 0..<inserted { scores[old * inserted + new] = score(old, new) } }
        // best[i][j]: the greatest sum over the last `deleted - i` and `inserted - j` blocks.
        var best = [Double](repeating: 0, count: (deleted + 1) * width)
        for old in stride(from: deleted - 1, through: 0, by: -1) {
            for new in stride(from: inserted - 1, through: 0, by: -1) {
                let pair = scores[old * inserted + new]
                let paired = pair > 0 ? pair + best[(old + 1) * width + new + 1] : 0
                best[old * width + new] = max(paired, best[(old + 1) * width + new], best[old * width + new + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var old = 0, new = 0
        while old < deleted, new < inserted {
            let pair = scores[old * inserted + new]
            if pair > 0, best[old * width + new] == pair + best[(old + 1) * width + new + 1] {
                pairs.append((old, new))
                old += 1
                new += 1
            } else if best[old * width + new] == best[(old + 1) * width + new] {
                old += 1
            } else {
                new += 1
            }
        }
        return pairs
    }

    /// Entries for a gap of deleted and inserted blocks: similar blocks paired in order (edited
    /// blocks), the rest deleted and inserted, keeping both orders.
    private static func pairGap(_ a: ParsedSection, _ b: ParsedSection, _ deleted: [Int], _ inserted: [Int], slot: Int,
                                movable: Set<Int32>, options: CompareOptions) -> [BlockEntry]
    {
        var pairs: [(Int, Int)] = []
        if !deleted.isEmpty, !inserted.isEmpty, deleted.count * inserted.count <= options.pairLimit {
            pairs = bestPairs(deleted.count, inserted.count) { old, new in
                let aBlock = a.blocks[deleted[old]], bBlock = b.blocks[inserted[new]]
                guard !movable.contains(aBlock.key), !movable.contains(bBlock.key) else { return 0 }
                let sameKind = aBlock.block.kind == bBlock.block.kind
                // Blocks of one kind in one place pair more readily (a list item that grew).
                let needed = sameKind ? options.blockSimilarity * 2 / 3 : options.blockSimilarity
                let aWords = a.sortedWords(deleted[old]), bWords = b.sortedWords(inserted[new])
                // Blocks whose lengths alone keep them under `needed` are not compared.
                let total = aWords.count + bWords.count
                guard total == 0 || Double(2 * min(aWords.count, bWords.count)) >= needed * Double(total) else { return 0 }
                let score = Similarity.dice(aWords, bWords, sameKind: sameKind)
                return score >= needed ? score : 0
            }.map { (deleted[$0.0], inserted[$0.1]) }
        }
        // A gap of as many blocks as it replaces, kind for kind (a list item reworded), pairs them
        // in order when each pair shares a word or is too short to be a move: they read best as edits.
        if pairs.isEmpty, deleted.count == inserted.count,
           zip(deleted, inserted).allSatisfy({ old, new in
               a.blocks[old].block.kind == b.blocks[new].block.kind
                   && !movable.contains(a.blocks[old].key) && !movable.contains(b.blocks[new].key)
                   && (max(a.blocks[old].wordCount, b.blocks[new].wordCount) < options.minimumMoveWords
                       || Similarity.dice(a.sortedWords(old), b.sortedWords(new)) > 0)
           })
        {
            pairs = Array(zip(deleted, inserted))
        }
        var entries: [BlockEntry] = []
        var deletedPosition = 0, insertedPosition = 0
        for (old, new) in pairs + [(Int.max, Int.max)] {
            while deletedPosition < deleted.count, deleted[deletedPosition] < old {
                entries.append(.deleted(a: BlockRef(section: a, slot: slot, block: deleted[deletedPosition])))
                deletedPosition += 1
            }
            while insertedPosition < inserted.count, inserted[insertedPosition] < new {
                entries.append(.inserted(b: BlockRef(section: b, slot: slot, block: inserted[insertedPosition])))
                insertedPosition += 1
            }
            guard old != Int.max else { break }
            entries.append(.modified(a: BlockRef(section: a, slot: slot, block: old), b: BlockRef(section: b, slot: slot, block: new)))
            deletedPosition += 1
            insertedPosition += 1
        }
        return entries
    }
}
