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
}
