internal import CGit2

/// A git object id (SHA-1): a value, cheap to copy, hash and compare.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    private var high: UInt64
    private var middle: UInt64
    private var low: UInt32

    init(_ oid: git_oid) {
        var oid = oid
        (high, middle, low) = withUnsafeBytes(of: &oid.id) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// The id whose 20 raw bytes start at `raw` (as a tree entry holds them).
    init(raw: UnsafeRawPointer) {
        high = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        middle = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        low = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 40 else { return nil }
        var oid = git_oid()
        guard git_oid_fromstrn(&oid, hex, 40) == 0 else { return nil }
        self.init(oid)
    }

    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: middle, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: low, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    /// The 40-digit hexadecimal form.
    public var hex: String {
        var oid = self.oid
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_fmt(&buffer, &oid)
        return String(decoding: buffer[0..<40].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The first seven digits, as `git log --oneline` shows them.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

    /// The id git gives a blob with these bytes, computed without a repository.
    public static func forBlob(_ bytes: [UInt8]) -> ObjectID {
        ensureLibgit2()
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { raw in
            git_odb_hash(&oid, raw.baseAddress, raw.count, GIT_OBJECT_BLOB)
        }
        return ObjectID(oid)
    }
}
