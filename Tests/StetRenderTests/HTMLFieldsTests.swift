import ProseDiff
@testable import StetRender
import Testing

@Suite("HTML pages show optional fields only when they hold something")
struct HTMLFieldsTests {
    /// A revision that is no milestone has no approval, and most sections have no facts or moves:
    /// the page shows no "label: " with nothing after it and no empty paragraph or label.
    @Test func emptyFieldsShowNothing() throws {
        let a = [SectionText(id: "s", title: "S", path: "drafts/s.md", text: "# S\n\nOld words here.\n")]
        let b = [SectionText(id: "s", title: "S", path: "drafts/s.md", text: "# S\n\nNew words here.\n")]
        let milestone = HTMLComparison.Side(label: "first", commit: "0123456789", date: "2026-01-01", approval: "Approved by the EGM")
        let plain = HTMLComparison.Side(label: "HEAD~1", commit: "9876543210", date: "2026-02-01")
        let page = try HTMLComparison(title: "T", a: milestone, b: plain, version: "test", commits: [])
            .render(Comparer.compare(a, b))
        #expect(page.contains("<dt>first</dt><dd>2026-01-01. Approved by the EGM<br>"))
        #expect(page.contains("<dt>HEAD~1</dt><dd>2026-02-01<br>"))
        #expect(!page.contains("<span class=\"facts\"></span>"))
        #expect(!page.contains("<span class=\"status\"></span>"))

        let draft = try DraftDocument(title: "T", revision: "HEAD", commit: "0123456789", date: "2026-01-01",
                                      approval: nil, version: "test", parts: []).html()
        #expect(!draft.contains("class=\"approval\""))
    }

    /// A field that holds something is shown.
    @Test func fieldsThatHoldSomethingAreShown() throws {
        let a = [SectionText(id: "old", title: "S", path: "drafts/04-s.md", text: "# S\n\nSame words in both.\n")]
        let b = [SectionText(id: "new", title: "S", path: "drafts/05-s.md", text: "# S\n\nSame words in both, and more.\n")]
        let side = HTMLComparison.Side(label: "first", commit: nil, date: nil)
        let page = try HTMLComparison(title: "T", a: side, b: side, version: "test", commits: [])
            .render(Comparer.compare(a, b))
        // The reading view says the section was renamed; its id and files are the source view's.
        #expect(page.contains("<span class=\"status\">renamed</span> <span class=\"facts\">renamed</span>"))
        #expect(page.contains("<p class=\"facts\"><code>new</code>; id was old; drafts/04-s.md → drafts/05-s.md</p>"))
        let draft = try DraftDocument(title: "T", revision: "first", commit: "0123456789", date: "2026-01-01",
                                      approval: "Approved", version: "test", parts: []).html()
        #expect(draft.contains("<p class=\"approval\">Approved</p>"))
    }

    /// A commit's fields reach a template as text: escaped by `{{ }}`, printed as they are, and
    /// open to a string's transforms.
    @Test func commitFieldsAreEscapedTextThatTakesTransforms() throws {
        var comparison = Comparer.compare(
            [SectionText(id: "s", title: "S", path: "drafts/s.md", text: "# S\n\nOld words.\n")],
            [SectionText(id: "s", title: "S", path: "drafts/s.md", text: "# S\n\nNew words.\n")])
        for block in comparison.sections[0].blocks.indices {
            for span in comparison.sections[0].blocks[block].spans.indices where comparison.sections[0].blocks[block].spans[span].kind != .equal {
                comparison.sections[0].blocks[block].spans[span].sources = [0]
            }
        }
        let commit = SourceCommit(id: "0123456789abcdef", author: "Amina <Diallo>", email: "amina@example.org",
                                  date: "2026-01-02T03:04:05Z", summary: "Say \"new\" & <b>bold</b>",
                                  trailers: [.init(key: "Addresses", value: "OC-0123")])
        let template = "{{% CONTENT_TYPE: HTML}}{{#commits}}[{{index}}|{{short}}|{{date}}|{{uppercased(author)}}|{{summary}}"
            + "{{#trailers}}|{{key}}={{value}}{{/trailers}}]{{/commits}}"
        let side = HTMLComparison.Side(label: "first", commit: nil, date: nil)
        let page = try HTMLComparison(title: "T", a: side, b: side, version: "test", commits: [commit], templates: ["compare": template])
            .render(comparison)
        #expect(page == "[0|0123456|2026-01-02|AMINA &lt;DIALLO&gt;|Say &quot;new&quot; &amp; &lt;b&gt;bold&lt;/b&gt;|Addresses=OC-0123]")
    }

