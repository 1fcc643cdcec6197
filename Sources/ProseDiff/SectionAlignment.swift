/// One section of the result, as the first stage of a comparison found it: which side's sections
/// it shows, and whether it left its place in the order.
struct SectionSlot {
    enum Sides {
        /// The same content on both sides (by content key, or text): never parsed.
        case unchanged(SectionText, SectionText)
        /// Both sides read, matched by id (`pairedByContent` false) or, when no id matched, by
        /// their words (a rename that changed the id).
        case changed(ParsedSection, ParsedSection, pairedByContent: Bool)
        case added(ParsedSection)
        case removed(ParsedSection)
    }

    var sides: Sides
    /// The section's place in A; nil for an added section.
    var aIndex: Int?
    /// Whether it is off the longest run of sections that kept their order.
    var moved = false

    var a: ParsedSection? {
        switch sides {
        case .changed(let a, _, _), .removed(let a): a
        case .unchanged, .added: nil
        }
    }

    var b: ParsedSection? {
        switch sides {
        case .changed(_, let b, _), .added(let b): b
        case .unchanged, .removed: nil
        }
    }

    /// The section's status before its blocks are compared (a modified section whose blocks all
    /// turn out equal is made unchanged by `Assembly`).
    var status: SectionComparison.Status {
        switch sides {
        case .unchanged(let a, let b): a.path == b.path ? .unchanged : .renamed
        case .changed(let a, let b, let pairedByContent):
            pairedByContent || a.section.path != b.section.path ? .renamed : .modified
        case .added: .added
        case .removed: .removed
        }
    }
}

/// The first stage: sections of A and B matched by id (then, for those left, by their words), the
/// changed ones parsed, and the result in B's order with removed sections after the section that
/// preceded them in A.
enum SectionAlignment {
    static func slots(_ a: [SectionText], _ b: [SectionText], options: CompareOptions, interner: inout Interner) -> [SectionSlot] {
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
        let prepared = ParsedSection.prepareAll(readA.map { a[$0] } + readB.map { b[$0] }, workers: options.workers)
        var preparedA: [Int: ParsedSection.Prepared] = [:], preparedB: [Int: ParsedSection.Prepared] = [:]
        for (position, index) in readA.enumerated() { preparedA[index] = prepared[position] }
        for (position, index) in readB.enumerated() { preparedB[index] = prepared[readA.count + position] }

        // Sections are interned in document order: each changed pair (A's then B's), each added
        // section, then A's sections no id matched (renamed, paired by content below, or removed).
        // Every section read is in `prepared` above, so the lookups find it.
        var jobs: [(SectionText, ParsedSection.Prepared)] = []
        for (bIndex, section) in b.enumerated() where !unchangedB.contains(bIndex) {
            if let aIndex = matchOfB[bIndex] { jobs.append((a[aIndex], preparedA[aIndex]!)) }
            jobs.append((section, preparedB[bIndex]!))
        }
        let unmatchedA = (0..<a.count).filter { !matchedA.contains($0) }
        jobs += unmatchedA.map { (a[$0], preparedA[$0]!) }
        var parsed = ParsedSection.parseAll(jobs, interner: &interner, workers: options.workers).makeIterator()

        // `parseAll` returns one section per job, in the jobs' order, which the loops below follow.
        var slots: [SectionSlot] = []
        var added: [(slot: Int, section: ParsedSection)] = []
        for (bIndex, section) in b.enumerated() {
            if let aIndex = matchOfB[bIndex] {
                let sides: SectionSlot.Sides = unchangedB.contains(bIndex)
                    ? .unchanged(a[aIndex], section) : .changed(parsed.next()!, parsed.next()!, pairedByContent: false)
                slots.append(SectionSlot(sides: sides, aIndex: aIndex))
            } else {
                let new = parsed.next()!
                added.append((slots.count, new))
                slots.append(SectionSlot(sides: .added(new), aIndex: nil))
            }
        }
        var removed: [(aIndex: Int, section: ParsedSection)] = unmatchedA.map { ($0, parsed.next()!) }
        pairByContent(&removed, added: added, slots: &slots, options: options)
        // Removed sections go after the section that preceded them in A.
        for (aIndex, section) in removed {
            let position = slots.lastIndex { ($0.aIndex ?? -1) < aIndex && $0.aIndex != nil }.map { $0 + 1 } ?? 0
            slots.insert(SectionSlot(sides: .removed(section), aIndex: aIndex), at: position)
        }
        markMoved(&slots)
        return slots
    }

    /// Pairs sections removed from A with sections added in B by their words (most alike first):
    /// renames that changed the id. The pairs leave `removed`.
    private static func pairByContent(_ removed: inout [(aIndex: Int, section: ParsedSection)],
                                      added: [(slot: Int, section: ParsedSection)], slots: inout [SectionSlot],
                                      options: CompareOptions)
    {
        guard !removed.isEmpty, !added.isEmpty else { return }
        var candidates: [(score: Double, removed: Int, slot: Int)] = []
        if removed.count * added.count <= options.pairLimit {
            for (position, old) in removed.enumerated() {
                for new in added {
                    let score = Similarity.dice(old.section.words, new.section.words)
                    if score >= options.sectionSimilarity { candidates.append((score, position, new.slot)) }
                }
            }
        }
        var usedRemoved = Set<Int>(), usedSlots = Set<Int>()
        for candidate in candidates.sorted(by: { ($0.score, $1.slot) > ($1.score, $0.slot) })
        where !usedRemoved.contains(candidate.removed) && !usedSlots.contains(candidate.slot) {
            usedRemoved.insert(candidate.removed)
            usedSlots.insert(candidate.slot)
            guard let new = slots[candidate.slot].b else { continue }
            slots[candidate.slot] = SectionSlot(sides: .changed(removed[candidate.removed].section, new, pairedByContent: true),
                                                aIndex: removed[candidate.removed].aIndex)
        }
        removed = removed.enumerated().filter { !usedRemoved.contains($0.offset) }.map(\.element)
    }

    /// A section is moved when it is not on the longest run of sections that kept their order.
    private static func markMoved(_ slots: inout [SectionSlot]) {
        let paired = slots.indices.filter { slots[$0].aIndex != nil && slots[$0].status != .removed }
        let sequence = paired.compactMap { slots[$0].aIndex }
        let keep = Set(Similarity.longestIncreasing(sequence).map { paired[$0] })
        for slot in paired where !keep.contains(slot) { slots[slot].moved = true }
    }
}
