internal import CCmark

/// The kind of a block of a section.
public enum BlockKind: Sendable, Hashable, Codable {
    case frontMatter
    case heading(level: Int)
    case paragraph
    /// A paragraph (or other block) inside a list item, `depth` lists deep.
    case listItem(depth: Int)
    case quote
    case tableRow
    case code
    case thematicBreak
    case html
    /// A footnote definition.
    case footnote

    /// Blocks whose white space is content (code, raw HTML).
    public var isVerbatim: Bool {
        switch self {
        case .code, .html, .frontMatter: true
        default: false
        }
    }

    /// `paragraph`, `heading 2`, `list item (depth 2)`: for dumps and headers.
    public var name: String {
        switch self {
        case .frontMatter: "front matter"
        case .heading(let level): "heading \(level)"
        case .paragraph: "paragraph"
        case .listItem(let depth): depth > 1 ? "list item (depth \(depth))" : "list item"
        case .quote: "quote"
        case .tableRow: "table row"
        case .code: "code"
        case .thematicBreak: "thematic break"
        case .html: "html"
        case .footnote: "footnote"
        }
    }
}

/// A block of a section: a byte range of its text, from the first line of the block up to the
/// first line of the next, so the blocks of a section cover it exactly, in order.
public struct Block: Sendable, Hashable {
    public var kind: BlockKind
    /// UTF-8 offsets into the section's text.
    public var start: Int
    public var end: Int
}

/// Splits sections into blocks with cmark-gfm (GFM tables and footnotes on).
public enum BlockParser {
    /// The blocks of `text`, whose first `bodyOffset` bytes are front matter (one block).
    public static func blocks(of text: String, bodyOffset: Int = 0) -> [Block] {
        var text = text
        return text.withUTF8 { bytes in
            blocks(of: bytes, bodyOffset: bodyOffset)
        }
    }

    public static func blocks(of bytes: UnsafeBufferPointer<UInt8>, bodyOffset: Int) -> [Block] {
        var blocks: [Block] = []
        if bodyOffset > 0 { blocks.append(Block(kind: .frontMatter, start: 0, end: bodyOffset)) }
        guard bodyOffset < bytes.count else { return blocks }
        var starts: [(start: Int, kind: BlockKind)] = []
        for (start, kind) in leafBlocks(UnsafeBufferPointer(rebasing: bytes[bodyOffset...])) {
            if let last = starts.last, bodyOffset + start <= last.start { continue }
            starts.append((bodyOffset + start, kind))
        }
        guard !starts.isEmpty else {
            // Text cmark makes no block of is one paragraph.
            blocks.append(Block(kind: .paragraph, start: bodyOffset, end: bytes.count))
            return blocks
        }
        // Leading blank lines join the first block.
        starts[0].start = bodyOffset
        for (index, start) in starts.enumerated() {
            blocks.append(Block(kind: start.kind, start: start.start, end: index + 1 < starts.count ? starts[index + 1].start : bytes.count))
        }
        return blocks
    }

