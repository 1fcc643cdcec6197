/// Writes an `Encodable` value as indented JSON straight into a byte buffer, keys in the order
/// the type encodes them. Foundation's JSONEncoder first builds a tree of boxed values; for a
/// comparison of a whole guideline that tree is most of the time spent printing it.
public enum JSONWriter {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = StreamEncoder()
        try encoder.write(value)
        return encoder.buffer.text()
    }
}

/// Indented JSON written straight into bytes: two spaces per level, `"key": value`, members in
/// the order written, empty containers as `{}` and `[]`. `StreamEncoder` lays out `Encodable`
/// values with it; the comparison documents write their records with it directly, because
/// going through `Encodable` costs more than the writing itself on a large comparison.
struct JSONBuffer {
    var bytes: [UInt8] = []
    /// Members written so far in each open container, outermost first.
    private var counts: [Int] = []

    /// `capacity`: the bytes expected, so that a large document is not copied as it grows.
    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// A buffer for elements written apart and joined with `append(elements:)`: it writes as if
    /// `depth` containers were open, the innermost holding `written` members already.
    init(depth: Int, written: Int, capacity: Int) {
        bytes.reserveCapacity(capacity)
        counts = Array(repeating: 1, count: max(0, depth - 1)) + (depth > 0 ? [written] : [])
    }

    /// How many containers are open.
    var depth: Int { counts.count }

    /// Counts `count` elements of the innermost container as written elsewhere, each by a buffer
    /// made with `init(depth: self.depth, written: ...)` for its place.
    mutating func written(elements count: Int) {
        if !counts.isEmpty { counts[counts.count - 1] += count }
    }

