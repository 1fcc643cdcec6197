internal import CCmark
#if canImport(Glibc)
internal import Glibc
#endif

/// Markdown facts stet needs about a section, read with cmark-gfm in its safe mode.
public enum Markdown {
    /// The text of the first non-empty top-level heading (ATX or setext) of a Markdown document,
    /// with inline markup reduced to its text; nil when the document has no heading.
    ///
    /// Only the lines that can make a heading go through cmark (an ATX line, or a paragraph and
    /// its setext underline), so a huge or hostile section costs one scan of its lines, never a
    /// parse of the whole text.
    public static func firstHeading(in text: some StringProtocol) -> String? {
        // Read in place where the text is stored contiguously (a native string), else copied.
        if let heading = text.utf8.withContiguousStorageIfAvailable({ firstHeading(in: $0) }) { return heading }
        return Array(text.utf8).withUnsafeBufferPointer { firstHeading(in: $0) }
    }

    private static func firstHeading(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var paragraphStart: Int?
        var fence: (byte: UInt8, count: Int)?
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let next = min(lineEnd + 1, bytes.count)
            defer { lineStart = next }
            let line = bytes[lineStart..<lineEnd]
            let indent = line.prefix { $0 == 0x20 }.count
            let body = line.dropFirst(indent)
            let run = body.prefix { $0 == body.first }.count
            if let open = fence {
                if indent <= 3, body.first == open.byte, run >= open.count { fence = nil }
                continue
            }
            if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                paragraphStart = nil
                continue
            }
            if indent >= 4, paragraphStart == nil { continue }
            if indent <= 3, let first = body.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~"), run >= 3 {
                fence = (first, run)
                paragraphStart = nil
                continue
            }
            if indent <= 3, body.first == UInt8(ascii: "#") {
                if let title = parseFirstHeading(String(decoding: line, as: UTF8.self)) { return title }
            } else if indent <= 3, let start = paragraphStart, let first = body.first,
                      first == UInt8(ascii: "=") || first == UInt8(ascii: "-"),
                      body.allSatisfy({ $0 == first || $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }),
                      lineEnd - start <= limit
            {
                if let title = parseFirstHeading(String(decoding: bytes[start..<lineEnd], as: UTF8.self)) { return title }
                paragraphStart = nil
                continue
            }
            if paragraphStart == nil { paragraphStart = lineStart }
        }
        return nil
    }

    /// The longest paragraph a setext heading is looked for in.
    static let limit = 64 * 1024

    private static func parseFirstHeading(_ text: String) -> String? {
        let length = text.utf8.count
        let document = text.withCString { pointer in
            cmark_parse_document(pointer, length, CMARK_OPT_DEFAULT)
        }
        guard let document else { return nil }
        defer { cmark_node_free(document) }
        var node = cmark_node_first_child(document)
        while let current = node {
            if cmark_node_get_type(current) == CMARK_NODE_HEADING {
                let title = plainText(of: current).trimmingWhitespace()
                if !title.isEmpty { return title }
            }
            node = cmark_node_next(current)
        }
        return nil
    }

    /// The literal text below `node`, soft breaks as spaces.
    static func plainText(of node: OpaquePointer) -> String {
        var result = ""
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE {
                if let literal = cmark_node_get_literal(current) { result += String(cString: literal) }
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                result += " "
            }
        }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}

extension Markdown {
    /// Markdown as HTML through cmark-gfm in its safe mode (raw HTML and `javascript:` links are
    /// left out), with GFM tables, strikethrough, autolinks and footnotes; nil for a text over
    /// 1 MB or one `slowForCmark`, which the caller shows as text: rendering parses every inline,
    /// where cmark-gfm can be slow on hostile input.
    public static func html(_ text: String) -> String? {
        let length = text.utf8.count
        guard length <= 1_048_576, !slowForCmark(text) else { return nil }
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        text.withCString { cmark_parser_feed(parser, $0, length) }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        replaceImages(in: document)
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Whether cmark-gfm's inline and table parsing would take far longer than the text's size
    /// warrants: more than 5,000 opening brackets (300 KB of `![[]()` took 17 s), or a line of
    /// more than 256 pipes (a table of thousands of columns). No real section comes close.
    static func slowForCmark(_ text: String) -> Bool {
        var brackets = 0
        var pipes = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "["):
                brackets += 1
                if brackets > 5_000 { return true }
            case UInt8(ascii: "|"):
                pipes += 1
                if pipes > BlockParser.maximumPipesPerLine { return true }
            case 0x0A:
                pipes = 0
            default:
                break
            }
        }
        return false
    }

    /// Replaces every image with its description and address as text (`[image: alt (url)]`): a
    /// rendered draft is one self-contained file whose policy loads no image, so an image would
    /// only be a blank box, or a request to a server the reader did not choose.
    private static func replaceImages(in document: OpaquePointer) {
        var images: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(document) else { return }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == CMARK_NODE_IMAGE {
                images.append(node)
            }
        }
        cmark_iter_free(iterator)
        for image in images {
            let url = cmark_node_get_url(image).map { String(cString: $0) } ?? ""
            insertText("[image: ", before: image)
            while let child = cmark_node_first_child(image) {
                cmark_node_insert_before(image, child)
            }
            insertText(url.isEmpty ? "]" : " (\(url))]", before: image)
            cmark_node_unlink(image)
            cmark_node_free(image)
        }
    }

    private static func insertText(_ text: String, before node: OpaquePointer) {
        guard let textNode = cmark_node_new(CMARK_NODE_TEXT) else { return }
        cmark_node_set_literal(textNode, text)
        cmark_node_insert_before(node, textNode)
    }
}
