@testable import ProseDiff
import StetTestSupport
import Testing

/// Compares one section's two texts and returns the dump.
func dump(_ a: String, _ b: String, id: String = "s") -> String {
    Comparer.compare([SectionText(id: id, title: id, path: "drafts/\(id).md", text: a)],
                     [SectionText(id: id, title: id, path: "drafts/\(id).md", text: b)]).dump
}

@Suite("Comparison: fixtures for each Markdown construct")
struct ComparisonFixtureTests {
    @Test func aPhraseReplacement() {
        #expect(dump("# Title\n\nCities are for people.\n", "# Title\n\nCities belong to people.\n")
            == "section s modified\n  paragraph modified: Cities [-are for-]{+belong to+} people.\n")
    }

    @Test func reflowIsNoChange() {
        #expect(dump("Cities are for\npeople who live\nin them.\n", "Cities are for people\nwho live in them.\n") == "")
        #expect(dump("> A quoted\n> paragraph here.\n", "> A quoted paragraph\n> here.\n") == "")
    }

    @Test func headingsListsAndNestedLists() {
        let a = "## Scope\n\n- Cities\n- Regions\n  - Rural areas\n  - Islands\n"
        let b = "## Scope and purpose\n\n- Cities\n- Regions\n  - Rural areas\n  - Small islands\n"
        #expect(dump(a, b) == """
            section s modified
              heading 2 modified: ## Scope{+ and purpose+}
              list item (depth 2) modified:   - [-Islands-]{+Small islands+}

            """)
    }

    @Test func tableCells() {
        let a = "| Milestone | Date |\n|---|---|\n| First draft | August 2024 |\n| Final | June 2025 |\n"
        let b = "| Milestone | Date |\n|---|---|\n| First draft | September 2024 |\n| Final | June 2025 |\n"
        #expect(dump(a, b) == "section s modified\n  table row modified: | First draft | [-August-]{+September+} 2024 |\n")
    }

    @Test func linksEmphasisAndCode() {
        let a = "See [the roadmap](https://example.org/old) and *people-centred* `stet diff`.\n"
        let b = "See [the roadmap](https://example.org/new) and **people-centred** `stet diff --stat`.\n"
        #expect(dump(a, b) == """
            section s modified
              paragraph modified: See [the roadmap[-](https://example.org/old)-]{+](https://example.org/new)+} and [-*-]{+**+}people-centred[-* `stet diff`-]{+** `stet diff --stat`+}.

            """)
    }

    @Test func footnotesAndFrontMatter() {
        let a = "---\nid: s\ntitle: Old\n---\nText[^1].\n\n[^1]: A note.\n"
        let b = "---\nid: s\ntitle: New\n---\nText[^1].\n\n[^1]: A longer note.\n"
        let comparison = Comparer.compare([SectionText(id: "s", title: "Old", path: "p", text: a, bodyOffset: 25)],
                                          [SectionText(id: "s", title: "New", path: "p", text: b, bodyOffset: 25)])
        #expect(comparison.dump == """
            section s modified
              front matter modified: ---⏎id: s⏎title: [-Old-]{+New+}⏎---
              footnote modified: [^1]: A{+ longer+} note.

            """)
    }

    @Test func aParagraphMovedWithinASection() {
        let a = "First paragraph with enough words.\n\nSecond paragraph with enough words.\n\nThird.\n"
        let b = "Second paragraph with enough words.\n\nThird.\n\nFirst paragraph with enough words, edited.\n"
        #expect(dump(a, b) == """
            section s modified
              paragraph moved-away to s: [>First paragraph with enough words.<]
              paragraph moved-here from s: First paragraph with enough words{+, edited+}.

            """)
    }

    @Test func aMovedParagraphIsNotPairedWithASimilarOne() {
        let moved = "Moved paragraph with several words here.\n"
        let a = [SectionText(id: "one", title: "1", path: "1", text: "Intro.\n\n" + moved + "\nEnd.\n"),
                 SectionText(id: "two", title: "2", path: "2", text: "Other.\n")]
        let b = [SectionText(id: "one", title: "1", path: "1", text: "Intro.\n\n> Moved paragraph with other words here.\n\nEnd.\n"),
                 SectionText(id: "two", title: "2", path: "2", text: "Other.\n\n" + moved)]
        #expect(Comparer.compare(a, b).dump == """
            section one modified
              paragraph moved-away to two: [>Moved paragraph with several words here.<]
              quote inserted: {+> Moved paragraph with other words here.+}
            section two modified
              paragraph moved-here from one: Moved paragraph with several words here.

            """)
    }

    @Test func aParagraphMovedAcrossSections() {
        let moved = "Data about residents stays under their control and is never sold.\n"
        let a = [SectionText(id: "principles", title: "P", path: "drafts/01-principles.md", text: "# P\n\nIntro.\n\n" + moved),
                 SectionText(id: "data", title: "D", path: "drafts/02-data.md", text: "# D\n\nData text.\n")]
        let b = [SectionText(id: "principles", title: "P", path: "drafts/01-principles.md", text: "# P\n\nIntro.\n"),
                 SectionText(id: "data", title: "D", path: "drafts/02-data.md", text: "# D\n\nData text.\n\n" + moved)]
        let comparison = Comparer.compare(a, b)
        #expect(comparison.dump == """
            section principles modified
              paragraph moved-away to data: [>Data about residents stays under their control and is never sold.<]
            section data modified
              paragraph moved-here from principles: Data about residents stays under their control and is never sold.

            """)
    }

    @Test func renamedAndRenumberedSections() {
        let text = "# Capacity\n\nTraining for city staff and residents on digital tools.\n"
        // Renumbered: the same id, a new path.
        let renumbered = Comparer.compare([SectionText(id: "capacity", title: "C", path: "drafts/04-capacity.md", text: text)],
                                          [SectionText(id: "capacity", title: "C", path: "drafts/05-capacity.md", text: text)])
        #expect(renumbered.dump == "section capacity renamed (drafts/04-capacity.md -> drafts/05-capacity.md)\n")
        // Renamed: a new id, content alike.
        let renamed = Comparer.compare(
            [SectionText(id: "capacity", title: "C", path: "drafts/04-capacity.md", text: text)],
            [SectionText(id: "capacity-building", title: "C", path: "drafts/04-capacity-building.md",
                         text: text.replacingOccurrences(of: "staff", with: "officials"))])
        #expect(renamed.dump == """
            section capacity-building renamed from capacity (drafts/04-capacity.md -> drafts/04-capacity-building.md)
              paragraph modified: Training for city [-staff-]{+officials+} and residents on digital tools.

            """)
    }

    /// Two files of one id (git can hold them; stet refuses to commit them): each is matched with
    /// its own path first, so neither reads as renamed to itself.
    @Test func anIDHeldTwiceIsMatchedByPathFirst() {
        func section(_ path: String, _ text: String) -> SectionText {
            SectionText(id: "response", title: "Response", path: path, text: text)
        }
        let comparison = Comparer.compare(
            [section("drafts/10-response.md", "Plans for heat waves.\n"), section("drafts/45-response.md", "Plans for floods and storms.\n")],
            [section("drafts/10-response.md", "Plans for heat waves.\n"), section("drafts/45-response.md", "Plans for floods and fires.\n")])
        #expect(comparison.dump == """
            section response modified
              paragraph modified: Plans for floods and [-storms-]{+fires+}.

            """)
        #expect(comparison.sections.map(\.status) == [.unchanged, .modified])
        // A file of the id that moved is still matched by the id.
        let moved = Comparer.compare(
            [section("drafts/10-response.md", "Plans for heat waves.\n"), section("drafts/45-response.md", "Plans for floods.\n")],
            [section("drafts/10-response.md", "Plans for heat waves.\n"), section("drafts/46-response.md", "Plans for floods.\n")])
        #expect(moved.dump == "section response renamed (drafts/45-response.md -> drafts/46-response.md)\n")
    }

    @Test func sectionOrderChangesAreMoves() {
        func section(_ id: String) -> SectionText { SectionText(id: id, title: id, path: id, text: "Text of \(id).\n") }
        let comparison = Comparer.compare([section("a"), section("b"), section("c")], [section("b"), section("c"), section("a")])
        #expect(comparison.dump == "section a unchanged moved\n")
    }

    @Test func chineseText() {
        #expect(dump("智慧城市以人为本。\n", "智慧城市以居民为本。\n")
            == "section s modified\n  paragraph modified: 智慧城市以[-人-]{+居民+}为本。\n")
    }

    @Test func addedAndRemovedSections() {
        let comparison = Comparer.compare([SectionText(id: "old", title: "Old", path: "o", text: "Gone entirely now.\n")],
                                          [SectionText(id: "new", title: "New", path: "n", text: "Something else.\n")])
        #expect(comparison.dump == """
            section old removed
              paragraph deleted: [-Gone entirely now.-]
            section new added
              paragraph inserted: {+Something else.+}

            """)
    }
}

@Suite("Comparison: moves in large comparisons")
struct LargeMoveTests {
    /// Past `pairLimit`, blocks are not scored pair by pair: the blocks a moved one may be like
    /// are looked up by the runs of words they share. Paragraphs moved across sections and
    /// edited on the way are found there as they are by scoring every pair.
    @Test func editedMovesAreFoundThroughSharedRunsOfWords() {
        var random = SeededRandom(state: 31)
        let vocabulary = (0..<400).map { "word\($0)" }
        func paragraph() -> String { (0..<24).map { _ in vocabulary.randomElement(using: &random)! }.joined(separator: " ") + "." }
        let count = 30
        let paragraphs = (0..<count).map { _ in (0..<3).map { _ in paragraph() } }
        let a = (0..<count).map { SectionText(id: "s\($0)", title: "\($0)", path: "\($0).md", text: paragraphs[$0].joined(separator: "\n\n") + "\n") }
        // Each section's second paragraph moves seven sections on, one word changed, to the end.
        let b = (0..<count).map { index in
            let arriving = paragraphs[(index + count - 7) % count][1].replacingOccurrences(of: " ", with: " changed ", count: 1)
            return SectionText(id: "s\(index)", title: "\(index)", path: "\(index).md",
                               text: [paragraphs[index][0], paragraphs[index][2], arriving].joined(separator: "\n\n") + "\n")
        }
        var indexed = CompareOptions()
        indexed.pairLimit = 0
        let throughRuns = Comparer.compare(a, b, options: indexed).dump
        #expect(throughRuns == Comparer.compare(a, b).dump)
        #expect(throughRuns.components(separatedBy: "moved-here from").count - 1 == count)
        #expect(throughRuns.components(separatedBy: "{+ changed+}").count - 1 == count)
        #expect(!throughRuns.contains("inserted") && !throughRuns.contains("deleted"))
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }

    /// The first `count` occurrences of `target` replaced.
    func replacingOccurrences(of target: String, with replacement: String, count: Int) -> String {
        let parts = components(separatedBy: target)
        guard parts.count > 1 else { return self }
        let replaced = min(count, parts.count - 1)
        return parts[0...replaced].joined(separator: replacement) + (replaced + 1 < parts.count ? target + parts[(replaced + 1)...].joined(separator: target) : "")
    }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
