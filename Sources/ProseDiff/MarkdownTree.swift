internal import CCmark
#if canImport(Glibc)
internal import Glibc
#endif

/// An element of a typeset section, as cmark-gfm (GFM tables, strikethrough, autolinks, task
/// lists and footnotes on, raw HTML left out) parses it.
public enum TypesetElement: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable { case none, left, center, right }

    case paragraph
    case heading(level: Int)
    case quote
    case list(ordered: Bool, start: Int, tight: Bool)
    case item
    /// A task list item's box.
    case checkbox(checked: Bool)
    case codeBlock(info: String)
    case thematicBreak
    case table
    /// The rows of a table's head, and of its body (made for the rows cmark lists directly).
    case tableHead, tableBody
    case row
    case cell(header: Bool, alignment: Alignment)
    /// The footnotes of a section, after its text.
    case footnotes
    case footnote(number: Int)
    case emphasis, strong, strikethrough, code
    case link(url: String, title: String)
    /// An image: its description is its text.
    case image(url: String, title: String)
    case footnoteReference(number: Int)
    case lineBreak

    /// Blocks that hold text directly (a paragraph, a heading, a table cell, a code block).
    public var holdsText: Bool {
        switch self {
        case .paragraph, .heading, .codeBlock, .cell: true
        default: false
        }
    }

    /// Elements that hold no text of their own: one leaf stands for each.
    public var isVoid: Bool {
        switch self {
        case .thematicBreak, .lineBreak, .checkbox, .image, .footnoteReference: true
        default: false
        }
    }

    /// Inline elements (inside a block that holds text).
    public var isInline: Bool {
        switch self {
        case .emphasis, .strong, .strikethrough, .code, .link, .image, .footnoteReference, .lineBreak, .checkbox: true
        default: false
        }
    }
}

/// A section as a tree of elements and, in reading order, the text of its leaves: what a
/// reader of the typeset section sees, each piece with the elements it sits in.
public struct MarkdownTree: Sendable {
    public struct Node: Sendable {
        public var element: TypesetElement
        public var parent: Int?
        /// The lines of the source it was made from (1-based, inclusive).
        public var lines: ClosedRange<Int>
    }

    /// A piece of text and where it sits: `path` holds node indices, outermost first.
    public struct Leaf: Sendable {
        public var path: [Int]
        public var text: String
        /// The line of the source the block holding it starts on.
        public var line: Int
    }

    public var nodes: [Node] = []
    public var leaves: [Leaf] = []

    /// The tree of `text`; nil for a text over 1 MB or one `Markdown.slowForCmark`.
    public static func parse(_ text: String) -> MarkdownTree? {
        let length = text.utf8.count
        guard length <= 1_048_576, !Markdown.slowForCmark(text) else { return nil }
        cmark_gfm_core_extensions_ensure_registered()
        let flags = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE | CMARK_OPT_SOURCEPOS
        guard let parser = cmark_parser_new(flags) else { return nil }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        text.withCString { cmark_parser_feed(parser, $0, length) }
        guard let document = cmark_parser_finish(parser) else { return nil }
        defer { cmark_node_free(document) }
        var tree = MarkdownTree()
        guard tree.walk(document) else { return nil }
        return tree
    }

    /// The deepest nesting typeset; deeper documents are shown as their Markdown.
    static let depthLimit = 128

    /// What the walk carries from one node to the next.
    private struct Walk {
        /// The footnote definitions met so far.
        var footnotes = 0
        var footnoteList: Int?
        /// For each table: its head and body.
        var tableParts: [Int: (head: Int?, body: Int?)] = [:]
        /// The line of the innermost block holding text.
        var line = 1
    }

    /// An element the walk is inside: its node (nil for one that stands for its children), and
    /// the path below it.
    private struct Open {
        var source: OpaquePointer
        var index: Int?
        var path: [Int]
        var leaves: Int
    }

