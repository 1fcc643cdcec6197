#if canImport(Glibc)
import Glibc
#endif

/// The redline of a section as the document reads: the Markdown of both drafts typeset (headings,
/// lists, tables, emphasis, links, footnotes), with the comparison's insertions and deletions
/// set inside that structure. Each piece of text carries the elements it sits in, outermost
/// first, so a renderer opens and closes elements as it goes and never lets a change cut across
/// one: an edit that opens `**` in one place and closes it in another still gives well-formed
/// output.
///
/// Built from a `SectionComparison`: both drafts of the section are parsed (`MarkdownTree`), each
/// piece of rendered text is matched to the source word it came from, and so takes that word's
/// change and commits. Words the source redline keeps but the typeset text does not (a bare
/// address that became a link's target) show as deleted or inserted; words that stay but change
/// markup (made bold, a link's target changed) are a formatting change.
public struct TypesetSection: Sendable {
    /// An element a piece sits in. The same element of both drafts has one id.
    public struct Frame: Sendable, Hashable {
        public var element: TypesetElement
        public var id: Int
    }

    public enum Change: Sendable, Hashable {
        case none, inserted, deleted
        /// The same words in other markup, and what changed ("bold", "link: a → b").
        case format(String)
    }

    public enum Move: Sendable, Hashable {
        /// In a block that moved elsewhere (shown where it was).
        case away
        /// In a block that moved here: the block is new here, the edits made on the way are marked inside it.
        case here
    }

    /// A piece of text: a word, a punctuation mark, or an element without text (a rule, an
    /// empty cell, an image).
    public struct Piece: Sendable {
        public init(frames: [Frame], space: String, text: String, change: Change, move: Move?, sources: [Int], block: Int) {
            self.frames = frames
            self.space = space
            self.text = text
            self.change = change
            self.move = move
            self.sources = sources
            self.block = block
        }

        public var frames: [Frame]
        /// The white space before the text (kept as it is in code blocks).
        public var space: String
        public var text: String
        public var change: Change
        public var move: Move?
        /// Commits, as indices into the table the comparison's spans use.
        public var sources: [Int]
        /// The block of the `SectionComparison` it belongs to.
        public var block: Int
    }

    public var pieces: [Piece]

    public init(pieces: [Piece]) {
        self.pieces = pieces
    }

    /// Markdown typeset as it is, with no change (a section that did not change, a draft); nil
    /// when it is too large or too irregular for cmark-gfm.
    public init?(markdown text: String) {
        guard let tree = MarkdownTree.parse(text) else { return nil }
        pieces = tree.leaves.map { leaf in
            Piece(frames: leaf.path.map { Frame(element: tree.nodes[$0].element, id: $0) }, space: "", text: leaf.text,
                  change: .none, move: nil, sources: [], block: 0)
        }
    }

    /// Markdown typeset, or as its text where cmark-gfm is not given it (too large, too irregular).
    public static func of(markdown text: String) -> TypesetSection {
        TypesetSection(markdown: text)
            ?? TypesetSection(pieces: [Piece(frames: [], space: "", text: text, change: .none, move: nil, sources: [], block: 0)])
    }

    /// The section typeset; nil when a draft of it is too large or too irregular for cmark-gfm
    /// (`Markdown.slowForCmark`): such a section is shown as its Markdown redline.
    public init?(_ section: SectionComparison) {
        guard var builder = TypesetBuilder(section) else { return nil }
        pieces = builder.pieces()
    }
}

