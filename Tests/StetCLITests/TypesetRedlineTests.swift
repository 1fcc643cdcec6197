import Foundation
import StetTestSupport
import Testing

/// The comparison page reads as the document: checked in headless Chromium against an
/// independent Markdown renderer (cmarkgfm, in `Tests/Tools/redline-readings.py`): the page
/// without its deletions and notes has the later draft's words, without its insertions and
/// notes the earlier draft's, section by section.
@Suite("The typeset redline")
struct TypesetRedlineTests {
    static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Tools").standardized.path
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/test-artifacts").standardized.path

    static let principlesA = """
        ---
        id: principles
        title: Principles
        ---
        # Principles

        Cities are for people and their [neighbourhoods](https://example.org/a). Plain words here and there.

        Text *emphasis one* middle *emphasis two* end.

        | Principle | Meaning |
        |:--|--:|
        | Inclusion | Nobody is left out |
        | Openness | Open data by default |
        | Privacy | Data is protected |

        - First item
        - Second item
          - Nested one
        - Third item

        A claim that needs a source.[^1]

        Move me within this section: this paragraph about shared digital services is long enough to be taken for a move.

        Last paragraph here, which stays.

        [^1]: The first source.

        """

    static let principlesB = """
        ---
        id: principles
        title: Principles
        ---
        # Principles

        Cities are for **people** and their [neighbourhoods](https://example.org/b) and *residents*. Plain **words here** and there.

        Text *emphasis one middle emphasis two* end.

        | Principle | Meaning |
        |:--|--:|
        | Inclusion | Nobody at all is left out |
        | Privacy | Data is protected |
        | Safety | Systems keep working |

        - First item
        - Second changed item
          - Nested one
          - Nested two
        - Third item

        Last paragraph here, which stays.

        Move me within this section: this paragraph about shared digital services is long enough to be taken for a move.

        A claim that needs a source.[^1] Another claim.[^2]

        [Residents](https://example.org/residents) should be able to reach every public service in person, by telephone or online, whichever suits them best.

        [^1]: The first source, revised.
        [^2]: A second source.

        """

    static let housingA = """
        ---
        id: housing
        title: Housing and land
        ---
        # Housing and land

        ## Registers

        [Residents](https://example.org/residents) should be able to reach every public service in person, by telephone or online, whichever suits them best.

        1. Keep land registers open.
        2. Publish the rules.

        """

    static let housingB = """
        ---
        id: housing
        title: Housing, land and property
        ---
        # Housing, land and property

        ## Registers

        1. Keep land registers open and current.
        2. Publish the rules.
        3. Say who decided.

        ```
        code stays   as it is
        ```

        """

