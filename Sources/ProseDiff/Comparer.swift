import Foundation
#if canImport(Glibc)
import Glibc
#endif
/// Settings of a comparison.
public struct CompareOptions: Sendable {
    /// Steps the word diffs of one comparison may take in all before falling back to coarser
    /// (whole-block) replacements.
    public var budget: Int = 60_000_000
    /// How alike two blocks must be (Dice coefficient of their words) to pair them as one edited block.
    public var blockSimilarity: Double = 0.5
    /// How alike two sections must be to pair them as a rename.
    public var sectionSimilarity: Double = 0.5
    /// Blocks with fewer words than this are never reported as moves.
    public var minimumMoveWords: Int = 4
    /// Pairs of blocks compared for similarity at most, per gap and for moves.
    public var pairLimit: Int = 250_000
    /// Threads a comparison uses; its result is the same with any number.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

/// Builds a `Comparison` from two lists of sections: sections aligned by id, then by content;
/// blocks by exact match, then by similarity; moves across the document; a word diff inside each
/// pair of blocks, cleaned up into phrase replacements.
public struct Comparer {
    let options: CompareOptions
    private var interner = Interner()
    private var budget: Int

    public static func compare(_ a: [SectionText], _ b: [SectionText], options: CompareOptions = CompareOptions()) -> Comparison {
        var comparer = Comparer(options: options)
        return comparer.run(a, b)
    }

    /// Two versions of one section's text, compared.
    public static func compare(text a: String, with b: String) -> SectionComparison {
        let path = "drafts/section.md"
        return compare([SectionText(id: "section", title: "section", path: path, text: a, key: "a")],
                       [SectionText(id: "section", title: "section", path: path, text: b, key: "b")]).sections[0]
    }

    init(options: CompareOptions) {
        self.options = options
        budget = options.budget
    }

    // MARK: Parsed sections

