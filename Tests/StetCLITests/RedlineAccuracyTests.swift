import Foundation
import StetTestSupport
import Testing

/// What a reviewer reads in a redline: a block that keeps most of its words is shown edited, not
/// deleted and inserted again; a block moved within its section is a move with its edits; and
/// each change names the commits that really made it, read back from git.
extension AttributionTests {
    static let wrapped = """
        # Principles

        Cities are for people.

        Each city publishes a register of the sensors it operates, who
        operates them and what they record, and reviews the register
        every year within six months. The residents can consult
        [the register](register.md) in *plain* language and **object**.

        Data stays with residents and is never sold.

        """

    /// The author of each of a span's commits.
    func authors(_ span: Document.Section.Block.Span, in document: Document) -> [String] {
        let authors = Dictionary(uniqueKeysWithValues: (document.commits ?? []).map { ($0.id, $0.author) })
        return (span.commits ?? []).map { authors[$0] ?? "?" }
    }

    @Test func aRewrittenLastSentenceIsAnEditOfItsParagraph() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/01-principles.md", Self.wrapped, author: Self.bo, message: "Sensor register")
        try sandbox.git("tag", "register")
        let rewritten = Self.wrapped.replacingOccurrences(
            of: "The residents can consult\n[the register](register.md) in *plain* language and **object**.",
            with: "Independent auditors check it\nand publish what they find.")
        try commit(sandbox, "drafts/01-principles.md", rewritten, author: Self.carmen, message: "Auditors")
        let document = try compare(sandbox, "register")
        let blocks = document.sections.flatMap(\.blocks).filter { $0.status != "unchanged" }
        #expect(blocks.map(\.status) == ["modified"], "\(blocks.map(\.status))")
        let block = try #require(blocks.first)
        // The unchanged lines are equal text, and only the rewritten sentence is Carmen's.
        let equal = block.spans.filter { $0.kind == "equal" }.map(\.text).joined()
        #expect(equal.contains("Each city publishes a register of the sensors it operates"), "\(block.spans)")
        for span in block.spans where span.kind != "equal" {
            #expect(authors(span, in: document) == ["Carmen Ruiz"], "\(span)")
            #expect(!span.text.contains("sensors") && !span.text.contains("operates"), "\(span)")
        }
        let inserted = block.spans.filter { $0.kind == "inserted" }.map(\.text).joined()
        #expect(inserted.contains("auditors") && inserted.contains("publish what they find"), "\(block.spans)")
    }

    @Test func aParagraphMovedWithinItsSectionAndEditedIsAMoveWithItsEdit() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/01-principles.md", Self.wrapped, author: Self.bo, message: "Sensor register")
        try sandbox.git("tag", "register")
        // Carmen moves the register paragraph to the end of the section and changes a word on the way.
        let moved = """
            # Principles

            Cities are for people.

            Data stays with residents and is never sold.

            Each city publishes a register of the sensors it operates, who
            operates them and what they record, and reviews the register
            every year within three months. The residents can consult
            [the register](register.md) in *plain* language and **object**.

            """
        try commit(sandbox, "drafts/01-principles.md", moved, author: Self.carmen, message: "Register last")
        let document = try compare(sandbox, "register")
        let blocks = document.sections.flatMap(\.blocks).filter { $0.status != "unchanged" }
        #expect(blocks.map(\.status).sorted() == ["moved-away", "moved-here"], "\(blocks.map(\.status))")
        let away = try #require(blocks.first { $0.status == "moved-away" })
        let here = try #require(blocks.first { $0.status == "moved-here" })
        #expect(away.spans.allSatisfy { authors($0, in: document) == ["Carmen Ruiz"] }, "\(away.spans)")
        let changes = here.spans.filter { $0.kind != "equal" }
        #expect(changes.map(\.text) == ["six", "three"], "\(here.spans)")
        #expect(changes.allSatisfy { authors($0, in: document) == ["Carmen Ruiz"] })
        // Every renderer says where it went in words for a move inside a section.
        let terminal = try sandbox.stet("compare", "register", "HEAD", "--format", "terminal", "--color", "never").output
        #expect(terminal.contains("moved within the section: ") && terminal.contains("moved here within the section: "), "\(terminal)")
        let critic = try sandbox.stet("compare", "register", "HEAD", "--format", "criticmarkup", "--section", "principles").output
        #expect(critic.contains("{>>moved within the section<<}") && critic.contains("{>>moved here within the section<<}"), "\(critic)")
        #expect(try sandbox.stet("compare", "register", "HEAD", "--format", "html", "-o", "../page.html").status == 0)
        let html = try sandbox.read("page.html")
        #expect(html.contains("moved here within the section</span>") && html.contains("moved within the section · Carmen Ruiz"))
    }

    @Test func aMoveWithinASectionThenAnEditByAnotherAuthor() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/01-principles.md", Self.wrapped, author: Self.amina, message: "Sensor register")
        try sandbox.git("tag", "register")
        // Bo moves the register paragraph to the end; Carmen then edits it there.
        let moved = Self.wrapped.replacingOccurrences(of: "\n\nData stays with residents and is never sold.\n", with: "\n")
            .replacingOccurrences(of: "Cities are for people.\n", with: "Cities are for people.\n\nData stays with residents and is never sold.\n")
        #expect(moved != Self.wrapped)
        try commit(sandbox, "drafts/01-principles.md", moved, author: Self.bo, message: "Register last")
        let edited = moved.replacingOccurrences(of: "in *plain* language", with: "in *plain* and easy words")
        try commit(sandbox, "drafts/01-principles.md", edited, author: Self.carmen, message: "Easy language")
        let document = try compare(sandbox, "register")
        let blocks = document.sections.flatMap(\.blocks).filter { $0.status != "unchanged" }
        // Bo moved the short paragraph up past the register one: shown either way, the move is
        // Bo's, and the edit, wherever it shows, is Carmen's alone.
        let moves = blocks.filter { $0.status == "moved-away" || $0.status == "moved-here" }
        #expect(moves.count == 2, "\(blocks.map(\.status))")
        for block in moves where block.status == "moved-away" {
            #expect(block.spans.allSatisfy { authors($0, in: document) == ["Bo Chen"] }, "\(block.spans)")
        }
        let changes = blocks.flatMap(\.spans).filter { $0.kind == "inserted" || $0.kind == "deleted" }
        #expect(changes.filter { $0.kind == "deleted" }.map(\.text).joined() == "language", "\(changes)")
        #expect(changes.filter { $0.kind == "inserted" }.map(\.text).joined().contains("easy"), "\(changes)")
        #expect(changes.allSatisfy { authors($0, in: document) == ["Carmen Ruiz"] }, "\(changes)")
        #expect(!(document.commits ?? []).contains { $0.author == "Amina Diallo" })
    }
}

