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
        // Byte offset of each line of the body (cmark counts lines from 1).
        var lineStarts = [bodyOffset]
        for index in bodyOffset..<bytes.count where bytes[index] == 0x0A && index + 1 < bytes.count {
            lineStarts.append(index + 1)
        }
        var starts: [(line: Int, kind: BlockKind)] = []
        for (reported, kind) in leafBlocks(UnsafeBufferPointer(rebasing: bytes[bodyOffset...])) {
            // cmark-gfm reports line 0 for some blocks it makes of control characters.
            let line = max(1, reported)
            if let last = starts.last, line <= last.line { continue }
            starts.append((line, kind))
        }
        if starts.isEmpty || starts[0].line > 1 {
            // Leading blank lines (or text cmark makes no block of) join the first block.
            if starts.isEmpty {
                blocks.append(Block(kind: .paragraph, start: bodyOffset, end: bytes.count))
                return blocks
            }
            starts[0].line = 1
        }
        for (index, start) in starts.enumerated() {
            let from = lineStarts[min(start.line - 1, lineStarts.count - 1)]
            let to = index + 1 < starts.count ? lineStarts[min(starts[index + 1].line - 1, lineStarts.count - 1)] : bytes.count
            guard to > from else { continue }
            blocks.append(Block(kind: start.kind, start: from, end: to))
        }
        return blocks
    }

    /// The first line and kind of every leaf block, in document order.
    static func leafBlocks(_ body: UnsafeBufferPointer<UInt8>, shortening: Bool = true) -> [(Int, BlockKind)] {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in ["table"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        let neutral = neutralized(body, shortening: shortening)
        neutral.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        var result: [(Int, BlockKind)] = []
        collect(document, into: &result)
        return result
    }

    /// The text as cmark sees it. Only blocks are wanted here, so the text is made cheap to
    /// parse inline (inline parsing was half of cmark-gfm's time, and where it can go quadratic:
    /// 300 KB of `![[]()` took 13 s):
    /// - brackets, parentheses and `!` become `x`, except the `[^id]` of a footnote reference or
    ///   definition (cmark keeps a definition only when something refers to it);
    /// - a line of more than 256 pipes (a table of thousands of columns, slow in the table
    ///   extension) loses its pipes;
    /// - with `shortening`, a line ends after its first ASCII letter, unless it holds one of
    ///   ``` < > | ` ``` or a footnote reference, or a carriage return not ending it. Block
    ///   structure is read from what comes before a line's first letter (indentation, quote and
    ///   list markers, block starts) and from whether the line is blank; after it, only tables
    ///   (pipes), fences' info strings (backticks), HTML blocks' tags and ends (`<`, `>`) and footnote
    ///   definitions look further. Lines keep their number, which is all that is read back.
    static func neutralized(_ body: UnsafeBufferPointer<UInt8>, shortening: Bool = true) -> [UInt8] {
        let count = body.count
        return [UInt8](unsafeUninitializedCapacity: count) { output, written in
            roles.withUnsafeBufferPointer { roles in
                var out = 0
                var lineStart = 0
                while lineStart < count {
                    var lineEnd = lineStart
                    var firstLetter = -1, pipes = 0
                    var keepWhole = !shortening
                    // One pass over the line: where it ends, its first letter, and whether it must be kept whole.
                    while lineEnd < count {
                        let byte = body[lineEnd]
                        let role = roles[Int(byte)]
                        if role != 0 {
                            if role == Role.newline { break }
                            if role == Role.letter {
                                if firstLetter < 0 { firstLetter = lineEnd }
                            } else if role == Role.pipe {
                                pipes += 1
                                keepWhole = true
                            } else if role == Role.keepsWhole {
                                keepWhole = true
                            } else if role == Role.carriageReturn {
                                if lineEnd + 1 < count, body[lineEnd + 1] != 0x0A { keepWhole = true }
                            } else if byte == UInt8(ascii: "["), footnoteReferenceEnd(body, at: lineEnd) != nil {
                                keepWhole = true
                            }
                        }
                        lineEnd += 1
                    }
                    let copyEnd = keepWhole || firstLetter < 0 ? lineEnd : firstLetter + 1
                    var index = lineStart
                    while index < copyEnd {
                        var byte = body[index]
                        let role = roles[Int(byte)]
                        if role == Role.bracket {
                            if byte == UInt8(ascii: "["), let end = footnoteReferenceEnd(body, at: index), end <= copyEnd {
                                while index < end {
                                    output[out] = body[index]
                                    out += 1
                                    index += 1
                                }
                                continue
                            }
                            byte = UInt8(ascii: "x")
                        } else if role == Role.pipe, pipes > maximumPipesPerLine {
                            byte = UInt8(ascii: "x")
                        }
                        output[out] = byte
                        out += 1
                        index += 1
                    }
                    if lineEnd < count {
                        output[out] = 0x0A
                        out += 1
                    }
                    lineStart = lineEnd + 1
                }
                written = out
            }
        }
    }

    /// More pipes than this on one line is a table cmark-gfm's table extension is slow on.
    static let maximumPipesPerLine = 256

    /// Where a footnote reference or definition label (`[^id]`) that starts at `index` ends.
    private static func footnoteReferenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
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

    /// What a byte means to `neutralized`.
    private enum Role {
        static let letter: UInt8 = 1
        static let newline: UInt8 = 2
        static let pipe: UInt8 = 3
        static let keepsWhole: UInt8 = 4
        static let carriageReturn: UInt8 = 5
        static let bracket: UInt8 = 6
    }

    private static let roles: [UInt8] = {
        var roles = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { roles[Int(byte)] = Role.letter }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { roles[Int(byte)] = Role.letter }
        roles[0x0A] = Role.newline
        roles[0x0D] = Role.carriageReturn
        roles[Int(UInt8(ascii: "|"))] = Role.pipe
        for byte in "<>`".utf8 { roles[Int(byte)] = Role.keepsWhole }
        for byte in "[]()!".utf8 { roles[Int(byte)] = Role.bracket }
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
