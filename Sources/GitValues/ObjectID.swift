/// A git object id (SHA-1): a value, cheap to copy, hash and compare.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    private var high: UInt64
    private var middle: UInt64
    private var low: UInt32

    /// The id whose 20 raw bytes start at `raw` (as a tree entry or a libgit2 `git_oid` holds them).
    package init(raw: UnsafeRawPointer) {
        high = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        middle = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        low = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    /// Parses 40 hexadecimal digits (either case); nil for anything else.
    public init?(hex: String) {
        var bytes = [UInt8](repeating: 0, count: 20)
        var count = 0
        for (index, character) in hex.utf8.enumerated() {
            guard index < 40, let digit = Self.digit(character) else { return nil }
            bytes[index / 2] |= index % 2 == 0 ? digit << 4 : digit
            count += 1
        }
        guard count == 40 else { return nil }
        self = bytes.withUnsafeBytes { ObjectID(raw: $0.baseAddress!) }
    }

    private static func digit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Calls `body` with the id's 20 raw bytes.
    package func withRawBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var words = (high, middle, low)
        return withUnsafeBytes(of: &words) { body(UnsafeRawBufferPointer(rebasing: $0[0..<20])) }
    }

    /// The 40-digit hexadecimal form.
    public var hex: String {
        let digits: StaticString = "0123456789abcdef"
        return withRawBytes { raw in
            String(unsafeUninitializedCapacity: 40) { buffer in
                digits.withUTF8Buffer { digits in
                    for (index, byte) in raw.enumerated() {
                        buffer[2 * index] = digits[Int(byte >> 4)]
                        buffer[2 * index + 1] = digits[Int(byte & 0x0F)]
                    }
                }
                return 40
            }
        }
    }

    /// The first seven digits, as `git log --oneline` shows them.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }
}
