/// HTML built in one byte buffer: markup as written, text escaped into it.
struct HTMLBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Markup, or text already escaped.
    mutating func append(_ html: String) {
        bytes.append(contentsOf: html.utf8)
    }

    mutating func append(_ html: StaticString) {
        html.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text, escaped (`HTMLComparison.escape`).
    mutating func escaped(_ text: String) {
        HTMLEscaping.escape(text, into: &bytes)
    }

    /// Text as a span shows it: escaped; a span of more than 256 KiB (a section compared whole)
    /// by its beginning, with the size of the rest, so a page stays readable and small.
    mutating func shown(_ text: String) {
        let limit = 256 * 1024
        guard text.utf8.count > limit else { return escaped(text) }
        escaped(String(decoding: text.utf8.prefix(limit), as: UTF8.self))
        append("<span class=\"status\"> … ")
        append(String((text.utf8.count - limit) / 1024))
        append(" KiB more not shown</span>")
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