    /// A section read for comparing: its blocks, and its tokens and their ids, block after block,
    /// in one array each (a block knows its range).
    final class Parsed {
        let section: SectionText
        let tokens: [Token]
        let ids: [Int32]
        var blocks: [ParsedBlock] = []
        init(_ section: SectionText, tokens: [Token], ids: [Int32]) {
            self.section = section
            self.tokens = tokens
            self.ids = ids
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

    /// Sections larger than this are compared whole (changed or not), never word by word: it
    /// keeps the memory of a comparison bounded whatever a repository holds.
    public static let wholeSectionLimit = 5 * 1_048_576

    static func prepare(_ section: SectionText) -> Prepared {
        let count = section.text.utf8.count
        if count > wholeSectionLimit {
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
    private mutating func parseAll(_ jobs: [(section: SectionText, prepared: Prepared)]) -> [Parsed] {
        let globals: [[Int32]] = jobs.map { section, prepared in
            if prepared.byteCount > Self.wholeSectionLimit {
                // A section compared whole is one token, known by its content key, not its bytes.
                return [interner.id(opaque: section.key ?? String(prepared.byteCount))]
            }
            return section.text.withUTF8Bytes { bytes in
                prepared.distinct.enumerated().map { index, entry in
                    index == 0 ? 0 : interner.id(bytes, entry.token, hash: entry.hash)
                }
            }
        }
        let built: [(ids: [Int32], blocks: [(wordCount: Int, hash: UInt64)])] = Parallel.map(jobs.count, workers: options.workers) { job in
            let prepared = jobs[job].prepared, global = globals[job]
            if prepared.byteCount > Self.wholeSectionLimit {
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
            let parsed = Parsed(job.section, tokens: prepared.tokens, ids: built.ids)
            parsed.blocks = prepared.blocks.enumerated().map { index, block in
                let range = prepared.tokens(of: index)
                return ParsedBlock(block: block, tokens: range, key: interner.key(of: built.ids, in: range, hash: built.blocks[index].hash),
                                   wordCount: built.blocks[index].wordCount)
            }
            return parsed
        }
    }

    // MARK: Sections

    /// One section of the result while it is built: which side's sections, and its block entries.
    struct Slot {
        var a: Parsed?
        var b: Parsed?
        var aIndex: Int?
        var status: SectionComparison.Status
        var moved = false
        var entries: [Entry] = []
    }

    /// A block entry: which block of A and of B it shows, and how.
    struct Entry {
        var status: BlockChange.Status
        /// (slot, block) of A's block; for a block moved here, in the slot it moved from.
        var a: (slot: Int, block: Int)?
        var b: (slot: Int, block: Int)?
        var moveSlot: Int?
    }

    private mutating func run(_ a: [SectionText], _ b: [SectionText]) -> Comparison {
        var slots: [Slot] = []
        // Sections are matched by id; where a side has an id more than once (files that git
        // holds but stet would refuse), a section of the same id and path first.
        var aByID: [String: [Int]] = [:], aByPath: [String: Int] = [:]
        for (index, section) in a.enumerated() {
            aByID[section.id, default: []].append(index)
            if aByPath[section.path] == nil { aByPath[section.path] = index }
        }
        var matchOfB = [Int?](repeating: nil, count: b.count)
        var matchedA = Set<Int>()
        for (index, section) in b.enumerated() {
            if let aIndex = aByPath[section.path], a[aIndex].id == section.id, matchedA.insert(aIndex).inserted {
                matchOfB[index] = aIndex
            }
        }
        for (index, section) in b.enumerated() where matchOfB[index] == nil {
            if let aIndex = aByID[section.id]?.first(where: { !matchedA.contains($0) }) {
                matchedA.insert(aIndex)
                matchOfB[index] = aIndex
            }
        }
        // Which sections must be read: all but those whose content is the same on both sides.
        var unchangedB = Set<Int>()
        for (index, section) in b.enumerated() {
            guard let aIndex = matchOfB[index] else { continue }
            // Content keys (blob ids) decide without reading; without them, the texts do.
            let unchanged = section.key != nil && a[aIndex].key != nil
                ? section.key == a[aIndex].key : section.text == a[aIndex].text
            if unchanged { unchangedB.insert(index) }
        }
        let unchangedA = Set(unchangedB.compactMap { matchOfB[$0] })
        let readA = (0..<a.count).filter { !unchangedA.contains($0) }
        let readB = b.indices.filter { !unchangedB.contains($0) }
        let prepared = Self.prepareAll(readA.map { a[$0] } + readB.map { b[$0] }, workers: options.workers)
        var preparedA: [Int: Prepared] = [:], preparedB: [Int: Prepared] = [:]
        for (position, index) in readA.enumerated() { preparedA[index] = prepared[position] }
        for (position, index) in readB.enumerated() { preparedB[index] = prepared[readA.count + position] }

        // Sections are interned in document order: each changed pair (A's then B's), each added
        // section, then A's sections no id matched (renamed, paired by content below, or removed).
        var jobs: [(SectionText, Prepared)] = []
        for (bIndex, section) in b.enumerated() where !unchangedB.contains(bIndex) {
            if let aIndex = matchOfB[bIndex] { jobs.append((a[aIndex], preparedA[aIndex]!)) }
            jobs.append((section, preparedB[bIndex]!))
        }
        let unmatchedA = (0..<a.count).filter { !matchedA.contains($0) }
        jobs += unmatchedA.map { (a[$0], preparedA[$0]!) }
        var parsed = parseAll(jobs).makeIterator()

        var unmatchedB: [Int] = []
        for (bIndex, section) in b.enumerated() {
            if let aIndex = matchOfB[bIndex] {
                if unchangedB.contains(bIndex) {
                    slots.append(Slot(a: nil, b: nil, aIndex: aIndex, status: .unchanged))
                    placeholders[slots.count - 1] = (a[aIndex], section)
                } else {
                    slots.append(Slot(a: parsed.next()!, b: parsed.next()!, aIndex: aIndex, status: .modified))
                }
            } else {
                unmatchedB.append(slots.count)
                slots.append(Slot(a: nil, b: parsed.next()!, aIndex: nil, status: .added))
            }
        }
        var removed = unmatchedA.map { ($0, parsed.next()!) }
        if !removed.isEmpty, !unmatchedB.isEmpty {
            var candidates: [(score: Double, removed: Int, slot: Int)] = []
            if removed.count * unmatchedB.count <= options.pairLimit {
                for (position, (_, old)) in removed.enumerated() {
                    for slot in unmatchedB {
                        let score = Self.dice(old.words, slots[slot].b!.words)
                        if score >= options.sectionSimilarity { candidates.append((score, position, slot)) }
                    }
                }
            }
            var usedRemoved = Set<Int>(), usedSlots = Set<Int>()
            for candidate in candidates.sorted(by: { ($0.score, $1.slot) > ($1.score, $0.slot) })
            where !usedRemoved.contains(candidate.removed) && !usedSlots.contains(candidate.slot) {
                usedRemoved.insert(candidate.removed)
                usedSlots.insert(candidate.slot)
                slots[candidate.slot].a = removed[candidate.removed].1
                slots[candidate.slot].aIndex = removed[candidate.removed].0
                slots[candidate.slot].status = .renamed
            }
            removed = removed.enumerated().filter { !usedRemoved.contains($0.offset) }.map(\.element)
        }
        for slot in slots.indices where slots[slot].status == .modified {
            if slots[slot].a!.section.path != slots[slot].b!.section.path { slots[slot].status = .renamed }
        }
        // Removed sections go after the section that preceded them in A.
        for (aIndex, parsed) in removed {
            let position = slots.lastIndex { ($0.aIndex ?? -1) < aIndex && $0.aIndex != nil }.map { $0 + 1 } ?? 0
            let shifted = placeholders.map { ($0.key >= position ? $0.key + 1 : $0.key, $0.value) }
            placeholders = Dictionary(uniqueKeysWithValues: shifted)
            slots.insert(Slot(a: parsed, b: nil, aIndex: aIndex, status: .removed), at: position)
        }
        markMovedSections(&slots)

        // Block-level scripts first, so that blocks found whole elsewhere (exact moves) are
        // known before similar blocks are paired inside each gap.
        var scripts: [[EditRun]?] = []
        var deletedKeys = Set<Int32>(), insertedKeys = Set<Int32>()
        for slot in slots {
            guard let a = slot.a, let b = slot.b else {
                scripts.append(nil)
                for block in slot.a?.blocks ?? [] where block.wordCount >= options.minimumMoveWords { deletedKeys.insert(block.key) }
                for block in slot.b?.blocks ?? [] where block.wordCount >= options.minimumMoveWords { insertedKeys.insert(block.key) }
                continue
            }
            let runs = Myers.diff(a.blocks.map(\.key), b.blocks.map(\.key), budget: &budget)
            scripts.append(runs)
            var aPosition = 0, bPosition = 0
            for run in runs {
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
        movableKeys = deletedKeys.intersection(insertedKeys)
        // Each slot's blocks are paired on its own (a section's parsed sides belong to one slot,
        // so the words each pairing sorts and keeps are touched by one thread).
        let aligned = Parallel.map(slots.count, workers: options.workers) { alignBlocks(slots[$0], slot: $0, runs: scripts[$0]) }
        for index in slots.indices { slots[index].entries = aligned[index] }
        findMoves(&slots)
        let spans = wordDiffs(slots)
        return Comparison(sections: Parallel.map(slots.count, workers: options.workers) { materialize(slots, $0, spans: spans[$0]) })
    }

    /// Keys of blocks deleted in one place and inserted whole in another: moves, never paired
    /// with a merely similar block.
    private var movableKeys = Set<Int32>()

    /// Sections with unchanged content are kept as texts only, never parsed.
    private var placeholders: [Int: (SectionText, SectionText)] = [:]

    /// A section is moved when it is not on the longest run of sections that kept their order.
    private func markMovedSections(_ slots: inout [Slot]) {
        let paired = slots.indices.filter { slots[$0].aIndex != nil && slots[$0].status != .removed }
        let sequence = paired.map { slots[$0].aIndex! }
        let keep = Set(Self.longestIncreasing(sequence).map { paired[$0] })
        for slot in paired where !keep.contains(slot) { slots[slot].moved = true }
    }

    /// Indices of a longest strictly increasing subsequence.
    static func longestIncreasing(_ values: [Int]) -> [Int] {
        var tails: [Int] = []
        var previous = [Int](repeating: -1, count: values.count)
        for (index, value) in values.enumerated() {
            var low = 0, high = tails.count
            while low < high {
                let middle = (low + high) / 2
                if values[tails[middle]] < value { low = middle + 1 } else { high = middle }
            }
            if low > 0 { previous[index] = tails[low - 1] }
            if low == tails.count { tails.append(index) } else { tails[low] = index }
        }
        var result: [Int] = []
        var current = tails.last ?? -1
        while current >= 0 {
            result.append(current)
            current = previous[current]
        }
        return result.reversed()
    }

    // MARK: Blocks

    private func alignBlocks(_ slot: Slot, slot index: Int, runs: [EditRun]?) -> [Entry] {
        guard let a = slot.a else {
            return (slot.b?.blocks.indices ?? 0..<0).map { Entry(status: .inserted, a: nil, b: (index, $0)) }
        }
        guard let b = slot.b else {
            return a.blocks.indices.map { Entry(status: .deleted, a: (index, $0), b: nil) }
        }
        var entries: [Entry] = []
        var aPosition = 0, bPosition = 0
        var pendingDeleted: [Int] = [], pendingInserted: [Int] = []
        func flush() {
            entries += pairGap(a, b, pendingDeleted, pendingInserted, slot: index)
            pendingDeleted = []
            pendingInserted = []
        }
        for run in runs ?? [] {
            switch run.operation {
            case .equal:
                flush()
                for offset in 0..<run.count {
                    entries.append(Entry(status: .unchanged, a: (index, aPosition + offset), b: (index, bPosition + offset)))
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

    /// Entries for a gap of deleted and inserted blocks: similar blocks paired in order (edited
    /// blocks), the rest deleted and inserted, keeping both orders.
    private func pairGap(_ a: Parsed, _ b: Parsed, _ deleted: [Int], _ inserted: [Int], slot: Int) -> [Entry] {
        var pairs: [(Int, Int)] = []
        if !deleted.isEmpty, !inserted.isEmpty, deleted.count * inserted.count <= options.pairLimit {
            var next = 0
            for old in deleted where !movableKeys.contains(a.blocks[old].key) {
                var best: (score: Double, position: Int)?
                for position in next..<inserted.count where !movableKeys.contains(b.blocks[inserted[position]].key) {
                    let sameKind = a.blocks[old].block.kind == b.blocks[inserted[position]].block.kind
                    let score = Self.dice(a.sortedWords(old), b.sortedWords(inserted[position]), sameKind: sameKind)
                    // Blocks of one kind in one place pair more readily (a list item that grew).
                    let needed = sameKind ? options.blockSimilarity * 2 / 3 : options.blockSimilarity
                    if score >= needed, score > (best?.score ?? 0) { best = (score, position) }
                }
                if let best {
                    pairs.append((old, inserted[best.position]))
                    next = best.position + 1
                    if next == inserted.count { break }
                }
            }
        }
        // A gap of as many blocks as it replaces, kind for kind (a list item reworded), pairs them
        // in order when each pair shares a word or is too short to be a move: they read best as edits.
        if pairs.isEmpty, deleted.count == inserted.count,
           zip(deleted, inserted).allSatisfy({ old, new in
               a.blocks[old].block.kind == b.blocks[new].block.kind
                   && !movableKeys.contains(a.blocks[old].key) && !movableKeys.contains(b.blocks[new].key)
                   && (max(a.blocks[old].wordCount, b.blocks[new].wordCount) < options.minimumMoveWords
                       || Self.dice(a.sortedWords(old), b.sortedWords(new)) > 0)
           })
        {
            pairs = Array(zip(deleted, inserted))
        }
        var entries: [Entry] = []
        var deletedPosition = 0, insertedPosition = 0
        for (old, new) in pairs + [(Int.max, Int.max)] {
            while deletedPosition < deleted.count, deleted[deletedPosition] < old {
                entries.append(Entry(status: .deleted, a: (slot, deleted[deletedPosition]), b: nil))
                deletedPosition += 1
            }
            while insertedPosition < inserted.count, inserted[insertedPosition] < new {
                entries.append(Entry(status: .inserted, a: nil, b: (slot, inserted[insertedPosition])))
                insertedPosition += 1
            }
            guard old != Int.max else { break }
            entries.append(Entry(status: .modified, a: (slot, old), b: (slot, new)))
            deletedPosition += 1
            insertedPosition += 1
        }
        return entries
    }

    /// Deleted and inserted blocks anywhere in the document that hold the same text, or nearly,
    /// become moves: shown once where they went, with the edits made on the way.
    private func findMoves(_ slots: inout [Slot]) {
        var deleted: [(slot: Int, entry: Int)] = []
        var inserted: [(slot: Int, entry: Int)] = []
        for slot in slots.indices {
            for (position, entry) in slots[slot].entries.enumerated() {
                if entry.status == .deleted, let block = self.block(slots, entry.a!, side: .a),
                   block.wordCount >= options.minimumMoveWords
                {
                    deleted.append((slot, position))
                } else if entry.status == .inserted, let block = self.block(slots, entry.b!, side: .b),
                          block.wordCount >= options.minimumMoveWords
                {
                    inserted.append((slot, position))
                }
            }
        }
        guard !deleted.isEmpty, !inserted.isEmpty else { return }
        var usedDeleted = Set<Int>(), usedInserted = Set<Int>()
        var byKey: [Int32: [Int]] = [:]
        for (position, place) in deleted.enumerated() {
            byKey[block(slots, slots[place.slot].entries[place.entry].a!, side: .a)!.key, default: []].append(position)
        }
        var moves: [(Int, Int)] = []
        for (position, place) in inserted.enumerated() {
            let key = block(slots, slots[place.slot].entries[place.entry].b!, side: .b)!.key
            if var candidates = byKey[key], !candidates.isEmpty {
                let chosen = candidates.removeFirst()
                byKey[key] = candidates
                usedDeleted.insert(chosen)
                usedInserted.insert(position)
                moves.append((chosen, position))
            }
        }
        let remainingDeleted = deleted.indices.filter { !usedDeleted.contains($0) }
        let remainingInserted = inserted.indices.filter { !usedInserted.contains($0) }
        if remainingDeleted.count * remainingInserted.count <= options.pairLimit {
            var candidates: [(score: Double, deleted: Int, inserted: Int)] = []
            func words(_ place: (slot: Int, block: Int), _ side: Side) -> [Int32] {
                (side == .a ? slots[place.slot].a : slots[place.slot].b)!.sortedWords(place.block)
            }
            let insertedWords = remainingInserted.map { words(slots[inserted[$0].slot].entries[inserted[$0].entry].b!, .b) }
            for d in remainingDeleted {
                let old = words(slots[deleted[d].slot].entries[deleted[d].entry].a!, .a)
                for (position, i) in remainingInserted.enumerated() {
                    let score = Self.dice(old, insertedWords[position])
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
        for (d, i) in moves {
            let from = deleted[d], to = inserted[i]
            let aBlock = slots[from.slot].entries[from.entry].a!
            slots[from.slot].entries[from.entry].status = .movedAway
            slots[from.slot].entries[from.entry].moveSlot = to.slot
            slots[to.slot].entries[to.entry].status = .movedHere
            slots[to.slot].entries[to.entry].a = aBlock
            slots[to.slot].entries[to.entry].moveSlot = from.slot
        }
    }

    enum Side { case a, b }

    private func block(_ slots: [Slot], _ place: (slot: Int, block: Int), side: Side) -> ParsedBlock? {
        let parsed = side == .a ? slots[place.slot].a : slots[place.slot].b
        return parsed?.blocks[place.block]
    }

    // MARK: Output

    private func materialize(_ slots: [Slot], _ index: Int, spans wordSpans: [Int: [Span]]) -> SectionComparison {
        let slot = slots[index]
        if slot.status == .unchanged, let (a, b) = placeholders[index] {
            return SectionComparison(status: a.path == b.path ? .unchanged : .renamed, moved: slot.moved, id: b.id, oldID: nil, title: b.title,
                                     oldTitle: a.title == b.title ? nil : a.title, pathA: a.path, pathB: b.path, blocks: [])
        }
        let aSection = slot.a?.section, bSection = slot.b?.section
        let main = bSection ?? aSection!
        var blocks: [BlockChange] = []
        for (position, entry) in slot.entries.enumerated() {
            let aParsed = entry.a.map { slots[$0.slot].a! }
            let bParsed = entry.b.map { slots[$0.slot].b! }
            let aBlock = entry.a.map { aParsed!.blocks[$0.block] }
            let bBlock = entry.b.map { bParsed!.blocks[$0.block] }
            let kind = (bBlock ?? aBlock)!.block.kind
            let moveSection = entry.moveSlot.map { slots[$0].b?.section.id ?? slots[$0].a!.section.id }
            var spans: [Span]
            let aRange = aBlock.map { $0.block.start..<$0.block.end } ?? 0..<0
            let bRange = bBlock.map { $0.block.start..<$0.block.end } ?? 0..<0
            switch entry.status {
            case .unchanged:
                spans = [Span(kind: .equal, a: aParsed!.text(aRange), b: bParsed!.text(bRange), words: bBlock!.wordCount,
                              aRange: aRange, bRange: bRange)]
            case .deleted:
                spans = [Span(kind: .deleted, a: aParsed!.text(aRange), b: "", words: aBlock!.wordCount, aRange: aRange)]
            case .movedAway:
                spans = [Span(kind: .moved, a: aParsed!.text(aRange), b: "", words: aBlock!.wordCount, aRange: aRange)]
            case .inserted:
                spans = [Span(kind: .inserted, a: "", b: bParsed!.text(bRange), words: bBlock!.wordCount, bRange: bRange)]
            case .modified, .movedHere:
                spans = wordSpans[position]!
            }
            var status = entry.status
            if status == .modified, spans.allSatisfy({ $0.kind == .equal }) { status = .unchanged }
            let movedFrom = entry.status == .movedHere ? entry.moveSlot.flatMap { slots[$0].a?.section.path } : nil
            blocks.append(BlockChange(status: status, kind: kind, spans: spans, moveSection: moveSection, movedFromPath: movedFrom))
        }
        var status = slot.status
        if status == .modified, !blocks.contains(where: \.isChange) { status = .unchanged }
        return SectionComparison(
            status: status, moved: slot.moved, id: main.id,
            oldID: aSection.flatMap { $0.id == main.id ? nil : $0.id }, title: main.title,
            oldTitle: aSection.flatMap { $0.title == main.title ? nil : $0.title },
            pathA: aSection?.path, pathB: bSection?.path, blocks: blocks)
    }

    /// The spans of every pair of blocks that needs a word diff, by slot and then entry. The diffs
    /// are made ahead on all threads, each with a share of the budget; the budget is then spent in
    /// document order, and a diff that did not finish within its share, or would not have fit in
    /// what was left, is made again with what is left, as one thread would have made it. So the
    /// result is the same whatever the number of threads.
    private mutating func wordDiffs(_ slots: [Slot]) -> [[Int: [Span]]] {
        var pairs: [(slot: Int, entry: Int)] = []
        for (slot, content) in slots.enumerated() {
            for (entry, value) in content.entries.enumerated() where value.status == .modified || value.status == .movedHere {
                pairs.append((slot, entry))
            }
        }
        func blocks(_ pair: (slot: Int, entry: Int)) -> (Parsed, Int, Parsed, Int) {
            let entry = slots[pair.slot].entries[pair.entry]
            return (slots[entry.a!.slot].a!, entry.a!.block, slots[entry.b!.slot].b!, entry.b!.block)
        }
        var ahead: [(spans: [Span], steps: Int)?] = []
        if options.workers > 1, pairs.count > 1 {
            let pool = StepPool(budget: budget, workers: options.workers)
            ahead = Parallel.map(pairs.count, workers: options.workers) { index in
                Self.withBlocks(blocks(pairs[index])) { a, b in
                    let limit = pool.take()
                    let (runs, left) = Myers.wordScript(a.ids, b.ids, budget: limit)
                    pool.giveBack(left)
                    return left >= 0 ? (Self.spans(runs, a, b), limit - left) : nil
                }
            }
        }
        var result = [[Int: [Span]]](repeating: [:], count: slots.count)
        for (index, pair) in pairs.enumerated() {
            if index < ahead.count, let made = ahead[index], made.steps <= budget {
                budget -= made.steps
                result[pair.slot][pair.entry] = made.spans
            } else {
                result[pair.slot][pair.entry] = Self.withBlocks(blocks(pair)) { a, b in
                    Self.spans(Myers.diffWords(a.ids, b.ids, budget: &budget), a, b)
                }
            }
        }
        return result
    }

    /// One side of a pair of blocks, read in place: its section, block, tokens and ids.
    struct BlockView {
        var parsed: Parsed
        var block: Block
        var tokens: UnsafeBufferPointer<Token>
        var ids: UnsafeBufferPointer<Int32>
    }

    private static func withBlocks<Result>(_ pair: (Parsed, Int, Parsed, Int), _ body: (BlockView, BlockView) -> Result) -> Result {
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

    // MARK: Similarity

    /// The Dice coefficient of two sorted multisets of word ids.
    static func dice(_ a: [Int32], _ b: [Int32], sameKind: Bool = true) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return sameKind ? 1 : 0 }
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                common += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return 2 * Double(common) / Double(a.count + b.count)
    }
}

/// Interning within one text, which needs no shared state (texts are prepared on all cores);
/// the `Interner` shared by the texts compared then sees each distinct token of a text once.
enum LocalInterner {
    /// Each token as an index into the distinct tokens (first occurrences, with their hashes),
    /// under the rules of `Interner`: white space in prose is entry 0, whatever it holds; in the
    /// `verbatim` ranges of tokens (code; sorted, apart) it is compared as written.
    static func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<Token>, verbatim: [Range<Int>] = [])
        -> (local: [Int32], distinct: [(token: Token, hash: UInt64)])
    {
        // Open addressing: index into `distinct` + 1, or 0 for an empty slot. A text has about
        // one distinct token in seven, so the table starts at half the tokens and doubles
        // when half full.
        var capacity = 16
        while capacity < tokens.count / 2 { capacity <<= 1 }
        var slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        defer { slots.deallocate() }
        var mask = capacity - 1
        var distinct: [(token: Token, hash: UInt64)] = [(Token(kind: .space, start: 0, end: 0), 0)]
        distinct.reserveCapacity(tokens.count / 4 + 16)
        var indices: [Int32] = []
        indices.reserveCapacity(tokens.count)
        var verbatimRanges = verbatim.makeIterator()
        var nextVerbatim = verbatimRanges.next()
        for (position, token) in tokens.enumerated() {
            while let range = nextVerbatim, range.upperBound <= position { nextVerbatim = verbatimRanges.next() }
            if token.kind == .space, !(nextVerbatim?.contains(position) ?? false) {
                indices.append(0)
                continue
            }
            let hash = Interner.hash(bytes, token.start..<token.end)
            let length = token.end - token.start
            var slot = Int(truncatingIfNeeded: hash) & mask
            var found: Int32?
            while slots[slot] != 0 {
                let candidate = Int(slots[slot] - 1)
                let known = distinct[candidate]
                if known.hash == hash, known.token.end - known.token.start == length,
                   memcmp(bytes.baseAddress! + known.token.start, bytes.baseAddress! + token.start, length) == 0
                {
                    found = Int32(candidate)
                    break
                }
                slot = (slot + 1) & mask
            }
            if let found {
                indices.append(found)
                continue
            }
            slots[slot] = Int32(distinct.count) + 1
            indices.append(Int32(distinct.count))
            distinct.append((token, hash))
            if distinct.count * 2 > slots.count {
                slots.deallocate()
                slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: slots.count * 2)
                slots.initialize(repeating: 0)
                mask = slots.count - 1
                for index in 1..<distinct.count {
                    var free = Int(truncatingIfNeeded: distinct[index].hash) & mask
                    while slots[free] != 0 { free = (free + 1) & mask }
                    slots[free] = Int32(index) + 1
                }
            }
        }
        return (indices, distinct)
    }
}

/// Token texts to small integers: white space of prose is one token whatever it holds (a
/// reflowed line is no change); in code and raw HTML it is compared as written. Token bytes are
/// hashed and stored in one arena, so interning allocates nothing per token.
struct Interner {
    private var arena: [UInt8] = [0x20]
    /// Per id: where its bytes are in the arena, and their hash.
    private var offsets: [Int32] = [0]
    private var lengths: [Int32] = [1]
    private var hashes: [UInt64] = [[UInt8(0x20)].withUnsafeBufferPointer { Interner.hash($0, 0..<1) }]
    /// Open addressing: id + 1, or 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 1 << 12)
    /// Sequence keys: the first key of each hash, each key's sequence, and the further keys of
    /// a hash that two different sequences share (rare).
    private var keyOfHash: [UInt64: Int32] = [:]
    private var sharedHashes: [UInt64: [Int32]] = [:]
    /// Each key's sequence, where it was first seen: a range of a section's ids (kept, not copied).
    private var keySequences: [(ids: [Int32], range: Range<Int>)] = []

    init() {
        insertSlot(hashes[0], id: 0)
    }

    /// A hash of a byte range, eight bytes at a time (multiply and shift mixing, as in
    /// SplitMix64's finaliser): tokens are hashed by the million, and a byte-at-a-time hash was a
    /// tenth of preparing a section. Equal ranges hash equal; the table compares bytes on a match.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(range.count)
        guard let base = bytes.baseAddress, !range.isEmpty else { return hash }
        let raw = UnsafeRawPointer(base)
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while index < range.upperBound {
            tail |= UInt64(base[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }

    private mutating func insertSlot(_ hash: UInt64, id: Int32) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, verbatim: Bool) -> Int32 {
        if token.kind == .space, !verbatim { return 0 }
        return id(bytes, token, hash: Self.hash(bytes, token.start..<token.end))
    }

    /// The id of a token whose hash (`hash(bytes, token.start..<token.end)`) is known.
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, hash: UInt64) -> Int32 {
        let length = token.end - token.start
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == hash, Int(lengths[id]) == length {
                let offset = Int(offsets[id])
                let same = arena.withUnsafeBufferPointer { stored in
                    memcmp(stored.baseAddress! + offset, bytes.baseAddress! + token.start, length) == 0
                }
                if same { return Int32(id) }
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        offsets.append(Int32(arena.count))
        lengths.append(Int32(length))
        hashes.append(hash)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]))
        if hashes.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            for (index, stored) in hashes.enumerated() { insertSlot(stored, id: Int32(index)) }
        } else {
            slots[slot] = id + 1
        }
        return id
    }

    /// The id of a whole section compared as one token, by its content key.
    mutating func id(opaque key: String) -> Int32 {
        var text = Array("\u{0}whole:\(key)".utf8)
        return text.withUnsafeMutableBufferPointer { buffer in
            id(UnsafeBufferPointer(buffer), Token(kind: .atomic, start: 0, end: buffer.count), verbatim: true)
        }
    }

    /// The FNV-1a hash of a sequence of ids, for `key(of:in:hash:)`.
    static func hash(of sequence: ArraySlice<Int32>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in sequence { hash = (hash ^ UInt64(UInt32(bitPattern: value))) &* 0x100_0000_01B3 }
        return hash
    }

    /// One id per distinct sequence `ids[range]` (sequences that share a hash are told apart by
    /// comparing them).
    mutating func key(of ids: [Int32], in range: Range<Int>, hash: UInt64? = nil) -> Int32 {
        let sequence = ids[range]
        let hash = hash ?? Self.hash(of: sequence)
        func isKey(_ key: Int32) -> Bool {
            let known = keySequences[Int(key)]
            return known.ids[known.range].elementsEqual(sequence)
        }
        func newKey() -> Int32 {
            keySequences.append((ids, range))
            return Int32(keySequences.count - 1)
        }
        guard let first = keyOfHash[hash] else {
            let key = newKey()
            keyOfHash[hash] = key
            return key
        }
        if isKey(first) { return first }
        for other in sharedHashes[hash] ?? [] where isKey(other) { return other }
        let key = newKey()
        sharedHashes[hash, default: []].append(key)
        return key
    }
}
