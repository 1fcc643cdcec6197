#if canImport(CInflate)
import CInflate
import Foundation
import GitStore
import GitValues
import StetTestSupport
import Testing

/// The binary's inflate (libdeflate for whole streams, zlib for the rest) must answer every call
/// as zlib would. These tests run in a process linked with it, as the stet binary is, so libgit2's
/// reads below go through it too.
@Suite("CInflate: zlib's answers, libdeflate's speed", .serialized)
struct InflateTests {
    /// Counts of this thread's calls finished whole and streamed by zlib (a test runs on one thread).
    func counts() -> (whole: Int, streamed: Int) {
        var whole = 0, streamed = 0
        stet_inflate_counts(&whole, &streamed)
        return (whole, streamed)
    }

    /// A zlib stream of `bytes`.
    func compressed(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        #expect(compress2(&out, &length, bytes, uLong(bytes.count), 6) == Z_OK)
        return Array(out[..<Int(length)])
    }

    /// Prose with enough repetition for deflate to use back references and Huffman blocks.
    func prose(_ seed: UInt64, bytes count: Int) -> [UInt8] {
        var random = SeededRandom(state: seed)
        let words = ["city", "people", "data", "shall", "the", "of", "inclusive", "governance", "smart", "urban"]
        var text: [UInt8] = []
        while text.count < count { text += Array((words[Int(random.next() % 10)] + " ").utf8) }
        return Array(text[..<count])
    }

    /// One inflate call over `input` into `capacity` bytes: the result code, what was made, and
    /// the stream's counts afterwards.
    struct Call: Equatable {
        var result: Int32
        var output: [UInt8]
        var inputLeft: Int
        var totalIn: Int
        var totalOut: Int
        var adler: UInt
    }

