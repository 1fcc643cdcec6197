@testable import ProseDiff
import StetTestSupport
import Testing

@Suite("Myers: valid and minimal edit scripts")
struct MyersTests {
    /// The length of a longest common subsequence, by dynamic programming.
    static func lcs(_ a: [Int32], _ b: [Int32]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for j in 0..<b.count {
                let up = row[j + 1]
                row[j + 1] = x == b[j] ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = up
            }
        }
        return row[b.count]
    }

    @Test(arguments: Array(UInt64(1)...400))
    func scriptsAreValidAndMinimal(seed: UInt64) {
        var random = SeededRandom(state: seed)
        let alphabet = Int32(1 + random.next() % 6)
        let a = (0..<Int(random.next() % 40)).map { _ in Int32(random.next() % UInt64(alphabet)) }
        let b = (0..<Int(random.next() % 40)).map { _ in Int32(random.next() % UInt64(alphabet)) }
        let runs = Myers.diff(a, b)
        var i = 0, j = 0, equal = 0
        for run in runs {
            switch run.operation {
            case .equal:
                for offset in 0..<run.count { #expect(a[i + offset] == b[j + offset], "seed \(seed)") }
                i += run.count
                j += run.count
                equal += run.count
            case .delete: i += run.count
            case .insert: j += run.count
            }
        }
        #expect(i == a.count && j == b.count, "seed \(seed)")
        #expect(equal == Self.lcs(a, b), "seed \(seed): not minimal")
    }

    /// Long sequences split into many boxes, each reusing the diagonals of the ones before it:
    /// a box that read a diagonal it had not reached would find another box's value there.
    @Test(arguments: Array(UInt64(1)...60))
    func longScriptsAreValidAndMinimal(seed: UInt64) {
        var random = SeededRandom(state: seed)
        let alphabet = UInt64(2 + random.next() % 8)
        let a = (0..<Int(100 + random.next() % 300)).map { _ in Int32(random.next() % alphabet) }
        var b = a
        for _ in 0..<Int(random.next() % 120) {
            let position = Int(random.next() % UInt64(b.count + 1))
            if random.next() % 2 == 0, position < b.count { b.remove(at: position) } else { b.insert(Int32(random.next() % alphabet), at: position) }
        }
        let runs = Myers.diff(a, b)
        var i = 0, j = 0, equal = 0
        for run in runs {
            switch run.operation {
            case .equal:
                #expect(a[i..<i + run.count] == b[j..<j + run.count], "seed \(seed)")
                i += run.count
                j += run.count
                equal += run.count
            case .delete: i += run.count
            case .insert: j += run.count
            }
        }
        #expect(i == a.count && j == b.count, "seed \(seed)")
        #expect(equal == Self.lcs(a, b), "seed \(seed): not minimal")
    }
}

@Suite("Myers: word scripts with their shared start and end set aside")
struct WordScriptTests {
    /// A sequence of word ids (1...alphabet) and white space (0), and an edit of it: a few
    /// tokens replaced, inserted or deleted, so that the two share a start and an end.
    static func pair(_ random: inout SeededRandom) -> ([Int32], [Int32]) {
        let alphabet = UInt64(2 + random.next() % 5)
        let a = (0..<Int(random.next() % 60)).map { _ in random.next() % 3 == 0 ? Int32(0) : Int32(1 + random.next() % alphabet) }
        var b = a
        for _ in 0..<Int(random.next() % 4) {
            let token = random.next() % 3 == 0 ? Int32(0) : Int32(1 + random.next() % alphabet)
            let position = b.isEmpty ? 0 : Int(random.next() % UInt64(b.count))
            switch random.next() % 3 {
            case 0 where !b.isEmpty: b[position] = token
            case 1 where !b.isEmpty: b.remove(at: position)
            default: b.insert(token, at: position)
            }
        }
        return (a, b)
    }

    @Test(arguments: Array(UInt64(1)...3000))
    func sameScriptAsFromTheUnitsOfTheWhole(seed: UInt64) {
        var random = SeededRandom(state: seed)
        let (a, b) = Self.pair(&random)
        // A budget that sometimes runs out: the coarser script must be the same too.
        let budget = seed % 5 == 0 ? Int(random.next() % 40) : 1_000_000
        let trimmed = Myers.wordScript(a, b, budget: budget)
        let whole = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in Myers.unitScript(a, b, space: 0, budget: budget) }
        }
        #expect(trimmed.runs == whole.runs, "seed \(seed): \(a) -> \(b)")
        #expect(trimmed.left == whole.left, "seed \(seed)")
    }
}
