import Foundation
import StetTestSupport
import Testing

/// The HTML comparison opened in a real browser (headless Chromium): it runs without console
/// errors or network requests, shows as many changes as the JSON holds, and no payload placed
/// in the repository runs.
@Suite("stet compare --format html in Chromium")
struct HTMLTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Every payload tries to change the document's title.
    static let payloads = [
        "<script>document.title='pwned'</script>",
        "<img src=x onerror=\"document.title='pwned'\">",
        "[click](javascript:document.title='pwned')",
        "<svg onload=\"document.title='pwned'\"></svg>",
        "<a href=\"javascript:document.title='pwned'\">x</a>",
        "<iframe srcdoc=\"<script>parent.document.title='pwned'</script>\"></iframe>",
    ]

    /// A history whose text, titles, messages, names and tag messages all carry payloads.
    func hostileRepository() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Guidelines <script>document.title='pwned'</script>", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-principles.md", "---\nid: principles\ntitle: \"Principles <img src=x onerror=\\\"document.title='pwned'\\\">\"\n---\n# Principles\n\nCities are for people <scr\n\n<div onmouseover=\"document.title='pwned'\">raw html block</div>\n")
        #expect(try sandbox.stet("commit", "-m", "Zero <script>document.title='pwned'</script>").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved <svg onload=\"document.title='pwned'\">").status == 0)
        var text = "---\nid: principles\ntitle: \"Principles <img src=x onerror=\\\"document.title='pwned'\\\">\"\n---\n# Principles\n\n"
        text += "Cities are for people <script>document.title='pwned'</script> and residents.\n\n"
        text += Self.payloads.joined(separator: "\n\n") + "\n"
        try sandbox.write("repo/drafts/01-principles.md", text)
        // git refuses < and > in names; every other markup character goes in.
        let author = "Mallory \" onmouseover=\"document.title='pwned'\" & Co <mallory@example.org>"
        let result = try sandbox.stet("commit", "-m", "Edit <a href=\"javascript:document.title='pwned'\">x</a>",
                                      "--addresses", "<script>document.title='pwned'</script>", author: author)
        #expect(result.status == 0, "\(result.error)")
        return sandbox
    }

    /// Chromium's DOM after the scripts ran, and what it logged.
    func open(_ path: String, in sandbox: Sandbox) throws -> (dom: String, log: String) {
        let chromium = try #require(Self.chromium, "chromium is installed by scripts/test")
        let result = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
                                                "--dump-dom", "file://" + path], in: ".")
        #expect(result.status == 0, "\(result.error)")
        return (result.output, result.error)
    }

    @Test func noPayloadRunsAndEveryChangeIsShown() throws {
        let sandbox = try hostileRepository()
        let html = try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/compare.html")
        #expect(html.status == 0, "\(html.error)")
        let (dom, log) = try open(sandbox.path + "/compare.html", in: sandbox)

        // The title is the one stet wrote: escaped text, never changed by a payload.
        let title = try #require(dom.firstRange(of: "<title>").flatMap { start in
            dom[start.upperBound...].firstRange(of: "</title>").map { String(dom[start.upperBound..<$0.lowerBound]) }
        })
        #expect(title == "Guidelines &lt;script&gt;document.title='pwned'&lt;/script&gt;: first to HEAD", "\(title)")
        #expect(!dom.contains("pwned</title>"))
        // No element or attribute came from the repository: every payload is text. In the
        // serialized DOM a "<" only opens a real element (text has &lt;).
        for pattern in [#"<[^>]*\son[a-z]+="#, #"<[^>]*href="javascript"#, #"<(svg|iframe|img)\b"#, #"<script>document"#] {
            let regex = try Regex(pattern)
            #expect(dom.firstMatch(of: regex) == nil, "\(pattern) matched the DOM")
        }
        // The script ran (CSP allowed it by nonce) and counted the changes; nothing was refused.
        let json = try sandbox.stet("compare", "first", "HEAD", "--format", "json")
        let changes = json.output.components(separatedBy: "\"kind\": \"inserted\"").count - 1
            + json.output.components(separatedBy: "\"kind\": \"deleted\"").count - 1
            + json.output.components(separatedBy: "\"kind\": \"moved\"").count - 1
        #expect(changes > 0)
        #expect(dom.contains("data-changes=\"\(changes)\""), "the page does not count \(changes) changes")
        for line in log.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused") {
            Issue.record("browser console: \(line)")
        }
        #expect(!log.contains("net::"), "a network request was attempted")
        // The attribution is in the page: the author (escaped) and the trailer.
        #expect(dom.contains("Mallory \" onmouseover=\"document.title='pwned'\" &amp; Co"), "the author's name is not shown as text")
    }

    @Test func aScreenshotIsWrittenAsAnArtifact() throws {
        let chromium = try #require(Self.chromium, "chromium is installed by scripts/test")
        let sandbox = try hostileRepository()
        #expect(try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/compare.html").status == 0)
        let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/test-artifacts")
            .standardized.path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let shot = artifacts + "/compare.png"
        try? FileManager.default.removeItem(atPath: shot)
        let result = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                "--window-size=1200,1600", "--screenshot=" + shot,
                                                "file://" + sandbox.path + "/compare.html"], in: ".")
        #expect(result.status == 0, "\(result.error)")
        let size = (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot of \(size) bytes")
    }

    @Test func anExistingFileIsKeptUnlessStetWroteIt() throws {
        let sandbox = try hostileRepository()
        try sandbox.write("mine.html", "<p>my notes</p>\n")
        let refused = try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/mine.html")
        #expect(refused.status == 73)
        #expect(refused.error.contains("mine.html exists and stet did not write it; pass --force"), "\(refused.error)")
        #expect(try sandbox.read("mine.html") == "<p>my notes</p>\n")
        // A file stet wrote is replaced; the default name is compare-A-B.html.
        #expect(try sandbox.stet("compare", "first", "HEAD").status == 0)
        #expect(sandbox.exists("repo/compare-first-HEAD.html"))
        #expect(try sandbox.stet("compare", "first", "HEAD").status == 0)
        #expect(try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/mine.html", "--force").status == 0)
        #expect(try sandbox.read("mine.html").hasPrefix("<!DOCTYPE html>"))
        // No temporary file is left beside it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.path).filter { $0.contains(".stet-") }
        #expect(leftovers.isEmpty)
    }

    @Test func anOutputFileThatCannotBeWrittenIsNamed() throws {
        let sandbox = try hostileRepository()
        let result = try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/missing/out.html")
        #expect(result.status != 0)
        #expect(result.error.contains("cannot write \(sandbox.path)/missing/out.html: No such file or directory"), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
        #expect(!sandbox.exists("missing"))
    }

    @Test func repositoryTemplatesOverrideTheBuiltInOnes() throws {
        let sandbox = try hostileRepository()
        try sandbox.write("repo/templates/compare.mustache", "<!DOCTYPE html><meta name=\"generator\" content=\"stet {{version}}\"><title>{{title}}</title>{{#sections}}<h2>{{title}}</h2>{{/sections}}\n")
        let result = try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/custom.html")
        #expect(result.status == 0, "\(result.error)")
        let html = try sandbox.read("custom.html")
        #expect(html.hasPrefix("<!DOCTYPE html><meta name=\"generator\""))
        #expect(html.contains("<h2>Principles &lt;img"), "\(html)")
        try sandbox.write("repo/templates/compare.mustache", "{{#sections}}unclosed\n")
        let broken = try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/custom.html")
        #expect(broken.status == 65)
        #expect(broken.error.contains("template 'compare' does not parse"), "\(broken.error)")
        #expect(try sandbox.read("custom.html") == html, "a failed render must not touch the file")
    }
}