    /// One inflate call on `stream` over `input` into `capacity` bytes.
    func inflateCall(_ stream: inout z_stream, _ input: [UInt8], capacity: Int, flush: Int32 = Z_FINISH) -> Call {
        var output = [UInt8](repeating: 0, count: capacity)
        return input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let result = inflate(&stream, flush)
                return Call(result: result, output: Array(out[..<(capacity - Int(stream.avail_out))]),
                            inputLeft: Int(stream.avail_in), totalIn: Int(stream.total_in),
                            totalOut: Int(stream.total_out), adler: UInt(stream.adler))
            }
        }
    }

    /// One inflate call on a new stream (the zlib format, or `windowBits`'s), then `then` on it.
    func inflateOnce(_ input: [UInt8], capacity: Int, flush: Int32 = Z_FINISH, windowBits: Int32? = nil,
                     then: ((inout z_stream) -> Void)? = nil) -> Call
    {
        var stream = z_stream()
        let size = Int32(MemoryLayout<z_stream>.size)
        let initialised = windowBits.map { inflateInit2_(&stream, $0, zlibVersion(), size) } ?? inflateInit_(&stream, zlibVersion(), size)
        #expect(initialised == Z_OK)
        defer { inflateEnd(&stream) }
        let call = inflateCall(&stream, input, capacity: capacity, flush: flush)
        then?(&stream)
        return call
    }

    @Test func wholeStreamsAreInflatedByLibdeflateWithZlibsAnswer() {
        for (seed, size) in [(1, 0), (2, 1), (3, 700), (4, 65_536), (5, 300_000)] as [(UInt64, Int)] {
            let text = prose(seed, bytes: size)
            let stream = compressed(text)
            let trailing: [UInt8] = [0x78, 0x9c, 1, 2, 3]  // what follows an object in a pack
            let before = counts()
            let call = inflateOnce(stream + trailing, capacity: size + 1)
            #expect(counts().whole == before.whole + 1)
            #expect(call == Call(result: Z_STREAM_END, output: text, inputLeft: trailing.count, totalIn: stream.count,
                                 totalOut: size, adler: UInt(adler32(1, text, uInt(text.count)))))
        }
    }

    @Test func everythingElseIsZlibs() {
        let text = prose(7, bytes: 20_000)
        let stream = compressed(text)
        var corrupt = stream
        corrupt[corrupt.count - 1] ^= 0xFF  // the Adler-32 trailer
        let before = counts()
        // Too little room: zlib fills it and asks for more.
        let short = inflateOnce(stream, capacity: 100)
        #expect(short.result == Z_BUF_ERROR && short.output == Array(text[..<100]))
        // Input cut short: zlib makes what it can and waits for the rest.
        let cut = inflateOnce(Array(stream[..<(stream.count / 2)]), capacity: text.count)
        #expect(cut.result == Z_BUF_ERROR && cut.inputLeft == 0 && cut.output == Array(text[..<cut.output.count]))
        // A bad checksum: zlib's error, not libdeflate's silence.
        #expect(inflateOnce(corrupt, capacity: text.count + 1).result == Z_DATA_ERROR)
        // Not Z_FINISH.
        #expect(inflateOnce(stream, capacity: text.count + 1, flush: Z_NO_FLUSH).result == Z_STREAM_END)
        // A raw deflate stream (no zlib header) is never taken for a zlib one.
        let raw = Array(stream[2..<(stream.count - 4)])
        #expect(inflateOnce(raw, capacity: text.count + 1, windowBits: -15).output == text)
        #expect(counts().whole == before.whole)
        #expect(counts().streamed >= before.streamed + 5)
    }

    @Test func aFinishedStreamAnswersAsZlibsDoesAndCanBeReset() {
        let text = prose(8, bytes: 5_000)
        let stream = compressed(text)
        let before = counts()
        var again: Int32 = 0
        var afterReset: Call?
        let first = inflateOnce(stream, capacity: text.count + 1) { finished in
            again = inflate(&finished, Z_FINISH)
            #expect(inflateReset(&finished) == Z_OK)
            afterReset = inflateCall(&finished, stream, capacity: text.count + 1)
        }
        #expect(first.result == Z_STREAM_END && first.output == text)
        #expect(again == Z_STREAM_END)
        #expect(afterReset?.result == Z_STREAM_END && afterReset?.output == text && afterReset?.totalIn == stream.count)
        #expect(counts().whole == before.whole + 2)
    }

    /// libgit2 reading a packed repository whose blobs are deltas of deltas: every blob as git
    /// reads it, each object inflated whole.
    @Test func libgit2ReadsEveryBlobOfAPackAsGitDoes() throws {
        let sandbox = try Sandbox()
        let repository = try Repository.create(at: sandbox.path + "/repo")
        let author = Signature(name: "Amina Diallo", email: "amina@example.org",
                               date: Date(timeIntervalSince1970: 1_722_500_000), timeZoneOffset: 0)
        var random = SeededRandom(state: 42)
        var texts = (0..<8).map { prose(UInt64($0), bytes: 3_000) }
        var parent: ObjectID?
        var blobs: [ObjectID] = []
        for round in 0..<40 {
            let file = Int(random.next() % 8)
            let at = Int(random.next() % UInt64(texts[file].count))
            texts[file].insert(contentsOf: Array(" revision \(round) ".utf8), at: at)
            let blob = try repository.writeBlob(texts[file])
            blobs.append(blob)
            parent = try repository.createCommit(
                base: parent.map { try repository.treeID(ofCommit: $0) },
                updates: [TreeUpdate(path: "drafts/\(file).md", action: .upsert(blob, .regular))],
                parents: parent.map { [$0] } ?? [], author: author, committer: author, message: "Round \(round)\n",
                updatingReference: "HEAD")
        }
        try sandbox.git("repack", "-a", "-d", "-f", "--depth=50", "--window=50")
        try sandbox.git("prune-packed")
        #expect(try sandbox.git("count-objects", "-v").contains("count: 0\n"))
        let pack = try FileManager.default.contentsOfDirectory(atPath: sandbox.path + "/repo/.git/objects/pack")
            .first { $0.hasSuffix(".idx") }!
        #expect(try sandbox.git("verify-pack", "-v", ".git/objects/pack/" + pack).contains("chain length = 3"))
        let packed = try Repository(openingAt: sandbox.path + "/repo/.git")
        let before = counts()
        for blob in blobs {
            let bytes = try packed.blob(blob)
            let gits = try sandbox.run("/usr/bin/git", ["cat-file", "blob", blob.hex])
            #expect(bytes == Array(gits.output.utf8), "blob \(blob.hex)")
        }
        // One whole inflate per object at least (bases rebuilt once are cached), none streamed.
        #expect(counts().whole >= before.whole + blobs.count)
        #expect(counts().streamed == before.streamed)
        try sandbox.git("fsck", "--strict")
    }
}
#endif
