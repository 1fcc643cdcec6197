import ProseDiff
import Testing

func tokenTexts(_ text: String) -> [String] {
    var copy = text
    return copy.withUTF8 { bytes in
        Tokenizer.tokens(bytes, in: 0..<bytes.count).map {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self)
        }
    }
}

@Suite("Tokens: words, numbers, markers, scripts")
struct TokenizerTests {
    @Test func wordsNumbersAndPunctuation() {
        #expect(tokenTexts("People-centred cities, 1,000.5 residents don't wait.")
            == ["People", "-", "centred", " ", "cities", ",", " ", "1,000.5", " ", "residents", " ", "don't", " ", "wait", "."])
    }

    @Test func markdownMarkersAreTokens() {
        #expect(tokenTexts("## **Bold** and _em_") == ["##", " ", "**", "Bold", "**", " ", "and", " ", "_", "em", "_"])
    }

    @Test func linkDestinationsCodeSpansAndFootnotesAreAtomic() {
        #expect(tokenTexts("[UN-Habitat](https://unhabitat.org/a b) and `x = 1` see[^2]")
            == ["[", "UN", "-", "Habitat", "](https://unhabitat.org/a b)", " ", "and", " ", "`x = 1`", " ", "see", "[^2]"])
        #expect(tokenTexts("Visit https://example.org/path?q=1.") == ["Visit", " ", "https://example.org/path?q=1", "."])
    }

    @Test func scriptsWithoutSpacesAreOneTokenPerLetter() {
        #expect(tokenTexts("智慧城市以人为本") == ["智", "慧", "城", "市", "以", "人", "为", "本"])
        #expect(tokenTexts("スマートシティ") == ["ス", "マ", "ー", "ト", "シ", "テ", "ィ"])
    }

    @Test func combiningMarksStayWithTheirLetter() {
        let decomposed = "cafe\u{301} e\u{301}te\u{301}"
        #expect(tokenTexts(decomposed) == ["cafe\u{301}", " ", "e\u{301}te\u{301}"])
    }

    @Test func everyByteIsCoveredOnce() {
        let text = "> Quote\n> continued *and* `code`\n\n| a | b |\n|---|---|\n混合 text ١٢٣ \u{202E}evil\u{202C}\n"
        #expect(tokenTexts(text).joined() == text)
    }

    @Test func quoteMarkersAfterALineBreakAreWhiteSpace() {
        #expect(tokenTexts("> a\n> b") == [">", " ", "a", "\n> ", "b"])
    }
}
