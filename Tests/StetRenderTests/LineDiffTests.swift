import StetTestSupport
import Testing

@Suite("Test support: line diffs of texts")
struct LineDiffTests {
    @Test func theFirstDifferenceWithItsContext() {
        let expected = "a\nb\nc\nd\ne\n", actual = "a\nb\nC\nd\ne\n"
        #expect(lineDiff(expected: expected, actual: actual, context: 1) == "@@ line 3 @@\n  b\n- c\n+ C\n  d")
        #expect(lineDiff(expected: "a\n", actual: "a\nb\n") == "@@ line 2 @@\n  a\n+ b\n  ")
        #expect(lineDiff(expected: "same", actual: "same") == "(the texts are equal)")
    }
}