/// Splits text into tokens: a run of letters, marks and digits; one other character; white
/// space is kept as the space before the next token. ASCII is classified by table, other
/// characters by their Unicode properties.
enum TypesetTokens {
    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ascii[Int(scalar.value)] == 2 }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
            || properties.generalCategory == .spacingMark || properties.generalCategory == .enclosingMark
    }

    @inline(__always)
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? ascii[Int(scalar.value)] == 1 : scalar.properties.isWhitespace
    }

    /// ASCII: 1 white space, 2 letter or digit, 0 other.
    static let ascii: [UInt8] = (0..<128).map { value in
        switch UInt8(value) {
        case 0x09...0x0D, 0x20: 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): 2
        default: 0
        }
    }

    /// Calls `body` with each token's range of `bytes` and the range of the white space before it.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Range<Int>) -> Void) {
        var index = 0, spaceStart = 0
        var wordStart: Int?
        func scalar(at index: Int) -> (Unicode.Scalar, Int) {
            let byte = bytes[index]
            if byte < 0x80 { return (Unicode.Scalar(byte), 1) }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            guard index + length <= bytes.count else { return ("\u{FFFD}", 1) }
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
            return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
        }
        while index < bytes.count {
            let (character, length) = scalar(at: index)
            if isSpace(character) {
                if let start = wordStart { body(spaceStart..<start, start..<index); spaceStart = index; wordStart = nil }
            } else if isWordScalar(character) {
                if wordStart == nil { wordStart = index }
            } else {
                if let start = wordStart { body(spaceStart..<start, start..<index); spaceStart = index }
                wordStart = nil
                body(spaceStart..<index, index..<index + length)
                spaceStart = index + length
            }
            index += length
        }
        if let start = wordStart { body(spaceStart..<start, start..<bytes.count) }
    }

    /// The tokens of `text`, each with the white space before it; `space` is the white space
    /// carried in from before the text, and is left holding what trails it.
    static func split(_ text: String, space: inout String, into tokens: inout [(space: String, text: String)]) {
        text.withUTF8Bytes { bytes in
            var end = 0
            scan(bytes) { spaceRange, token in
                let before = String(decoding: UnsafeBufferPointer(rebasing: bytes[spaceRange]), as: UTF8.self)
                tokens.append((space + before, String(decoding: UnsafeBufferPointer(rebasing: bytes[token]), as: UTF8.self)))
                space = ""
                end = token.upperBound
            }
            space += String(decoding: UnsafeBufferPointer(rebasing: bytes[end...]), as: UTF8.self)
        }
    }

    /// FNV-1a of a token's bytes: tokens are compared by it (64 bits: two different tokens of
    /// one block share one with a chance of about one in 10^19).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func hash(_ text: String) -> UInt64 {
        text.withUTF8Bytes { hash($0) }
    }

    /// The hashes of the tokens of `text`, in order.
    static func hashes(_ text: String) -> [UInt64] {
        text.withUTF8Bytes { bytes in
            var hashes: [UInt64] = []
            scan(bytes) { _, token in hashes.append(hash(UnsafeBufferPointer(rebasing: bytes[token]))) }
            return hashes
        }
    }
}

/// Builds a `TypesetSection`: see there.
struct TypesetBuilder {
    /// A typeset token of one side of one block.
    struct Token {
        enum Status: Equatable {
            /// From a word the redline keeps: its span and which word of the span it is.
            case kept(span: Int, ordinal: Int)
            /// From a word the redline inserts or deletes.
            case changed(span: Int)
            /// Not found in the source (markup made into text, an image's description): near this span.
            case unknown(span: Int)
        }

        var path: [Int]
        var space: String
        var text: String
        /// `TypesetTokens.hash` of the text.
        var hash: UInt64
        var status: Status
        /// Which tree the path is in: 0 is B's, 1 A's, 2... a moved block's earlier text.
        var tree: Int

        var span: Int {
            switch status {
            case .kept(let span, _), .changed(let span), .unknown(let span): span
            }
        }
    }

    let section: SectionComparison
    /// B's tree, A's tree, then one for each block moved here (its text before the move).
    var trees: [MarkdownTree] = []
    /// Per block: its typeset tokens on side A and on side B.
    var aTokens: [[Token]]
    var bTokens: [[Token]]
    /// Where the ids of each tree's elements start: B's nodes keep their index.
    var offsets: [Int] = []
    /// Elements of the earlier trees that are elements of B's: (tree, node) to B's node.
    var sameAs: [[Int: Int]] = []
    /// Blocks unchanged, shown leaf by leaf (see `tokens`).
    var wholeBlocks: Set<Int> = []

