/// A section as the comparison reads it.
public struct SectionText: Sendable {
    public var id: String
    public var title: String
    public var path: String
    public var text: String
    /// Where the body starts (after front matter), in UTF-8 bytes.
    public var bodyOffset: Int
    /// A content key (the git blob id): sections with equal keys are unchanged and never read.
    public var key: String?

    public init(id: String, title: String, path: String, text: String, bodyOffset: Int = 0, key: String? = nil) {
        self.id = id
        self.title = title
        self.path = path
        self.text = text
        self.bodyOffset = bodyOffset
        self.key = key
    }
}

extension String {
    /// `body` of the text's UTF-8 bytes where they are held (a native string holds them in one
    /// piece); a string held otherwise is made contiguous first.
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

/// A run of text in a redline.
public struct Span: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// In both: `a` and `b` differ at most in white space (a reflowed line).
        case equal
        case inserted
        case deleted
        /// A's text of a block that moved elsewhere (shown where it was).
        case moved
    }

    public var kind: Kind
    /// A's text (empty for an insertion).
    public var a: String
    /// B's text (empty for a deletion or a block moved away).
    public var b: String
    /// Words and numbers in it (for statistics).
    public var words: Int
    /// Where `a` is in the earlier section's text (for a block moved here, the text of the
    /// section it came from), in UTF-8 bytes; empty where the span has no A text.
    public var aRange: Range<Int>
    /// Where `b` is in the later section's text.
    public var bRange: Range<Int>
    /// The changes' sources: indices into a table of commits kept by whoever attributed them.
    public var sources: [Int] = []

    public init(kind: Kind, a: String, b: String, words: Int, aRange: Range<Int> = 0..<0, bRange: Range<Int> = 0..<0) {
        self.kind = kind
        self.a = a
        self.b = b
        self.words = words
        self.aRange = aRange
        self.bRange = bRange
    }

    /// The text a reader sees: B's for what stays, A's for what went.
    public var text: String { kind == .equal || kind == .inserted ? b : a }
}

/// One block of a section in the redline.
public struct BlockChange: Sendable {
    public enum Status: String, Sendable, Codable {
        case unchanged, modified, inserted, deleted
        /// Moved away from here (A's place); its text is one `.moved` span.
        case movedAway = "moved-away"
        /// Moved here (B's place), with the edits made on the way.
        case movedHere = "moved-here"
    }

    public var status: Status
    public var kind: BlockKind
    public var spans: [Span]
    /// For a move: the id of the section at the other end.
    public var moveSection: String?
    /// For a block moved here: the path of the section it came from, in the earlier draft.
    public var movedFromPath: String?

    /// A's bytes of this block, as it contributes to A's file.
    public var aText: String {
        switch status {
        case .inserted, .movedHere: ""
        default: spans.filter { $0.kind != .inserted }.map(\.a).joined()
        }
    }

    /// B's bytes of this block, as it contributes to B's file.
    public var bText: String {
        switch status {
        case .deleted, .movedAway: ""
        default: spans.filter { $0.kind == .equal || $0.kind == .inserted }.map(\.b).joined()
        }
    }

    public var isChange: Bool { status != .unchanged }
}

/// One section of the redline.
public struct SectionComparison: Sendable {
    public enum Status: String, Sendable, Codable {
        case unchanged, modified, added, removed, renamed
    }

    public var status: Status
    /// Whether the section changed place in the order.
    public var moved: Bool
    /// B's id (A's for a removed section).
    public var id: String
    /// A's id when a rename changed it.
    public var oldID: String?
    public var title: String
    public var oldTitle: String?
    public var pathA: String?
    public var pathB: String?
    /// The blocks, in an order that keeps both A's order and B's; empty for an unchanged section.
    public var blocks: [BlockChange]

    /// Whether the text changed (a rename or move of an unchanged text is not a text change).
    public var textChanged: Bool { blocks.contains(where: \.isChange) }

    public var wordsInserted: Int { words(of: .inserted) }

    public var wordsDeleted: Int { words(of: .deleted) }

    /// The words of the spans of one kind (counted in place: a section holds thousands of spans).
    func words(of kind: Span.Kind) -> Int {
        blocks.reduce(0) { sum, block in block.spans.reduce(sum) { $1.kind == kind ? $0 + $1.words : $0 } }
    }

    /// A's file, rebuilt from the redline (blocks moved here from elsewhere left out).
    public var rebuiltA: String { blocks.map(\.aText).joined() }
    /// B's file, rebuilt from the redline.
    public var rebuiltB: String { blocks.map(\.bText).joined() }
}

/// The redline of two drafts: sections, blocks, spans.
public struct Comparison: Sendable {
    public var sections: [SectionComparison]

    /// The sections that differ in any way.
    public var changedSections: [SectionComparison] {
        sections.filter { $0.status != .unchanged || $0.moved }
    }

    /// A deterministic text form for tests and `--debug`: `[-deleted-]`, `{+inserted+}`,
    /// `[>moved away<]`, one line per changed block.
    public var dump: String {
        var lines: [String] = []
        for section in changedSections {
            var header = "section \(section.id) \(section.status.rawValue)"
            if let oldID = section.oldID { header += " from \(oldID)" }
            if section.status == .renamed, let pathA = section.pathA, let pathB = section.pathB, pathA != pathB {
                header += " (\(pathA) -> \(pathB))"
            }
            if section.moved { header += " moved" }
            lines.append(header)
            for block in section.blocks where block.isChange {
                var line = "  \(block.kind.name) \(block.status.rawValue)"
                if let other = block.moveSection { line += block.status == .movedAway ? " to \(other)" : " from \(other)" }
                var body = block.spans.enumerated().map { index, span in
                    // The line breaks that end a block are layout, not text to show.
                    var text = span.text
                    if index == block.spans.count - 1 { while text.hasSuffix("\n") { text.removeLast() } }
                    return switch span.kind {
                    case .equal: Self.visible(text)
                    case .inserted: "{+" + Self.visible(text) + "+}"
                    case .deleted: "[-" + Self.visible(text) + "-]"
                    case .moved: "[>" + Self.visible(text) + "<]"
                    }
                }.joined()
                while body.hasSuffix("⏎") { body.removeLast() }
                lines.append(line + ": " + body)
            }
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// New lines as `⏎`, so a dump line is one line.
    static func visible(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "⏎")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