    /// A history with tables, lists, footnotes, markup-only changes, an edit that cuts across
    /// emphasis, a retitled section and moves within and between sections, by two writers.
    func history() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Guidelines", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-principles.md", Self.principlesA)
        try sandbox.write("repo/drafts/02-housing.md", Self.housingA)
        try sandbox.write("repo/drafts/03-glossary.md", "# Glossary\n\n**Smart city**: a city that uses *data* well.\n")
        #expect(try sandbox.stet("commit", "-m", "First draft").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved for consultation").status == 0)
        try sandbox.write("repo/drafts/01-principles.md", Self.principlesB)
        let one = try sandbox.stet("commit", "-m", "Principles: the table, the lists and the sources", "--addresses", "OC-0007",
                                   author: "Mei Chen <mei@example.org>")
        #expect(one.status == 0, "\(one.error)")
        try sandbox.write("repo/drafts/02-housing.md", Self.housingB)
        #expect(try sandbox.stet("commit", "-m", "Housing: registers kept current").status == 0)
        return sandbox
    }

    func open(_ page: String, in sandbox: Sandbox) throws -> String {
        let chromium = try #require(HTMLTests.chromium, "chromium is installed by scripts/test")
        let result = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
                                                "--dump-dom", "file://" + page], in: ".")
        #expect(result.status == 0, "\(result.error)")
        return result.output
    }

    /// The readings of every section of the page, checked by the independent renderer.
    func checkReadings(_ sandbox: Sandbox, repository: String, from: String, to: String) throws -> String {
        let page = sandbox.path + "/page.html"
        let made = try sandbox.stet("compare", from, to, "-o", page, "--force", in: repository)
        #expect(made.status == 0, "\(made.error)")
        let dom = try open(page, in: sandbox)
        try sandbox.write("dom.html", dom)
        let json = try sandbox.stet("compare", from, to, "--format", "json", in: repository)
        try sandbox.write("comparison.json", json.output)
        let report = try sandbox.run("/usr/bin/env", ["python3", Self.tools + "/redline-readings.py", sandbox.path + "/dom.html",
                                                      sandbox.path + "/comparison.json", sandbox.path + "/" + repository], in: ".")
        #expect(report.status == 0, "\(report.error)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let checked = result["checked"] as? [String] ?? []
        let sections = (try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])?["sections"] as? [Any] ?? []
        #expect(checked.count == sections.count && !checked.isEmpty, "checked \(checked) of \(sections.count) sections")
        #expect((result["mismatches"] as? [Any])?.isEmpty == true, "\(report.output)")
        #expect((result["markupLines"] as? [Any])?.isEmpty == true, "\(report.output)")
        return dom
    }

    @Test func theHistoryReadsAsBothDrafts() throws {
        let sandbox = try history()
        let dom = try checkReadings(sandbox, repository: "repo", from: "first", to: "HEAD")
        // Tables are tables, with the changes in their cells and whole rows marked.
        #expect(dom.contains("<table>"))
        #expect(dom.contains(#"<td class="right">Nobody<ins class="change" tabindex="0" data-commits="0"> at all</ins>"#), "\(dom)")
        #expect(dom.contains(#"<tr class="row-inserted">"#))
        #expect(dom.contains(#"<tr class="row-deleted">"#))
        // Markup-only changes are formatting changes, saying what changed.
        #expect(dom.contains(#"data-format="bold">people</span>"#), "\(dom)")
        #expect(dom.contains(#"data-format="link: https://example.org/a → https://example.org/b""#))
        #expect(dom.contains(#"data-format="italic">middle</span>"#))
        // Moves read as moves, with links between their two ends.
        #expect(dom.contains(">within this section</a>"))
        #expect(dom.contains(">from Housing, land and property</a>") || dom.contains(">to Principles</a>"), "\(dom)")
        // No id, path or front matter in the reading view; the retitled section says so.
        #expect(dom.contains("retitled from “Housing and land”"))
        let housing = try #require(dom.firstRange(of: #"data-section="housing">"#).map { dom[$0.upperBound...] })
        let reading = housing[..<(housing.firstRange(of: "<div class=\"side\"")?.lowerBound ?? housing.endIndex)]
        #expect(!reading.contains("title:") && !reading.contains("id: housing") && !reading.contains("---"), "\(reading)")
        // A moved block refers to its footnote as its section did: no Markdown shows.
        let principles = try #require(dom.firstRange(of: #"data-section="principles">"#).map { dom[$0.upperBound...] })
        let end = principles.firstRange(of: "<div class=\"side\"")?.lowerBound ?? principles.endIndex
        #expect(!principles[..<end].contains("[^"))
        // A section that did not change is in its place, collapsed to its title, typeset.
        #expect(dom.contains(#"<details id="s-glossary" class="part unchanged"><summary><span class="section-title">Glossary</span>"#))
        #expect(dom.contains("<p><strong>Smart city</strong>: a city that uses <em>data</em> well.</p>"))
        #expect(dom.contains(#"<button type="button" id="show-unchanged" aria-pressed="false">Show unchanged sections</button>"#))
        // Notes: one per commit and block, linked from markers; the comment id links to the list.
        #expect(dom.contains(##"<a href="#addr-OC-0007">OC-0007</a>"##))
        #expect(dom.contains(#"<li id="addr-OC-0007">"#))
    }

    @Test func theDemoReadsAsBothDrafts() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("demo", "sample", "--from", DemoTests.project, in: ".", author: nil).status == 0)
        _ = try checkReadings(sandbox, repository: "sample", from: "first", to: "final")
        _ = try checkReadings(sandbox, repository: "sample", from: "second", to: "final")
    }

    /// The page parses back strictly (html5lib reports every parse error), edits that cut
    /// across emphasis included.
    @Test func thePageIsWellFormed() throws {
        let sandbox = try history()
        let page = sandbox.path + "/page.html"
        #expect(try sandbox.stet("compare", "first", "HEAD", "-o", page).status == 0)
        let check = try sandbox.run("/usr/bin/env", ["python3", "-c", """
            import html5lib, sys
            parser = html5lib.HTMLParser(strict=True)
            parser.parse(open(sys.argv[1], encoding="utf-8").read())
            print("ok")
            """, page], in: ".")
        #expect(check.status == 0 && check.output == "ok\n", "\(check.error)")
    }

    /// Printed, each commit's note appears once for each block it changed, at most (and once
    /// more in the list of commits); screenshots of the screen and the print are kept.
    @Test func thePrintHasEachNoteOncePerBlock() throws {
        let chromium = try #require(HTMLTests.chromium, "chromium is installed by scripts/test")
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("demo", "sample", "--from", DemoTests.project, in: ".", author: nil).status == 0)
        let page = sandbox.path + "/sample/compare-first-final.html"
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let pdf = Self.artifacts + "/compare-print.pdf"
        try? FileManager.default.removeItem(atPath: pdf)
        let printed = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                                 "--virtual-time-budget=3000", "--print-to-pdf=" + pdf, "file://" + page], in: ".")
        #expect(printed.status == 0, "\(printed.error)")
        let text = try sandbox.run("/usr/bin/env", ["pdftotext", "-layout", pdf, "-"], in: ".").output
        let dom = try open(page, in: sandbox)
        let json = try sandbox.stet("compare", "first", "final", "--format", "json", in: "sample").output
        let commits = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["commits"] as? [[String: Any]] ?? []
        #expect(!commits.isEmpty)
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for (index, commit) in commits.enumerated() {
            let summary = (commit["summary"] as? String ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let notes = dom.components(separatedBy: "data-commits=\"\(index)\"><span class=\"who\">").count - 1
            let shown = flat.components(separatedBy: summary).count - 1
            #expect(shown <= notes + 1, "'\(summary)' printed \(shown) times for \(notes) notes")
            if notes > 0 { #expect(shown >= 1, "'\(summary)' is not printed") }
        }
        let shot = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1800",
                                              "--screenshot=" + Self.artifacts + "/compare-screen.png", "file://" + page], in: ".")
        #expect(shot.status == 0)
        let pages = try sandbox.run("/usr/bin/env", ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", pdf, Self.artifacts + "/compare-print"], in: ".")
        #expect(pages.status == 0, "\(pages.error)")
    }
}
