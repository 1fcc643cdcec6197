import Foundation
import StetTestSupport
import Testing

/// Input meant to break stet, through the command line: names that try to leave the drafts
/// folder or reach a shell, YAML bombs, a very long line, deep nesting, and characters that
/// hide or reorder text. Each gets a clear refusal or a correct result. (How long each takes
/// and how much memory it needs is measured by Benchmarks/hostile.sh, not here.)
@Suite("Hostile input through the command line")
struct HostileInputTests {
    func started() throws -> Sandbox {
        try Sandbox.committed(["drafts/01-preamble.md": "# Preamble\n\nCities are for people.\n"])
    }

    @Test func namesWithPathsAndShellCharactersStayInTheDrafts() throws {
        let sandbox = try started()
        let created = try sandbox.stet("section", "new", "../../etc/passwd; rm -rf ~ <b>$(whoami)</b>")
        #expect(created.status == 0, "\(created.error)")
        #expect(created.output == "Created drafts/02-etc-passwd-rm-rf-b-whoami-b.md\n", "\(created.output)")
        #expect(!sandbox.exists("etc") && !sandbox.exists("repo/etc"))

        let badID = try sandbox.stet("section", "new", "Data", "--id", "../outside")
        #expect(badID.status == 64 && badID.error == "stet: error: section id '../outside' has an empty, '.' or '..' part\n")
        #expect(!sandbox.exists("outside.md") && !sandbox.exists("repo/outside.md"))

        let before = try sandbox.repositoryState()
        try sandbox.write("repo/drafts/03-evil.md", "---\nid: ../../evil\n---\n# Evil\n\nText.\n")
        let refused = try sandbox.stet("commit", "-m", "Evil", "drafts/03-evil.md")
        #expect(refused.status == 65)
        #expect(refused.error == "stet: error: drafts/03-evil.md: front matter: id '../../evil' has an empty, '.' or '..' part\n")
        #expect(try sandbox.repositoryState() == before)

        // Nested ids are parts; shell and markup characters in a title are only text.
        try sandbox.write("repo/drafts/03-evil.md", "---\nid: part/evil\ntitle: '$(rm -rf ~) `id` <script>x</script>'\n---\n# Evil\n\nText.\n")
        let committed = try sandbox.stet("commit", "-m", "Title; rm -rf ~", "drafts/03-evil.md", "drafts/02-etc-passwd-rm-rf-b-whoami-b.md")
        #expect(committed.status == 0, "\(committed.error)")
        let stat = try sandbox.stet("diff", "HEAD~1", "HEAD", "--section", "part/evil")
        #expect(stat.output.hasPrefix("== $(rm -rf ~) `id` <script>x</script> (part/evil): added"), "\(stat.output)")
        #expect(sandbox.exists("home"))
    }

    @Test func yamlBombsInStetYmlAreRefusedNamingTheFile() throws {
        let sandbox = try started()
        let laughs = (1...9).map { level in
            "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]"
        }
        for text in ["title: x\nmilestones: &a [first, second]\norder: *a\n",
                     "l0: &l0 \"lol\"\n" + laughs.joined(separator: "\n") + "\ntitle: *l9\n"]
        {
            try sandbox.write("repo/stet.yml", text)
            let status = try sandbox.stet("status")
            #expect(status.status == 65, "\(status.error)")
            #expect(status.error.hasPrefix("stet: error: stet.yml uses a YAML anchor or alias (line "), "\(status.error)")
        }
        try sandbox.write("repo/stet.yml", "title: " + String(repeating: "x", count: 100_000) + "\n")
        let large = try sandbox.stet("status")
        #expect(large.status == 65 && large.error.contains("stet.yml"), "\(large.error)")
    }

    @Test func aFourMegabyteLineComparesWordByWordAndRoundTrips() throws {
        let sandbox = try started()
        let words = (0..<600_000).map { "w\($0 % 997)" }
        try sandbox.write("repo/drafts/02-line.md", "# Line\n\n" + words.joined(separator: " ") + "\n")
        #expect(try sandbox.stet("commit", "-m", "A long line").status == 0)
        var edited = words
        edited[300_000] = "changed"
        try sandbox.write("repo/drafts/02-line.md", "# Line\n\n" + edited.joined(separator: " ") + "\n")
        #expect(try sandbox.stet("commit", "-m", "One word").status == 0)

        let stat = try sandbox.stet("diff", "HEAD~1", "HEAD", "--stat")
        #expect(stat.output.hasPrefix("line  +1 -1\n"), "\(stat.output.prefix(200))")
        let critic = try sandbox.stet("diff", "HEAD~1", "HEAD", "--format", "criticmarkup", "--section", "line")
        #expect(critic.status == 0, "\(critic.error)")
        try DiffTests.expectRoundTrip(critic.output, sandbox, path: "drafts/02-line.md", a: "HEAD~1", b: "HEAD")
    }

