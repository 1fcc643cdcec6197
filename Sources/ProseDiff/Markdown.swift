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

/// How `Markdown.html` treats what a section points at.
public struct HTMLOptions {
    /// What an image is shown as.
    public enum Image {
        /// Embedded in the page as `data:` (the page loads nothing): its media type and bytes.
        case embedded(mediaType: String, bytes: [UInt8])
        /// Shown as its description and address, with this note.
        case note(String)
    }

    /// A new destination for a link (a section's file becomes its place in the page); nil keeps it.
    public var link: (String) -> String?
    /// What an image at an address is; nil shows it as its description and address.
    public var image: (String) -> Image?

    public init(link: @escaping (String) -> String? = { _ in nil }, image: @escaping (String) -> Image? = { _ in nil }) {
        self.link = link
        self.image = image
    }
}

/// A section as HTML, and what was left out of it.
public struct RenderedMarkdown: Sendable {
    public var html: String
    /// Raw HTML blocks and inline tags left out (safe mode passes none through).
    public var rawHTML: Int
}

extension Markdown {
    /// Markdown as HTML through cmark-gfm in its safe mode (raw HTML and `javascript:` links are
    /// left out), with GFM tables, strikethrough, autolinks and footnotes; nil for a text over
    /// 1 MB or one `slowForCmark`, which the caller shows as text: rendering parses every inline,
    /// where cmark-gfm can be slow on hostile input.
    public static func html(_ text: String) -> String? {
        html(text, options: HTMLOptions())?.html
    }

    /// `html(_:)`, with links and images as `options` has them. An embedded image reaches the
    /// page through an address cmark-gfm cannot be given (safe mode refuses `data:` for SVG):
    /// the image is rendered with a placeholder that no text can guess, replaced afterwards by
    /// its `data:` address, made here from its bytes.
    public static func html(_ text: String, options: HTMLOptions) -> RenderedMarkdown? {
        let length = text.utf8.count
        guard length <= 1_048_576, !slowForCmark(text) else { return nil }
        cmark_gfm_core_extensions_ensure_registered()
        let flags = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
        guard let parser = cmark_parser_new(flags) else { return RenderedMarkdown(html: "", rawHTML: 0) }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        text.withCString { cmark_parser_feed(parser, $0, length) }
        guard let document = cmark_parser_finish(parser) else { return RenderedMarkdown(html: "", rawHTML: 0) }
        defer { cmark_node_free(document) }
        var links: [OpaquePointer] = [], images: [OpaquePointer] = []
        var rawHTML = 0
        if let iterator = cmark_iter_new(document) {
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_LINK: links.append(node)
                case CMARK_NODE_IMAGE: images.append(node)
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE: rawHTML += 1
                default: break
                }
            }
            cmark_iter_free(iterator)
        }
        for link in links {
            guard let url = cmark_node_get_url(link).map({ String(cString: $0) }), let replacement = options.link(url) else { continue }
            cmark_node_set_url(link, replacement)
        }
        let placeholder = "stet-embedded-" + String(UInt64.random(in: 1...UInt64.max), radix: 36) + ":"
        var embedded: [String] = []
        for image in images {
            let url = cmark_node_get_url(image).map { String(cString: $0) } ?? ""
            switch options.image(url) {
            case .embedded(let mediaType, let bytes):
                cmark_node_set_url(image, placeholder + String(embedded.count))
                embedded.append("data:" + mediaType + ";base64," + base64(bytes))
            case .note(let note):
                replaceImage(image, url: url, note: note)
            case nil:
                replaceImage(image, url: url, note: nil)
            }
        }
        guard let rendered = cmark_render_html(document, flags, cmark_parser_get_syntax_extensions(parser)) else {
            return RenderedMarkdown(html: "", rawHTML: rawHTML)
        }
        defer { free(rendered) }
        var html = String(cString: rendered)
        // Last first, so that the placeholder of image 1 is not taken for the start of image 10's.
        for (index, address) in embedded.enumerated().reversed() {
            html = html.replacing("src=\"" + placeholder + String(index) + "\"", with: "src=\"" + address + "\"")
        }
        return RenderedMarkdown(html: html, rawHTML: rawHTML)
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

    /// Replaces an image with its description and address as text (`[image: alt (url)]`), and
    /// a note: a rendered draft is one self-contained file whose policy loads nothing from
    /// elsewhere, so such an image would only be a blank box, or a request to a server the
    /// reader did not choose.
    private static func replaceImage(_ image: OpaquePointer, url: String, note: String?) {
        insertText("[image: ", before: image)
        while let child = cmark_node_first_child(image) {
            cmark_node_insert_before(image, child)
        }
        insertText((url.isEmpty ? "" : " (\(url))") + (note.map { ": " + $0 } ?? "") + "]", before: image)
        cmark_node_unlink(image)
        cmark_node_free(image)
    }

    /// Standard base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output += [alphabet[Int(value >> 18)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)], alphabet[Int(value & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let value = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            output += [alphabet[Int(value >> 18)], alphabet[Int(value >> 12 & 63)]]
            output += rest == 2 ? [alphabet[Int(value >> 6 & 63)], UInt8(ascii: "=")] : [UInt8(ascii: "="), UInt8(ascii: "=")]
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func insertText(_ text: String, before node: OpaquePointer) {
        guard let textNode = cmark_node_new(CMARK_NODE_TEXT) else { return }
        cmark_node_set_literal(textNode, text)
        cmark_node_insert_before(node, textNode)
    }
}
