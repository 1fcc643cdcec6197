@testable import ProseDiff
import StetTestSupport
import Testing

/// cmark-gfm is given each line only up to its first letter (where that cannot change the
/// blocks): these tests hold the blocks it finds to those it finds in the whole text.
@Suite("Block parsing of shortened lines")
struct BlockParserTests {
    /// Lines of every construct whose block structure could depend on what follows a line's
    /// first letter: tables, fences and their info strings, HTML blocks and their ends, footnote
    /// definitions, setext underlines, link reference definitions, escapes, control characters.
    static let lines = [
        "Cities must plan for people.", "2024 was a year of data", "word *emph* and `code` here", "text with a | pipe",
        "x | y", "# Title", "## Heading ##", "#NoSpace", "Setext title", "===", "---", "-- -a", "- item", "* item",
        "+ item", "1. item", "2) item", "10. item text", "-", "- ", "1.", "  - nested", "    - deeper", "-item",
        "> quoted", ">> nested", "> - list in quote", "```", "```swift", "``` a ` b", "~~~", "~~~ info ~", "````",
        "    indented code", "\tcode with tab", "<div>", "</div>", "<!-- comment", "still comment -->", "<script>",
        "var a = 1; </script>", "<?php", "x ?>", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<span>inline</span> text",
        "<custom-tag>", "a > b", "<div class=\"note\"", "<pre class=x", "<table", "<p id=a", "| a | b |", "|---|---|", "a | b", "--- | ---", "| 1 | 2 |", ":--|--:", "| only |",
        "|---|", "[^1]: Footnote text", "Text with ref[^1].", "[^note]: A long note", "    continued footnote",
        "[ref]: https://example.org", "[ref]: <https://x> \"title\"", "See [ref] and [text](url).", "***", "* * *",
        "___", "", "   ", "\t", "\\# escaped", "&amp; entity", "**bold** start", "_under_ start", "Ünïcode letters",
        "城市 text", "12345", "!not image", "(paren) text", "a\u{0B}b", "\u{0C}form feed", "x\ry", "$$ math $$",
        "Term\n: definition", "a  ", "b\\", "plain words", "more plain words", "row without pipes",
    ]
    static let prefixes = ["", "", "", "", "", " ", "  ", "   ", "    ", "      ", "> ", "- ", "1. ", "  > ", "- > "]
    static let endings = ["\n", "\n", "\r\n", "\r"]

    static func document(seed: UInt64) -> String {
        var random = SeededRandom(state: seed)
        let ending = endings.randomElement(using: &random)!
        return (0..<Int.random(in: 1...60, using: &random)).map { _ in
            prefixes.randomElement(using: &random)! + lines.randomElement(using: &random)!
        }.joined(separator: ending) + (Bool.random(using: &random) ? ending : "")
    }

    static func leafBlocks(_ text: String, shortening: Bool) -> [String] {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            BlockParser.leafBlocks(bytes, shortening: shortening).map { "\($0.0) \($0.1.name)" }
        }
    }

    @Test func shortenedLinesGiveTheBlocksOfTheWholeText() {
        var differing: [UInt64] = []
        for seed in UInt64(1)...4000 {
            let text = Self.document(seed: seed)
            if Self.leafBlocks(text, shortening: true) != Self.leafBlocks(text, shortening: false) { differing.append(seed) }
        }
        #expect(differing.isEmpty, "seeds \(differing.prefix(10))")
    }

    @Test(arguments: [
        // A table's header and delimiter rows must have as many cells.
        "a | b\n--- | ---\n| 1 | 2 |\n",
        // A backtick in an info string makes the line a paragraph, not a fence.
        "``` a ` b\n# heading\n",
        // An HTML block of comments ends at the line holding `-->`.
        "<!-- note\nstill a comment --> after\n# heading\n",
        // An HTML block's kind is read from its tag's name.
        "<pre class=x\n\ntext\n</pre>\n# heading\n",
        // A footnote definition's label.
        "Text[^note].\n\n[^note]: The note\n    continued\n\nAfter.\n",
        // A line of letters after a table is one of its rows.
        "| a | b |\n|---|---|\nplain words here\n\nAfter.\n",
        "line one\r\nline two\r\n\r\n# heading\r\n",
        // The line before a delimiter row is a table's header, whatever came before it.
        "para one\npara two\n|---|\nrow one\nrow two\n\nAfter.\n",
        "para one\npara two\n---|\nrow\n",
        "| a |\n|---|\nrow one\nrow two\nrow three\n\nAfter one\nafter two\n",
    ])
    func constructsReadAfterTheFirstLetter(_ text: String) {
        #expect(Self.leafBlocks(text, shortening: true) == Self.leafBlocks(text, shortening: false))
    }

    @Test(arguments: [
        ("First line of prose\n- a list item\n\n| a | b |\n|---|---|\n> quote\r\nEnd here",
         "F\n- a\n\n| a | b |\n|---|---|\n> quote\nE\n", [0, 20, 34, 35, 45, 55, 64]),
        // The second line only continues the first; the fifth is kept: the next could make it a header row.
        ("Cities must\nplan for people\n  and more\n\nNext one\nline two\n| a |\n",
         "C\n  a\n\nN\nl\n| a |\n", [0, 28, 39, 40, 49, 58]),
        // Lines end as cmark ends them; brackets and parentheses are neutral, footnote labels are not.
        ("a\rb\r\nc(d)[^1] e[f]!", "a\ncxdx[^1] exfxx\n", [0, 5]),
    ])
    func linesGivenToCmarkAndWhereTheyStart(text: String, neutral: String, starts: [Int]) {
        let (bytes, lineStarts) = Array(text.utf8).withUnsafeBufferPointer { BlockParser.neutralized($0) }
        #expect(String(decoding: bytes, as: UTF8.self) == neutral)
        #expect(lineStarts == starts)
    }
}

@Suite("Blocks of texts with old Mac line ends")
struct CarriageReturnBlockTests {
    /// cmark ends lines at a lone `\r` too: the blocks start where cmark's lines do.
    @Test func blocksStartAtTheLinesCmarkCounts() {
        let blocks = BlockParser.blocks(of: "# Title\r\rText here\r- item\r")
        #expect(blocks.map { "\($0.kind.name) \($0.start)..<\($0.end)" }
            == ["heading 1 0..<9", "paragraph 9..<19", "list item 19..<26"])
    }
}
