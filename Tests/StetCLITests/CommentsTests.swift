import Foundation
import StetTestSupport
import Testing

/// Consultation comments: exports made the way forms and Excel make them (by openpyxl and
/// Python's csv in `Tests/Tools/comments-files.py`), with quotes copied from the draft as
/// cmarkgfm typesets it; passages followed through a history; the matrix read back by openpyxl
/// and Chromium; git as the reader of the store.
@Suite("Consultation comments: import, anchors, follow, respond, matrix")
struct CommentsTests {
    static let tools = TypesetRedlineTests.tools

    /// Two sections with the Markdown a reader never sees: emphasis, links, footnotes, line
    /// breaks in the middle of sentences, apostrophes.
    static let principles = """
        ---
        id: principles
        title: Guiding principles
        ---
        # Guiding principles

        Cities should involve **residents, including those who are not online,** in decisions about
        digital services. Participation should begin before a technology is chosen, so that residents
        help define the problem and don't only react to a [solution](https://example.org/solutions).

        ## Transparency

        Residents have a right to know which systems affect them, who operates them and how to
        challenge a decision.[^1] Authorities should publish a register of the automated systems
        they use, with the purpose and a contact point for complaints.

        - Every register entry names the office that answers for the system and its suppliers.
        - Registers are published as open data, in formats that ordinary software can read.

        [^1]: As the Human Rights Council's resolution on new technologies asks.

        """
    static let data = """
        ---
        id: data
        title: Data governance
        ---
        # Data governance

        Urban data is a *public resource* when it is collected in public space or with public money.
        Its governance should serve the public interest and protect the people the data describes.

        Personal data should be kept no longer than the purpose for which it was collected requires,
        and deleted on a schedule that the authority publishes in advance.

        """

