import ProseDiff
import StetRender
import Testing

@Suite("Escaping in the built-in HTML templates")
struct HTMLEscapingTests {
    /// `{{ }}` escapes the five markup characters, also where a combining mark follows one (it
    /// makes one Character with it, which a Character-by-Character escape passes over).
    @Test func everyMarkupCharacterIsEscaped() throws {
        let title = "<\u{301}b onmouseover='x'>T & \"U\"</b>"
        let side = HTMLComparison.Side(label: "first", commit: nil, date: nil)
        let page = try HTMLComparison(title: title, a: side, b: side, version: "test", commits: [])
            .render(Comparer.compare([], []))
        #expect(page.contains("<h1>&lt;\u{301}b onmouseover=&#39;x&#39;&gt;T &amp; &quot;U&quot;&lt;/b&gt;</h1>"))
        #expect(!page.contains("<\u{301}b"))
        #expect(!page.contains("{{%"))
    }

    @Test func theDraftPageEscapesToo() throws {
        let page = try DraftDocument(title: "A <\u{301}i> & 'b'", revision: "first", commit: "0123456789", date: "2026-01-01",
                                     approval: nil, version: "test", parts: []).html()
        #expect(page.contains("A &lt;\u{301}i&gt; &amp; &#39;b&#39;"))
        #expect(!page.contains("<\u{301}i"))
    }
}
