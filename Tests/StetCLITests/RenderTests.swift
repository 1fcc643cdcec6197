import Foundation
import StetTestSupport
import Testing

/// `stet render`: the whole draft of a milestone, in order, with nothing raw passed through.
@Suite("stet render")
struct RenderTests {
    func started() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Smart Cities", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-preamble.md", "---\nid: preamble\n---\n# Preamble\n\nCities are for people.\n")
        try sandbox.write("repo/drafts/02-scope.md", "# Scope\n\n| Part | Covers |\n|---|---|\n| One | Data |\n\n<script>document.title='pwned'</script>\n\n<div onclick=\"document.title='pwned'\">raw</div>\n\n[link](javascript:document.title='pwned')\n")
        try sandbox.write("repo/drafts/03-data.md", "# Data\n\nOpen by default.[^1]\n\n[^1]: With privacy.\n")
        #expect(try sandbox.stet("commit", "-m", "Zero draft").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved by the Expert Working Group").status == 0)
        return sandbox
    }

    @Test func everySectionInOrderAndNothingRawPassedThrough() throws {
        let sandbox = try started()
        let result = try sandbox.stet("render", "first", "-o", sandbox.path + "/first.html")
        #expect(result.status == 0, "\(result.error)")
        let html = try sandbox.read("first.html")
        let positions = ["<h1>Preamble</h1>", "<h1>Scope</h1>", "<h1>Data</h1>"].map { html.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "a section title is missing")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "sections out of order")
        #expect(html.contains("Approved by the Expert Working Group"))
        #expect(html.contains("<table>"))
        #expect(!html.contains("<script>document"))
        #expect(!html.contains("onclick="))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("id: preamble"), "front matter is not part of the text")

        let chromium = try #require(HTMLTests.chromium, "chromium is installed by scripts/test")
        let opened = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                                                "--dump-dom", "file://" + sandbox.path + "/first.html"], in: ".")
        #expect(opened.status == 0)
        #expect(opened.output.contains("<title>Smart Cities (first)</title>"))
        for line in opened.error.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused") {
            Issue.record("browser console: \(line)")
        }
    }

    @Test func markdownKeepsTheOrderAndTheApproval() throws {
        let sandbox = try started()
        let result = try sandbox.stet("render", "first", "--format", "markdown")
        #expect(result.status == 0, "\(result.error)")
        let text = result.output
        #expect(text.hasPrefix("# Smart Cities\n\nfirst — "))
        #expect(text.contains("> Approved by the Expert Working Group\n"))
        let order = ["# Preamble", "# Scope", "# Data"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
        #expect(!text.contains("id: preamble"))
    }

    @Test func anUnknownRevisionIsNamed() throws {
        let sandbox = try started()
        let result = try sandbox.stet("render", "second")
        #expect(result.status == 66)
        #expect(result.error.contains("milestone 'second' is not tagged yet"), "\(result.error)")
    }

    /// A link to another section's file goes to that section in the page; the repository's
    /// images are embedded (an SVG only as an image), a large one is named with a note, and raw
    /// HTML left out is reported naming the section.
    @Test func linksStayInThePageAndImagesAreEmbedded() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Smart Cities", in: ".").status == 0)
        let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgaPgPAAIDAYAkYfWXAAAAAElFTkSuQmCC"))
        try sandbox.write("repo/drafts/figures/map.png", bytes: Array(png))
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><script>document.title='pwned'</script>"
            + "<rect width=\"40\" height=\"20\" fill=\"teal\"/></svg>\n"
        try sandbox.write("repo/drafts/figures/chart.svg", svg)
        try sandbox.write("repo/drafts/figures/poster.png", bytes: Array(png) + [UInt8](repeating: 0, count: 2 * 1_048_576))
        try sandbox.write("repo/drafts/01-alpha.md", "# Alpha\n\nSee [beta](02-beta.md#scope).\n\n![Map of districts](figures/map.png)\n\n"
            + "![Chart](figures/chart.svg)\n\n![Poster](figures/poster.png)\n\n![Remote](https://example.org/x.png)\n\n<div>raw</div>\n")
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nBeta text.\n")
        let committed = try sandbox.stet("commit", "-m", "Sections and figures")
        #expect(committed.status == 0 && committed.output.contains("drafts/figures/map.png added"), "\(committed.output)")
        #expect(try sandbox.git("ls-tree", "--name-only", "HEAD", "drafts/figures/")
            == "drafts/figures/chart.svg\ndrafts/figures/map.png\ndrafts/figures/poster.png\n")

        let result = try sandbox.stet("render", "HEAD", "-o", sandbox.path + "/page.html")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("drafts/01-alpha.md: raw HTML is left out of the page (1 place)"), "\(result.error)")
        #expect(result.error.contains("drafts/figures/poster.png is larger than 2.0 MB"))
        let html = try sandbox.read("page.html")
        #expect(html.contains("<a href=\"#s-beta\">beta</a>"))
        #expect(html.contains("<img src=\"data:image/png;base64,\(png.base64EncodedString())\" alt=\"Map of districts\""))
        #expect(html.contains("src=\"data:image/svg+xml;base64,\(Data(svg.utf8).base64EncodedString())\""))
        #expect(html.contains("[image: Poster (figures/poster.png): larger than the 2.0 MB an image may have in this page]"))
        #expect(html.contains("[image: Remote (https://example.org/x.png)]"))
        #expect(html.contains("img-src data:;"))

        let chromium = try #require(HTMLTests.chromium, "chromium is installed by scripts/test")
        let opened = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                                                "--dump-dom", "file://" + sandbox.path + "/page.html"], in: ".")
        #expect(opened.status == 0)
        #expect(opened.output.contains("<title>Smart Cities (HEAD)</title>"), "the SVG's script ran")
        for line in opened.error.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused") {
            Issue.record("browser console: \(line)")
        }
    }
}
