import Foundation
import StetTestSupport
import Testing

/// Word files read back by independent readers: LibreOffice (headless, through UNO, in
/// `Tests/Tools/docx-readings.py`) lists the tracked changes, accepts them all and rejects them
/// all; cmarkgfm says what the drafts' words are (`Tests/Tools/docx-words.py`); Python's zip and
/// XML readers look at the package's parts.
@Suite("Word files: tracked changes by their authors, read back by LibreOffice")
struct WordTests {
    static let tools = TypesetRedlineTests.tools
    static let writers: Set<String> = ["Amina Diallo", "Lucas Pereira", "Mei Chen"]
    /// A 2 x 3 PNG.
    static let png = Array(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAEklEQVR4nGP4z8DAwMDAwMDAAAAj/AP9X3ShcAAAAABJRU5ErkJggg==")!)

    /// What LibreOffice makes of a file (see docx-readings.py).
    func readings(_ file: String, in sandbox: Sandbox) throws -> [String: Any] {
        let result = try sandbox.run("/usr/bin/python3", [Self.tools + "/docx-readings.py", file], in: ".")
        #expect(result.status == 0, "\(result.error)")
        try sandbox.write("readings.json", result.output)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// Whether accepting every change gives B's words and rejecting every change A's.
    func checkWords(_ sandbox: Sandbox, repository: String, from: String, to: String) throws {
        let result = try sandbox.run("/usr/bin/env", ["python3", Self.tools + "/docx-words.py", sandbox.path + "/readings.json",
                                                      sandbox.path + "/" + repository, from, to], in: ".")
        #expect(result.status == 0, "\(result.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [String: Any]])
        #expect(report["accepted"]?["same"] as? Bool == true, "accepting every change: \(result.output)")
        #expect(report["rejected"]?["same"] as? Bool == true, "rejecting every change: \(result.output)")
    }

    /// The package's parts as a plain zip and XML reader sees them.
    func parts(_ file: String, in sandbox: Sandbox) throws -> [String: Any] {
        let script = """
            import json, re, sys, zipfile
            from xml.dom import minidom
            archive = zipfile.ZipFile(sys.argv[1])
            assert archive.testzip() is None
            names = archive.namelist()
            read = lambda name: archive.read(name).decode("utf-8")
            for name in names:
                if name.endswith(".xml") or name.endswith(".rels"):
                    minidom.parseString(archive.read(name))
            ids = re.findall(r'<w:(?:ins|del|comment) w:id="(\\d+)"', read("word/document.xml") + read("word/comments.xml"))
            comments = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<w:comment .*?</w:comment>", read("word/comments.xml"))]
            styles = re.findall(r'<w:pStyle w:val="([^"]+)"/>', read("word/document.xml"))
            print(json.dumps({"names": names, "contentTypes": read("[Content_Types].xml"), "ids": ids,
                              "comments": comments, "styles": styles, "tables": read("word/document.xml").count("<w:tbl>")}))
            """
        let result = try sandbox.run("/usr/bin/env", ["python3", "-c", script, file], in: ".")
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    @Test func theDemoRedlineAcceptsToTheLaterDraftAndRejectsToTheEarlier() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("demo", "sample", "--from", DemoTests.project, in: ".", author: nil).status == 0)
        let file = sandbox.path + "/redline.docx"
        let made = try sandbox.stet("compare", "first", "final", "--format", "docx", "-o", file, in: "sample")
        #expect(made.status == 0, "\(made.error)")
        let read = try readings(file, in: sandbox)
        try checkWords(sandbox, repository: "sample", from: "first", to: "final")

        // Every change is a real tracked change by the author of a commit in first..final, at an
        // ISO 8601 date; every writer of the demo is among them.
        let changes = try #require(read["changes"] as? [[String: String]])
        #expect(changes.count > 20)
        let authors = Set(try sandbox.git("log", "--format=%an", "first..final", in: "sample").split(separator: "\n").map(String.init))
        let credited = Set(changes.compactMap { $0["author"] })
        #expect(credited.isSubset(of: authors), "\(credited.subtracting(authors)) wrote no commit in first..final")
        #expect(Self.writers.isSubset(of: credited), "\(credited)")
        #expect(Set(changes.compactMap { $0["type"] }).isSuperset(of: ["Insert", "Delete"]))
        for change in changes { #expect(change["date"]?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) != nil) }

        // The package, read as zip and XML: the content types of a Word document, unique ids,
        // comments holding the commits' summaries, headings in Word's heading styles, tables.
        let package = try parts(file, in: sandbox)
        #expect((package["contentTypes"] as? String)?.contains("wordprocessingml.document.main+xml") == true)
        let ids = try #require(package["ids"] as? [String])
        #expect(!ids.isEmpty && Set(ids).count == ids.count, "w:id repeats")
        let comments = (package["comments"] as? [String]) ?? []
        let summaries = try sandbox.git("log", "--format=%s", "first..final", in: "sample").split(separator: "\n")
        #expect(comments.contains { comment in summaries.contains { comment.contains($0) } })
        #expect(comments.contains { $0.contains("Addresses: OC-") })
        // A commit's comment quotes the consultation comments it answers, from their rounds.
        #expect(comments.contains { $0.contains("OC-0140, Joseph Otieno (Nairobi regional meeting) (accepted):") }, "\(comments)")
        #expect(comments.contains { $0.contains("moved from Capacity development") })
        let styles = (read["styles"] as? [String]) ?? []
        #expect(styles.contains("Heading 1") && styles.contains("Heading 2"), "\(Set(styles))")
        #expect((read["tables"] as? Int ?? 0) >= 2)
    }

    /// Tables, lists, footnotes, markup-only changes, moves within and between sections.
    @Test func aHistoryWithTablesListsFootnotesAndMovesReadsAsBothDrafts() throws {
        let sandbox = try TypesetRedlineTests().history()
        let file = sandbox.path + "/redline.docx"
        #expect(try sandbox.stet("compare", "first", "HEAD", "--format", "docx", "-o", file).status == 0)
        _ = try readings(file, in: sandbox)
        try checkWords(sandbox, repository: "repo", from: "first", to: "HEAD")
    }

    /// The draft as Word: every section in order with its words, headings in Heading styles,
    /// the glossary's table a table, footnotes as Word footnotes, no tracked change, a table of
    /// contents field.
    @Test func theRenderedDraftIsTheDraft() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("demo", "sample", "--from", DemoTests.project, in: ".", author: nil).status == 0)
        let file = sandbox.path + "/final.docx"
        let made = try sandbox.stet("render", "final", "--format", "docx", "-o", file, in: "sample")
        #expect(made.status == 0, "\(made.error)")
        let read = try readings(file, in: sandbox)
        #expect((read["changes"] as? [Any])?.isEmpty == true)
        try checkWords(sandbox, repository: "sample", from: "final", to: "final")
        let styles = (read["styles"] as? [String]) ?? []
        #expect(styles.contains("Heading 1") && styles.contains("Heading 2"))
        #expect((read["tables"] as? Int ?? 0) >= 2)
        // The demo's footnote is a Word footnote, its number in the text where it was referred to.
        let footnotes = (read["footnotes"] as? [String]) ?? []
        #expect(footnotes.count == 1 && footnotes.first?.contains("Web Content Accessibility Guidelines") == true, "\(footnotes)")
        #expect((read["accepted"] as? String)?.contains("accessibility standards1 and") == true)
        let package = try parts(file, in: sandbox)
        #expect((package["styles"] as? [String])?.contains("TOCHeading") == true)
        let document = try sandbox.run("/usr/bin/env", ["python3", "-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())", file], in: ".")
        #expect(document.output.contains("TOC \\o"))
    }

