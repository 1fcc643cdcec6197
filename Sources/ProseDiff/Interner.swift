import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Interning within one text, which needs no shared state (texts are prepared on all cores);
/// the `Interner` shared by the texts compared then sees each distinct token of a text once.
enum LocalInterner {
    /// Each token as an index into the distinct tokens (first occurrences, with their hashes),
    /// under the rules of `Interner`: white space in prose is entry 0, whatever it holds; in the
    /// `verbatim` ranges of tokens (code; sorted, apart) it is compared as written.
    static func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<Token>, verbatim: [Range<Int>] = [])
        -> (local: [Int32], distinct: [(token: Token, hash: UInt64)])
    {
        // Open addressing: index into `distinct` + 1, or 0 for an empty slot. A text has about
        // one distinct token in seven, so the table starts at half the tokens and doubles
        // when half full.
        var capacity = 16
        while capacity < tokens.count / 2 { capacity <<= 1 }
        var slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        defer { slots.deallocate() }
        var mask = capacity - 1
        var distinct: [(token: Token, hash: UInt64)] = [(Token(kind: .space, start: 0, end: 0), 0)]
        distinct.reserveCapacity(tokens.count / 4 + 16)
        var indices: [Int32] = []
        indices.reserveCapacity(tokens.count)
        var verbatimRanges = verbatim.makeIterator()
        var nextVerbatim = verbatimRanges.next()
        for (position, token) in tokens.enumerated() {
            while let range = nextVerbatim, range.upperBound <= position { nextVerbatim = verbatimRanges.next() }
            if token.kind == .space, !(nextVerbatim?.contains(position) ?? false) {
                indices.append(0)
                continue
            }
            let hash = Interner.hash(bytes, token.start..<token.end)
            let length = token.end - token.start
            var slot = Int(truncatingIfNeeded: hash) & mask
            var found: Int32?
            while slots[slot] != 0 {
                let candidate = Int(slots[slot] - 1)
                let known = distinct[candidate]
                if known.hash == hash, known.token.end - known.token.start == length,
                   memcmp(bytes.baseAddress! + known.token.start, bytes.baseAddress! + token.start, length) == 0
                {
                    found = Int32(candidate)
                    break
                }
                slot = (slot + 1) & mask
            }
            if let found {
                indices.append(found)
                continue
            }
            slots[slot] = Int32(distinct.count) + 1
            indices.append(Int32(distinct.count))
            distinct.append((token, hash))
            if distinct.count * 2 > slots.count {
                slots.deallocate()
                slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: slots.count * 2)
                slots.initialize(repeating: 0)
                mask = slots.count - 1
                for index in 1..<distinct.count {
                    var free = Int(truncatingIfNeeded: distinct[index].hash) & mask
                    while slots[free] != 0 { free = (free + 1) & mask }
                    slots[free] = Int32(index) + 1
                }
            }
        }
        return (indices, distinct)
    }
}

/// Token texts to small integers: white space of prose is one token whatever it holds (a
/// reflowed line is no change); in code and raw HTML it is compared as written. Token bytes are
/// hashed and stored in one arena, so interning allocates nothing per token.
struct Interner {
    private var arena: [UInt8] = [0x20]
    /// Per id: where its bytes are in the arena, and their hash.
    private var offsets: [Int32] = [0]
    private var lengths: [Int32] = [1]
    private var hashes: [UInt64] = [[UInt8(0x20)].withUnsafeBufferPointer { Interner.hash($0, 0..<1) }]
    /// Open addressing: id + 1, or 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 1 << 12)
    /// Sequence keys: the first key of each hash, each key's sequence, and the further keys of
    /// a hash that two different sequences share (rare).
    private var keyOfHash: [UInt64: Int32] = [:]
    private var sharedHashes: [UInt64: [Int32]] = [:]
    /// Each key's sequence, where it was first seen: a range of a section's ids (kept, not copied).
    private var keySequences: [(ids: [Int32], range: Range<Int>)] = []

    init() {
        insertSlot(hashes[0], id: 0)
    }

    /// A hash of a byte range, eight bytes at a time (multiply and shift mixing, as in
    /// SplitMix64's finaliser): tokens are hashed by the million, and a byte-at-a-time hash was a
    /// tenth of preparing a section. Equal ranges hash equal; the table compares bytes on a match.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(range.count)
        guard let base = bytes.baseAddress, !range.isEmpty else { return hash }
        let raw = UnsafeRawPointer(base)
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while index < range.upperBound {
            tail |= UInt64(base[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }

    private mutating func insertSlot(_ hash: UInt64, id: Int32) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, verbatim: Bool) -> Int32 {
        if token.kind == .space, !verbatim { return 0 }
        return id(bytes, token, hash: Self.hash(bytes, token.start..<token.end))
    }

    /// The id of a token whose hash (`hash(bytes, token.start..<token.end)`) is known.
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, hash: UInt64) -> Int32 {
        let length = token.end - token.start
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == hash, Int(lengths[id]) == length {
                let offset = Int(offsets[id])
                let same = arena.withUnsafeBufferPointer { stored in
                    memcmp(stored.baseAddress! + offset, bytes.baseAddress! + token.start, length) == 0
                }
                if same { return Int32(id) }
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        offsets.append(Int32(arena.count))
        lengths.append(Int32(length))
        hashes.append(hash)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]))
        if hashes.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            for (index, stored) in hashes.enumerated() { insertSlot(stored, id: Int32(index)) }
        } else {
            slots[slot] = id + 1
        }
        return id
    }

    /// The id of a whole section compared as one token, by its content key.
    mutating func id(opaque key: String) -> Int32 {
        var text = Array("\u{0}whole:\(key)".utf8)
        return text.withUnsafeMutableBufferPointer { buffer in
            id(UnsafeBufferPointer(buffer), Token(kind: .atomic, start: 0, end: buffer.count), verbatim: true)
        }
    }

    /// The FNV-1a hash of a sequence of ids, for `key(of:in:hash:)`.
    static func hash(of sequence: ArraySlice<Int32>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in sequence { hash = (hash ^ UInt64(UInt32(bitPattern: value))) &* 0x100_0000_01B3 }
        return hash
    }

    /// One id per distinct sequence `ids[range]` (sequences that share a hash are told apart by
    /// comparing them).
    mutating func key(of ids: [Int32], in range: Range<Int>, hash: UInt64? = nil) -> Int32 {
        let sequence = ids[range]
        let hash = hash ?? Self.hash(of: sequence)
        func isKey(_ key: Int32) -> Bool {
            let known = keySequences[Int(key)]
            return known.ids[known.range].elementsEqual(sequence)
        }
        func newKey() -> Int32 {
            keySequences.append((ids, range))
            return Int32(keySequences.count - 1)
        }
        guard let first = keyOfHash[hash] else {
            let key = newKey()
            keyOfHash[hash] = key
            return key
        }
        if isKey(first) { return first }
        for other in sharedHashes[hash] ?? [] where isKey(other) { return other }
        let key = newKey()
        sharedHashes[hash, default: []].append(key)
        return key
    }
}