    /// Where the first line of every leaf block starts (a byte offset into `body`), and its
    /// kind, in document order.
    static func leafBlocks(_ body: UnsafeBufferPointer<UInt8>, shortening: Bool = true) -> [(start: Int, kind: BlockKind)] {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in ["table"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        let (neutral, lineStarts) = neutralized(body, shortening: shortening)
        guard !lineStarts.isEmpty else { return [] }
        neutral.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        var result: [(Int, BlockKind)] = []
        collect(document, into: &result)
        // cmark counts lines from 1, and reports line 0 for some blocks it makes of control characters.
        return result.map { line, kind in (lineStarts[min(max(line, 1), lineStarts.count) - 1], kind) }
    }

    /// The text as cmark sees it, and where each of its lines starts in `body`. Only blocks are
    /// wanted here, so the text is made cheap to parse (cmark-gfm's inline parsing took half its
    /// time, and is where it can go quadratic: 300 KB of `![[]()` took 13 s):
    /// - brackets, parentheses and `!` become `x`, except the `[^id]` of a footnote reference or
    ///   definition (cmark keeps a definition only when something refers to it);
    /// - a line of more than 256 pipes (a table of thousands of columns, slow in the table
    ///   extension) loses its pipes;
    /// - with `shortening`, a line ends after its first ASCII letter, unless it holds one of
    ///   ``` < > | ` ``` or a footnote label. Block structure is read from what comes before a
    ///   line's first letter (indentation, quote and list markers, block starts) and from whether
    ///   it is blank; after it, only tables (pipes), fences' info strings (backticks), HTML
    ///   blocks' tags and ends (`<`, `>`) and footnote definitions look further;
    /// - with `shortening`, a plain line (spaces, then a letter) is left out when the line before
    ///   it is plain with as many spaces, no table is open (no pipe since the last blank line)
    ///   and the next line has no pipe (no table can make it a header row): it only continues the
    ///   block the line before is in.
    /// Lines end at `\n`, `\r\n` or `\r`, as cmark ends them; each is given to cmark with `\n`.
    static func neutralized(_ body: UnsafeBufferPointer<UInt8>, shortening: Bool = true) -> (text: [UInt8], lineStarts: [Int]) {
        let lines = Line.split(body)
        var lineStarts: [Int] = []
        lineStarts.reserveCapacity(shortening ? lines.count / 2 : lines.count)
        let text = [UInt8](unsafeUninitializedCapacity: body.count + 1) { output, written in
            var out = 0
            var tableOpen = false
            for (number, line) in lines.enumerated() {
                if line.isBlank { tableOpen = false }
                if line.pipes > 0 { tableOpen = true }
                if shortening, number > 0, line.plainIndent >= 0, line.plainIndent == lines[number - 1].plainIndent,
                   !tableOpen, number + 1 == lines.count || lines[number + 1].pipes == 0
                {
                    continue
                }
                lineStarts.append(line.start)
                let copyEnd = !shortening || line.keepWhole || line.firstLetter < 0 ? line.end : line.firstLetter + 1
                var index = line.start
                while index < copyEnd {
                    var byte = body[index]
                    switch byte {
                    case UInt8(ascii: "["):
                        if let end = footnoteLabelEnd(body, at: index), end <= copyEnd {
                            while index < end {
                                output[out] = body[index]
                                out += 1
                                index += 1
                            }
                            continue
                        }
                        byte = UInt8(ascii: "x")
                    case UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "!"):
                        byte = UInt8(ascii: "x")
                    case UInt8(ascii: "|") where line.pipes > maximumPipesPerLine:
                        byte = UInt8(ascii: "x")
                    default:
                        break
                    }
                    output[out] = byte
                    out += 1
                    index += 1
                }
                output[out] = 0x0A
                out += 1
            }
            written = out
        }
        return (text, lineStarts)
    }

    /// One line of a text, as `neutralized` sees it.
    struct Line {
        var start: Int
        /// Where the line's end (`\n`, `\r\n`, `\r`, or the text's end) begins.
        var end: Int
        /// The first ASCII letter, or -1.
        var firstLetter = -1
        var pipes = 0
        /// Holds a byte or label that block structure may be read from after the first letter.
        var keepWhole = false
        /// Only spaces and tabs.
        var isBlank = true
        /// For a plain line (spaces, then an ASCII letter, and nothing kept whole): its spaces;
        /// otherwise -1.
        var plainIndent = -1

        static func split(_ body: UnsafeBufferPointer<UInt8>) -> [Line] {
            var lines: [Line] = []
            lines.reserveCapacity(body.count / 40 + 1)
            let count = body.count
            var index = 0
            roles.withUnsafeBufferPointer { roles in
                while index < count {
                    var line = Line(start: index, end: index)
                    while index < count, body[index] == 0x20 { index += 1 }
                    let indent = index - line.start
                    while index < count {
                        if line.firstLetter >= 0 {
                            // All that is left to find are bytes with a role other than letter.
                            while index + 8 <= count, !mayHoldRole(body, at: index) { index += 8 }
                            if index == count { break }
                        }
                        let byte = body[index]
                        let role = roles[Int(byte)]
                        if role == Role.lineEnd { break }
                        if byte != 0x20, byte != 0x09 { line.isBlank = false }
                        if role != 0 {
                            if role == Role.letter {
                                if line.firstLetter < 0 { line.firstLetter = index }
                            } else if role == Role.pipe {
                                line.pipes += 1
                                line.keepWhole = true
                            } else if role == Role.keepsWhole {
                                line.keepWhole = true
                            } else if footnoteLabelEnd(body, at: index) != nil {
                                line.keepWhole = true
                            }
                        }
                        index += 1
                    }
                    line.end = index
                    if !line.keepWhole, line.firstLetter == line.start + indent { line.plainIndent = indent }
                    lines.append(line)
                    if index < count, body[index] == 0x0D, index + 1 < count, body[index + 1] == 0x0A { index += 1 }
                    index += 1
                }
            }
            return lines
        }
    }

    /// More pipes than this on one line is a table cmark-gfm's table extension is slow on.
    static let maximumPipesPerLine = 256