    /// Hostile text, titles, author names and messages come back from LibreOffice as text.
    @Test func hostileContentIsText() throws {
        let sandbox = try HTMLTests().hostileRepository()
        try sandbox.write("repo/drafts/02-controls.md", "# Controls\n\nA bell \u{7} and an escape \u{1B}[31m and a null-free \u{FFFE} end.\n")
        #expect(try sandbox.stet("commit", "-m", "Controls \u{1B}[2J").status == 0)
        let file = sandbox.path + "/hostile.docx"
        let made = try sandbox.stet("compare", "first", "HEAD", "--format", "docx", "-o", file)
        #expect(made.status == 0, "\(made.error)")
        let read = try readings(file, in: sandbox)
        let accepted = read["accepted"] as? String ?? ""
        #expect(accepted.contains("Cities are for people"), "\(accepted.prefix(300))")
        #expect(accepted.contains("A bell"))
        let changes = (read["changes"] as? [[String: String]]) ?? []
        #expect(changes.contains { $0["author"]?.hasPrefix("Mallory \" onmouseover=") == true }, "\(changes)")
        let package = try parts(file, in: sandbox)
        #expect(((package["comments"] as? [String]) ?? []).contains { $0.contains("Edit &lt;a href") || $0.contains("Edit <a href") })
    }

    @Test func anExistingFileIsKeptUnlessStetWroteIt() throws {
        let sandbox = try HTMLTests().hostileRepository()
        try sandbox.write("mine.docx", "my own file\n")
        let refused = try sandbox.stet("compare", "first", "HEAD", "--format", "docx", "-o", sandbox.path + "/mine.docx")
        #expect(refused.status == 73)
        #expect(try sandbox.read("mine.docx") == "my own file\n")
        #expect(try sandbox.stet("compare", "first", "HEAD", "--format", "docx").status == 0)
        #expect(sandbox.exists("repo/compare-first-HEAD.docx"))
        #expect(try sandbox.stet("compare", "first", "HEAD", "--format", "docx").status == 0, "a file stet wrote is replaced")
    }
}