    func repository() throws -> Sandbox {
        let sandbox = try Sandbox.committed(["drafts/01-principles.md": Self.principles, "drafts/02-data.md": Self.data])
        #expect(try sandbox.stet("tag", "first", "-m", "First draft").status == 0)
        return sandbox
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    func comments(_ sandbox: Sandbox, _ arguments: String...) throws -> [[String: Any]] {
        try json(try sandbox.stet(["comments", "list", "--format", "json"] + arguments))["comments"] as? [[String: Any]] ?? []
    }

    @Test(arguments: ["comments.csv", "comments-unicode.txt", "comments.xlsx"])
    func anExportImportsWithItsQuotesAnchoredInTheTypesetText(file: String) throws {
        let sandbox = try repository()
        let made = try sandbox.run("/usr/bin/env", ["python3", Self.tools + "/comments-files.py", "make", sandbox.path + "/repo",
                                                    "first", sandbox.path + "/exports"], in: ".")
        #expect(made.status == 0, "\(made.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sandbox.path + "/exports/rows.json")))
            as? [String: Any])["rows"] as? [[String: Any]] ?? []
        #expect(rows.count > 10)
        let head = try sandbox.git("rev-parse", "HEAD")
        let imported = try sandbox.stet("comments", "import", sandbox.path + "/exports/" + file, "--round", "online-2024", "--on", "first")
        #expect(imported.status == 0, "\(imported.error)")
        // One commit, holding the round's file and nothing else; git reads it.
        #expect(try sandbox.git("rev-parse", "HEAD~1") == head)
        #expect(try sandbox.git("show", "--name-only", "--format=", "HEAD") == "comments/online-2024.rec\n")
        try sandbox.git("fsck", "--strict")
        #expect(try sandbox.git("status", "--porcelain").isEmpty)

        let listed = try comments(sandbox, "--at", "first")
        #expect(listed.count == rows.count)
        for (row, comment) in zip(rows, listed) {
            let cells = row["cells"] as? [String] ?? []
            let anchor = comment["anchor"] as? [String: Any] ?? [:]
            // Every cell comes back as it was written: multi-line, quoted, in any script, and
            // formula- or script-looking text as text.
            #expect(comment["comment"] as? String == cells[7], "\(comment["id"] ?? "")")
            #expect((comment["commenter"] as? [String: Any])?["name"] as? String == cells[0])
            if row["anchored"] as? Bool == true {
                #expect(anchor["state"] as? String == "exact", "\(cells[5]) → \(anchor)")
                #expect(comment["section"] as? String == row["section"] as? String)
                // The anchor is the draft's source text, whose words are the quote's.
                let exact = try #require(anchor["exact"] as? String)
                func words(_ text: String) -> [String] {
                    text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
                }
                #expect(words(exact.replacingOccurrences(of: "](https://example.org/solutions)", with: "")) == words(row["quote"] as? String ?? ""))
            } else {
                #expect(anchor["state"] as? String != "exact", "\(cells[5]) was anchored: \(anchor)")
                #expect(anchor["exact"] == nil)
            }
            if let first = row["duplicateOfRow"] as? Int {
                let original = try #require(listed.first { $0["row"] as? Int == first })
                #expect(comment["duplicateOf"] as? String == original["id"] as? String)
            } else {
                #expect(comment["duplicateOf"] == nil)
            }
        }
        // The paraphrase stays with the section it named, and says why.
        let paraphrase = try #require(listed[rows.firstIndex { $0["section"] as? String != nil && $0["anchored"] as? Bool == false }!])
        #expect((paraphrase["anchor"] as? [String: Any])?["state"] as? String == "section")
        #expect(((paraphrase["anchor"] as? [String: Any])?["note"] as? String)?.contains("not in section") == true)

        // The same file again adds nothing, and commits nothing.
        let tip = try sandbox.git("rev-parse", "HEAD")
        let again = try sandbox.stet("comments", "import", sandbox.path + "/exports/" + file, "--round", "online-2024", "--on", "first")
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("Nothing to import"))
        #expect(try sandbox.git("rev-parse", "HEAD") == tip)
        #expect(try comments(sandbox).count == rows.count)
    }

    @Test func aFileThatCannotBeReadWritesNothing() throws {
        let sandbox = try repository()
        let head = try sandbox.git("rev-parse", "HEAD")
        let cases: [(String, [UInt8], String)] = [
            ("open-quote.csv", Array("Name,Comment\nAmina,\"fine\"\nBo,\"never closed\nCarla,x\n".utf8), "row 3"),
            ("no-comments.csv", Array("Name,Country\nAmina,Kenya\n".utf8), "no column holds the comments"),
            ("latin1.csv", [0x4E, 0x61, 0x6D, 0x65, 0x2C, 0x43, 0x6F, 0x6D, 0x6D, 0x65, 0x6E, 0x74, 0x0A, 0x4A, 0xE9, 0x2C, 0x78, 0x0A],
             "not UTF-8 or UTF-16"),
            ("broken.xlsx", Array("PK\u{03}\u{04}not really a workbook".utf8), "not a readable Excel workbook"),
            ("empty-row.csv", Array("Name,Comment\nAmina,Fine\nBo,\n".utf8), "row 3"),
            ("header-only.csv", Array("Name,Comment\n".utf8), "no comments below it"),
        ]
        for (name, bytes, message) in cases {
            try sandbox.write(name, bytes: bytes)
            let result = try sandbox.stet("comments", "import", sandbox.path + "/" + name, "--round", "r1", "--on", "first")
            #expect(result.status != 0, "\(name) was imported")
            #expect(result.error.contains(name) && result.error.contains(message), "\(name): \(result.error)")
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
            #expect(try sandbox.git("rev-parse", "HEAD") == head)
            #expect(!sandbox.exists("repo/comments/r1.rec"))
        }
        let unmapped = try sandbox.stet("comments", "import", sandbox.path + "/empty-row.csv", "--round", "r1", "--on", "first",
                                        "--map", "Feedback=comment")
        #expect(unmapped.status != 0 && unmapped.error.contains("no column 'Feedback'"), "\(unmapped.error)")
    }

    /// The ISO commenting template: title lines above the header, footnote marks in the column
    /// names, the type as ge/te/ed, the clause as the section, the secretariat's observations as
    /// the response.
    @Test func theISOTemplateImportsAsItIs() throws {
        let sandbox = try repository()
        let made = try sandbox.run("/usr/bin/env", ["python3", "-c", """
            import sys, openpyxl
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(["Template for comments and secretariat observations"])
            sheet.append(["Date: 2025-01-31", None, "Document: Guidelines, first draft"])
            sheet.append(["MB/NC\\u00b9", "Line number", "Clause/Subclause", "Paragraph/Figure/Table/", "Type of comment\\u00b2",
                          "Comments", "Proposed change", "Observations of the secretariat"])
            sheet.append(["KE", "12", "2", "Para 1", "te", "Name the schedule.", "Publish a schedule.", "Accepted in principle."])
            sheet.append(["FR", "3", "Guiding principles", "", "ed", "Typo.", "", ""])
            book.save(sys.argv[1])
            """, sandbox.path + "/iso.xlsx"], in: ".")
        #expect(made.status == 0, "\(made.error)")
        let imported = try sandbox.stet("comments", "import", sandbox.path + "/iso.xlsx", "--round", "iso", "--on", "first", "--prefix", "ISO-")
        #expect(imported.status == 0, "\(imported.error)")
        let listed = try comments(sandbox)
        #expect(listed.map { $0["id"] as? String } == ["ISO-0001", "ISO-0002"])
        #expect(listed.map { $0["row"] as? Int } == [4, 5])
        #expect(listed.map { $0["section"] as? String } == ["data", "principles"])
        #expect(listed.map { $0["type"] as? String } == ["technical", "editorial"])
        #expect(listed.first?["response"] as? String == "Accepted in principle.")
        #expect((listed.first?["commenter"] as? [String: Any])?["organisation"] as? String == "KE")
    }

    /// Passages kept, edited, moved to another section and deleted: at every later draft each
    /// comment is listed, in the state its passage is in.
    @Test func commentsFollowTheirPassagesThroughTheHistory() throws {
        let sandbox = try repository()
        let csv = """
            Name,Section,Quote,Comment
            Kept,principles,Residents have a right to know which systems affect them,Keep it.
            Edited,data,kept no longer than the purpose for which it was collected requires,Too vague.
            Moved,principles,Every register entry names the office that answers for the system and its suppliers.,Belongs with data.
            Deleted,principles,"Registers are published as open data, in formats that ordinary software can read.",Too detailed.
            Section only,Data governance,,The section is short.
            Heading,Transparency,,Say who keeps the register.
            General,General,,Good work.
            Two places,,residents,Which residents?
            """
        try sandbox.write("c.csv", csv)
        #expect(try sandbox.stet("comments", "import", sandbox.path + "/c.csv", "--round", "r", "--on", "first").status == 0)
        func states(_ revision: String) throws -> [String: (String, String?, [String])] {
            var result: [String: (String, String?, [String])] = [:]
            for comment in try comments(sandbox, "--at", revision) {
                let name = (comment["commenter"] as? [String: Any])?["name"] as? String ?? ""
                let anchor = comment["anchor"] as? [String: Any] ?? [:]
                result[name] = (anchor["state"] as? String ?? "", comment["section"] as? String, anchor["editedBy"] as? [String] ?? [])
            }
            return result
        }
        let atFirst = try states("first")
        #expect(atFirst.count == 8)
        // A heading inside a section names it.
        #expect(atFirst["Heading"]?.0 == "section" && atFirst["Heading"]?.1 == "principles", "\(atFirst)")
        #expect(atFirst["Kept"]?.0 == "exact" && atFirst["Edited"]?.0 == "exact" && atFirst["Moved"]?.0 == "exact"
                    && atFirst["Deleted"]?.0 == "exact")
        #expect(atFirst["Section only"]?.0 == "section" && atFirst["Section only"]?.1 == "data")
        #expect(atFirst["General"]?.0 == "unanchored" && atFirst["Two places"]?.0 == "unanchored")

        // Edit one passage.
        try sandbox.write("repo/drafts/02-data.md", Self.data.replacingOccurrences(of: "the purpose for which it was collected requires",
                                                                               with: "its stated purpose requires"))
        #expect(try sandbox.stet("commit", "-m", "Say stated purpose").status == 0)
        let edit = try sandbox.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        // Move the register entry from the principles to the data section.
        let entry = "- Every register entry names the office that answers for the system and its suppliers.\n"
        try sandbox.write("repo/drafts/01-principles.md", Self.principles.replacingOccurrences(of: entry, with: ""))
        try sandbox.write("repo/drafts/02-data.md", try sandbox.read("repo/drafts/02-data.md") + "\n" + entry)
        #expect(try sandbox.stet("commit", "-m", "Move the register entry to data").status == 0)
        let afterMove = try states("HEAD")
        #expect(afterMove["Edited"]?.0 == "changed" && afterMove["Edited"]?.2 == [edit], "\(afterMove)")
        #expect(afterMove["Moved"]?.0 == "exact" && afterMove["Moved"]?.1 == "data", "\(afterMove)")
        #expect(afterMove["Kept"]?.0 == "exact")
        // Delete a passage.
        try sandbox.write("repo/drafts/01-principles.md", try sandbox.read("repo/drafts/01-principles.md")
            .replacingOccurrences(of: "- Registers are published as open data, in formats that ordinary software can read.\n", with: ""))
        #expect(try sandbox.stet("commit", "-m", "Leave formats to the regulations").status == 0)
        let deletion = try sandbox.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try sandbox.stet("tag", "second", "-m", "Second draft").status == 0)
        let atSecond = try states("second")
        #expect(atSecond.count == 8)
        #expect(atSecond["Deleted"]?.0 == "deleted" && atSecond["Deleted"]?.2 == [deletion], "\(atSecond)")
        #expect(atSecond["Kept"]?.0 == "exact" && atSecond["Moved"]?.0 == "exact" && atSecond["Edited"]?.0 == "changed")
        // Only the passages in one state; the summary counts them all.
        let deleted = try comments(sandbox, "--at", "second", "--state", "deleted")
        #expect(deleted.map { ($0["commenter"] as? [String: Any])?["name"] as? String } == ["Deleted"])
        let summary = try sandbox.stet("comments", "--at", "second")
        #expect(summary.output.contains("8 comments: 8 open; passages at second: 2 exact, 1 changed, 1 deleted, 2 section, 2 unanchored"),
                "\(summary.output)")
        // The text view says it too.
        let show = try sandbox.stet("comments", "show", "OC-0002")
        #expect(show.output.contains("changed at HEAD") && show.output.contains("its stated purpose requires"), "\(show.output)")
    }

    @Test func answersAndCommitsMeetInTheMatrix() throws {
        let sandbox = try repository()
        try sandbox.write("c.csv", """
            Name,Organisation,Stakeholder group,Section,Quote,Comment,Proposed change
            Amina,"=HYPERLINK(""http://127.0.0.1:9/"",""x"")",Civil society,data,kept no longer than the purpose for which it was collected requires,Name the schedule.,@SUM(1+1)
            "<script>document.title='pwned'</script>",+cmd,Academia,principles,Residents have a right to know,<img src=x onerror=document.title='pwned'>,-2+3
            """)
        #expect(try sandbox.stet("comments", "import", sandbox.path + "/c.csv", "--round", "r", "--on", "first").status == 0)
        // A typo in --addresses is refused, with the nearest id.
        try sandbox.write("repo/drafts/02-data.md", Self.data.replacingOccurrences(of: "requires,", with: "requires, at most five years,"))
        let typo = try sandbox.stet("commit", "-m", "Set a limit", "--addresses", "OC-001")
        #expect(typo.status != 0 && typo.error.contains("'OC-001'") && typo.error.contains("OC-0001"), "\(typo.error)")
        // Respond: written to the store, committed with the change that answers it.
        let respond = try sandbox.stet("comments", "respond", "OC-0001", "--status", "accepted", "--response", "A limit of five years is set.")
        #expect(respond.status == 0, "\(respond.error)")
        #expect(try sandbox.git("status", "--porcelain").contains("comments/r.rec"))
        #expect(try sandbox.stet("status").output.contains("Comments answered and not yet committed"))
        let check = try sandbox.stet("comments", "check")
        #expect(check.status == 1 && check.output.contains("OC-0001 is accepted but no commit addresses it"), "\(check.output)")
        let commit = try sandbox.stet("commit", "-m", "Set a limit", "--addresses", "OC-0001")
        #expect(commit.status == 0, "\(commit.error)")
        #expect(try sandbox.git("show", "--name-only", "--format=", "HEAD").contains("comments/r.rec"))
        #expect(try sandbox.git("log", "-1", "--format=%(trailers:key=Addresses,valueonly)").contains("OC-0001"))
        #expect(try sandbox.stet("comments", "check").status == 0)
        // git diff of one changed disposition touches that record's lines only.
        #expect(try sandbox.stet("comments", "respond", "OC-0002", "--status", "rejected", "--response", "Out of scope.").status == 0)
        let diff = try sandbox.git("diff", "-U0", "--", "comments/r.rec")
        let changed = diff.split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
        #expect(changed.allSatisfy { $0.contains("Status:") || $0.contains("Response:") || $0.contains("Answered") }, "\(diff)")
        #expect(try sandbox.stet("commit", "-m", "Answer OC-0002").status == 0)

        // JSON: the row holds the disposition and the words the commit inserted.
        let matrix = try json(try sandbox.stet("comments", "matrix", "--format", "json"))
        let rows = matrix["comments"] as? [[String: Any]] ?? []
        let first = try #require(rows.first { $0["id"] as? String == "OC-0001" })
        #expect(first["status"] as? String == "accepted" && first["response"] as? String == "A limit of five years is set.")
        let changes = first["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 1 && (changes.first?["inserted"] as? String)?.contains("at most five years") == true, "\(changes)")
        // XLSX: openpyxl reads every cell as text; none is a formula.
        #expect(try sandbox.stet("comments", "matrix", "--format", "xlsx", "-o", sandbox.path + "/m.xlsx").status == 0)
        let read = try json(try sandbox.run("/usr/bin/env", ["python3", Self.tools + "/comments-files.py", "read-xlsx",
                                                             sandbox.path + "/m.xlsx"], in: "."))
        let cells = (read["cells"] as? [[[String: Any]]] ?? []).flatMap { $0 }
        #expect(cells.count > 40)
        #expect(!cells.contains { $0["type"] as? String == "f" }, "a formula cell")
        let values = cells.compactMap { $0["value"] as? String }
        #expect(values.contains("=HYPERLINK(\"http://127.0.0.1:9/\",\"x\")") && values.contains("@SUM(1+1)") && values.contains("-2+3"))
        #expect(values.contains { $0.contains("at most five years") })
        // CSV: formula-looking cells start with an apostrophe.
        #expect(try sandbox.stet("comments", "matrix", "--format", "csv", "-o", sandbox.path + "/m.csv").status == 0)
        let csv = try sandbox.read("m.csv")
        #expect(csv.contains("\"'=HYPERLINK(\"\"http") && csv.contains("\"'@SUM(1+1)\"") && csv.contains("\"'-2+3\"") && csv.contains("\"'+cmd\""))
        #expect(!csv.contains(",\"=") && !csv.contains(",\"@") && !csv.contains(",\"+") && !csv.contains(",\"-"))
        // HTML: Chromium runs no payload and loads nothing.
        #expect(try sandbox.stet("comments", "matrix", "-o", sandbox.path + "/m.html").status == 0)
        let (dom, log) = try HTMLTests().open(sandbox.path + "/m.html", in: sandbox)
        #expect(dom.contains("<title>Comments on"))
        #expect(!dom.contains("pwned</title>"))
        for pattern in [#"<[^>]*\son[a-z]+="#, #"<(svg|iframe|img)\b"#, #"<script(?! nonce=)"#] {
            #expect(dom.firstMatch(of: try Regex(pattern)) == nil, "\(pattern) matched the DOM")
        }
        #expect(dom.contains("<ins>") && dom.contains("at most five years"))
        #expect(!log.contains("net::"), "a network request was attempted")
        // Word: a valid package whose text LibreOffice reads, the payloads as text.
        #expect(try sandbox.stet("comments", "matrix", "--format", "docx", "-o", sandbox.path + "/m.docx").status == 0)
        let package = try sandbox.run("/usr/bin/env", ["python3", "-c", """
            import sys, zipfile
            from xml.dom import minidom
            archive = zipfile.ZipFile(sys.argv[1])
            assert archive.testzip() is None
            for name in archive.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    minidom.parseString(archive.read(name))
            print(archive.read("word/document.xml").decode().count("<w:tbl>"))
            """, sandbox.path + "/m.docx"], in: ".")
        #expect(package.status == 0 && Int(package.output.trimmingCharacters(in: .whitespacesAndNewlines)) == 3, "\(package.output) \(package.error)")
        let converted = try sandbox.run("/usr/bin/soffice", ["-env:UserInstallation=file://" + sandbox.path + "/lo", "--headless",
                                                             "--convert-to", "txt:Text", "--outdir", sandbox.path + "/txt", sandbox.path + "/m.docx"], in: ".")
        #expect(converted.status == 0, "\(converted.error)")
        let text = try sandbox.read("txt/m.txt")
        #expect(text.contains("OC-0001") && text.contains("at most five years") && text.contains("ACCEPTED"), "\(text)")
        #expect(text.contains("<script>document.title='pwned'</script>"))
        // A second write of stet's own file replaces it; a file stet did not write is kept.
        #expect(try sandbox.stet("comments", "matrix", "--format", "xlsx", "-o", sandbox.path + "/m.xlsx").status == 0)
        try sandbox.write("mine.csv", "my own notes\n")
        let kept = try sandbox.stet("comments", "matrix", "--format", "csv", "-o", sandbox.path + "/mine.csv")
        #expect(kept.status != 0)
        #expect(try sandbox.read("mine.csv") == "my own notes\n")
        // The comment log: the commits that addressed a comment.
        let log2 = try sandbox.stet("log", "--addresses", "OC-0001")
        #expect(log2.status == 0 && log2.output.contains("Set a limit") && !log2.output.contains("Answer OC-0002"), "\(log2.output)")
    }

    /// The hardening tests' payloads in every field of a comment and of its answer: the matrix
    /// page runs none of them and loads nothing, and shows each as text.
    @Test func noPayloadInACommentRunsInTheMatrix() throws {
        let sandbox = try repository()
        func cell(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv = "Name,Organisation,Stakeholder group,Country,Section,Quote,Comment,Proposed change,Response\n"
        for payload in XSSTests.payloads {
            csv += ([payload, payload, payload, payload, "General", payload, payload, payload, payload].map(cell)).joined(separator: ",") + "\n"
        }
        try sandbox.write("xss.csv", csv)
        let imported = try sandbox.stet("comments", "import", sandbox.path + "/xss.csv", "--round", "xss", "--on", "first")
        #expect(imported.status == 0, "\(imported.error)")
        #expect(try sandbox.stet("comments", "respond", "OC-0001", "--status", "rejected", "--response", XSSTests.payloads[0]).status == 0)
        #expect(try sandbox.stet("comments", "matrix", "-o", sandbox.path + "/m.html").status == 0)
        let (dom, log) = try HTMLTests().open(sandbox.path + "/m.html", in: sandbox)
        #expect(!dom.contains("pwned</title>"))
        // stet's own script (with its nonce) is the only one. The serialized DOM quotes every
        // attribute value with " and escapes it inside, so the values can be set aside: what is
        // left are the real elements and attributes.
        let elements = dom.replacing(/="[^"]*"/, with: "=\"\"")
        // Every link stet wrote points inside the page; no element loads anything.
        try sandbox.write("dom.html", dom)
        let links = try sandbox.run("/usr/bin/env", ["python3", "-c", """
            import html5lib, sys
            tree = html5lib.parse(open(sys.argv[1], encoding="utf-8").read(), namespaceHTMLElements=False)
            for element in tree.iter():
                for name, value in element.attrib.items():
                    if name in ("href", "src", "action", "formaction", "srcdoc", "data") and not value.startswith("#"):
                        print(element.tag, name, value)
            """, sandbox.path + "/dom.html"], in: ".")
        #expect(links.status == 0 && links.output.isEmpty, "\(links.output) \(links.error)")
        for pattern in [#"<[^>]*\son[a-z]+="#, #"<script(?! nonce=)"#,
                        #"<(svg|iframe|img|object|embed|base|meta http-equiv="refresh"|link|style>@import)\b"#] {
            let match = elements.firstMatch(of: try Regex(pattern)).map { String(elements[$0.range.lowerBound...].prefix(120)) }
            #expect(match == nil, "\(pattern) matched the DOM: \(match ?? "")")
        }
        for line in log.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused") {
            Issue.record("browser console: \(line)")
        }
        #expect(!log.contains("net::"), "a network request was attempted")
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "a payload is not shown as text")
    }

    /// The secretariat fills in the exported matrix and gives it back: the rows it changed are
    /// recorded, the others left as they were; a row naming an unknown status writes nothing.
    @Test func dispositionsComeBackFromTheExportedMatrix() throws {
        let sandbox = try repository()
        try sandbox.write("c.csv", "Name,Section,Comment,Proposed change\nA,data,One.,=1+1\nB,data,Two.,\nC,principles,Three.,\n")
        #expect(try sandbox.stet("comments", "import", sandbox.path + "/c.csv", "--round", "r", "--on", "first").status == 0)
        #expect(try sandbox.stet("comments", "matrix", "--format", "xlsx", "-o", sandbox.path + "/m.xlsx").status == 0)
        let filled = try sandbox.run("/usr/bin/env", ["python3", Self.tools + "/comments-files.py", "answer-xlsx", sandbox.path + "/m.xlsx",
                                                      "OC-0001=accepted=Done, in the next draft.", "OC-0003=rejected=Out of scope."], in: ".")
        #expect(filled.status == 0, "\(filled.error)")
        let head = try sandbox.git("rev-parse", "HEAD")
        let recorded = try sandbox.stet("comments", "respond", "--from", sandbox.path + "/m.xlsx", "--commit")
        #expect(recorded.status == 0 && recorded.output.contains("Recorded 2 dispositions"), "\(recorded.output) \(recorded.error)")
        #expect(try sandbox.git("rev-parse", "HEAD~1") == head)
        let listed = try comments(sandbox)
        #expect(listed.map { $0["status"] as? String } == ["accepted", "open", "rejected"])
        #expect(listed.first?["response"] as? String == "Done, in the next draft.")
        #expect(listed.first?["proposal"] as? String == "=1+1")
        // The same file again records nothing; the CSV matrix reads back the same way.
        #expect(try sandbox.stet("comments", "respond", "--from", sandbox.path + "/m.xlsx").output.contains("Nothing to record"))
        #expect(try sandbox.stet("comments", "matrix", "--format", "csv", "-o", sandbox.path + "/m.csv").status == 0)
        #expect(try sandbox.stet("comments", "respond", "--from", sandbox.path + "/m.csv").output.contains("Nothing to record"))
        // An unknown status or comment stops it, and nothing is written.
        let bad = try sandbox.run("/usr/bin/env", ["python3", Self.tools + "/comments-files.py", "answer-xlsx", sandbox.path + "/m.xlsx",
                                                   "OC-0002=maybe=Later."], in: ".")
        #expect(bad.status == 0)
        let refused = try sandbox.stet("comments", "respond", "--from", sandbox.path + "/m.xlsx")
        #expect(refused.status != 0 && refused.error.contains("row 3") && refused.error.contains("'maybe'"), "\(refused.error)")
        #expect(try sandbox.git("status", "--porcelain").isEmpty)
    }

    /// Two writers answer different comments of one round on their clones, and sync.
    @Test func twoClonesAnsweringDifferentCommentsSyncWithoutAConflict() throws {
        let sandbox = try repository()
        try sandbox.write("c.csv", "Name,Section,Comment\nA,data,One.\nB,data,Two.\nC,principles,Three.\n")
        #expect(try sandbox.stet("comments", "import", sandbox.path + "/c.csv", "--round", "r", "--on", "first").status == 0)
        _ = try sandbox.git(["init", "--bare", "-q", sandbox.path + "/hub.git"], in: ".")
        #expect(try sandbox.stet("remote", "add", "origin", sandbox.path + "/hub.git").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        #expect(try sandbox.stet("clone", sandbox.path + "/hub.git", "other", in: ".").status == 0)
        #expect(try sandbox.stet("comments", "respond", "OC-0001", "--status", "noted", "--response", "Thanks.", "--commit").status == 0)
        #expect(try sandbox.stet("comments", "respond", "OC-0003", "--status", "rejected", "--response", "No.", "--commit",
                                 in: "other", author: "Bo Chen <bo@example.org>").status == 0)
        let synced = try sandbox.stet("sync", in: "other", author: "Bo Chen <bo@example.org>")
        #expect(synced.status == 0, "\(synced.error)")
        let back = try sandbox.stet("sync")
        #expect(back.status == 0, "\(back.error)")
        let listed = try comments(sandbox)
        #expect(listed.map { $0["status"] as? String } == ["noted", "open", "rejected"])
        try sandbox.git("fsck", "--strict")
        // The same comment answered differently on both sides is a conflict to settle, never lost.
        #expect(try sandbox.stet("comments", "respond", "OC-0002", "--status", "accepted", "--commit").status == 0)
        #expect(try sandbox.stet("sync", in: "other", author: "Bo Chen <bo@example.org>").status == 0)
        #expect(try sandbox.stet("comments", "respond", "OC-0002", "--status", "rejected", "--commit", in: "other",
                                 author: "Bo Chen <bo@example.org>").status == 0)
        #expect(try sandbox.stet("comments", "respond", "OC-0002", "--status", "noted", "--commit").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        let conflict = try sandbox.stet("sync", in: "other", author: "Bo Chen <bo@example.org>")
        #expect(conflict.status == 3, "\(conflict.output) \(conflict.error)")
        #expect((conflict.output + conflict.error).contains("comments/r.rec"))
    }

    /// The next milestone is tagged with a warning while comments on the last are open, or
    /// refused when stet.yml says so; nothing is tagged then.
    @Test func tagWarnsOrRefusesWhileCommentsOnThePreviousMilestoneAreOpen() throws {
        let sandbox = try repository()
        try sandbox.write("c.csv", "Name,Section,Comment\nA,data,One.\nB,data,Two.\n")
        #expect(try sandbox.stet("comments", "import", sandbox.path + "/c.csv", "--round", "r", "--on", "first").status == 0)
        #expect(try sandbox.stet("comments", "respond", "OC-0001", "--status", "noted", "--commit").status == 0)
        try sandbox.write("repo/stet.yml", try sandbox.read("repo/stet.yml").replacingOccurrences(of: "open-comments: warn",
                                                                                                  with: "open-comments: refuse"))
        _ = try sandbox.git("commit", "-qam", "Refuse open comments")
        let refused = try sandbox.stet("tag", "second", "-m", "Second draft")
        #expect(refused.status == 65 && refused.error.contains("1 comment made on 'first' is still open: OC-0002"), "\(refused.error)")
        #expect(try sandbox.git("tag", "-l") == "first\n")
        try sandbox.write("repo/stet.yml", try sandbox.read("repo/stet.yml").replacingOccurrences(of: "open-comments: refuse",
                                                                                                  with: "open-comments: warn"))
        _ = try sandbox.git("commit", "-qam", "Warn of open comments")
        let warned = try sandbox.stet("tag", "second", "-m", "Second draft")
        #expect(warned.status == 0 && warned.error.contains("still open: OC-0002"), "\(warned.error)")
    }

    @Test func anExpertAddsACommentOnAPassage() throws {
        let sandbox = try repository()
        let added = try sandbox.stet("comment", "add", "principles", "--quote", "Residents have a right to know which systems",
                                     "-m", "Add \"and why\".", "--by", "Mei Chen", "--org", "EWG")
        #expect(added.status == 0, "\(added.error)")
        #expect(added.output.contains("EC-0001") && added.output.contains("anchored"))
        let listed = try comments(sandbox)
        #expect(listed.count == 1 && listed[0]["round"] as? String == "review")
        #expect((listed[0]["anchor"] as? [String: Any])?["state"] as? String == "exact")
        let missing = try sandbox.stet("comment", "add", "principles", "--quote", "a passage it does not have", "-m", "x")
        #expect(missing.status != 0 && missing.error.contains("not in section 'principles'"), "\(missing.error)")
        #expect(try comments(sandbox).count == 1)
    }
}
