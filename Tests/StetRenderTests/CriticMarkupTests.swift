import Foundation
import ProseDiff
import StetRender
import StetTestSupport
import Testing

/// CriticMarkup of a comparison: accepting every change gives the later text, rejecting every
/// change the earlier one, whatever the texts hold.
@Suite("CriticMarkup: both sides from the marks")
struct CriticMarkupTests {
    @Test func aFixtureRoundTrips() {
        let a = "# Title\n\nCities are\nfor people.\n\n- one\n- two\n"
        let b = "# Title\n\nCities are for all\npeople.\n\n- one\n- three\n- four\n"
        let section = Comparer.compare([SectionText(id: "s", title: "s", path: "p", text: a)],
                                       [SectionText(id: "s", title: "s", path: "p", text: b)]).sections[0]
        let markup = CriticMarkup.render(section)
        #expect(CriticMarkup.resolve(markup, accept: true) == b)
        #expect(CriticMarkup.resolve(markup, accept: false) == a)
    }

    @Test(arguments: Array(UInt64(1)...300))
    func seededEditsRoundTrip(seed: UInt64) {
        var generator = DocumentGenerator(random: SeededRandom(state: seed))
        let a = generator.document()
        let b = generator.edit(a)
        let section = Comparer.compare(text: a, with: b)
        let markup = CriticMarkup.render(section)
        #expect(CriticMarkup.resolve(markup, accept: true) == b, "seed \(seed)")
        #expect(CriticMarkup.resolve(markup, accept: false) == a, "seed \(seed)")
    }

    /// Texts the block fuzzer found crashing (see ProseDiffTests' FuzzRegressionTests).
    @Test(arguments: ["AwsKI74KLQsKCiMjCi0=", "LTQtDSoNCy0="])
    func fuzzedTextsRoundTrip(_ base64: String) {
        let a = String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
        for b in ["", a, a + "\nmore", "text\n" + a] {
            let markup = CriticMarkup.render(Comparer.compare(text: a, with: b))
            #expect(CriticMarkup.resolve(markup, accept: true) == b && CriticMarkup.resolve(markup, accept: false) == a)
        }
    }

    /// A text that begins with a combining mark (after the `{~~` of a substitution it joined the
    /// delimiter's last character, and the reader no longer found it), and texts holding
    /// CriticMarkup's own delimiters.
    @Test func combiningMarksAndDelimitersInTheTextKeepCriticMarkupReadable() {
        for (a, b) in [("\u{34D}", "\u{FFFD}\u{FFFD}"), ("x", "\u{301}y"), ("\u{301}", ""),
                       // Text that holds CriticMarkup's own delimiters (the last found by fuzzing).
                       ("\u{FFFD}`", "~~bb~\u{FFFD}~~}"), ("a {++b++} c", "a {--b--} c {~~x~>y~~} {>>z<<}"),
                       ("same ++} and --}", "same ++} and --} plus ~> and ~~}"), ("{{++", "{{++}"), ("-", "--}--}"),
                       ("", ""), ("", "x"), ("x", "")] {
            let section = Comparer.compare(text: a, with: b)
            let markup = CriticMarkup.render(section)
            #expect(CriticMarkup.resolve(markup, accept: true) == b, "\(markup.unicodeScalars.map(\.value))")
            #expect(CriticMarkup.resolve(markup, accept: false) == a, "\(markup.unicodeScalars.map(\.value))")
        }
    }
}
