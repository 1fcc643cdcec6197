import Foundation
import StetTestSupport
import Testing

/// `stet compare` credits each change to the commit that made it; `stet blame` names the writer
/// of each run of words. Histories are built in the tests, with stet and with the git CLI.
@Suite("Attribution: stet compare and stet blame")
struct AttributionTests {
    static let amina = "Amina Diallo <amina@example.org>"
    static let bo = "Bo Chen <bo@example.org>"
    static let carmen = "Carmen Ruiz <carmen@example.org>"

    /// The JSON of `stet compare`, as far as these tests read it.
    struct Document: Decodable {
        struct Commit: Decodable { var id: String; var author: String; var summary: String; var trailers: [Trailer] }
        struct Trailer: Decodable { var key: String; var value: String }
        struct Section: Decodable {
            struct Block: Decodable {
                struct Span: Decodable { var kind: String; var text: String; var commits: [String]? }
                var status: String
                var spans: [Span]
            }
            var id: String
            var status: String
            var pathA: String?
            var pathB: String?
            var blocks: [Block]
        }
        var sections: [Section]
        var commits: [Commit]?

        /// (kind, text, authors) of every change.
        var changes: [(String, String, [String])] {
            let authors = Dictionary(uniqueKeysWithValues: (commits ?? []).map { ($0.id, $0.author) })
            return sections.flatMap(\.blocks).flatMap(\.spans).filter { $0.kind != "equal" }
                .map { ($0.kind, $0.text, ($0.commits ?? []).map { authors[$0] ?? "?" }) }
        }
    }

