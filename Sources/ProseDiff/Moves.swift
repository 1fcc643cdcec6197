/// The third stage: deleted and inserted blocks anywhere in the document that hold the same text,
/// or nearly, become moves, shown once where they went with the edits made on the way.
enum Moves {
    /// The entries with every move found: a deleted entry becomes `movedAway`, the inserted one
    /// `movedHere` (carrying A's block).
    static func find(in entries: [[BlockEntry]], options: CompareOptions) -> [[BlockEntry]] {
        // Candidates, in document order: where they stand (slot, entry) and their block.
        var deleted: [(slot: Int, entry: Int, block: BlockRef)] = []
        var inserted: [(slot: Int, entry: Int, block: BlockRef)] = []
        for slot in entries.indices {
            for (position, entry) in entries[slot].enumerated() {
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
        guard !deleted.isEmpty, !inserted.isEmpty else { return entries }
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
        if remainingDeleted.count * remainingInserted.count <= options.pairLimit {
            var candidates: [(score: Double, deleted: Int, inserted: Int)] = []
            let insertedWords = remainingInserted.map { inserted[$0].block.section.sortedWords(inserted[$0].block.block) }
            for d in remainingDeleted {
                let old = deleted[d].block.section.sortedWords(deleted[d].block.block)
                for (position, i) in remainingInserted.enumerated() {
                    let score = Similarity.dice(old, insertedWords[position])
                    if score >= options.blockSimilarity { candidates.append((score, d, i)) }
                }
            }
            for candidate in candidates.sorted(by: { ($0.score, $1.deleted, $1.inserted) > ($1.score, $0.deleted, $0.inserted) })
            where !usedDeleted.contains(candidate.deleted) && !usedInserted.contains(candidate.inserted) {
                usedDeleted.insert(candidate.deleted)
                usedInserted.insert(candidate.inserted)
                moves.append((candidate.deleted, candidate.inserted))
            }
        }
        var result = entries
        for (d, i) in moves {
            let from = deleted[d], to = inserted[i]
            result[from.slot][from.entry] = .movedAway(a: from.block, to: to.slot)
            result[to.slot][to.entry] = .movedHere(a: from.block, b: to.block)
        }
        return result
    }
}
