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
}