    /// Where a footnote reference or definition label (`[^id]`) that starts at `index` ends.
    private static func footnoteLabelEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "^") else { return nil }
        var close = index + 2
        let limit = min(bytes.count, index + 130)
        while close < limit {
            let byte = bytes[close]
            if byte == UInt8(ascii: "]") { return close > index + 2 ? close + 1 : nil }
            if byte <= 0x20 || byte == UInt8(ascii: "[") { return nil }
            close += 1
        }
        return nil
    }

    /// Whether the eight bytes at `index` may hold a line end, `|`, `<`, `>`, `` ` `` or `[`
    /// (never false when they do): each byte is compared with each at once, in one word.
    @inline(__always)
    private static func mayHoldRole(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var found: UInt64 = 0
        for byte: UInt64 in [0x0A, 0x0D, 0x7C, 0x3C, 0x3E, 0x60, 0x5B] {
            let matches = word ^ (byte &* ones)
            found |= (matches &- ones) & ~matches & highs
        }
        return found != 0
    }

    /// What a byte means to `Line.split`.
    private enum Role {
        static let letter: UInt8 = 1
        static let lineEnd: UInt8 = 2
        static let pipe: UInt8 = 3
        static let keepsWhole: UInt8 = 4
        /// `[`, which may open a footnote label.
        static let bracket: UInt8 = 5
    }

    private static let roles: [UInt8] = {
        var roles = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { roles[Int(byte)] = Role.letter }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { roles[Int(byte)] = Role.letter }
        roles[0x0A] = Role.lineEnd
        roles[0x0D] = Role.lineEnd
        roles[Int(UInt8(ascii: "|"))] = Role.pipe
        for byte in "<>`".utf8 { roles[Int(byte)] = Role.keepsWhole }
        roles[Int(UInt8(ascii: "["))] = Role.bracket
        return roles
    }()

    /// Where a container's children are read from, and in what context; `exit` says what to do
    /// once they are all read.
    private struct Frame {
        enum Exit {
            case none
            /// A list item with no block of its own is still a block, at its marker's line.
            case item(before: Int, line: Int, depth: Int)
            /// A footnote definition starts at its label's line.
            case footnote(before: Int, line: Int)
        }

        var next: OpaquePointer?
        var listDepth: Int
        var inQuote: Bool
        var inFootnote: Bool
        var exit: Exit
    }

    /// The blocks under `document` in order, each with its first line. A loop over an explicit
    /// stack, not recursion: 10,000 nested lists or quotes must not exhaust the thread's stack.
    private static func collect(_ document: OpaquePointer, into result: inout [(Int, BlockKind)]) {
        var stack = [Frame(next: cmark_node_first_child(document), listDepth: 0, inQuote: false, inFootnote: false, exit: .none)]
        while let frame = stack.last {
            guard let current = frame.next else {
                stack.removeLast()
                switch frame.exit {
                case .none: break
                case .item(let before, let line, let depth):
                    if result.count == before { result.append((line, .listItem(depth: depth))) }
                case .footnote(let before, let line):
                    if result.count > before { result[before].0 = min(result[before].0, line) }
                }
                continue
            }
            stack[stack.count - 1].next = cmark_node_next(current)
            let (listDepth, inQuote, inFootnote) = (frame.listDepth, frame.inQuote, frame.inFootnote)
            func enter(listDepth: Int = listDepth, inQuote: Bool = inQuote, inFootnote: Bool = inFootnote,
                       exit: Frame.Exit = .none)
            {
                stack.append(Frame(next: cmark_node_first_child(current), listDepth: listDepth, inQuote: inQuote,
                                   inFootnote: inFootnote, exit: exit))
            }
            func container(_ kind: BlockKind) -> BlockKind {
                if inFootnote { return .footnote }
                if listDepth > 0 { return .listItem(depth: listDepth) }
                if inQuote { return .quote }
                return kind
            }
            let line = Int(cmark_node_get_start_line(current))
            switch cmark_node_get_type(current) {
            case CMARK_NODE_PARAGRAPH:
                result.append((line, container(.paragraph)))
            case CMARK_NODE_HEADING:
                result.append((line, inQuote || listDepth > 0 ? container(.paragraph)
                    : .heading(level: Int(cmark_node_get_heading_level(current)))))
            case CMARK_NODE_CODE_BLOCK:
                result.append((line, .code))
            case CMARK_NODE_HTML_BLOCK:
                result.append((line, .html))
            case CMARK_NODE_THEMATIC_BREAK:
                result.append((line, .thematicBreak))
            case CMARK_NODE_LIST:
                enter(listDepth: listDepth + 1)
            case CMARK_NODE_ITEM:
                enter(exit: .item(before: result.count, line: line, depth: listDepth))
            case CMARK_NODE_BLOCK_QUOTE:
                enter(inQuote: true)
            case CMARK_NODE_FOOTNOTE_DEFINITION:
                enter(inFootnote: true, exit: .footnote(before: result.count, line: line))
            default:
                let typeName = cmark_node_get_type_string(current).map { String(cString: $0) } ?? ""
                if typeName == "table" {
                    var row = cmark_node_first_child(current)
                    while let currentRow = row {
                        result.append((Int(cmark_node_get_start_line(currentRow)), .tableRow))
                        row = cmark_node_next(currentRow)
                    }
                } else if cmark_node_first_child(current) != nil {
                    enter()
                }
            }
        }
    }
}
