import Foundation

/// Random guideline-like Markdown and random editors' edits to it.
public struct DocumentGenerator {
    public var random: SeededRandom

    public init(random: SeededRandom) {
        self.random = random
    }
    public static let words = ["cities", "residents", "data", "digital", "services", "people", "centred", "inclusion",
                        "governance", "privacy", "must", "should", "public", "infrastructure", "the", "and", "of",
                        "participation", "城市", "居民", "café", "naïve", "2024", "OC-0123", "`stet diff`",
                        "[roadmap](https://example.org/a)", "*rights*", "**open**", "e\u{301}quité"]

    mutating func word() -> String { Self.words.randomElement(using: &random)! }

    mutating func sentence() -> String {
        let count = Int.random(in: 3...12, using: &random)
        return (0..<count).map { _ in word() }.joined(separator: " ") + [".", ";", "!", ","].randomElement(using: &random)!
    }

    mutating func block() -> String {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return "## " + (0..<Int.random(in: 1...4, using: &random)).map { _ in word() }.joined(separator: " ")
        case 1: return (0..<Int.random(in: 1...4, using: &random)).map { _ in "- " + sentence() }.joined(separator: "\n")
        case 2: return "- " + sentence() + "\n  - " + sentence() + "\n  - " + sentence()
        case 3: return "| a | b |\n|---|---|\n| " + word() + " | " + word() + " |\n| " + word() + " | " + word() + " |"
        case 4: return "> " + sentence() + "\n> " + sentence()
        default: return (0..<Int.random(in: 1...4, using: &random)).map { _ in sentence() }.joined(separator: " ")
        }
    }

    public mutating func document() -> String {
        (0..<Int.random(in: 1...8, using: &random)).map { _ in block() }.joined(separator: "\n\n") + "\n"
    }

    /// The text with some edits: words replaced, inserted, deleted; blocks moved, added, removed;
    /// paragraphs reflowed.
    public mutating func edit(_ text: String) -> String {
        var blocks = text.components(separatedBy: "\n\n")
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            let index = Int.random(in: 0..<blocks.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0:
                var tokens = blocks[index].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                let position = Int.random(in: 0..<tokens.count, using: &random)
                if !tokens[position].contains("\n"), !tokens[position].hasPrefix("-"), !tokens[position].hasPrefix("|") {
                    tokens[position] = word()
                }
                blocks[index] = tokens.joined(separator: " ")
            case 1:
                blocks[index] = blocks[index].replacingOccurrences(of: " and ", with: " and also ")
            case 2:
                blocks[index] = blocks[index].replacingOccurrences(of: " the ", with: " ")
            case 3 where blocks.count > 1:
                let moved = blocks.remove(at: index)
                blocks.insert(moved, at: Int.random(in: 0...blocks.count, using: &random))
            case 4:
                blocks.insert(block(), at: index)
            case 5 where blocks.count > 1:
                blocks.remove(at: index)
            default:
                // Reflow a paragraph: a space becomes a line break before a plain word.
                if !blocks[index].hasPrefix("#"), !blocks[index].hasPrefix("|"), !blocks[index].hasPrefix("-"),
                   !blocks[index].hasPrefix(">")
                {
                    blocks[index] = blocks[index].replacingOccurrences(of: " residents", with: "\nresidents")
                }
            }
        }
        var result = blocks.joined(separator: "\n\n")
        if !result.hasSuffix("\n") { result += "\n" }
        return result
    }
}
