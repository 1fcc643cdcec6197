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

    /// Printable ASCII but the markup characters, tabs and line ends.
    @inline(__always)
    static func isShownAsIs(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte < 0x7F && HTMLEscaping.entity(byte) == nil) || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Text as HTML: the five markup characters escaped; bidirectional controls and zero-width
    /// characters shown as visible codes, so a reviewer sees them.
    static func escape(_ text: String) -> String {
        var output: [UInt8] = []
        escape(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `escape(text)` appended to `output`.
    static func escape(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(output.count + bytes.count + bytes.count / 8)
            func control(_ value: UInt32) {
                output.append(contentsOf: "<span class=\"control\">\\u{".utf8)
                output.append(contentsOf: String(value, radix: 16, uppercase: true).utf8)
                output.append(contentsOf: "}</span>".utf8)
            }
            var index = 0
            while index < bytes.count {
                // A run of bytes shown as they are is copied at once.
                var end = index
                while end < bytes.count, isShownAsIs(bytes[end]) { end += 1 }
                if end > index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    continue
                }
                let byte = bytes[index]
                guard byte >= 0x80 else {
                    if let entity = HTMLEscaping.entity(byte) {
                        entity.withUTF8Buffer { output.append(contentsOf: $0) }
                        index += 1
                        continue
                    }
                    switch byte {
                    case 0x09, 0x0A, 0x0D: output.append(byte)
                    case 0..<0x20, 0x7F: control(UInt32(byte))
                    default: output.append(byte)
                    }
                    index += 1
                    continue
                }
                // A scalar of two to four bytes (the text is valid UTF-8): shown as its code when invisible.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                if let scalar = Unicode.Scalar(value), TerminalText.isInvisible(scalar) {
                    control(value)
                } else {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                }
                index += length
            }
        }
    }
}
