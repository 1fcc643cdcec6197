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
    /// The comparison documents write their records directly; what they write must be what the
    /// records' `Encodable` conformances give through `JSONWriter`, byte for byte.
    @Test func directWritingMatchesTheEncodableRecords() throws {
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
            let direct = document.encoded()
            #expect(direct == (try JSONWriter.encode(document)))
            #expect(direct.contains("\"oldId\": \"old\""))
            #expect(direct.contains("\"moveSection\""))
            #expect(direct.contains("\"a\": \"Cities serve"))
        }
    }
}
