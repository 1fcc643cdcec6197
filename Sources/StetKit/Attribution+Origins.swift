import GitStore
import GitValues

/// The values attribution carries through a history: a token's origin, runs of origins, and a
/// section's text annotated with them.
extension Attribution {
    /// Where a token came from.
    struct Origin: Hashable {
        /// The commit (an index into `commits`) that wrote it, or -1 when it is older than the start.
        var commit: Int32
        /// For a token of the starting draft: its section (an index into `startPaths`) and position.
        var startSection: Int32 = -1
        var startToken: Int32 = -1
    }

    /// Origins of consecutive tokens: `length` tokens of one commit, and, for tokens of the
    /// starting draft, of one section at consecutive positions from `startToken`. A section's
    /// text keeps a few hundred runs where it has thousands of tokens, so carrying origins from
    /// version to version costs what the edit costs, not what the text does.
    struct OriginRun: Equatable {
        var length: Int
        var origin: Origin

        /// The origin of the run's token at `offset`.
        func origin(at offset: Int) -> Origin {
            var origin = origin
            if origin.startSection >= 0 { origin.startToken += Int32(offset) }
            return origin
        }

        /// The run's tokens from `offset`, `count` of them.
        func slice(from offset: Int, count: Int) -> OriginRun {
            OriginRun(length: count, origin: origin(at: offset))
        }
    }

    /// Runs of origins built from the start of a text to its end, each joined to the one before
    /// when it continues it.
    struct OriginRuns {
        private(set) var runs: [OriginRun] = []
        private(set) var count = 0

        mutating func append(_ run: OriginRun) {
            guard run.length > 0 else { return }
            count += run.length
            if let last = runs.last, last.origin.commit == run.origin.commit,
               last.origin.startSection == run.origin.startSection,
               last.origin.startSection < 0 || last.origin.startToken + Int32(last.length) == run.origin.startToken
            {
                runs[runs.count - 1].length += run.length
            } else {
                runs.append(run)
            }
        }

        /// Every token's origin, in order.
        func expanded() -> [Origin] { Attribution.expand(runs) }
    }

    /// Every token's origin, run after run.
    static func expand(_ runs: [OriginRun]) -> [Origin] {
        var origins: [Origin] = []
        origins.reserveCapacity(runs.reduce(0) { $0 + $1.length })
        for run in runs {
            for offset in 0..<run.length { origins.append(run.origin(at: offset)) }
        }
        return origins
    }

    /// Reads runs from the start of a text on, a token range at a time, in increasing order.
    struct OriginCursor {
        let runs: [OriginRun]
        private var run = 0
        private var offset = 0

        init(_ runs: [OriginRun]) { self.runs = runs }

        /// The next `count` tokens' runs, handed to `body` one piece at a time.
        mutating func take(_ count: Int, _ body: (OriginRun) -> Void) {
            var left = count
            while left > 0 {
                let current = runs[run]
                let piece = min(left, current.length - offset)
                body(current.slice(from: offset, count: piece))
                left -= piece
                offset += piece
                if offset == current.length {
                    run += 1
                    offset = 0
                }
            }
        }
    }

    /// For each token of the start, the first commit recorded against it (that deleted it, or
    /// moved it): arrays by start section and token, as a walk records many thousands.
    struct StartTokenCommits {
        private var commits: [[Int32]] = []

        /// The commit recorded for token `token` of start section `section`, if any.
        subscript(section: Int32, token: Int32) -> Int32? {
            guard section >= 0, Int(section) < commits.count, token >= 0, Int(token) < commits[Int(section)].count else { return nil }
            let commit = commits[Int(section)][Int(token)]
            return commit < 0 ? nil : commit
        }

        /// Records `commit` for the tokens of the start these runs hold, where none is recorded.
        mutating func record(_ runs: [OriginRun], by commit: Int) {
            for run in runs where run.origin.startSection >= 0 && run.length > 0 {
                let section = Int(run.origin.startSection), first = Int(run.origin.startToken)
                if commits.count <= section { commits += Array(repeating: [], count: section + 1 - commits.count) }
                if commits[section].count < first + run.length {
                    commits[section] += Array(repeating: -1, count: first + run.length - commits[section].count)
                }
                commits[section].withUnsafeMutableBufferPointer { tokens in
                    for token in first..<first + run.length where tokens[token] < 0 { tokens[token] = Int32(commit) }
                }
            }
        }
    }

    /// A section's text at one commit: its tokens, and their origins as runs.
    final class Annotated {
        /// The blob this is the text of.
        let blob: ObjectID
        let version: Version
        let origins: [OriginRun]
        init(blob: ObjectID, version: Version, origins: [OriginRun]) {
            self.blob = blob
            self.version = version
            self.origins = origins
        }

        var ids: [Int32] { version.ids }

        /// Every token's origin, in order.
        func expandedOrigins() -> [Origin] { Attribution.expand(origins) }
    }

    /// A version of a section as the walk diffs it: its tokens' ids, and which tokens are white
    /// space that ends a line (where an edit is best placed, see `script`).
    struct Version: Sendable {
        var ids: [Int32]
        var breaks: [Bool]

        subscript(range: Range<Int>) -> Version {
            Version(ids: Array(ids[range]), breaks: Array(breaks[range]))
        }
    }
}