    /// Hands the bytes written so far to `sink` and starts afresh, in the same containers.
    mutating func flush(to sink: ([UInt8]) -> Void) {
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func openObject() {
        bytes.append(UInt8(ascii: "{"))
        counts.append(0)
    }

    mutating func openArray() {
        bytes.append(UInt8(ascii: "["))
        counts.append(0)
    }

    /// Members written so far in the innermost open container.
    var openCount: Int { counts.last ?? 0 }

    mutating func closeObject() { close(UInt8(ascii: "}")) }
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    private mutating func close(_ bracket: UInt8) {
        if counts.removeLast() > 0 {
            bytes.append(0x0A)
            indent()
        }
        bytes.append(bracket)
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    private mutating func indent() {
        let width = 2 * counts.count
        if width <= Self.spaces.count {
            bytes.append(contentsOf: Self.spaces[..<width])
        } else {
            bytes.append(contentsOf: repeatElement(0x20, count: width))
        }
    }

    /// Before a member of the innermost container: a separator, a new line, the indentation.
    mutating func element() {
        guard let count = counts.last else { return }
        if count > 0 { bytes.append(UInt8(ascii: ",")) }
        counts[counts.count - 1] = count + 1
        bytes.append(0x0A)
        indent()
    }

    /// A member's key, after which its value is written.
    mutating func key(_ name: String) {
        element()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
    }

    /// A key the code names (no escape needed), written from its bytes without a `String`:
    /// the records of a large comparison write a few hundred thousand of them.
    mutating func key(_ name: StaticString) {
        element()
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { source in
            // Runs of bytes that need no escape are copied at once.
            var runStart = 0
            for (index, byte) in source.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"" as StaticString)
                case UInt8(ascii: "\\"): raw("\\\\" as StaticString)
                case 0x0A: raw("\\n" as StaticString)
                case 0x0D: raw("\\r" as StaticString)
                case 0x09: raw("\\t" as StaticString)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    raw("\\u00" as StaticString)
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// An object: its members are what `body` writes.
    mutating func object(_ body: (inout JSONBuffer) -> Void) {
        openObject()
        body(&self)
        closeObject()
    }

    /// An object as the next element of the innermost array.
    mutating func elementObject(_ body: (inout JSONBuffer) -> Void) {
        element()
        object(body)
    }

    /// A member whose value is an array: its elements are what `body` writes.
    mutating func array(_ name: StaticString, _ body: (inout JSONBuffer) -> Void) {
        key(name)
        openArray()
        body(&self)
        closeArray()
    }

    // Members as `Encodable`'s synthesized conformances write them: a nil optional is left out.

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        raw(String(value))
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        raw(value ? "true" as StaticString : "false")
    }

    /// The finished document, with a final new line.
    mutating func text() -> String {
        bytes.append(0x0A)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The encoder behind `JSONWriter`. Containers are written as they are opened; a value's
/// containers are closed when its `encode(to:)` returns.
final class StreamEncoder: Encoder {
    enum Frame {
        case pending
        case object
        case array
        case written
    }

    var buffer = JSONBuffer()
    var frames: [Frame] = []
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    /// Writes one value, closing whatever containers it opened.
    func write<T: Encodable>(_ value: T) throws {
        frames.append(.pending)
        try value.encode(to: self)
        switch frames.removeLast() {
        case .pending: buffer.raw("null")
        case .object: buffer.closeObject()
        case .array: buffer.closeArray()
        case .written: break
        }
    }

    /// A primitive value where a value is expected: as an element, or as the whole value.
    func primitive(_ text: String, quoted: Bool) {
        if case .pending = frames[frames.count - 1] { frames[frames.count - 1] = .written }
        if quoted { buffer.string(text) } else { buffer.raw(text) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .pending = frames[frames.count - 1] {
            buffer.openObject()
            frames[frames.count - 1] = .object
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .pending = frames[frames.count - 1] {
            buffer.openArray()
            frames[frames.count - 1] = .array
        }
        return UnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValue(encoder: self)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: StreamEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        private func key(_ key: Key) {
            encoder.buffer.key(key.stringValue)
        }

        mutating func encodeNil(forKey key: Key) throws { self.key(key); encoder.buffer.raw("null") }
        mutating func encode(_ value: Bool, forKey key: Key) throws { self.key(key); encoder.buffer.raw(value ? "true" : "false") }
        mutating func encode(_ value: String, forKey key: Key) throws { self.key(key); encoder.buffer.string(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { self.key(key); encoder.buffer.raw(String(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { self.key(key); encoder.buffer.raw(String(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            self.key(key)
            try encoder.write(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            // Not used by stet's documents, whose values nest through `encode(_:forKey:)`.
            preconditionFailure("JSONWriter does not support nested containers")
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("JSONWriter does not support nested containers")
        }

        mutating func superEncoder() -> any Encoder { encoder }
        mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: StreamEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int {
            encoder.buffer.openCount
        }

        mutating func encodeNil() throws { encoder.buffer.element(); encoder.buffer.raw("null") }
        mutating func encode(_ value: Bool) throws { encoder.buffer.element(); encoder.buffer.raw(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { encoder.buffer.element(); encoder.buffer.string(value) }
        mutating func encode(_ value: Int) throws { encoder.buffer.element(); encoder.buffer.raw(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.buffer.element()
            try encoder.write(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("JSONWriter does not support nested containers")
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            preconditionFailure("JSONWriter does not support nested containers")
        }

        mutating func superEncoder() -> any Encoder { encoder }
    }

    struct SingleValue: SingleValueEncodingContainer {
        let encoder: StreamEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.primitive("null", quoted: false) }
        mutating func encode(_ value: Bool) throws { encoder.primitive(value ? "true" : "false", quoted: false) }
        mutating func encode(_ value: String) throws { encoder.primitive(value, quoted: true) }
        mutating func encode(_ value: Double) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: Float) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: Int) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: Int8) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: Int16) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: Int32) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: Int64) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: UInt) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: UInt8) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: UInt16) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: UInt32) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode(_ value: UInt64) throws { encoder.primitive(String(value), quoted: false) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: encoder)
        }
    }
}
