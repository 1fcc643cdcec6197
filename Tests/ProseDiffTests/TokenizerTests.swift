@testable import ProseDiff
import StetTestSupport
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

/// A new version of a text is tokenized by reading again only around what changed
/// (`Tokenizer.tokens(_:editedFrom:tokens:)`); it must give what tokenizing it whole gives.
@Suite("Tokens of an edited text")
struct EditedTokenizerTests {
    static func tokens(_ bytes: [UInt8]) -> [Token] {
        bytes.withUnsafeBufferPointer { Tokenizer.tokens($0, in: 0..<$0.count) }
    }

    static func edited(_ bytes: [UInt8], from base: [UInt8]) -> (tokens: [Token], prefix: Int, suffix: Int) {
        bytes.withUnsafeBufferPointer { new in
            base.withUnsafeBufferPointer { old in Tokenizer.tokens(new, editedFrom: old, tokens: tokens(base)) }
        }
    }

    /// Checks one edit: the tokens are the whole text's, and the shared ones are the base's.
    static func check(_ base: [UInt8], _ new: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> (prefix: Int, suffix: Int) {
        let result = edited(new, from: base)
        let whole = tokens(new), baseTokens = tokens(base)
        #expect(result.tokens == whole, "\(String(decoding: base, as: UTF8.self).debugDescription) -> \(String(decoding: new, as: UTF8.self).debugDescription)",
                sourceLocation: sourceLocation)
        #expect(Array(result.tokens.prefix(result.prefix)) == Array(baseTokens.prefix(result.prefix)), sourceLocation: sourceLocation)
        let shift = new.count - base.count
        #expect(Array(result.tokens.suffix(result.suffix))
            == baseTokens.suffix(result.suffix).map { Token(kind: $0.kind, start: $0.start + shift, end: $0.end + shift) },
            sourceLocation: sourceLocation)
        return (result.prefix, result.suffix)
    }

    @Test func searchesThatRanPastTheChangeAreReadAgain() {
        // An unclosed code span searched to the end: closing it later changes the token.
        _ = Self.check(Array("a `b c d e f g h i j k".utf8), Array("a `b c d e f g h i j` k".utf8))
        // A link destination searched to the end of its line.
        _ = Self.check(Array("see [x](http://a.org/long path\nmore words here".utf8), Array("see [x](http://a.org/long path) \nmore words here".utf8))
        // A bare link reaches to the next white space.
        _ = Self.check(Array("visit https://example.org/path and more".utf8), Array("visit https://example.org/pathway and more".utf8))
        // A word looks ahead for an inner apostrophe or separator.
        _ = Self.check(Array("it is 1 and dont".utf8), Array("it is 1,5 and don't".utf8))
        _ = Self.check(Array("it is 1, and don' go".utf8), Array("it is 1,5 and don't go".utf8))
        _ = Self.check(Array("we can\u{2019} go".utf8), Array("we can\u{2019}t go".utf8))
        // Quote markers after a line break join the white space before them.
        _ = Self.check(Array("a\nb c".utf8), Array("a\n> b c".utf8))
    }

    @Test func anUnchangedStartAndEndAreTakenFromTheBase() {
        let base = Array("The first paragraph stays.\n\nThe middle one changes here.\n\nThe last one stays too.\n".utf8)
        let new = Array("The first paragraph stays.\n\nThe middle one was rewritten.\n\nThe last one stays too.\n".utf8)
        let shared = Self.check(base, new)
        #expect(shared.prefix >= 10)
        #expect(shared.suffix >= 10)
    }

    /// Seeded random texts of words, Markdown, links, code spans, scripts and broken UTF-8,
    /// edited at random byte positions (so edits split characters and tokens).
    @Test func randomEditsGiveTheWholeTextsTokens() {
        let pieces: [[UInt8]] = [
            "word", "don't", "can\u{2019}t", "1,000.5", "42", " ", "  ", "\n", "\n\n", "\n> ", "\t", "`", "``", "`code`", "[", "]",
            "](", "(", ")", "](http://x.org/a b)", "[^1]", "[^", "<", ">", "<http://a.org>", "<a@b.org>", "https://example.org/p.",
            "www.example.org", "ftp://f.org", "**", "_", "#", "|", "-", "智慧", "城", "e\u{301}", "\u{202E}", "é", ".", ",", "'",
        ].map { Array($0.utf8) } + [[0xC3], [0xE6, 0x99], [0xFF]]
        var random = SeededRandom(state: 20_261_123)
        func text(_ count: Int) -> [UInt8] {
            (0..<count).flatMap { _ in pieces.randomElement(using: &random)! }
        }
        var shared = 0
        for _ in 0..<600 {
            let base = text(Int.random(in: 0...60, using: &random))
            var new = base
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let lower = Int.random(in: 0...new.count, using: &random)
                let upper = Int.random(in: lower...min(new.count, lower + 12), using: &random)
                new.replaceSubrange(lower..<upper, with: text(Int.random(in: 0...3, using: &random)))
            }
            let (prefix, suffix) = Self.check(base, new)
            if prefix + suffix > 0 { shared += 1 }
        }
        // Most edits leave something to share: the random texts do exercise the shortcut.
        #expect(shared > 300)
    }

    /// Interned as an edit of its base, a text has the ids and line breaks tokenizing it whole
    /// gives.
    @Test func idsOfAnEditedTextAreTheWholeTexts() {
        var random = SeededRandom(state: 7)
        var table = TokenTable()
        let words = ["data", "city", "people", "the", "of", "**", "`x`", "\n\n", " ", ",", "智", "\n", " \n "]
        var base = Array((0..<400).map { _ in words.randomElement(using: &random)! }.joined(separator: " ").utf8)
        var prepared = TokenTable.prepare(base)
        var ids = table.intern(prepared).ids
        var breaks = TokenTable.lineBreaks(of: prepared)
        for _ in 0..<50 {
            var new = base
            let lower = Int.random(in: 0...new.count, using: &random)
            new.replaceSubrange(lower..<min(new.count, lower + Int.random(in: 0...30, using: &random)),
                                with: Array(words.randomElement(using: &random)!.utf8))
            let next = TokenTable.prepare(new, editedFrom: prepared)
            let nextIDs = table.intern(next, base: ids).ids
            #expect(nextIDs == table.tokenize(new).ids)
            #expect(next.sharedPrefix + next.sharedSuffix > 0)
            let nextBreaks = TokenTable.lineBreaks(of: next, base: breaks)
            #expect(nextBreaks == TokenTable.lineBreaks(of: TokenTable.prepare(new)))
            (base, prepared, ids, breaks) = (new, next, nextIDs, nextBreaks)
        }
    }

    @Test func lineBreaksAreTheSpacesThatHoldANewline() {
        var random = SeededRandom(state: 31)
        let pieces = ["word", " ", "\n", "  \n  ", "\n\n", "-", "`code\nspan`", "智", "**", "1.", "\t"]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let bytes = Array(text.utf8)
            let tokens = bytes.withUnsafeBufferPointer { Tokenizer.tokens($0, in: 0..<$0.count) }
            let expected = tokens.map { $0.kind == .space && bytes[$0.start..<$0.end].contains(0x0A) }
            #expect(TokenTable.lineBreaks(tokens[...], in: bytes) == expected, "\(text.debugDescription)")
        }
    }
}