    /// Where each line of a text starts, in UTF-8 bytes.
    static func lineStarts(_ text: String) -> [Int] {
        text.withUTF8Bytes { bytes in
            var starts = [0]
            guard let base = bytes.baseAddress else { return starts }
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
                offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(offset)
            }
            return starts
        }
    }

    /// The block that holds a line: the last one starting at or before it (an empty block starts
    /// where the next does).
    static func block(ofLine line: Int, lineStarts: [Int], blockStarts: [Int]) -> Int {
        let offset = lineStarts[min(max(line, 1), lineStarts.count) - 1]
        var low = 0, high = blockStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if blockStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    init?(_ section: SectionComparison) {
        self.section = section
        let blocks = section.blocks
        aTokens = Array(repeating: [], count: blocks.count)
        bTokens = Array(repeating: [], count: blocks.count)
        var aText = "", bText = "", aBlocks: [Int] = [], bBlocks: [Int] = []
        for block in blocks {
            let a = block.status == .movedHere ? "" : block.aText, b = block.bText
            aBlocks.append(aText.utf8.count)
            bBlocks.append(bText.utf8.count)
            // Front matter is the section's metadata: blank lines keep the lines counted.
            aText += block.kind == .frontMatter ? Self.blanked(a) : a
            bText += block.kind == .frontMatter ? Self.blanked(b) : b
        }
        guard let bTree = MarkdownTree.parse(bText), let aTree = MarkdownTree.parse(aText) else { return nil }
        trees = [bTree, aTree]
        // Blocks unchanged are shown as they are, leaf by leaf, unless they refer to a footnote
        // (whose number may differ between the drafts).
        var whole = Set(blocks.indices.filter { blocks[$0].status == .unchanged })
        let bLines = Self.lineStarts(bText)
        for leaf in bTree.leaves {
            if case .footnoteReference? = leaf.path.last.map({ bTree.nodes[$0].element }) {
                whole.remove(Self.block(ofLine: leaf.line, lineStarts: bLines, blockStarts: bBlocks))
            }
        }
        wholeBlocks = whole
        bTokens = Self.tokens(of: bTree, tree: 0, text: bText, blockStarts: bBlocks, section: section, side: .b, whole: whole)
        aTokens = Self.tokens(of: aTree, tree: 1, text: aText, blockStarts: aBlocks, section: section, side: .a, whole: whole)
        // A block moved here was written elsewhere: its earlier text is typeset on its own.
        for (index, block) in blocks.enumerated() where block.status == .movedHere {
            let (text, inFootnotes) = Self.standalone(block.spans.filter { $0.kind != .inserted }.map(\.a).joined(), kind: block.kind)
            guard var tree = MarkdownTree.parse(text) else { return nil }
            // Only the block's own text: not the footnotes made up to parse it.
            tree.leaves = tree.leaves.filter { leaf in
                leaf.path.contains { tree.nodes[$0].element == .footnotes } == inFootnotes
            }
            trees.append(tree)
            let tokens = Self.tokens(of: tree, tree: trees.count - 1, text: text, blockStarts: [0], section: section, side: .a,
                                     only: index)
            aTokens[index] = tokens[index]
        }
        var offset = 0
        for tree in trees {
            offsets.append(offset)
            offset += tree.nodes.count
        }
        sameAs = Array(repeating: [:], count: trees.count)
    }

    /// A block's text made to parse as it did in its section: a footnote reference needs its
    /// definition, and a definition a reference (cmark drops either alone). Returns the text,
    /// and whether the block's own text is in the footnotes (a definition) or outside them.
    static func standalone(_ text: String, kind: BlockKind) -> (String, Bool) {
        var labels: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "[^") {
            guard let close = rest[open.upperBound...].firstIndex(of: "]") else { break }
            let label = rest[open.upperBound..<close]
            if !label.isEmpty, !label.contains(where: { $0.isWhitespace }), !labels.contains(String(label)) { labels.append(String(label)) }
            rest = rest[rest.index(after: close)...]
        }
        if kind == .footnote {
            return (labels.map { "[^\($0)]" }.joined(separator: " ") + "\n\n" + text, true)
        }
        return (text + "\n\n" + labels.map { "[^\($0)]: -\n" }.joined(), false)
    }

    static func blanked(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\n" ? $0 : " " }))
    }

    enum Side { case a, b }

    /// The typeset tokens of each block of a side, matched to the source words of its spans.
    /// `only` names the one block a tree holds (a block moved here).
    ///
    /// The leaves of a block in `whole` (one unchanged in both drafts) are not split: each is
    /// one token, and on side A only its first is kept (for `relate`).
    static func tokens(of tree: MarkdownTree, tree treeIndex: Int, text: String, blockStarts: [Int], section: SectionComparison,
                       side: Side, only: Int? = nil, whole: Set<Int> = []) -> [[Token]]
    {
        let lineStarts = Self.lineStarts(text)
        func block(ofLine line: Int) -> Int {
            only ?? Self.block(ofLine: line, lineStarts: lineStarts, blockStarts: blockStarts)
        }
        var result: [[Token]] = Array(repeating: [], count: section.blocks.count)
        var space = "", holder = -1
        for leaf in tree.leaves {
            let node = leaf.path.last(where: { tree.nodes[$0].element.holdsText }) ?? leaf.path.last ?? -1
            if node != holder { space = "" }
            holder = node
            let index = block(ofLine: leaf.line)
            let element = leaf.path.last.map { tree.nodes[$0].element }
            var pieces: [(space: String, text: String)] = []
            if whole.contains(index) {
                // Kept as it is: its text with its own spaces.
                if side == .a && !result[index].isEmpty { continue }
                pieces = [(space, leaf.text)]
                space = ""
            } else if leaf.text.isEmpty || element?.isVoid == true {
                // One piece stands for the element, its text whole (an image's description).
                pieces = [(space, leaf.text)]
                space = ""
            } else {
                TypesetTokens.split(leaf.text, space: &space, into: &pieces)
            }
            for piece in pieces {
                result[index].append(Token(path: leaf.path, space: piece.space, text: piece.text, hash: TypesetTokens.hash(piece.text),
                                           status: .unknown(span: 0), tree: treeIndex))
            }
        }
        for index in result.indices where !result[index].isEmpty && !whole.contains(index) {
            match(&result[index], to: section.blocks[index], side: side)
        }
        return result
    }

    /// Gives each token the status of the source word it came from: the typeset text is the
    /// source without its markup, so the longest common subsequence of the two finds each word.
    static func match(_ tokens: inout [Token], to block: BlockChange, side: Side) {
        var source: [(hash: UInt64, status: Token.Status)] = []
        for (spanIndex, span) in block.spans.enumerated() {
            let included: Bool
            switch side {
            case .a: included = span.kind != .inserted
            case .b: included = span.kind == .equal || span.kind == .inserted
            }
            guard included else { continue }
            for (ordinal, hash) in TypesetTokens.hashes(side == .a ? span.a : span.b).enumerated() {
                source.append((hash, span.kind == .equal ? .kept(span: spanIndex, ordinal: ordinal) : .changed(span: spanIndex)))
            }
        }
        var ids: [UInt64: Int32] = [:]
        func id(_ hash: UInt64) -> Int32 {
            if let known = ids[hash] { return known }
            let new = Int32(ids.count + 1)
            ids[hash] = new
            return new
        }
        let sourceIDs = source.map { id($0.hash) }, typesetIDs = tokens.map { id($0.hash) }
        var i = 0, j = 0, near = 0
        for run in Myers.diff(sourceIDs, typesetIDs) {
            switch run.operation {
            case .equal:
                for _ in 0..<run.count {
                    tokens[j].status = source[i].status
                    near = tokens[j].span
                    i += 1
                    j += 1
                }
            case .delete:
                i += run.count
            case .insert:
                for _ in 0..<run.count {
                    tokens[j].status = .unknown(span: near)
                    j += 1
                }
            }
        }
    }

    // MARK: Pieces

    /// The section's pieces, block after block.
    mutating func pieces() -> [TypesetSection.Piece] {
        // Elements of both drafts are one element where the same word sits in both.
        for (index, block) in section.blocks.enumerated() {
            if !wholeBlocks.contains(index) {
                for (i, j) in anchors(aTokens[index], bTokens[index]) { relate(aTokens[index][i], bTokens[index][j]) }
            }
            // A changed block is one block in both drafts, though no word of it stayed.
            if block.status == .modified || block.status == .unchanged || block.status == .movedHere,
               let a = aTokens[index].first, let b = bTokens[index].first
            {
                relate(a, b, inline: false)
            }
        }
        relateCells()
        var result: [TypesetSection.Piece] = []
        for (index, block) in section.blocks.enumerated() {
            result += pieces(of: index, block)
        }
        return result
    }

    /// The pairs (A token, B token) that are one word kept, in order in both.
    func anchors(_ a: [Token], _ b: [Token]) -> [(Int, Int)] {
        func key(_ token: Token) -> Int? {
            if case .kept(let span, let ordinal) = token.status { return span << 32 | ordinal }
            return nil
        }
        var where_: [Int: Int] = [:]
        where_.reserveCapacity(b.count)
        for (j, token) in b.enumerated() {
            if let key = key(token) { where_[key] = j }
        }
        var pairs: [(Int, Int)] = []
        var last = -1
        for (i, token) in a.enumerated() {
            guard let key = key(token), let j = where_[key], j > last else { continue }
            pairs.append((i, j))
            last = j
        }
        return pairs
    }

    static func sameKind(_ x: TypesetElement, _ y: TypesetElement) -> Bool {
        switch (x, y) {
        case (.heading, .heading), (.list, .list), (.codeBlock, .codeBlock), (.cell, .cell), (.footnote, .footnote),
             (.link, .link), (.image, .image), (.checkbox, .checkbox), (.footnoteReference, .footnoteReference):
            true
        default:
            x == y
        }
    }

    /// Records that the elements holding `a` are those holding `b`, from the outermost in, as
    /// long as they are of one kind (with `inline` false, down to the block holding the text).
    mutating func relate(_ a: Token, _ b: Token, inline: Bool = true) {
        let aTree = trees[a.tree], bTree = trees[0]
        for (x, y) in zip(a.path, b.path) {
            let ex = aTree.nodes[x].element, ey = bTree.nodes[y].element
            if !inline, ex.isInline { break }
            guard Self.sameKind(ex, ey) else { break }
            if let known = sameAs[a.tree][x] {
                if known != y { break }
                continue
            }
            sameAs[a.tree][x] = y
        }
    }

    /// Cells of a row that is one row in both drafts are one cell in both, column by column.
    mutating func relateCells() {
        for tree in 1..<trees.count {
            let nodes = trees[tree].nodes
            var aCells: [Int: [Int]] = [:], bCells: [Int: [Int]] = [:]
            for (index, node) in nodes.enumerated() {
                if case .cell = node.element, let parent = node.parent { aCells[parent, default: []].append(index) }
            }
            for (index, node) in trees[0].nodes.enumerated() {
                if case .cell = node.element, let parent = node.parent { bCells[parent, default: []].append(index) }
            }
            for (row, cells) in aCells {
                guard let bRow = sameAs[tree][row], let others = bCells[bRow] else { continue }
                for (column, cell) in cells.enumerated() where column < others.count && sameAs[tree][cell] == nil {
                    sameAs[tree][cell] = others[column]
                }
            }
        }
    }

    /// The frames of a token: B's elements, and the earlier drafts' elements as B's where they are one.
    func frames(_ token: Token) -> [TypesetSection.Frame] {
        let nodes = trees[token.tree].nodes
        return token.path.map { node in
            if token.tree == 0 { return TypesetSection.Frame(element: nodes[node].element, id: node) }
            if let same = sameAs[token.tree][node] { return TypesetSection.Frame(element: trees[0].nodes[same].element, id: same) }
            return TypesetSection.Frame(element: nodes[node].element, id: offsets[token.tree] + node)
        }
    }

    /// The pieces of one block: A's and B's tokens merged, kept words once.
    func pieces(of index: Int, _ block: BlockChange) -> [TypesetSection.Piece] {
        let a = aTokens[index], b = bTokens[index]
        let move: TypesetSection.Move? = block.status == .movedAway ? .away : block.status == .movedHere ? .here : nil
        let changedSpans = block.spans.indices.filter { block.spans[$0].kind != .equal && !block.spans[$0].sources.isEmpty }
        func sources(near span: Int) -> [Int] {
            guard let nearest = changedSpans.min(by: { abs($0 - span) < abs($1 - span) }) else { return [] }
            return block.spans[nearest].sources
        }
        // A change no commit is credited with (punctuation, whose span has no words) takes
        // the commits of the nearest change of its block.
        func sources(of token: Token) -> [Int] {
            if case .changed(let span) = token.status, !block.spans[span].sources.isEmpty { return block.spans[span].sources }
            return sources(near: token.span)
        }
        let nearSources = sources(near:)
        // Spans that change only markup: a formatting change is theirs.
        let markupSpans = changedSpans.filter { !block.spans[$0].text.unicodeScalars.contains(where: TypesetTokens.isWordScalar) }
        var result: [TypesetSection.Piece] = []
        let whole = block.status == .inserted || block.status == .deleted || block.status == .movedAway
        func only(_ token: Token, _ change: TypesetSection.Change) {
            // An element without text (a rule, an empty cell) is no change of words: B's stands
            // for both, unless the whole block came or went.
            var change = change
            if token.text.isEmpty && !whole {
                if change == .deleted { return }
                change = .none
            }
            result.append(TypesetSection.Piece(frames: frames(token), space: token.space, text: token.text, change: change, move: move,
                                               sources: change == .none ? [] : sources(of: token), block: index))
        }
        func both(_ x: Token, _ y: Token) {
            // A block moved here is marked whole; its formatting is B's.
            let format = move == .here ? nil : Self.formatChange(x, trees[x.tree], y, trees[0])
            var sources: [Int] = []
            if format != nil {
                sources = Array(Set(markupSpans.flatMap { block.spans[$0].sources })).sorted()
                if sources.isEmpty { sources = nearSources(y.span) }
            }
            result.append(TypesetSection.Piece(frames: frames(y), space: y.space.isEmpty ? x.space : y.space, text: y.text,
                                               change: format.map { .format($0) } ?? .none, move: move, sources: sources, block: index))
        }
        if wholeBlocks.contains(index) {
            return b.map { TypesetSection.Piece(frames: frames($0), space: $0.space, text: $0.text, change: .none, move: nil, sources: [], block: index) }
        }
        switch block.status {
        case .deleted, .movedAway:
            for token in a { only(token, .deleted) }
            return result
        case .inserted:
            for token in b { only(token, .inserted) }
            return result
        default:
            break
        }
        var i = 0, j = 0
        for (ai, bj) in anchors(a, b) + [(a.count, b.count)] {
            merge(a[i..<ai], b[j..<bj], only: only, both: both)
            if ai < a.count { both(a[ai], b[bj]) }
            i = ai + 1
            j = bj + 1
        }
        return result
    }

    /// Tokens between two kept words: those the redline changed stay changed; of the others,
    /// the same text in both is one piece.
    func merge(_ a: ArraySlice<Token>, _ b: ArraySlice<Token>, only: (Token, TypesetSection.Change) -> Void,
               both: (Token, Token) -> Void)
    {
        if a.isEmpty && b.isEmpty { return }
        var ids: [UInt64: Int32] = [:]
        var unique: Int32 = -1
        func id(_ token: Token) -> Int32 {
            if case .changed = token.status {
                unique -= 1
                return unique
            }
            if let known = ids[token.hash] { return known }
            let new = Int32(ids.count + 1)
            ids[token.hash] = new
            return new
        }
        let aIDs = a.map(id), bIDs = b.map(id)
        var i = a.startIndex, j = b.startIndex
        for run in Myers.diff(aIDs, bIDs) {
            for _ in 0..<run.count {
                switch run.operation {
                case .equal: both(a[i], b[j]); i += 1; j += 1
                case .delete: only(a[i], .deleted); i += 1
                case .insert: only(b[j], .inserted); j += 1
                }
            }
        }
    }

    /// What changed in the markup of a word kept: nil when nothing did.
    static func formatChange(_ a: Token, _ aTree: MarkdownTree, _ b: Token, _ bTree: MarkdownTree) -> String? {
        let x = markup(a.path.map { aTree.nodes[$0].element }), y = markup(b.path.map { bTree.nodes[$0].element })
        guard x != y else { return nil }
        var said: [String] = []
        if x.block != y.block, let from = x.block, let to = y.block { said.append("\(name(from)) → \(name(to))") }
        let removed = x.inline.filter { old in !y.inline.contains { sameKind($0, old) } }
        let added = y.inline.filter { new in !x.inline.contains { sameKind($0, new) } }
        for new in added { said.append(name(new)) }
        for old in removed {
            if case .link(let url, _) = old { said.append("link to \(url) removed") } else { said.append("not " + name(old)) }
        }
        for old in x.inline {
            guard case .link(let oldURL, _) = old else { continue }
            for new in y.inline {
                if case .link(let newURL, _) = new, newURL != oldURL { said.append("link: \(oldURL) → \(newURL)") }
            }
        }
        return said.isEmpty ? nil : said.joined(separator: ", ")
    }

    /// The markup of a word: the block holding it, and its inline elements.
    static func markup(_ elements: [TypesetElement]) -> (block: TypesetElement?, inline: [TypesetElement]) {
        var block: TypesetElement?
        var inline: [TypesetElement] = []
        for element in elements {
            if element.isInline {
                inline.append(element)
            } else if element.holdsText {
                switch element {
                case .cell: block = .cell(header: false, alignment: .none)
                default: block = element
                }
            }
        }
        return (block, inline)
    }

    static func name(_ element: TypesetElement) -> String {
        switch element {
        case .paragraph: "paragraph"
        case .heading(let level): "heading \(level)"
        case .codeBlock: "code block"
        case .cell: "table cell"
        case .emphasis: "italic"
        case .strong: "bold"
        case .strikethrough: "struck through"
        case .code: "code"
        case .link(let url, _): "link to \(url)"
        case .image: "image"
        case .footnoteReference: "footnote"
        default: "\(element)"
        }
    }
}

