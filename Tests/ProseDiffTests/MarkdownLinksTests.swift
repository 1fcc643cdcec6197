import ProseDiff
import StetTestSupport
import Testing

@Suite("Markdown links: where a section points, found where it is written")
struct MarkdownLinksTests {
    @Test func inlineLinksImagesAndDefinitionsAreFoundWhereTheyAre() {
        let marked = MarkedText("""
            See [the scope](1️⃣02-scope.md2️⃣#aims) and ![map](3️⃣figures/map.png4️⃣ "Map").
            A [web page](https://example.org/x.md), a [fragment](#here) and `[code](05-not.md)`.

            ```
            [fenced](06-not.md)
            ```

            [def]: 5️⃣../part/03-x.md6️⃣ "Title"
            [angle](<7️⃣07-with space.md8️⃣>)

            """)
        let found = MarkdownLinks.destinations(in: marked.text)
        #expect(found.map(\.range) == [marked.range(1, 2), marked.range(3, 4), marked.range(5, 6), marked.range(7, 8)])
        #expect(found.map(\.path) == ["02-scope.md", "figures/map.png", "../part/03-x.md", "07-with space.md"])
        #expect(found.map(\.fragment) == ["aims", nil, nil, nil])
    }

    @Test func pathsResolveAndRelateFromTheLinkingFile() {
        #expect(MarkdownLinks.resolve("02-scope.md", from: "drafts/01-intro.md") == "drafts/02-scope.md")
        #expect(MarkdownLinks.resolve("./../drafts/part/x%20y.md", from: "drafts/01-intro.md") == "drafts/part/x y.md")
        #expect(MarkdownLinks.resolve("../../../x.md", from: "drafts/01-intro.md") == nil)
        #expect(MarkdownLinks.relative(to: "drafts/03-b.md", from: "drafts/01-a.md") == "03-b.md")
        #expect(MarkdownLinks.relative(to: "drafts/part/03-b.md", from: "drafts/01-a.md") == "part/03-b.md")
        #expect(MarkdownLinks.relative(to: "drafts/03-b.md", from: "drafts/part/01-a.md") == "../03-b.md")
    }

    @Test func rewritingReplacesOnlyTheRanges() {
        let marked = MarkedText("[a](1️⃣02-b.md2️⃣) and [c](3️⃣04-d.md4️⃣#x)")
        let rewritten = MarkdownLinks.rewriting(marked.text, [(marked.range(1, 2), "03-b.md"), (marked.range(3, 4), "05-d.md")])
        #expect(rewritten == "[a](03-b.md) and [c](05-d.md#x)")
    }
}
