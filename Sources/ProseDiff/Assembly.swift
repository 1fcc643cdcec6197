/// The last stage: the redline as values, a `SectionComparison` per slot with its blocks and
/// their spans.
enum Assembly {
    static func comparison(_ slots: [SectionSlot], entries: [[BlockEntry]], spans: [[Int: [Span]]], options: CompareOptions) -> Comparison {
        Comparison(sections: Parallel.map(slots.count, workers: options.workers) { index in
            section(slots, index, entries: entries[index], spans: spans[index])
        })
    }

    private static func section(_ slots: [SectionSlot], _ index: Int, entries: [BlockEntry], spans: [Int: [Span]]) -> SectionComparison {
        let slot = slots[index]
        let a: SectionText?, b: SectionText?, main: SectionText
        switch slot.sides {
        case .unchanged(let old, let new):
            return SectionComparison(status: slot.status, moved: slot.moved, id: new.id, oldID: nil, title: new.title,
                                     oldTitle: old.title == new.title ? nil : old.title, pathA: old.path, pathB: new.path, blocks: [])
        case .changed(let old, let new, _): (a, b, main) = (old.section, new.section, new.section)
        case .added(let new): (a, b, main) = (nil, new.section, new.section)
        case .removed(let old): (a, b, main) = (old.section, nil, old.section)
        }
        /// The id of the section at the other end of a move.
        func otherSection(_ slot: Int) -> String? { (slots[slot].b ?? slots[slot].a)?.section.id }

        var blocks: [BlockChange] = []
        for (position, entry) in entries.enumerated() {
            let change: BlockChange
            switch entry {
            case .unchanged(let a, let b):
                change = BlockChange(status: .unchanged, kind: b.parsed.block.kind, spans: [
                    Span(kind: .equal, a: a.text, b: b.text, words: b.parsed.wordCount, aRange: a.range, bRange: b.range),
                ])
            case .deleted(let a):
                change = BlockChange(status: .deleted, kind: a.parsed.block.kind, spans: [
                    Span(kind: .deleted, a: a.text, b: "", words: a.parsed.wordCount, aRange: a.range),
                ])
            case .movedAway(let a, let to):
                change = BlockChange(status: .movedAway, kind: a.parsed.block.kind, spans: [
                    Span(kind: .moved, a: a.text, b: "", words: a.parsed.wordCount, aRange: a.range),
                ], moveSection: otherSection(to))
            case .inserted(let b):
                change = BlockChange(status: .inserted, kind: b.parsed.block.kind, spans: [
                    Span(kind: .inserted, a: "", b: b.text, words: b.parsed.wordCount, bRange: b.range),
                ])
            case .modified(_, let b), .movedHere(_, let b):
                guard let made = spans[position] else { preconditionFailure("WordDiffs gives every paired entry its spans") }
                if case .movedHere(let a, _) = entry {
                    change = BlockChange(status: .movedHere, kind: b.parsed.block.kind, spans: made,
                                         moveSection: otherSection(a.slot), movedFromPath: a.section.section.path)
                } else {
                    // A pair whose words are all equal (white space aside) is no change.
                    let unchanged = made.allSatisfy { $0.kind == .equal }
                    change = BlockChange(status: unchanged ? .unchanged : .modified, kind: b.parsed.block.kind, spans: made)
                }
            }
            blocks.append(change)
        }
        var status = slot.status
        if status == .modified, !blocks.contains(where: \.isChange) { status = .unchanged }
        return SectionComparison(
            status: status, moved: slot.moved, id: main.id,
            oldID: a.flatMap { $0.id == main.id ? nil : $0.id }, title: main.title,
            oldTitle: a.flatMap { $0.title == main.title ? nil : $0.title },
            pathA: a?.path, pathB: b?.path, blocks: blocks)
    }
}

extension BlockRef {
    /// Where the block is in its section's text, in UTF-8 bytes.
    var range: Range<Int> { parsed.block.start..<parsed.block.end }

    var text: String { section.text(range) }
}
