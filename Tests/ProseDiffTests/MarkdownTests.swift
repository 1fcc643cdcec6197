import ProseDiff
import Testing

@Suite("Markdown facts")
struct MarkdownTests {
    @Test(arguments: [
        ("# Data governance\n\nText.", "Data governance"),
        ("Intro paragraph.\n\n## Second *level* `code`\n", "Second level code"),
        ("Setext title\n============\n\nBody", "Setext title"),
        ("```\n# not a heading\n```\n\n# Real\n", "Real"),
        ("Just a paragraph.\n", nil),
        ("#\n\n# Named\n", "Named"),
        ("\n\n   ## Indented *title*\n\nText.\n", "Indented title"),
        ("#hashtag is not a heading\n", nil),
        ("    # indented code\n\n# After\n", "After"),
    ] as [(String, String?)])
    func firstHeading(text: String, expected: String?) {
        #expect(Markdown.firstHeading(in: text) == expected)
    }
}
