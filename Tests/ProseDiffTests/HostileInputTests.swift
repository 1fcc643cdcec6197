@testable import ProseDiff
import Testing

/// Inputs that make cmark-gfm slow or stet's own passes large: each gives a correct result.
/// Their speed is measured outside the tests (figures in the issue notes).
@Suite("Hostile input")
struct HostileInputTests {
    func compare(_ a: String, _ b: String) -> SectionComparison {
        Comparer.compare([SectionText(id: "s", title: "s", path: "p", text: a, key: "a")],
                         [SectionText(id: "s", title: "s", path: "p", text: b, key: "b")]).sections[0]
    }

    @Test func bracketsThatMakeCmarkQuadraticAreOneParagraph() {
        let hostile = String(repeating: "![[]()", count: 50_000)
        let a = "# Title\n\n" + hostile + "\n"
        let b = "# Title\n\n" + hostile + " end\n"
        let section = compare(a, b)
        #expect(section.rebuiltA == a && section.rebuiltB == b)
        #expect(section.blocks.count == 2)
        #expect(section.blocks.flatMap(\.spans).filter { $0.kind == .inserted }.map(\.b) == [" end"])
        #expect(Markdown.firstHeading(in: hostile + "\n") == nil)
        #expect(Markdown.firstHeading(in: hostile + "\n\n# After\n") == "After")
    }

    @Test func aTableOfFiveThousandColumns() {
        let header = "|" + String(repeating: " c |", count: 5_000) + "\n|" + String(repeating: "---|", count: 5_000) + "\n"
        let a = header + "|" + String(repeating: " v |", count: 5_000) + "\n"
        let b = header + "|" + String(repeating: " v |", count: 4_999) + " w |\n"
        let section = compare(a, b)
        #expect(section.rebuiltA == a && section.rebuiltB == b)
        #expect(section.wordsInserted == 1 && section.wordsDeleted == 1)
    }

    @Test func deeplyNestedLists() {
        let a = (0..<1_000).map { String(repeating: "  ", count: $0) + "- item \($0)\n" }.joined()
        let b = a.replacingOccurrences(of: "- item 500\n", with: "- item five hundred\n")
        let section = compare(a, b)
        #expect(section.rebuiltA == a && section.rebuiltB == b)
        #expect(section.blocks.flatMap(\.spans).filter { $0.kind == .inserted }.map(\.b) == ["five hundred"])
    }

    @Test func tenThousandNestedListsAndQuotesOnOneLine() {
        // Once a stack overflow: blocks were collected by recursion, one frame per level.
        let lists = (0..<10_000).map { $0 % 2 == 0 ? "-" : "+" }.joined(separator: " ")
        let a = lists + " deep\n\n" + String(repeating: "> ", count: 10_000) + "quoted\n"
        let b = lists + " deeper\n\n" + String(repeating: "> ", count: 10_000) + "quoted\n"
        let section = compare(a, b)
        #expect(section.rebuiltA == a && section.rebuiltB == b)
        #expect(section.blocks.flatMap(\.spans).filter { $0.kind == .inserted }.map(\.b) == ["deeper"])
    }

    @Test func aSectionOverTheLimitIsComparedWhole() {
        let big = String(repeating: "word ", count: Comparer.wholeSectionLimit / 5 + 10)
        let section = compare(big, big + "more\n")
        #expect(section.blocks.map(\.status) == [.modified])
        #expect(section.rebuiltA == big && section.rebuiltB == big + "more\n")
        #expect(section.blocks[0].spans.map(\.kind) == [.deleted, .inserted])
    }

    @Test func bidiAndZeroWidthCharactersAreKeptAndCompared() {
        let a = "Pay \u{202E}0001\u{202C} dollars.\n"
        let b = "Pay \u{202E}0100\u{202C} dollars.\n"
        let section = compare(a, b)
        #expect(section.rebuiltA == a && section.rebuiltB == b)
        #expect(section.blocks[0].status == .modified)
    }
}