/// Seeded drafting histories (made by Benchmarks/make-corpus.py: edits, rewraps, moves within
/// and across sections, writers' branches merged back; then renames), compared from the first
/// milestone to the end, every change's credits checked against git's own word diff of the
/// commits it names, and no deleted block left beside an inserted one that shares most of its
/// words. Where a commit moved a paragraph past another, git and stet may each see the other
/// one moved: a moved block's credits are only asked to touch its words.
@Suite("Redline accuracy on seeded histories")
struct RedlineAccuracyTests {
    typealias Document = AttributionTests.Document

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Benchmarks/make-corpus.py").standardized.path

    /// A multiset of words: runs of letters and digits, lower-cased.
    typealias Words = [String: Int]

    static func words(_ text: String) -> Words {
        var words: Words = [:]
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) { words[String(word), default: 0] += 1 }
        return words
    }

    static func count(_ words: Words) -> Int { words.values.reduce(0, +) }

    /// `a` less `b`, as multisets.
    static func minus(_ a: Words, _ b: Words) -> Words {
        a.reduce(into: [:]) { result, entry in
            let left = entry.value - (b[entry.key] ?? 0)
            if left > 0 { result[entry.key] = left }
        }
    }

    static func sum(_ a: Words, _ b: Words) -> Words { a.merging(b, uniquingKeysWith: +) }

    static func dice(_ a: Words, _ b: Words) -> Double {
        let total = count(a) + count(b)
        guard total > 0 else { return 1 }
        return 2 * Double(count(a) - count(minus(a, b))) / Double(total)
    }

    /// The words git's word diff says `commit` added and removed in the drafts, against its first
    /// parent.
    static func wordDiff(_ sandbox: Sandbox, _ commit: String) throws -> (added: Words, removed: Words) {
        let diff = try sandbox.git("show", "--format=", "--diff-merges=first-parent", "--word-diff=porcelain",
                                   "--word-diff-regex=[[:alnum:]]+", "--unified=0", "--no-renames", commit, "--", "drafts")
        var added = "", removed = ""
        for line in diff.split(separator: "\n") where !line.hasPrefix("+++") && !line.hasPrefix("---") {
            if line.hasPrefix("+") { added += " " + line.dropFirst() }
            if line.hasPrefix("-") { removed += " " + line.dropFirst() }
        }
        return (words(added), words(removed))
    }

    @Test(arguments: [(seed: 7, wrap: 80), (seed: 11, wrap: 0)])
    func everyChangeIsCreditedToCommitsThatMadeIt(seed: Int, wrap: Int) throws {
        try #require(FileManager.default.fileExists(atPath: Self.script), "Benchmarks/make-corpus.py")
        let sandbox = try Sandbox()
        let made = try sandbox.run("/usr/bin/python3", [Self.script, sandbox.path + "/repo", "--sections", "12", "--commits", "300",
                                                        "--wrap", String(wrap), "--seed", String(seed), "--branches", "0.1"], in: ".")
        try #require(made.status == 0, "\(made.error)")
        // Renames, then an edit of a renamed section, as writers make them with git.
        let files = try sandbox.git("ls-files", "drafts").split(separator: "\n").map(String.init).filter { $0.hasSuffix(".md") }
        try #require(files.count >= 3)
        try sandbox.git("mv", files[1], "drafts/renamed-one.md")
        try sandbox.git("mv", files[2], "drafts/renamed-two.md")
        try sandbox.git("-c", "user.name=Bo Chen", "-c", "user.email=bo@example.org", "commit", "-q", "-m", "Rename two sections")
        let renamed = try sandbox.read("repo/drafts/renamed-one.md")
        try sandbox.write("repo/drafts/renamed-one.md", renamed + "\nA closing paragraph written after the rename by Carmen.\n")
        try sandbox.git("-c", "user.name=Carmen Ruiz", "-c", "user.email=carmen@example.org", "commit", "-q", "-am", "Close")

        let result = try sandbox.stet("compare", "first", "HEAD", "--format", "json")
        try #require(result.status == 0, "\(result.error)")
        let document = try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
        var diffs: [String: (added: Words, removed: Words)] = [:]
        var checked = 0
        for section in document.sections {
            let place = "section \(section.id)"
            // No deleted and inserted blocks of one section that share 80 % of their words.
            let text = { (block: Document.Section.Block) in Self.words(block.spans.map(\.text).joined()) }
            for old in section.blocks.filter({ $0.status == "deleted" }).map(text) {
                for new in section.blocks.filter({ $0.status == "inserted" }).map(text) {
                    #expect(Self.dice(old, new) < 0.8, "\(place): a deleted and an inserted block share most words")
                }
            }
            let start = try section.pathA.map { Self.words(try sandbox.git("show", "first:" + $0)) } ?? [:]
            let end = try section.pathB.map { Self.words(try sandbox.git("show", "HEAD:" + $0)) } ?? [:]
            for span in section.blocks.flatMap(\.spans) where span.kind != "equal" {
                let spanWords = Self.words(span.text), commits = span.commits ?? []
                guard !spanWords.isEmpty else { continue }
                checked += 1
                let described = "\(place): \(span.kind) \"\(span.text.prefix(80))\" credited to \(commits.map { $0.prefix(7) })"
                for commit in commits where diffs[commit] == nil { diffs[commit] = try Self.wordDiff(sandbox, commit) }
                // Each commit named added or removed some of the words.
                for commit in commits {
                    let touched = Self.sum(diffs[commit]!.added, diffs[commit]!.removed)
                    #expect(spanWords.keys.contains { touched[$0] != nil }, "\(described): \(commit.prefix(7)) touched none of its words")
                }
                guard span.kind != "moved" else { continue }
                // The words the named commits did not add (or remove) were there already: the
                // redline's alignment put them in the span. And they are not most of it.
                let made = commits.reduce(into: Words()) { $0 = Self.sum($0, span.kind == "inserted" ? diffs[$1]!.added : diffs[$1]!.removed) }
                let left = Self.minus(spanWords, made)
                #expect(Self.minus(left, span.kind == "inserted" ? start : end).isEmpty,
                        "\(described): \(Self.minus(left, span.kind == "inserted" ? start : end)) come from no commit named")
                if !commits.isEmpty, Self.count(spanWords) >= 6 {
                    #expect(Self.count(left) * 2 <= Self.count(spanWords), "\(described): most of its words are older")
                }
            }
        }
        #expect(checked > 150, "\(checked) spans")
        #expect(document.commits?.contains { $0.summary == "Close" } == true)
        // The renamed sections kept their histories: neither is shown added.
        #expect(!document.sections.contains { $0.pathA == nil && ($0.pathB ?? "").contains("renamed") })
    }
}
