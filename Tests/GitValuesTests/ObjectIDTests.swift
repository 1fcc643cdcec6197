import Foundation
import GitValues
import StetTestSupport
import Testing

@Suite("GitValues: object ids as git writes them")
struct ObjectIDTests {
    /// Ids git itself prints read back to the same text, and order as their text does.
    @Test func gitsIdsRoundTrip() throws {
        let sandbox = try Sandbox()
        try sandbox.git("init", "-q", "-b", "main")
        var ids: [String] = []
        for text in ["a\n", "b\n", "Cities are for people.\n", ""] {
            try sandbox.write("repo/file.txt", text)
            ids.append(try sandbox.git("hash-object", "-w", "file.txt").trimmingCharacters(in: .newlines))
        }
        for hex in ids {
            let id = try #require(ObjectID(hex: hex))
            #expect(id.hex == hex && id.short == String(hex.prefix(7)) && id.description == hex)
            #expect(ObjectID(hex: hex.uppercased()) == id)
        }
        let parsed = ids.compactMap { ObjectID(hex: $0) }
        #expect(parsed.sorted().map(\.hex) == ids.sorted())
        #expect(Set(parsed).count == ids.count)
    }

    @Test func anythingElseIsNoID() {
        for text in ["", "abc", String(repeating: "g", count: 40), String(repeating: "a", count: 39),
                     String(repeating: "a", count: 41), String(repeating: "a", count: 39) + "é"] {
            #expect(ObjectID(hex: text) == nil, "\(text)")
        }
        #expect(ObjectID(hex: String(repeating: "0", count: 40))?.isZero == true)
    }
}