    /// Redlines printed as they are (`{{{inline}}}`, `{{&left}}`) are set into the page after
    /// Mustache, once per mention; any other use of them gets the HTML through Mustache as usual.
    @Test func redlinesAreTheSameWhetherSetInOrPrinted() throws {
        let comparison = Comparer.compare(
            [SectionText(id: "s", title: "s", path: "drafts/s.md", text: "# s\n\nold <b>words</b>.\n")],
            [SectionText(id: "s", title: "s", path: "drafts/s.md", text: "# s\n\nnew <b>words</b>.\n")])
        let side = HTMLComparison.Side(label: "first", commit: nil, date: nil)
        func render(_ template: String) throws -> [String] {
            try HTMLComparison(title: "T", a: side, b: side, version: "test", commits: [], templates: ["compare": template])
                .renderPieces(comparison)
        }
        let asIs = try render("{{% CONTENT_TYPE: HTML}}{{#sections}}<{{{inline}}}|{{&left}}|{{{ right }}}|{{{inline}}}>{{/sections}}")
        // Through Mustache: a transform of the field is not a plain print, so nothing is set in.
        let through = try render("{{% CONTENT_TYPE: HTML}}{{#sections}}<{{{lowercased(inline)}}}|{{&left}}|{{{ right }}}|{{{inline}}}>{{/sections}}")
        #expect(asIs.count == 9, "\(asIs.count) pieces")
        let withSource = try render("{{% CONTENT_TYPE: HTML}}{{#sections}}{{{source}}}{{/sections}}")
        #expect(through.count == 1)
        #expect(asIs.joined().contains("<del class=\"change\""))
        // Typeset, raw HTML is left out (as `stet render` does); the source view shows it as text.
        #expect(asIs.joined().contains(" words.</p>") && !asIs.joined().contains("<b>"))
        #expect(withSource.joined().contains("&lt;b&gt;words&lt;/b&gt;"))
        #expect(!asIs.joined().contains("stet-redline-"))
        // The same page (this redline's HTML is all lower case, so lowercased it is itself).
        #expect(asIs.joined() == through.joined())
        // Escaped, the redline is shown as its HTML source.
        let escaped = try render("{{% CONTENT_TYPE: HTML}}{{#sections}}{{inline}}{{/sections}}").joined()
        #expect(escaped.hasPrefix("&lt;h2&gt;s&lt;/h2&gt;"), "\(escaped.prefix(60))")
    }

    @Test func onlyPlainPrintsOfRedlinesAreSetIn() {
        #expect(HTMLComparison.printsRedlinesOnlyAsIs(["{{#sections}}{{{inline}}}{{&left}}{{{ right }}}{{title}}{{/sections}}", "{{> style}}"]))
        #expect(!HTMLComparison.printsRedlinesOnlyAsIs(["{{{inline}}}", "{{#sections}}{{inline}}{{/sections}}"]))
        #expect(!HTMLComparison.printsRedlinesOnlyAsIs(["{{#inline}}x{{/inline}}"]))
        #expect(!HTMLComparison.printsRedlinesOnlyAsIs(["{{{uppercased(left)}}}"]))
        #expect(!HTMLComparison.printsRedlinesOnlyAsIs(["{{{sections.0.right}}}"]))
        #expect(!HTMLComparison.printsRedlinesOnlyAsIs(["{{=<% %>=}}<%{inline}%>"]))
        #expect(HTMLComparison.printsRedlinesOnlyAsIs(["{{{inlined}}}{{leftover}}"]))
    }
}
