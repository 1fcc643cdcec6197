@testable import ProseDiff
import StetTestSupport
import Testing

@Suite("Comparison: seeded random properties")
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds)
    func bothSidesRebuild(seed: UInt64) {
        var generator = DocumentGenerator(random: SeededRandom(state: seed))
        let a = generator.document()
        let b = generator.edit(a)
        let comparison = Comparer.compare([SectionText(id: "s", title: "s", path: "p", text: a)],
                                          [SectionText(id: "s", title: "s", path: "p", text: b)])
        guard a != b else {
            #expect(comparison.changedSections.isEmpty)
            return
        }
        let section = comparison.sections[0]
        #expect(section.rebuiltA == a, "seed \(seed)")
        #expect(section.rebuiltB == b, "seed \(seed)")
        // Every span says where its texts are.
        let aBytes = Array(a.utf8), bBytes = Array(b.utf8)
        for span in section.blocks.flatMap(\.spans) {
            if span.kind != .inserted { #expect(String(decoding: aBytes[span.aRange], as: UTF8.self) == span.a, "seed \(seed)") }
            if span.kind == .equal || span.kind == .inserted {
                #expect(String(decoding: bBytes[span.bRange], as: UTF8.self) == span.b, "seed \(seed)")
            }
        }
    }

    @Test(arguments: seeds)
    func aDraftComparedWithItselfOrItsReflowHasNoChange(seed: UInt64) {
        var generator = DocumentGenerator(random: SeededRandom(state: seed))
        let a = generator.document()
        let same = Comparer.forceCompare(a, a)
        #expect(same.changedSections.isEmpty, "seed \(seed): \(same.dump)")
        let reflowed = a.components(separatedBy: "\n\n").map { block in
            block.hasPrefix("#") || block.hasPrefix("|") || block.hasPrefix("-") || block.hasPrefix(">")
                ? block : block.replacingOccurrences(of: " residents", with: "\nresidents")
        }.joined(separator: "\n\n")
        let reflow = Comparer.forceCompare(a, reflowed)
        #expect(reflow.sections.allSatisfy { !$0.textChanged }, "seed \(seed): \(reflow.dump)")
    }

    @Test func sectionsSplitAcrossFilesRebuildWithMoves() {
        for seed in UInt64(1)...100 {
            var generator = DocumentGenerator(random: SeededRandom(state: seed * 7919))
            let first = generator.document(), second = generator.document()
            // Move the first block of the first section to the end of the second.
            var firstBlocks = first.components(separatedBy: "\n\n")
            let moved = firstBlocks.removeFirst()
            let newFirst = firstBlocks.isEmpty ? "\n" : firstBlocks.joined(separator: "\n\n")
            let newSecond = second + "\n" + moved + (moved.hasSuffix("\n") ? "" : "\n")
            let comparison = Comparer.compare(
                [SectionText(id: "one", title: "1", path: "1", text: first), SectionText(id: "two", title: "2", path: "2", text: second)],
                [SectionText(id: "one", title: "1", path: "1", text: newFirst), SectionText(id: "two", title: "2", path: "2", text: newSecond)])
            for section in comparison.sections where section.status != .unchanged {
                let (a, b) = section.id == "one" ? (first, newFirst) : (second, newSecond)
                #expect(section.rebuiltA == a, "seed \(seed) section \(section.id)")
                #expect(section.rebuiltB == b, "seed \(seed) section \(section.id)")
            }
        }
    }
}

@Suite("Comparison: threads")
struct ThreadTests {
    /// Word diffs are made ahead on several threads and the budget spent in document order
    /// afterwards: with any budget, including ones that run out part way, the result is the one
    /// a single thread gives.
    @Test func anyNumberOfThreadsGivesTheSingleThreadResult() {
        var coarsened = 0
        for seed in UInt64(1)...40 {
            var generator = DocumentGenerator(random: SeededRandom(state: seed * 104_729))
            var a: [SectionText] = [], b: [SectionText] = []
            for index in 0..<8 {
                let text = generator.document()
                a.append(SectionText(id: "s\(index)", title: "\(index)", path: "p\(index)", text: text))
                b.append(SectionText(id: "s\(index)", title: "\(index)", path: "p\(index)", text: generator.edit(generator.edit(text))))
            }
            var unlimited = CompareOptions()
            unlimited.workers = 1
            let reference = Comparer.compare(a, b, options: unlimited).dump
            for budget in [40, 400, 4_000, 40_000, CompareOptions().budget] {
                var options = CompareOptions()
                options.budget = budget
                options.workers = 1
                let single = Comparer.compare(a, b, options: options)
                if single.dump != reference { coarsened += 1 }
                for workers in [2, 3, 8] {
                    options.workers = workers
                    let threaded = Comparer.compare(a, b, options: options)
                    #expect(threaded.dump == single.dump, "seed \(seed), budget \(budget), \(workers) threads")
                }
                for section in single.sections where section.status == .modified {
                    let index = Int(section.id.dropFirst())!
                    #expect(section.rebuiltA == a[index].text && section.rebuiltB == b[index].text, "seed \(seed), budget \(budget)")
                }
            }
        }
        // The small budgets ran out part way: the property was tested where it matters.
        #expect(coarsened > 40)
    }
}

extension Comparer {
    /// Compares two texts of one section through the whole engine (no shortcut for equal texts).
    static func forceCompare(_ a: String, _ b: String) -> Comparison {
        compare([SectionText(id: "s", title: "s", path: "p", text: a, key: "a")],
                [SectionText(id: "s", title: "s", path: "p", text: b + "", key: "b")])
    }
}
