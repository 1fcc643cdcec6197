import Mustache

/// What `{{ }}` does in the built-in templates, which select it with `{{% CONTENT_TYPE: HTML}}`:
/// the five characters swift-mustache's HTML content type escapes (`& < > " '`), escaped a byte at
/// a time. swift-mustache's own escaping looks each Character up in a dictionary (slow on a page
/// that lists thousands of commits twice), and leaves a `<` alone when a combining mark follows
/// it (the two make one Character), which this escapes.
struct HTMLEscaping: MustacheContentType {
    /// Registers it under swift-mustache's name for HTML, before templates are parsed.
    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: "HTML")

    func escapeText(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            // Most values (names, dates, ids) need no escape and are returned as they are.
            guard bytes.contains(where: { Self.entity($0) != nil }) else { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 4 + 8)
            for byte in bytes {
                if let entity = Self.entity(byte) { entity.withUTF8Buffer { output.append(contentsOf: $0) } } else { output.append(byte) }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The entity that stands for a markup character in HTML text and attribute values.
    static func entity(_ byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }
}