    @Test func textHoldingCriticMarkupDelimitersRoundTrips() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-markup.md", "# Markup\n\nWrite {++this++} and {--that--}; {~~a~>b~~} {>>note<<}.\n")
        #expect(try sandbox.stet("commit", "-m", "Markup").status == 0)
        try sandbox.write("repo/drafts/02-markup.md", "# Markup\n\nWrite {++these++} and --} or ++}; ~> {~~c~>d~~} {>>a note<<} ~~}.\n")
        #expect(try sandbox.stet("commit", "-m", "More markup").status == 0)
        for command in [["diff"], ["compare"]] {
            let critic = try sandbox.stet(command + ["HEAD~1", "HEAD", "--format", "criticmarkup", "--section", "markup"])
            #expect(critic.status == 0, "\(critic.error)")
            try DiffTests.expectRoundTrip(critic.output, sandbox, path: "drafts/02-markup.md", a: "HEAD~1", b: "HEAD")
        }
    }

    @Test func tenThousandNestedLevelsAreComparedAndRendered() throws {
        let sandbox = try started()
        // Lists and quotes nested 10,000 deep, on one line each ("- + - + ..." is a list in a list).
        let lists = (0..<10_000).map { $0 % 2 == 0 ? "-" : "+" }.joined(separator: " ") + " deep"
        let quotes = String(repeating: "> ", count: 10_000) + "quoted"
        try sandbox.write("repo/drafts/02-deep.md", "# Deep\n\n" + lists + "\n\n" + quotes + "\n")
        #expect(try sandbox.stet("commit", "-m", "Deep").status == 0)
        try sandbox.write("repo/drafts/02-deep.md", "# Deep\n\n" + lists + "er\n\n" + quotes + " again\n")
        #expect(try sandbox.stet("commit", "-m", "Deeper").status == 0)

        let stat = try sandbox.stet("diff", "HEAD~1", "HEAD", "--stat")
        #expect(stat.status == 0 && stat.output.hasPrefix("deep  +2 -1\n"), "\(stat.output)\(stat.error)")
        let html = try sandbox.stet("compare", "HEAD~1", "HEAD", "-o", sandbox.path + "/deep.html")
        #expect(html.status == 0, "\(html.error)")
        let rendered = try sandbox.stet("render", "HEAD", "-o", sandbox.path + "/render.html")
        #expect(rendered.status == 0, "\(rendered.error)")
        #expect(try String(contentsOfFile: sandbox.path + "/render.html", encoding: .utf8).contains("quoted again"))
    }

    @Test func textBuiltToSlowCmarkIsRenderedAsPlainText() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-brackets.md", "# Brackets\n\n" + String(repeating: "![[]()", count: 50_000) + "\n")
        try sandbox.write("repo/drafts/03-table.md", "# Table\n\n|" + (0..<5_000).map { "c\($0)" }.joined(separator: "|") + "|\n")
        #expect(try sandbox.stet("commit", "-m", "Hostile").status == 0)
        let rendered = try sandbox.stet("render", "HEAD", "-o", sandbox.path + "/render.html")
        #expect(rendered.status == 0, "\(rendered.error)")
        let page = try String(contentsOfFile: sandbox.path + "/render.html", encoding: .utf8)
        #expect(page.components(separatedBy: "This section is shown as plain text").count == 3)
        #expect(page.contains("<pre># Brackets\n\n![[]()![[]()") && page.contains("|c4999|"))
        #expect(page.contains("<p>Cities are for people.</p>"), "the other sections are typeset")
    }

    @Test func charactersThatHideOrReorderTextAreShownInEveryRedline() throws {
        let sandbox = try started()
        let hidden: [(scalar: String, code: String)] = [
            ("\u{202E}", "\\u{202E}"), ("\u{2066}", "\\u{2066}"), ("\u{200B}", "\\u{200B}"), ("\u{200F}", "\\u{200F}"),
            ("\u{061C}", "\\u{61C}"), ("\u{FEFF}", "\\u{FEFF}"), ("\u{00AD}", "\\u{AD}"), ("\u{2028}", "\\u{2028}"),
        ]
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for people"
            + hidden.map { "\($0.scalar)x" }.joined() + ".\n")
        #expect(try sandbox.stet("commit", "-m", "Hidden characters").status == 0)

        let diff = try sandbox.stet("diff", "HEAD~1", "HEAD")
        let blame = try sandbox.stet("compare", "HEAD~1", "HEAD", "--format", "terminal")
        #expect(try sandbox.stet("compare", "HEAD~1", "HEAD", "-o", sandbox.path + "/hidden.html").status == 0)
        let page = try String(contentsOfFile: sandbox.path + "/hidden.html", encoding: .utf8)
        for (scalar, code) in hidden {
            #expect(diff.output.contains(code) && !diff.output.contains(scalar), "stet diff hides \(code)")
            #expect(blame.output.contains(code) && !blame.output.contains(scalar), "stet compare hides \(code)")
            #expect(page.contains("<span class=\"control\">\(code)</span>"), "the HTML hides \(code)")
        }
        // The exact text stays in the formats that carry it: JSON and CriticMarkup.
        let json = try sandbox.stet("diff", "HEAD~1", "HEAD", "--format", "json")
        #expect(json.output.contains("\u{202E}x") || json.output.contains("\\u202e"), "JSON lost the character")
    }
}
