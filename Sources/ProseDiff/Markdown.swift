internal import CCmark

/// Markdown facts stet needs about a section, read with cmark-gfm in its safe mode.
public enum Markdown {
    /// The text of the first non-empty heading (ATX or setext) of a Markdown document, with inline markup
    /// reduced to its text; nil when the document has no heading.
    public static func firstHeading(in text: String) -> String? {
        // Most sections open with an ATX heading: parse that line alone.
        if let line = openingATXHeading(text), let title = parseFirstHeading(String(line)) { return title }
        return parseFirstHeading(text)
    }

    /// The first non-blank line when it is an ATX heading (up to three spaces, one to six `#`,
    /// then a space or the end of the line), which is then the document's first block.
    static func openingATXHeading(_ text: String) -> Substring? {
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let line = utf8[start..<end]
            start = end < utf8.endIndex ? utf8.index(after: end) : end
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let indent = line.prefix { $0 == 0x20 }.count
            guard indent <= 3 else { return nil }
            let hashes = line.dropFirst(indent).prefix { $0 == UInt8(ascii: "#") }.count
            guard (1...6).contains(hashes) else { return nil }
            let rest = line.dropFirst(indent + hashes)
            guard rest.isEmpty || rest.first == 0x20 || rest.first == 0x09 else { return nil }
            return Substring(line)
        }
        return nil
    }

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
