import GitStore
import ProseDiff
@testable import StetKit
import StetTestSupport
import Testing

/// The history walk keeps each version's origins as runs: carrying them through an edit script
/// must give every token the origin a token-by-token carry gives it.
@Suite("Attribution: origins as runs")
struct OriginRunsTests {
    typealias Origin = Attribution.Origin

    /// Origins as a walk leaves them: stretches of one commit's tokens, and stretches of the
    /// starting draft's tokens at consecutive (or, after deletions, skipping) positions.
    static func origins(_ count: Int, _ random: inout SeededRandom) -> [Origin] {
        var origins: [Origin] = []
        var startToken: Int32 = 0
        while origins.count < count {
            let length = 1 + Int(random.next() % 12)
            let commit = Int32(random.next() % 5) - 1
            let section = commit < 0 ? Int32(random.next() % 3) - 1 : -1
            for _ in 0..<min(length, count - origins.count) {
                origins.append(Origin(commit: commit, startSection: section, startToken: section < 0 ? -1 : startToken))
                startToken += 1 + Int32(random.next() % 4 == 0 ? 1 : 0)
            }
        }
        return origins
    }

    static func runs(_ origins: [Origin]) -> [Attribution.OriginRun] {
        var runs = Attribution.OriginRuns()
        for origin in origins { runs.append(Attribution.OriginRun(length: 1, origin: origin)) }
        return runs.runs
    }

    @Test func runsRebuildTheOriginsTheyWereMadeFrom() {
        var random = SeededRandom(state: 7)
        for _ in 0..<300 {
            let origins = Self.origins(Int(random.next() % 400), &random)
            var runs = Attribution.OriginRuns()
            Self.runs(origins).forEach { runs.append($0) }
            #expect(runs.expanded() == origins)
            #expect(runs.count == origins.count)
            // Joining never leaves two runs that one could hold.
            #expect(Self.runs(runs.expanded()).count == runs.runs.count)
        }
    }

    /// Moved words take their runs from where they were into where they land.
    @Test func slicingAndPlacingRunsIsSlicingAndReplacingTokens() {
        var random = SeededRandom(state: 31)
        for _ in 0..<300 {
            let source = Self.origins(1 + Int(random.next() % 200), &random)
            var target = Self.origins(Int(random.next() % 300), &random)
            let targetRuns = Self.runs(target)
            var pieces: [(at: Int, runs: [Attribution.OriginRun])] = []
            var position = 0
            while position < target.count, random.next() % 3 != 0 {
                let at = position + Int(random.next() % UInt64(target.count - position))
                let count = 1 + Int(random.next() % UInt64(min(target.count - at, source.count)))
                let from = Int(random.next() % UInt64(source.count - count + 1))
                let slice = Attribution.slice(Self.runs(source), from..<from + count)
                #expect(Attribution.expand(slice) == Array(source[from..<from + count]))
                pieces.append((at, slice))
                target.replaceSubrange(at..<at + count, with: source[from..<from + count])
                position = at + count
            }
            let placed = Attribution.placing(pieces, into: targetRuns)
            #expect(Attribution.expand(placed) == target)
            #expect(Self.runs(target).count == placed.count)
        }
    }

    @Test func carryingRunsGivesEachTokenTheOriginATokenByTokenCarryGives() {
        var random = SeededRandom(state: 2026)
        let blob = ObjectID(hex: String(repeating: "ab", count: 20))!
        for _ in 0..<500 {
            let old = (0..<Int(random.next() % 300)).map { _ in Int32(random.next() % 40) }
            var new = old
            for _ in 0..<Int(random.next() % 20) {
                if !new.isEmpty, random.next() % 2 == 0 {
                    let at = Int(random.next() % UInt64(new.count))
                    new.removeSubrange(at..<min(new.count, at + 1 + Int(random.next() % 8)))
                } else {
                    let at = Int(random.next() % UInt64(new.count + 1))
                    new.insert(contentsOf: (0..<1 + Int(random.next() % 6)).map { _ in Int32(40 + random.next() % 10) }, at: at)
                }
            }
            let origins = Self.origins(old.count, &random)
            let source = Attribution.Annotated(blob: blob, version: Attribution.Version(ids: old, breaks: old.map { _ in false }),
                                               origins: Self.runs(origins))
            let mine = Origin(commit: 9)
            let script = Attribution.script(Attribution.Version(ids: old, breaks: old.map { _ in false }),
                                            Attribution.Version(ids: new, breaks: new.map { _ in false }))
            var deleted: [Range<Int>] = [], deletedOrigins: [[Origin]] = []
            let carried = Attribution.carryRuns(from: source, script: script, mine: mine) { range, runs in
                deleted.append(range)
                deletedOrigins.append(Attribution.expand(runs))
            }

            // Token by token: kept tokens take their origin, inserted ones are the commit's.
            var expected: [Origin] = [], expectedDeleted: [Range<Int>] = [], position = 0
            for run in script {
                switch run.operation {
                case .equal: expected += origins[position..<position + run.count]; position += run.count
                case .delete: expectedDeleted.append(position..<position + run.count); position += run.count
                case .insert: expected += Array(repeating: mine, count: run.count)
                }
            }
            var runs = Attribution.OriginRuns()
            carried.runs.forEach { runs.append($0) }
            #expect(runs.expanded() == expected)
            #expect(runs.count == new.count)
            #expect(deleted == expectedDeleted)
            // Each deleted range comes with its own origins.
            #expect(deletedOrigins == expectedDeleted.map { Array(origins[$0]) })
            #expect(carried.given == expected.count { $0 != mine })
        }
    }
}