    /// Walks the document with cmark's iterator (no recursion: nesting is as deep as the text
    /// makes it); false when it is deeper than `depthLimit`.
    private mutating func walk(_ document: OpaquePointer) -> Bool {
        guard let iterator = cmark_iter_new(document) else { return false }
        defer { cmark_iter_free(iterator) }
        var walk = Walk()
        var stack: [Open] = []
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard let source = cmark_iter_get_node(iterator) else { continue }
            if source == document { continue }
            let parent = stack.last(where: { $0.index != nil })?.index
            let path = stack.last?.path ?? []
            if event == CMARK_EVENT_EXIT {
                // Nodes entered as text (a footnote reference) are exited too: only an open one closes.
                guard stack.last?.source == source, let entry = stack.popLast() else { continue }
                // An element with no text still takes its place (an empty cell, a rule, an empty item).
                if entry.index != nil, leaves.count == entry.leaves { leaf("", path: entry.path, line: walk.line) }
                continue
            }
            guard stack.count < Self.depthLimit else { return false }
            switch enter(source, parent: parent, path: path, walk: &walk) {
            case .leaf:
                break
            case .container(let index, let inner):
                if Self.isLeaf(source) {
                    let before = leaves.count
                    if case .codeBlock = nodes[index].element {
                        leaf(Self.string(cmark_node_get_literal(source)), path: inner, line: walk.line)
                    }
                    if leaves.count == before { leaf("", path: inner, line: walk.line) }
                } else if case .image = nodes[index].element {
                    // An image's description is the text of its children; it shows as one piece.
                    leaf(Markdown.plainText(of: source), path: inner, line: walk.line)
                    cmark_iter_reset(iterator, source, CMARK_EVENT_EXIT)
                } else {
                    stack.append(Open(source: source, index: index, path: inner, leaves: leaves.count))
                }
            case .transparent:
                if !Self.isLeaf(source) { stack.append(Open(source: source, index: nil, path: path, leaves: Int.max)) }
            }
        }
        return true
    }

    /// Whether cmark's iterator gives a node no exit event (it has no children).
    private static func isLeaf(_ node: OpaquePointer) -> Bool {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE,
             CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_FOOTNOTE_REFERENCE:
            true
        default:
            false
        }
    }

    private enum Entered {
        /// Text, or an element made with its text: nothing to open.
        case leaf
        /// An element: its index and the path inside it.
        case container(Int, [Int])
        /// Not shown itself; its children stand where it stands.
        case transparent
    }

    private mutating func node(_ element: TypesetElement, parent: Int?, source: OpaquePointer) -> Int {
        let start = Int(cmark_node_get_start_line(source)), end = Int(cmark_node_get_end_line(source))
        nodes.append(Node(element: element, parent: parent, lines: max(start, 1)...max(end, start, 1)))
        return nodes.count - 1
    }

    private mutating func leaf(_ text: String, path: [Int], line: Int) {
        leaves.append(Leaf(path: path, text: text, line: line))
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private mutating func enter(_ source: OpaquePointer, parent: Int?, path: [Int], walk: inout Walk) -> Entered {
        let type = cmark_node_get_type(source)
        let name = Self.string(cmark_node_get_type_string(source))
        let element: TypesetElement
        var parentIndex = parent, parentPath = path
        switch type {
        case CMARK_NODE_PARAGRAPH: element = .paragraph
        case CMARK_NODE_HEADING: element = .heading(level: Int(cmark_node_get_heading_level(source)))
        case CMARK_NODE_BLOCK_QUOTE: element = .quote
        case CMARK_NODE_LIST:
            element = .list(ordered: cmark_node_get_list_type(source) == CMARK_ORDERED_LIST,
                            start: Int(cmark_node_get_list_start(source)), tight: cmark_node_get_list_tight(source) != 0)
        case CMARK_NODE_ITEM: element = .item
        case CMARK_NODE_CODE_BLOCK: element = .codeBlock(info: Self.string(cmark_node_get_fence_info(source)))
        case CMARK_NODE_THEMATIC_BREAK: element = .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            // cmark keeps the definitions that are referred to, after the text, in the order of
            // their numbers.
            walk.footnotes += 1
            if walk.footnoteList == nil {
                nodes.append(Node(element: .footnotes, parent: parent, lines: Int(cmark_node_get_start_line(source))...Int.max))
                walk.footnoteList = nodes.count - 1
            }
            parentIndex = walk.footnoteList
            parentPath = path + [walk.footnoteList!]
            element = .footnote(number: walk.footnotes)
        case CMARK_NODE_EMPH: element = .emphasis
        case CMARK_NODE_STRONG: element = .strong
        case CMARK_NODE_LINK:
            element = .link(url: Self.string(cmark_node_get_url(source)), title: Self.string(cmark_node_get_title(source)))
        case CMARK_NODE_IMAGE:
            element = .image(url: Self.string(cmark_node_get_url(source)), title: Self.string(cmark_node_get_title(source)))
        case CMARK_NODE_TEXT:
            leaf(Self.string(cmark_node_get_literal(source)), path: path, line: walk.line)
            return .leaf
        case CMARK_NODE_SOFTBREAK:
            leaf(" ", path: path, line: walk.line)
            return .leaf
        case CMARK_NODE_LINEBREAK:
            let index = node(.lineBreak, parent: parent, source: source)
            leaf("", path: path + [index], line: walk.line)
            return .leaf
        case CMARK_NODE_CODE:
            let index = node(.code, parent: parent, source: source)
            leaf(Self.string(cmark_node_get_literal(source)), path: path + [index], line: walk.line)
            return .leaf
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            // cmark keeps a reference's number as its text.
            let number = Int(Self.string(cmark_node_get_literal(source))) ?? 0
            let index = node(.footnoteReference(number: number), parent: parent, source: source)
            leaf(String(number), path: path + [index], line: walk.line)
            return .leaf
        case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
            // Raw HTML is not passed through (as in `stet render`).
            return .leaf
        default:
            switch name {
            case "table": element = .table
            case "table_header", "table_row":
                guard let table = parent else { return .transparent }
                let header = name == "table_header"
                var parts = walk.tableParts[table] ?? (nil, nil)
                let part: Int
                if header, let head = parts.head {
                    part = head
                } else if !header, let body = parts.body {
                    part = body
                } else {
                    part = node(header ? .tableHead : .tableBody, parent: table, source: source)
                    if header { parts.head = part } else { parts.body = part }
                    walk.tableParts[table] = parts
                }
                parentIndex = part
                parentPath = path + [part]
                element = .row
            case "table_cell":
                let row = cmark_node_parent(source)
                let header = row.map { Self.string(cmark_node_get_type_string($0)) == "table_header" } ?? false
                var column = 0
                var sibling = cmark_node_previous(source)
                while let previous = sibling { column += 1; sibling = cmark_node_previous(previous) }
                var alignment = TypesetElement.Alignment.none
                if let row, let table = cmark_node_parent(row), let alignments = cmark_gfm_extensions_get_table_alignments(table),
                   column < Int(cmark_gfm_extensions_get_table_columns(table))
                {
                    alignment = switch alignments[column] {
                    case UInt8(ascii: "l"): .left
                    case UInt8(ascii: "c"): .center
                    case UInt8(ascii: "r"): .right
                    default: .none
                    }
                }
                element = .cell(header: header, alignment: alignment)
            case "strikethrough": element = .strikethrough
            case "tasklist": element = .item
            default: return .transparent
            }
        }
        let index = node(element, parent: parentIndex, source: source)
        let inner = parentPath + [index]
        if element.holdsText || element == .thematicBreak { walk.line = nodes[index].lines.lowerBound }
        if name == "tasklist" {
            let box = node(.checkbox(checked: cmark_gfm_extensions_get_tasklist_item_checked(source)), parent: index, source: source)
            leaves.append(Leaf(path: inner + [box], text: "", line: nodes[index].lines.lowerBound))
        }
        return .container(index, inner)
    }

}
