/// Writes an `Encodable` value as indented JSON straight into a byte buffer, keys in the order
/// the type encodes them. Foundation's JSONEncoder first builds a tree of boxed values; for a
/// comparison of a whole guideline that tree is most of the time spent printing it.
public enum JSONWriter {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = StreamEncoder()
        try encoder.write(value)
        encoder.output.append(0x0A)
        return String(decoding: encoder.output, as: UTF8.self)
    }
}

/// The encoder behind `JSONWriter`. Containers are written as they are opened; a value's
/// containers are closed when its `encode(to:)` returns.
final class StreamEncoder: Encoder {
    enum Frame {
        case pending
        case object(count: Int)
        case array(count: Int)
        case written
    }

    var output: [UInt8] = []
    var frames: [Frame] = []
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init() {
        output.reserveCapacity(1 << 16)
    }

    /// Writes one value, closing whatever containers it opened.
    func write<T: Encodable>(_ value: T) throws {
        frames.append(.pending)
        try value.encode(to: self)
        switch frames.removeLast() {
        case .pending: append("null")
        case .object(let count): close("}", count: count)
        case .array(let count): close("]", count: count)
        case .written: break
        }
    }

    private func close(_ bracket: String, count: Int) {
        if count > 0 {
            output.append(0x0A)
            indent(frames.count)
        }
        append(bracket)
    }

    func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    func indent(_ depth: Int) {
        for _ in 0..<depth { output.append(0x20); output.append(0x20) }
    }

    /// Before an element of the innermost container: a separator, a new line, the indentation.
    func beginElement() {
        switch frames[frames.count - 1] {
        case .object(let count):
            if count > 0 { output.append(UInt8(ascii: ",")) }
            frames[frames.count - 1] = .object(count: count + 1)
        case .array(let count):
            if count > 0 { output.append(UInt8(ascii: ",")) }
            frames[frames.count - 1] = .array(count: count + 1)
        default:
            return
        }
        output.append(0x0A)
        indent(frames.count)
    }

    func string(_ text: String) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied at once.
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    append("\\u00")
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0x0F)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A primitive value where a value is expected: as an element, or as the whole value.
    func primitive(_ text: String, quoted: Bool) {
        if case .pending = frames[frames.count - 1] { frames[frames.count - 1] = .written }
        if quoted { string(text) } else { append(text) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .pending = frames[frames.count - 1] {
            append("{")
            frames[frames.count - 1] = .object(count: 0)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .pending = frames[frames.count - 1] {
            append("[")
            frames[frames.count - 1] = .array(count: 0)
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
            encoder.beginElement()
            encoder.string(key.stringValue)
            encoder.append(": ")
        }

        mutating func encodeNil(forKey key: Key) throws { self.key(key); encoder.append("null") }
        mutating func encode(_ value: Bool, forKey key: Key) throws { self.key(key); encoder.append(value ? "true" : "false") }
        mutating func encode(_ value: String, forKey key: Key) throws { self.key(key); encoder.string(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { self.key(key); encoder.append(String(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { self.key(key); encoder.append(String(value)) }
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
            if case .array(let count) = encoder.frames.last { return count }
            return 0
        }

        mutating func encodeNil() throws { encoder.beginElement(); encoder.append("null") }
        mutating func encode(_ value: Bool) throws { encoder.beginElement(); encoder.append(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { encoder.beginElement(); encoder.string(value) }
        mutating func encode(_ value: Int) throws { encoder.beginElement(); encoder.append(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.beginElement()
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