extension WordTests {
    /// A section moved in the order is inserted where it is now and deleted where it was:
    /// rejecting every change gives the earlier order back.
    @Test func rejectingEveryChangeGivesTheEarlierOrderBack() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Order", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-alpha.md", "# Alpha\n\nThe first section, which stays first.\n")
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nThe second section, which moves to the end.\n")
        try sandbox.write("repo/drafts/03-gamma.md", "# Gamma\n\nThe third section.\n")
        #expect(try sandbox.stet("commit", "-m", "Three sections").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved").status == 0)
        let moved = try sandbox.stet("section", "move", "beta", "--after", "gamma")
        #expect(moved.status == 0, "\(moved.error)")
        // Only Beta is read by the comparison (the others did not change): its new place is found
        // from both drafts' orders.
        let committed = try sandbox.stet("commit", "-m", "Beta goes last", author: "Mei Chen <mei@example.org>")
        #expect(committed.status == 0, "\(committed.error)")
        let file = sandbox.path + "/order.docx"
        #expect(try sandbox.stet("compare", "first", "HEAD", "--format", "docx", "-o", file).status == 0)
        let read = try readings(file, in: sandbox)
        try checkWords(sandbox, repository: "repo", from: "first", to: "HEAD")
        let authors = Set(((read["changes"] as? [[String: String]]) ?? []).compactMap { $0["author"] })
        // The move of a section in the order is credited to the later draft's commit.
        #expect(authors == ["Mei Chen"], "\(authors)")
    }
}

extension WordTests {
    /// A repository's `templates/styles.xml` replaces the built-in styles; a file that is no
    /// styles part is refused, naming it, and nothing is written.
    @Test func theRepositoryStylesReplaceTheBuiltInOnes() throws {
        let sandbox = try HTMLTests().hostileRepository()
        let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
            + "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:rPr><w:color w:val=\"C00000\"/></w:rPr></w:style></w:styles>"
        try sandbox.write("repo/templates/styles.xml", styles)
        let file = sandbox.path + "/house.docx"
        #expect(try sandbox.stet("render", "HEAD", "--format", "docx", "-o", file).status == 0)
        let inside = try sandbox.run("/usr/bin/env", ["python3", "-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml').decode(), end='')", file], in: ".")
        #expect(inside.output == styles)
        let read = try readings(file, in: sandbox)
        #expect(((read["styles"] as? [String]) ?? []).contains("Heading 1"))

        try sandbox.write("repo/templates/styles.xml", "<html>not styles</html>")
        let refused = try sandbox.stet("compare", "first", "HEAD", "--format", "docx", "-o", sandbox.path + "/refused.docx")
        #expect(refused.status != 0)
        #expect(refused.error.contains("templates/styles.xml is not a Word styles part"), "\(refused.error)")
        #expect(!sandbox.exists("refused.docx"))
    }
}

extension WordTests {
    /// The rendered draft embeds the repository's images, drawn at their size.
    @Test func theRenderedDraftEmbedsImages() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Maps", in: ".").status == 0)
        try sandbox.write("repo/drafts/map.png", bytes: Self.png)
        try sandbox.write("repo/drafts/01-maps.md", "# Maps\n\nThe city as a map: ![A map of the city](map.png)\n")
        #expect(try sandbox.stet("commit", "-m", "A map").status == 0)
        let file = sandbox.path + "/maps.docx"
        let made = try sandbox.stet("render", "HEAD", "--format", "docx", "-o", file)
        #expect(made.status == 0, "\(made.error)")
        let read = try readings(file, in: sandbox)
        #expect(read["images"] as? Int == 1)
        let package = try parts(file, in: sandbox)
        #expect((package["names"] as? [String])?.contains("word/media/image1.png") == true)
        #expect((package["contentTypes"] as? String)?.contains("Extension=\"png\" ContentType=\"image/png\"") == true)
    }
}

extension WordTests {
    /// An image replaced by another: the old one is drawn in a deletion, the new one in an
    /// insertion, and the readings still hold.
    @Test func theRedlineDrawsImagesInTheirChanges() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Maps", in: ".").status == 0)
        try sandbox.write("repo/drafts/old.png", bytes: Self.png)
        try sandbox.write("repo/drafts/new.png", bytes: Self.png)
        try sandbox.write("repo/drafts/01-maps.md", "# Maps\n\nThe city: ![The old map](old.png)\n")
        #expect(try sandbox.stet("commit", "-m", "The old map").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved").status == 0)
        try sandbox.write("repo/drafts/01-maps.md", "# Maps\n\nThe city today: ![The new map](new.png)\n")
        #expect(try sandbox.stet("commit", "-m", "The new map").status == 0)
        let file = sandbox.path + "/maps.docx"
        let made = try sandbox.stet("compare", "first", "HEAD", "--format", "docx", "-o", file)
        #expect(made.status == 0, "\(made.error)")
        let read = try readings(file, in: sandbox)
        #expect(read["images"] as? Int == 2)
        try checkWords(sandbox, repository: "repo", from: "first", to: "HEAD")
        let package = try parts(file, in: sandbox)
        #expect((package["names"] as? [String])?.contains("word/media/image2.png") == true)
    }
}
