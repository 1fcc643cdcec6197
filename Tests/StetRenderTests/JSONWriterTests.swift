import Foundation
import ProseDiff
import StetRender
import StetTestSupport
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    struct Inner: Codable, Equatable {
        var name: String
        var count: Int
        var flag: Bool?
    }

    enum Kind: String, Codable { case one, two }

    struct Outer: Codable, Equatable {
        var schemaVersion = 1
        var text: String
        var kinds: [Kind]
        var items: [Inner]
        var empty: [Inner]
        var nothing: String?
        var ratio: Double
    }

    @Test func writesWhatJSONDecoderReadsBack() throws {
        let value = Outer(text: "quote \" backslash \\ tab \t new line \n bell \u{07} é 城市 \u{1B}[31m",
                          kinds: [.one, .two], items: [Inner(name: "a", count: -3, flag: true), Inner(name: "", count: 0)],
                          empty: [], nothing: nil, ratio: 0.25)
        let json = try JSONWriter.encode(value)
        #expect(try JSONDecoder().decode(Outer.self, from: Data(json.utf8)) == value)
        #expect(json.hasPrefix("{\n  \"schemaVersion\": 1,\n  \"text\": "))
        #expect(json.contains("\"empty\": []"))
        #expect(!json.contains("nothing"))
        #expect(json.contains("\\u001b[31m"))
        #expect(json.hasSuffix("}\n"))
    }

    /// Every byte that needs escaping is escaped wherever it stands (runs of plain bytes are
    /// copied at once), and nothing else changes.
    @Test(arguments: Array(UInt64(1)...300))
    func escapesEveryByteThatNeedsIt(seed: UInt64) throws {
        var random = SeededRandom(state: seed)
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\t", "\r", "\u{00}", "\u{01}", "\u{1F}", "\u{7F}", "~", "/",
                      "é", "城", "😀", "\u{80}", "\u{FFFD}", "\u{2028}"]
        let text = (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
        let json = try JSONWriter.encode(Inner(name: text, count: 0))
        #expect(try JSONDecoder().decode(Inner.self, from: Data(json.utf8)).name == text, "seed \(seed)")
        #expect(!json.utf8.contains { $0 < 0x20 && $0 != 0x0A } && !json.utf8.contains(0x7F), "seed \(seed)")
    }
}

@Suite("Comparison JSON")
struct ComparisonJSONTests {
    /// The comparison document writes its schema field by field; an independent parser reads
    /// back what the comparison holds.
    @Test func theDocumentReadsBackAsTheComparison() throws {
        let a = [
            SectionText(id: "intro", title: "Introduction", path: "drafts/01-intro.md",
                        text: "# Introduction\n\nCities serve \"people\" first,\nwith care.\n\nA paragraph that will move to the end of the guideline.\n"),
            SectionText(id: "scope", title: "Scope", path: "drafts/02-scope.md", text: "# Scope\n\nThe scope is wide.\n\nTab\there.\n"),
            SectionText(id: "old", title: "Old title", path: "drafts/03-old.md", text: "# Old title\n\nData governance for all residents of the city.\n"),
        ]
        let b = [
            SectionText(id: "intro", title: "Introduction", path: "drafts/01-intro.md",
                        text: "# Introduction\n\nCities serve \"people\" first, with care.\n"),
            SectionText(id: "scope", title: "Scope \u{1B}[31m", path: "drafts/02-scope.md",
                        text: "# Scope\n\nThe scope is narrow \\ precise.\n\nTab\there.\n\nA paragraph that will move to the end of the guideline.\n"),
            SectionText(id: "renamed", title: "New title", path: "drafts/03-new.md", text: "# New title\n\nData governance for all residents of the town.\n"),
        ]
        var comparison = Comparer.compare(a, b)
        var sourced = 0
        for s in comparison.sections.indices {
            for k in comparison.sections[s].blocks.indices {
                for p in comparison.sections[s].blocks[k].spans.indices where comparison.sections[s].blocks[k].spans[p].kind != .equal {
                    comparison.sections[s].blocks[k].spans[p].sources = sourced % 2 == 0 ? [0] : [0, 1]
                    sourced += 1
                }
            }
        }
        #expect(sourced > 3)
        let commits = [
            SourceCommit(id: String(repeating: "a", count: 40), author: "Ana <b>", email: "ana@example.org", date: "2024-11-03T10:00:00+01:00",
                         summary: "Narrow the scope", trailers: [SourceCommit.Trailer(key: "Addresses", value: "OC-0123")]),
            SourceCommit(id: String(repeating: "b", count: 40), author: "Lucas", email: "lucas@example.org", date: "2024-11-04T09:00:00Z",
                         summary: "Rename", trailers: []),
        ]
        for document in [
            DiffDocument(comparison, a: RevisionLabel(revision: "first", commit: String(repeating: "1", count: 40)),
                         b: RevisionLabel(revision: "working tree", commit: nil)),
            DiffDocument(comparison, a: RevisionLabel(revision: "first", commit: "1"), b: RevisionLabel(revision: "final", commit: "2"),
                         commits: commits),
        ] {
            // Read back by Foundation's parser: every field of docs/json.md, each value as the
            // comparison has it.
            let text = document.encoded()
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(json["schemaVersion"] as? Int == 1)
            #expect((json["a"] as? [String: Any])?["revision"] as? String == "first")
            let sections = try #require(json["sections"] as? [[String: Any]])
            #expect(sections.map { $0["id"] as? String } == comparison.changedSections.map(\.id))
            for (record, section) in zip(sections, comparison.changedSections) {
                #expect(record["title"] as? String == section.title && record["oldId"] as? String == section.oldID)
                #expect(record["status"] as? String == section.status.rawValue && record["moved"] as? Bool == section.moved)
                #expect(record["wordsInserted"] as? Int == section.wordsInserted && record["wordsDeleted"] as? Int == section.wordsDeleted)
                let blocks = try #require(record["blocks"] as? [[String: Any]])
                #expect(blocks.count == section.blocks.count)
                for (blockRecord, block) in zip(blocks, section.blocks) {
                    #expect(blockRecord["status"] as? String == block.status.rawValue)
                    #expect(blockRecord["moveSection"] as? String == block.moveSection)
                    let spans = try #require(blockRecord["spans"] as? [[String: Any]])
                    #expect(spans.map { $0["text"] as? String } == block.spans.map(\.text))
                    for (spanRecord, span) in zip(spans, block.spans) {
                        #expect(spanRecord["kind"] as? String == span.kind.rawValue)
                        #expect(spanRecord["a"] as? String == (span.kind == .equal && span.a != span.b ? span.a : nil))
                        let named = spanRecord["commits"] as? [String]
                        #expect(named == (document.hasCommits && !span.sources.isEmpty ? span.sources.map { commits[$0].id } : nil))
                    }
                }
            }
            #expect(text.contains("\"oldId\": \"old\"") && text.contains("\"moveSection\"") && text.contains("\"a\": \"Cities serve"))
        }
    }
}
