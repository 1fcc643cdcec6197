import Foundation
import StetTestSupport
import Testing

/// `stet diff` on real repositories: revisions as git takes them, every format, and git as the
/// reader of what is unchanged.
@Suite("stet diff")
struct DiffTests {
    func started() throws -> Sandbox {
        try Sandbox.committed(["drafts/01-preamble.md": "# Preamble\n\nCities are for people.\n\nThey change.\n",
                               "drafts/02-data.md": "---\nid: data\n---\n# Data\n\nData stays with residents and is never sold to anyone.\n"])
    }

    @Test func workingTreeAgainstHeadAndTwoRevisions() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities belong to people.\n\nThey change.\n")
        var result = try sandbox.stet("diff")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == """
            == Preamble (preamble): modified, +2 -2 words
                # Preamble
                Cities [-are for-]{+belong to+} people.
                They change.


            """)
        #expect(try sandbox.stet("diff", "--exit-code").status == 1)
        #expect(try sandbox.stet("commit", "-m", "Reword").status == 0)
        #expect(try sandbox.stet("diff", "--exit-code").status == 0)
        result = try sandbox.stet("diff", "HEAD~1", "HEAD", "--stat")
        #expect(result.output == "preamble  +2 -2\n1 section changed, 2 words added, 2 words removed\n")
        // One revision: against the working tree.
        result = try sandbox.stet("diff", "HEAD~1", "--stat")
        #expect(result.output.hasPrefix("preamble  +2 -2\n"))
    }

    @Test func movesAndRenamesAcrossSections() throws {
        let sandbox = try started()
        try sandbox.git("mv", "drafts/02-data.md", "drafts/03-data.md")
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for people.\n\nThey change.\n\nData stays with residents and is never sold to anyone.\n")
        try sandbox.write("repo/drafts/03-data.md", "---\nid: data\n---\n# Data\n")
        let result = try sandbox.stet("diff", "--debug")
        #expect(result.output == """
            section preamble modified
              paragraph moved-here from data: Data stays with residents and is never sold to anyone.
            section data renamed (drafts/02-data.md -> drafts/03-data.md)
              paragraph moved-away to preamble: [>Data stays with residents and is never sold to anyone.<]

            """, "\(result.error)")
    }

    @Test func criticMarkupAcceptsToBAndRejectsToA() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for\nall people.\n\n- A new list\n")
        #expect(try sandbox.stet("commit", "-m", "Edit").status == 0)
        let result = try sandbox.stet("diff", "HEAD~1", "HEAD", "--format", "criticmarkup", "--section", "preamble")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("{++\nall++}"), "\(result.output)")
        try Self.expectRoundTrip(result.output, sandbox, path: "drafts/01-preamble.md", a: "HEAD~1", b: "HEAD")
    }

    /// Checks with `resolver` that accepting every change in `markup` gives `path` at `b` byte
    /// for byte, and rejecting every change gives it at `a`.
    static func expectRoundTrip(_ markup: String, _ sandbox: Sandbox, path: String, a: String, b: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let accepted = try sandbox.run("/usr/bin/python3", ["-c", resolver, "accept"], input: markup)
        let rejected = try sandbox.run("/usr/bin/python3", ["-c", resolver, "reject"], input: markup)
        #expect(accepted.output == (try sandbox.git("show", "\(b):\(path)")), "accepting every change", sourceLocation: sourceLocation)
        #expect(rejected.output == (try sandbox.git("show", "\(a):\(path)")), "rejecting every change", sourceLocation: sourceLocation)
    }

    /// An independent CriticMarkup reader: accept or reject every change, in one pass from left
    /// to right, each mark ending at its first closing delimiter.
    static let resolver = """
        import re, sys
        text = sys.stdin.read()
        accept = sys.argv[1] == "accept"
        mark = re.compile(r"\\{>>.*?<<\\}|\\{~~(.*?)~>(.*?)~~\\}|\\{\\+\\+(.*?)\\+\\+\\}|\\{--(.*?)--\\}", re.S)
        def resolve(m):
            if m.group(0).startswith("{~~"):
                return m.group(2 if accept else 1)
            if m.group(0).startswith("{++"):
                return m.group(3) if accept else ""
            if m.group(0).startswith("{--"):
                return "" if accept else m.group(4)
            return ""
        text = mark.sub(resolve, text)
        sys.stdout.write(text)
        """

    @Test func jsonFollowsItsSchema() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for all people.\n\nThey change.\n")
        let result = try sandbox.stet("diff", "--format", "json")
        struct Document: Decodable {
            struct Side: Decodable { var revision: String; var commit: String? }
            struct Section: Decodable {
                struct Block: Decodable {
                    struct Span: Decodable { var kind: String; var text: String }
                    var kind: String
                    var status: String
                    var spans: [Span]
                }
                var id: String
                var status: String
                var wordsInserted: Int
                var blocks: [Block]
            }
            var schemaVersion: Int
            var a: Side
            var b: Side
            var sections: [Section]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
        #expect(document.schemaVersion == 1)
        #expect(document.a.revision == "HEAD")
        #expect(document.b.commit == nil)
        #expect(document.sections.map(\.id) == ["preamble"])
        #expect(document.sections[0].wordsInserted == 1)
        let changed = document.sections[0].blocks.filter { $0.status == "modified" }
        #expect(changed.map(\.kind) == ["paragraph"])
        #expect(changed[0].spans.map(\.kind) == ["equal", "inserted", "equal"])
        // Rebuilding B from the spans gives the working file.
        let rebuilt = document.sections[0].blocks.flatMap(\.spans).filter { $0.kind == "equal" || $0.kind == "inserted" }
            .map(\.text).joined()
        #expect(rebuilt == (try sandbox.read("repo/drafts/01-preamble.md")))
    }

    @Test func unknownSectionsAndRevisionsAreNamed() throws {
        let sandbox = try started()
        var result = try sandbox.stet("diff", "--section", "preambel")
        #expect(result.status == 66)
        #expect(result.error.contains("unknown section 'preambel'"), "\(result.error)")
        #expect(result.error.contains("did you mean 'preamble'"))
        result = try sandbox.stet("diff", "nowhere")
        #expect(result.status == 66)
        #expect(result.error.contains("revision 'nowhere' names no commit"))
        result = try sandbox.stet("diff", "--format", "criticmarkup")
        #expect(result.status == 64)
    }

    @Test func controlCharactersFromContentAreShownNotObeyed() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities \u{1B}[31mred\u{1B}[0m are for people.\n\nThey change.\n")
        let result = try sandbox.stet("diff", "--color", "always")
        #expect(!result.output.contains("\u{1B}[31mred"))
        #expect(result.output.contains("^[[31mred"))
    }

    /// On a history made by make-corpus.py, a section git reports unchanged is never changed in
    /// stet's comparison, and every section stet reports changed is one git reports.
    @Test func sectionsGitCallsUnchangedStayUnchanged() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/bench/make-corpus.py").standardized.path
        try #require(FileManager.default.fileExists(atPath: script), "make-corpus.py is beside the project")
        let sandbox = try Sandbox()
        let made = try sandbox.run("/usr/bin/python3", [script, sandbox.path + "/repo", "--sections", "30", "--commits", "300", "--wrap", "72"], in: ".")
        #expect(made.status == 0, "\(made.error)")
        for (from, to) in [("first", "second"), ("second", "final"), ("first", "final")] {
            let gitChanged = Set(try sandbox.git("diff", "--name-only", from, to, "--", "drafts").split(separator: "\n").map(String.init))
            let result = try sandbox.stet("diff", from, to, "--format", "json")
            #expect(result.status == 0, "\(result.error)")
            struct Document: Decodable {
                struct Section: Decodable { var pathA: String?; var pathB: String? }
                var sections: [Section]
            }
            let document = try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
            for section in document.sections {
                let paths = [section.pathA, section.pathB].compactMap { $0 }
                #expect(paths.contains(where: gitChanged.contains), "\(from)..\(to): \(paths) changed only for stet")
            }
            #expect(!document.sections.isEmpty)
        }
    }
}