    func started() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-principles.md", "# Principles\n\nCities are for people.\n\nData stays with residents and is never sold.\n")
        try sandbox.write("repo/drafts/02-data.md", "# Data\n\nOpen data by default.\n")
        #expect(try sandbox.stet("commit", "-m", "Zero draft", author: Self.amina).status == 0)
        try sandbox.git("tag", "zero")
        return sandbox
    }

    func commit(_ sandbox: Sandbox, _ path: String, _ text: String, author: String, message: String,
                addresses: String? = nil) throws
    {
        try sandbox.write("repo/" + path, text)
        var arguments = ["commit", "-m", message]
        if let addresses { arguments += ["--addresses", addresses] }
        let result = try sandbox.stet(arguments, author: author)
        #expect(result.status == 0, "\(result.error)")
    }

    func compare(_ sandbox: Sandbox, _ from: String = "zero", _ to: String = "HEAD") throws -> Document {
        let result = try sandbox.stet("compare", from, to, "--format", "json")
        #expect(result.status == 0, "\(result.error)")
        return try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
    }

    @Test func severalAuthorsEditOneParagraphInTurn() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/01-principles.md", "# Principles\n\nCities are for all people.\n\nData stays with residents and is never sold.\n",
                   author: Self.bo, message: "Say all", addresses: "OC-0001")
        try commit(sandbox, "drafts/01-principles.md", "# Principles\n\nCities are for all the people who live in them.\n\nData stays with residents and is never sold.\n",
                   author: Self.carmen, message: "Who live in them")
        let document = try compare(sandbox)
        let changes = document.changes
        // "Cities are for {+all the +}people{+ who live in them+}."
        #expect(changes.map(\.0) == ["inserted", "inserted"], "\(changes)")
        #expect(changes[0].1.contains("all the") && changes[0].2 == ["Bo Chen", "Carmen Ruiz"], "\(changes)")
        #expect(changes[1].1 == " who live in them" && changes[1].2 == ["Carmen Ruiz"], "\(changes)")
        let bo = document.commits?.first { $0.author == "Bo Chen" }
        #expect(bo?.trailers.map(\.value) == ["OC-0001"])
        // Only commits between the drafts are named: the zero draft's author never is.
        #expect(!(document.commits ?? []).contains { $0.author == "Amina Diallo" })
    }

    /// One insertion written by two commits in turn is two changes, each under its own author
    /// (as a Word reviewer sees them); a word or two of one commit among another's stays with it.
    @Test func anInsertionWrittenInTurnIsAChangePerCommit() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/01-principles.md", "# Principles\n\nCities are for people who live in them.\n\nData stays with residents and is never sold.\n",
                   author: Self.bo, message: "Who live in them")
        try commit(sandbox, "drafts/01-principles.md", "# Principles\n\nCities are for people who live in them and those who visit them.\n\nData stays with residents and is never sold.\n",
                   author: Self.carmen, message: "And those who visit")
        let changes = try compare(sandbox).changes
        #expect(changes.map(\.0) == ["inserted", "inserted"], "\(changes)")
        #expect(changes.first?.1 == " who live in them " && changes.first?.2 == ["Bo Chen"], "\(changes)")
        #expect(changes.last?.1 == "and those who visit them" && changes.last?.2 == ["Carmen Ruiz"], "\(changes)")
        // In Word, each is a tracked insertion under its author.
        #expect(try sandbox.stet("compare", "zero", "HEAD", "--format", "docx", "-o", sandbox.path + "/turns.docx").status == 0)
        let insertions = try sandbox.run("/usr/bin/env", ["python3", "-c", """
            import re, sys, zipfile
            xml = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
            for author, body in re.findall(r'<w:ins [^>]*w:author="([^"]+)"[^>]*>(.*?)</w:ins>', xml):
                print(author + ":" + "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body)))
            """, sandbox.path + "/turns.docx"], in: ".")
        #expect(insertions.output == "Bo Chen: who live in them\nCarmen Ruiz: and those who visit them\n", "\(insertions.output)")
    }

    @Test func aChangeMadeAndRevertedShowsNothing() throws {
        let sandbox = try started()
        let original = try sandbox.read("repo/drafts/02-data.md")
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nClosed data by default.\n", author: Self.bo, message: "Close")
        try commit(sandbox, "drafts/02-data.md", original, author: Self.carmen, message: "Reopen")
        #expect(try compare(sandbox).sections.isEmpty)
    }

    @Test func deletionsAreCreditedToWhoDeleted() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nOpen data.\n", author: Self.carmen, message: "Shorter")
        let changes = try compare(sandbox).changes
        #expect(changes.count == 1)
        #expect(changes[0].0 == "deleted" && changes[0].1 == " by default" && changes[0].2 == ["Carmen Ruiz"], "\(changes)")
    }

    @Test func aParagraphMovedByOneAuthorAndEditedByAnother() throws {
        let sandbox = try started()
        // Bo moves the data paragraph to the data section; Carmen then edits it there.
        try sandbox.write("repo/drafts/01-principles.md", "# Principles\n\nCities are for people.\n")
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nOpen data by default.\n\nData stays with residents and is never sold.\n",
                   author: Self.bo, message: "Move the data paragraph")
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nOpen data by default.\n\nData stays with residents and is never sold or shared.\n",
                   author: Self.carmen, message: "Nor shared")
        let document = try compare(sandbox)
        let blocks = document.sections.flatMap(\.blocks)
        let away = try #require(blocks.first { $0.status == "moved-away" })
        let here = try #require(blocks.first { $0.status == "moved-here" })
        let authors = Dictionary(uniqueKeysWithValues: (document.commits ?? []).map { ($0.id, $0.author) })
        #expect(away.spans[0].commits?.map { authors[$0] } == ["Bo Chen"])
        let inserted = try #require(here.spans.first { $0.kind == "inserted" })
        #expect(inserted.text == " or shared" && inserted.commits?.map { authors[$0] } == ["Carmen Ruiz"], "\(here.spans)")
    }

    @Test func aMergedBranchIsCreditedToItsOwnCommits() throws {
        let sandbox = try started()
        try sandbox.git("checkout", "-q", "-b", "carmen")
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nOpen data by default, with privacy.\n", author: Self.carmen, message: "Privacy")
        try sandbox.git("checkout", "-q", "main")
        try commit(sandbox, "drafts/01-principles.md", "# Principles\n\nCities are for everyone.\n\nData stays with residents and is never sold.\n",
                   author: Self.bo, message: "Everyone")
        try sandbox.git("merge", "-q", "--no-ff", "-m", "Merge Carmen's branch", "carmen")
        let document = try compare(sandbox)
        let byText = Dictionary(uniqueKeysWithValues: document.changes.filter { $0.0 == "inserted" }.map { ($0.1, $0.2) })
        #expect(byText[", with privacy"] == ["Carmen Ruiz"], "\(document.changes)")
        #expect(byText["everyone"] == ["Bo Chen"], "\(document.changes)")
        #expect(!(document.commits ?? []).contains { $0.summary.hasPrefix("Merge") })
    }

    @Test func aRenamedSectionKeepsItsHistory() throws {
        let sandbox = try started()
        try sandbox.git("mv", "drafts/02-data.md", "drafts/03-data.md")
        try sandbox.git("commit", "-q", "-m", "Renumber")
        try commit(sandbox, "drafts/03-data.md", "# Data\n\nOpen data by default, always.\n", author: Self.bo, message: "Always")
        let document = try compare(sandbox)
        #expect(document.sections.map(\.status) == ["renamed"])
        #expect(document.changes.map(\.1) == [", always"])
        #expect(document.changes.map(\.2) == [["Bo Chen"]])
    }

    @Test func blameNamesTheWriterOfEachRun() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nOpen data by default, with privacy.\n", author: Self.carmen, message: "Privacy")
        let result = try sandbox.stet("blame", "data")
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let carmen = try #require(lines.firstIndex { $0.contains("Carmen Ruiz: Privacy") })
        #expect(lines[carmen + 1] == "    , with privacy", "\(result.output)")
        #expect(lines.contains { $0.contains("Amina Diallo: Zero draft") })
        let since = try sandbox.stet("blame", "data", "--since", "zero")
        #expect(since.output.contains("before zero"), "\(since.output)")
        #expect(!since.output.contains("Amina Diallo"))
    }

    @Test func criticMarkupCarriesTheAttribution() throws {
        let sandbox = try started()
        try commit(sandbox, "drafts/02-data.md", "# Data\n\nOpen data by default, with privacy.\n", author: Self.carmen,
                   message: "Privacy", addresses: "OC-0042")
        let result = try sandbox.stet("compare", "zero", "HEAD", "--format", "criticmarkup", "--section", "data")
        #expect(result.output.contains("{++, with privacy++}{>>Carmen Ruiz, "), "\(result.output)")
        try DiffTests.expectRoundTrip(result.output, sandbox, path: "drafts/02-data.md", a: "zero", b: "HEAD")
    }

    /// A seeded history in which every inserted word is unique to its commit (`c17w3`): every word
    /// of an inserted span must come from a commit the span names, and every unique word of a
    /// deleted span must have been deleted by a commit it names.
    @Test func everyWordIsCreditedToTheCommitThatWroteIt() throws {
        let sandbox = try started()
        var random = SeededRandom(state: 2024)
        var texts = ["drafts/01-principles.md": ["Principles", "base", "text"], "drafts/02-data.md": ["Data", "base", "words"]]
        var commitOfNumber: [Int: String] = [:]
        var deletedBy: [String: Int] = [:]
        let authors = [Self.amina, Self.bo, Self.carmen]
        for number in 1...60 {
            let path = texts.keys.sorted()[Int(random.next() % 2)]
            var words = texts[path]!
            for step in 0..<Int(1 + random.next() % 3) {
                if words.count > 3, random.next() % 3 == 0 {
                    let removed = words.remove(at: 1 + Int(random.next() % UInt64(words.count - 1)))
                    if removed.hasPrefix("c") { deletedBy[removed] = number }
                } else {
                    words.insert("c\(number)w\(step)", at: 1 + Int(random.next() % UInt64(words.count)))
                }
            }
            texts[path] = words
            try commit(sandbox, path, "# " + words[0] + "\n\n" + words.dropFirst().joined(separator: " ") + ".\n",
                       author: authors[number % 3], message: "Edit \(number)")
            commitOfNumber[number] = try sandbox.git("rev-parse", "HEAD").trimmingCharacters(in: .newlines)
        }
        let document = try compare(sandbox)
        let numberOfCommit = Dictionary(uniqueKeysWithValues: commitOfNumber.map { ($1, $0) })
        let named = Set(document.commits?.map(\.id) ?? [])
        #expect(named.isSubset(of: Set(commitOfNumber.values)), "only commits between the drafts are named")
        var checked = 0
        for span in document.sections.flatMap(\.blocks).flatMap(\.spans) where span.kind != "equal" {
            let sources = Set((span.commits ?? []).compactMap { numberOfCommit[$0] })
            for word in span.text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.hasPrefix("c") && word.contains("w") {
                let writer = Int(word.dropFirst().prefix { $0.isNumber })!
                if span.kind == "inserted" {
                    #expect(sources.contains(writer), "\(word) credited to \(sources)")
                } else if let deleter = deletedBy[String(word)] {
                    #expect(sources.contains(deleter), "\(word) deleted by \(deleter), credited to \(sources)")
                }
                checked += 1
            }
        }
        #expect(checked > 20)
    }
}
