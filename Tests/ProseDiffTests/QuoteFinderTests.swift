import ProseDiff
import Testing

/// A passage copied from the typeset draft found in the Markdown source.
@Suite("QuoteFinder: passages copied from the typeset draft")
struct QuoteFinderTests {
    func found(_ quote: String, in text: String) -> [String] {
        let bytes = Array(text.utf8)
        return QuoteFinder.find(quote, in: QuoteFinder.words(of: text)).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func markupLinkTargetsAndLineBreaksAreNotPartOfTheWords() {
        let text = "Cities **should involve** residents, and [don't](https://x.org/a) only\nreact to a `solution`.[^1]\n"
        #expect(found("should involve residents, and don’t only react to a solution.", in: text)
            == ["should involve** residents, and [don't](https://x.org/a) only\nreact to a `solution"])
        #expect(found("“Cities should”", in: text) == ["Cities **should"])
        // A link's target and a footnote reference are never read as the draft's words.
        #expect(found("x org", in: text).isEmpty)
        #expect(found("solution 1", in: text).isEmpty)
    }

    @Test func everyPlaceIsFoundAndAParaphraseNowhere() {
        let text = "The data is open. The data is shared. The data is open.\n"
        #expect(found("the data is open", in: text).count == 2)
        #expect(found("the data is public", in: text).isEmpty)
        #expect(found("open is the data", in: text).isEmpty)
        #expect(found("…", in: text).isEmpty)
    }

    @Test func scriptsWithoutSpacesMatchLetterByLetter() {
        let text = "城市数据是公共资源。Городские данные — общее достояние. البيانات الحضرية مورد مشترك.\n"
        #expect(found("数据是公共", in: text) == ["数据是公共"])
        #expect(found("данные — общее", in: text) == ["данные — общее"])
        #expect(found("الحضرية مورد", in: text) == ["الحضرية مورد"])
    }
}
