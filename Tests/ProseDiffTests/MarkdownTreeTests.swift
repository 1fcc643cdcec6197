import ProseDiff
import Testing

@Suite("Markdown as a tree of elements and the text of its leaves")
struct MarkdownTreeTests {
    /// Each leaf as `element>element "text" @line`.
    func leaves(_ text: String) throws -> [String] {
        let tree = try #require(MarkdownTree.parse(text))
        return tree.leaves.map { leaf in
            leaf.path.map { Self.name(tree.nodes[$0].element) }.joined(separator: ">") + " \"\(leaf.text)\" @\(leaf.line)"
        }
    }

    static func name(_ element: TypesetElement) -> String {
        switch element {
        case .heading(let level): "h\(level)"
        case .paragraph: "p"
        case .strong: "strong"
        case .emphasis: "em"
        case .code: "code"
        case .footnoteReference(let number): "ref\(number)"
        case .table: "table"
        case .tableHead: "thead"
        case .tableBody: "tbody"
        case .row: "tr"
        case .cell(let header, let alignment): (header ? "th" : "td") + (alignment == .right ? "-right" : "")
        case .list(let ordered, _, let tight): (ordered ? "ol" : "ul") + (tight ? "" : "-loose")
        case .item: "li"
        case .checkbox(let checked): checked ? "checked" : "box"
        case .footnotes: "footnotes"
        case .footnote(let number): "fn\(number)"
        case .codeBlock: "pre"
        case .thematicBreak: "hr"
        case .image: "img"
        case .link: "a"
        default: "\(element)"
        }
    }

    @Test func leavesInReadingOrderWithTheirElements() throws {
        let text = "# Title *here*\n\nSome **bold** text[^n] and `code`.\nNext.\n\n| A | B |\n|:--|--:|\n| 1 |   |\n\n"
            + "- [x] task\n- two ![a map](map.png)\n\n***\n\n```\n  kept  as is\n```\n\n[^n]: The note.\n"
        #expect(try leaves(text) == [
            "h1 \"Title \" @1", "h1>em \"here\" @1",
            "p \"Some \" @3", "p>strong \"bold\" @3", "p \" text\" @3", "p>ref1 \"1\" @3", "p \" and \" @3", "p>code \"code\" @3",
            "p \".\" @3", "p \" \" @3", "p \"Next.\" @3",
            "table>thead>tr>th \"A\" @6", "table>thead>tr>th-right \"B\" @6",
            "table>tbody>tr>td \"1\" @8", "table>tbody>tr>td-right \"\" @8",
            "ul>li>checked \"\" @10", "ul>li>p \"task\" @10", "ul>li>p \"two \" @11", "ul>li>p>img \"a map\" @11",
            "hr \"\" @13", "pre \"  kept  as is\n\" @15",
            "footnotes>fn1>p \"The note.\" @19",
        ])
    }

    /// Nesting deeper than the limit is not typeset (the page shows such a section as its
    /// Markdown); nothing recurses on it.
    @Test func deepNestingIsRefused() {
        #expect(MarkdownTree.parse(String(repeating: "> ", count: 10_000) + "deep\n") == nil)
        #expect(MarkdownTree.parse(String(repeating: "> ", count: 20) + "deep\n") != nil)
    }
}
