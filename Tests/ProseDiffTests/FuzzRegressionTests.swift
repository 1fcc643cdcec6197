import Foundation
import ProseDiff
import Testing

/// Inputs the fuzz targets (Fuzz/, scripts/fuzz) found crashing, kept with the invariant each
/// broke: blocks and tokens cover the text exactly, and both sides are rebuilt from a comparison.
@Suite("Inputs found by fuzzing")
struct FuzzRegressionTests {
    /// Each made cmark-gfm report a block at line 0, and the block splitter index before the
    /// first line.
    static let blockCrashers = ["AwsKI74KLQsKCiMjCi0=", "LTQtDSoNCy0="]

    public static func text(_ base64: String) -> String {
        String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
    }

    @Test(arguments: blockCrashers)
    func blocksAndTokensCoverTheText(_ base64: String) {
        let text = Self.text(base64)
        let blocks = BlockParser.blocks(of: text)
        #expect(blocks.first?.start == 0 && blocks.last?.end == text.utf8.count)
        #expect(zip(blocks, blocks.dropFirst()).allSatisfy { $0.end == $1.start && $0.start < $0.end })
        let tokens = TokenTable.tokens(of: text)
        #expect(tokens.first?.start == 0 && tokens.last?.end == text.utf8.count)
        #expect(zip(tokens, tokens.dropFirst()).allSatisfy { $0.end == $1.start })
    }

    @Test(arguments: blockCrashers)
    func comparisonsRebuildBothSides(_ base64: String) {
        let a = Self.text(base64)
        for b in ["", a, a + "\nmore", "text\n" + a] {
            let section = Comparer.compare(text: a, with: b)
            #expect(section.rebuiltA == a && section.rebuiltB == b)
        }
    }
}
