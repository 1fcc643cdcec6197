import Foundation
import StetTestSupport
import Testing

/// `stet demo` from an empty folder: the milestones exist and verify, git finds the repository
/// sound, the comparison opens in Chromium, and a second run into the same folder is refused.
@Suite("stet demo")
struct DemoTests {
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path

    /// The demo's rounds of comments: every id its commits address is a comment of a round, the
    /// dispositions agree with the history, and the matrix shows the words each one changed.
    @Test func theDemoCarriesItsConsultationRoundsAndTheirMatrix() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.stet("demo", "sample", "--from", Self.project, in: ".", author: nil)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("comment matrix"))
        let check = try sandbox.stet("comments", "check", in: "sample")
        #expect(check.status == 0, "\(check.output)")
        let listed = try sandbox.stet("comments", "list", "--format", "json", "--at", "final", in: "sample")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])
        let comments = document["comments"] as? [[String: Any]] ?? []
        let ids = Set(comments.compactMap { $0["id"] as? String })
        let trailers = try sandbox.git("log", "--format=%(trailers:key=Addresses,valueonly,separator=%x2C)", in: "sample")
        let addressed = Set(trailers.split { $0 == "," || $0 == "\n" }.map(String.init))
        #expect(!addressed.isEmpty && addressed.isSubset(of: ids), "\(addressed.subtracting(ids))")
        // Followed to the final draft: a quoted passage edited since is changed, with its commit.
        let byID = Dictionary(uniqueKeysWithValues: comments.map { ($0["id"] as? String ?? "", $0) })
        let nairobi = try #require(byID["OC-0140"]?["anchor"] as? [String: Any])
        #expect(nairobi["state"] as? String == "changed")
        #expect((nairobi["text"] as? String)?.contains("common resource") == true)
        #expect(byID["OC-0159"]?["duplicateOf"] as? String == "OC-0158")
        // The redline limited to one comment's changes: only its commit's, the rest taken as made.
        let limited = try sandbox.stet("compare", "first", "final", "--addresses", "OC-0158", "--format", "json", in: "sample")
        let redline = try #require(try JSONSerialization.jsonObject(with: Data(limited.output.utf8)) as? [String: Any])
        let commits = redline["commits"] as? [[String: Any]] ?? []
        #expect(commits.count == 1 && (commits.first?["summary"] as? String)?.contains("accessible in time and language") == true)
        let sections = redline["sections"] as? [[String: Any]] ?? []
        #expect(sections.map { $0["id"] as? String } == ["guiding-principles"], "\(sections.map { $0["id"] ?? "" })")
        #expect(limited.output.contains("at accessible times") && !limited.output.contains("common resource"))
        let none = try sandbox.stet("compare", "first", "final", "--addresses", "OC-0999", in: "sample")
        #expect(none.status == 66 && none.error.contains("no change between first and final addresses OC-0999"), "\(none.error)")
        // The comparison page lists the comments its commits address, as the rounds hold them.
        let comparison = try sandbox.read("sample/compare-first-final.html")
        #expect(comparison.contains("Joseph Otieno (Nairobi regional meeting), accepted: <q>&quot;Public&quot; suggests"), "the comparison does not show OC-0140")
        let page = try sandbox.read("sample/comments.html")
        #expect(page.contains("<del>public</del><ins>common</ins>"), "the matrix does not show OC-0140's words")
        #expect(!page.contains("<script>alert"))
        // Arabic reads right to left: each paragraph takes its direction from its text.
        #expect(page.contains("<p dir=\"auto\">يجب أن تذكر"), "the Arabic comment has no direction of its own")
        // The page's filters, named by a link: only the rejected comments of academia are shown.
        let (dom, log) = try HTMLTests().open(sandbox.path + "/sample/comments.html#status=rejected&group=Academia", in: sandbox)
        let visible = try Regex(#"<article [^>]*id="([^"]+)"[^>]*>"#)
        let shown = dom.matches(of: visible).filter { !$0.output[0].substring!.contains("hidden") }.compactMap { $0.output[1].substring }
        #expect(shown == ["OC-0058"], "\(shown)")
        #expect(dom.contains("1 shown"))
        #expect(dom.contains("Data governance and privacy <span class=\"count\">1 comment</span>"), "the section's count does not follow the filters")
        #expect(!log.contains("Refused"), "\(log)")
    }

    @Test func theDemoBuildsAVerifiedRepositoryAndItsComparison() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.stet("demo", "sample", "--from", Self.project, in: ".", author: nil)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("milestones first, second, final"))
        #expect(result.output.contains("The annotated comparison of the first and final drafts: "))
        #expect(try sandbox.git("tag", "-l", in: "sample") == "final\nfirst\nsecond\n")
        try sandbox.git("fsck", "--strict", in: "sample")
        let verified = try sandbox.stet("verify", in: "sample")
        #expect(verified.status == 0, "\(verified.error)")
        // Writers answered consultation comments; the secretariat approved two drafts.
        let trailers = try sandbox.git("log", "--format=%(trailers:key=Addresses,valueonly,separator=%x2C)", in: "sample")
        #expect(trailers.contains("OC-0140,OC-0141"))
        #expect(try sandbox.git("for-each-ref", "--format=%(taggername)", "refs/tags", in: "sample") == "Secretariat\nSecretariat\nSecretariat\n")

        // A writer's branch was merged: the merge has two parents, and the comparison credits the
        // glossary to the commit on the branch that wrote it, not to the merge.
        let merges = try sandbox.git("log", "--merges", "--format=%p|%an|%s", in: "sample")
        #expect(merges.split(separator: "\n").count == 1)
        #expect(merges.contains("|Amina Diallo|Bring Lucas's implementation section and glossary"), "\(merges)")
        #expect(merges.split(separator: "|").first?.split(separator: " ").count == 2)
        let onBranch = try sandbox.git("log", "-1", "--format=%h", "lucas/implementation", in: "sample")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let mergeCommit = try sandbox.git("log", "-1", "--merges", "--format=%h", in: "sample")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let glossary = try sandbox.stet("compare", "first", "final", "--format", "terminal", "--section", "glossary",
                                        in: "sample")
        #expect(glossary.output.contains("\(onBranch)  2024-11-25  Lucas Pereira: Add a glossary"), "\(glossary.output)")
        #expect(!glossary.output.contains(mergeCommit))

        let page = sandbox.path + "/sample/compare-first-final.html"
        #expect(sandbox.exists("sample/final-draft.html"))
        #expect(sandbox.exists("sample/compare-first-final.docx"))
        #expect(result.output.contains("The same comparison for Word, each change tracked under its writer's name: "))
        // The history holds a rename and a paragraph moved between sections.
        let debug = try sandbox.stet("diff", "second", "final", "--debug", in: "sample")
        #expect(debug.output.contains("section cybersecurity-and-resilience renamed"), "\(debug.output)")
        #expect(debug.output.contains("paragraph moved-here from capacity-development"))
        // A section whose only change is a paragraph moved away says so in the list of changes.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("Capacity development</a> <span class=\"status\">modified</span> <span class=\"ins-sample\">+0</span> "
            + "<span class=\"del-sample\">-0</span> <span class=\"status\">2 blocks moved out</span>"))
        let chromium = try #require(HTMLTests.chromium, "chromium is installed by scripts/test")
        let opened = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                                                "--virtual-time-budget=3000", "--dump-dom", "file://" + page], in: ".")
        #expect(opened.status == 0)
        #expect(opened.output.contains("data-changes=\""), "the page's script did not run")
        for line in opened.error.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused") {
            Issue.record("browser console: \(line)")
        }

        let again = try sandbox.stet("demo", "sample", "--from", Self.project, in: ".", author: nil)
        #expect(again.status == 73)
        #expect(again.error.contains("sample exists and is not empty"), "\(again.error)")
    }

    /// The binary alone, installed in a folder on PATH and run from anywhere, builds the same
    /// history from the copy compiled into it as from the project's files.
    @Test func theDemoTravelsWithTheBinary() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(atPath: sandbox.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: StetBinary.path, toPath: sandbox.path + "/bin/stet")
        let path = sandbox.path + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let installed = try sandbox.run("/usr/bin/env", ["stet", "demo", "elsewhere"], in: "work",
                                        environment: ["PATH": path])
        #expect(installed.status == 0, "\(installed.error)")
        #expect(try sandbox.stet("demo", "project", "--from", Self.project, in: ".", author: nil).status == 0)
        for milestone in ["first", "second", "final"] {
            #expect(try sandbox.git("rev-parse", milestone, in: "work/elsewhere") == (try sandbox.git("rev-parse", milestone, in: "project")))
        }
        let missing = try sandbox.stet("demo", "other", "--from", sandbox.path, in: ".", author: nil)
        #expect(missing.status == 66 && missing.error.contains("has no demo/steps folder"), "\(missing.error)")
    }
}
