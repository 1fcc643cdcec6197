import Foundation
import StetRender
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
}
