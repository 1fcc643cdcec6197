import GitStore
@testable import StetKit
import Testing

@Suite("Sections: ids, titles, front matter")
struct SectionTests {
    @Test(arguments: [
        ("03-data-governance.md", "data-governance"),
        ("02-governance/03-data-privacy.md", "governance/data-privacy"),
        ("glossary.md", "glossary"),
        ("2024.md", "2024"),
        ("10_annex/1.2-tables.md", "annex/2-tables"),
        ("07 Participation.md", "Participation"),
    ])
    func idFromPath(path: String, id: String) {
        #expect(SectionID.derived(fromRelativePath: path) == id)
    }

    @Test func idFromTheStartOfAFile() {
        #expect(SectionID.of(relativePath: "03-x.md", start: Array("---\nid: custom\n---\nBody".utf8)) == "custom")
        #expect(SectionID.of(relativePath: "03-x.md", start: Array("# Heading\n".utf8)) == "x")
        #expect(SectionID.of(relativePath: "03-x.md", start: Array("---\nid: never-closed\n".utf8)) == "x")
    }

    func section(_ text: String, path: String = "03-data.md") -> Section {
        Section(path: "drafts/" + path, relativePath: path, bytes: Array(text.utf8))
    }

    @Test func frontMatterGivesIdAndTitle() {
        let read = section("---\nid: data-governance\ntitle: \"Data: governance & privacy\"\n---\n# Heading\n\nBody.\n")
        #expect(read.id == "data-governance")
        #expect(read.title == "Data: governance & privacy")
        #expect(read.body == "# Heading\n\nBody.\n")
        #expect(read.warnings.isEmpty)
    }

    @Test func titleFallsBackToHeadingThenId() {
        #expect(section("Intro.\n\n## Data *and* people\n").title == "Data and people")
        #expect(section("No heading here.\n").title == "data")
    }

    @Test func yamlBeyondTheSimpleFormGoesThroughYams() {
        let read = section("---\nid: scope\ntitle: >\n  Folded\n  title\ntags: [a, b]\n---\nText\n")
        #expect(read.id == "scope")
        #expect(read.title == "Folded title\n")
        #expect(read.warnings.isEmpty)
    }

    @Test(arguments: [
        ("---\nid: x\n", "never closed"),
        ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
        ("---\na: &a [x, x]\nb: *a\n---\n", "anchor or alias"),
        ("---\n" + String(repeating: "k: v\n", count: 900) + "---\n", "larger than 4 KiB"),
        ("---\nid: ../escape\n---\n", "id '../escape'"),
        ("---\n- a\n- b\n---\n", "not a YAML mapping"),
        ("---\ntitle: [a, b]\n---\n", "'title' must be a single line"),
    ])
    func badFrontMatterIsReadLenientlyAndRefusedStrictly(text: String, problem: String) {
        let read = section(text)
        #expect(read.id == "data")
        #expect(read.warnings.count == 1 && read.warnings[0].contains(problem), "\(read.warnings)")
        #expect { try ContentCheck.validate(path: "drafts/03-data.md", bytes: Array(text.utf8)) } throws: { error in
            let error = error as? StetError
            return error?.code == .invalidContent && error!.message.hasPrefix("drafts/03-data.md: ")
                && error!.message.contains(problem)
        }
    }

    @Test func aliasBombIsRefusedBeforeParsing() {
        var bomb = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            bomb += "\(name): &\(name) [*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous)]\n"
        }
        bomb += "---\n"
        #expect(section(bomb).warnings.first?.contains("anchor or alias") == true)
    }

    @Test func ampersandsAndAsterisksInTextAreNotAnchors() {
        #expect(SafeYAML.anchorOrAliasLine("title: R&D for cities\nnote: \"*quoted* & fine\"\n") == nil)
        #expect(SafeYAML.anchorOrAliasLine("a: &x 1\n") == 1)
        #expect(SafeYAML.anchorOrAliasLine("a: 1\nb: [*x]\n") == 2)
    }

    @Test func contentChecksNameTheProblem() {
        #expect(ContentCheck.encodingProblem([0x61, 0x0A, 0x62, 0xFF]) == "invalid UTF-8 at line 2 (byte 3)")
        #expect(ContentCheck.encodingProblem([0x61, 0x00]) == "binary content (a NUL byte at byte 1)")
        #expect(ContentCheck.conflictMarkerLine("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> theirs\n") == 2)
        #expect(ContentCheck.conflictMarkerLine("Title\n=======\n\n> quote\n") == nil)
    }

    @Test func writtenScalarsReadBack() throws {
        for title in ["Plain title", "Data: governance", "#hash", "yes", "Quote \" and \\ slash", "123", "- dash"] {
            let yaml = "title: " + DocumentRepository.yamlScalar(title) + "\n"
            #expect(try SafeYAML.mapping(yaml, limit: 4096)["title"] == .scalar(title), "\(yaml)")
        }
    }

    @Test func configReadsAndRejects() throws {
        let config = try StetConfig(yaml: "title: Guidelines\ndrafts: text/\nmilestones: [zero, first, second, third, final]\norder: [b, a]\n",
                                    path: "stet.yml")
        #expect(config.drafts == "text" && config.milestones.count == 5 && config.order == ["b", "a"])
        #expect(StetConfig().milestones == ["first", "second", "final"])
        #expect { try StetConfig(yaml: "drafts: ../elsewhere\n", path: "stet.yml") } throws: {
            ($0 as? StetError)?.message.contains("inside the repository") == true
        }
        #expect { try StetConfig(yaml: "milestones: [first, first]\n", path: "stet.yml") } throws: {
            ($0 as? StetError)?.code == .invalidContent
        }
    }

    @Test func orderFromConfigComesFirst() {
        let sections = ["01-a.md", "02-b.md", "03-c.md"].map { section("Text\n", path: $0) }
        #expect(Draft.ordered(sections, by: ["c", "a"]).map(\.id) == ["c", "a", "b"])
        #expect(Draft.ordered(sections, by: nil).map(\.id) == ["a", "b", "c"])
    }

    @Test func suggestionsFindNearNames() {
        #expect(Suggestion.nearest(to: "frist", in: ["first", "second", "final"]) == "first")
        #expect(Suggestion.nearest(to: "zzzzzz", in: ["first"]) == nil)
    }
}
