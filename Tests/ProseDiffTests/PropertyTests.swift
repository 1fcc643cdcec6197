@testable import ProseDiff
import StetRender
import StetTestSupport
import Testing

/// Random guideline-like Markdown and random editors' edits to it.
struct DocumentGenerator {
    var random: SeededRandom
    static let words = ["cities", "residents", "data", "digital", "services", "people", "centred", "inclusion",
                        "governance", "privacy", "must", "should", "public", "infrastructure", "the", "and", "of",
                        "participation", "城市", "居民", "café", "naïve", "2024", "OC-0123", "`stet diff`",
                        "[roadmap](https://example.org/a)", "*rights*", "**open**", "e\u{301}quité"]

    mutating func word() -> String { Self.words.randomElement(using: &random)! }

    mutating func sentence() -> String {
        let count = Int.random(in: 3...12, using: &random)
        return (0..<count).map { _ in word() }.joined(separator: " ") + [".", ";", "!", ","].randomElement(using: &random)!
    }

    mutating func block() -> String {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return "## " + (0..<Int.random(in: 1...4, using: &random)).map { _ in word() }.joined(separator: " ")
        case 1: return (0..<Int.random(in: 1...4, using: &random)).map { _ in "- " + sentence() }.joined(separator: "\n")
        case 2: return "- " + sentence() + "\n  - " + sentence() + "\n  - " + sentence()
        case 3: return "| a | b |\n|---|---|\n| " + word() + " | " + word() + " |\n| " + word() + " | " + word() + " |"
        case 4: return "> " + sentence() + "\n> " + sentence()
        default: return (0..<Int.random(in: 1...4, using: &random)).map { _ in sentence() }.joined(separator: " ")
        }
    }

    mutating func document() -> String {
        (0..<Int.random(in: 1...8, using: &random)).map { _ in block() }.joined(separator: "\n\n") + "\n"
    }

    /// The text with some edits: words replaced, inserted, deleted; blocks moved, added, removed;
    /// paragraphs reflowed.
    mutating func edit(_ text: String) -> String {
        var blocks = text.components(separatedBy: "\n\n")
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            let index = Int.random(in: 0..<blocks.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0:
                var tokens = blocks[index].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                let position = Int.random(in: 0..<tokens.count, using: &random)
                if !tokens[position].contains("\n"), !tokens[position].hasPrefix("-"), !tokens[position].hasPrefix("|") {
                    tokens[position] = word()
                }
                blocks[index] = tokens.joined(separator: " ")
            case 1:
                blocks[index] = blocks[index].replacingOccurrences(of: " and ", with: " and also ")
            case 2:
                blocks[index] = blocks[index].replacingOccurrences(of: " the ", with: " ")
            case 3 where blocks.count > 1:
                let moved = blocks.remove(at: index)
                blocks.insert(moved, at: Int.random(in: 0...blocks.count, using: &random))
            case 4:
                blocks.insert(block(), at: index)
            case 5 where blocks.count > 1:
                blocks.remove(at: index)
            default:
                // Reflow a paragraph: a space becomes a line break before a plain word.
                if !blocks[index].hasPrefix("#"), !blocks[index].hasPrefix("|"), !blocks[index].hasPrefix("-"),
                   !blocks[index].hasPrefix(">")
                {
                    blocks[index] = blocks[index].replacingOccurrences(of: " residents", with: "\nresidents")
                }
            }
        }
        var result = blocks.joined(separator: "\n\n")
        if !result.hasSuffix("\n") { result += "\n" }
        return result
    }
}

@Suite("Comparison: seeded random properties")
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds)
    func bothSidesRebuildAndCriticMarkupRoundTrips(seed: UInt64) {
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
        let markup = CriticMarkup.render(section)
        #expect(CriticMarkup.resolve(markup, accept: true) == b, "seed \(seed)")
        #expect(CriticMarkup.resolve(markup, accept: false) == a, "seed \(seed)")
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
