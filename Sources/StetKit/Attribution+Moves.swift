import GitValues
import ProseDiff

/// Words a commit moves keep their origin: within a section, a paragraph moved from one place to
/// another is a deletion and an insertion to the edit script of the section's tokens; across
/// sections, a deletion in one and an insertion in another. Among the ranges a commit deleted and
/// inserted, those that hold mostly the same words are paired, and the tokens a second edit
/// script finds equal in a pair carry their origin from where they were to where they went. The
/// commit is recorded as their mover, not as their writer or deleter.
extension Attribution {
    /// One section as a commit left it, before its tokens have origins.
    struct SectionEdit {
        /// The section's path after the commit; nil when the commit deleted it.
        var path: String?
        var blob: ObjectID?
        /// The version before (the first parent's), if there was one.
        var before: Annotated?
        /// The new version's tokens (none for a deletion).
        var version: Version
        /// The edit script from `before` to `ids`; nil without a `before` or for a deletion.
        var script: [EditRun]?
        /// For a merge: the versions of the other parents.
        var others: [Annotated?]

        /// The ranges of `before` the script deletes (all of it for a deletion).
        var deletedRanges: [Range<Int>] {
            guard let before else { return [] }
            guard path != nil, let script else { return before.ids.isEmpty ? [] : [0..<before.ids.count] }
            return Self.ranges(of: .delete, in: script)
        }

        /// The ranges of the new version the script inserts (all of it for a new section).
        var insertedRanges: [Range<Int>] {
            guard path != nil else { return [] }
            guard let script else { return version.ids.isEmpty ? [] : [0..<version.ids.count] }
            return Self.ranges(of: .insert, in: script)
        }

        /// The ranges a script's runs of `operation` (delete or insert) cover, on their side.
        private static func ranges(of operation: EditOperation, in script: [EditRun]) -> [Range<Int>] {
            var ranges: [Range<Int>] = [], position = 0
            for run in script where run.operation != (operation == .delete ? .insert : .delete) {
                if run.operation == operation { ranges.append(position..<position + run.count) }
                position += run.count
            }
            return ranges
        }
    }

    /// Tokens carried by a move: `count` of them, from `old` on of edit `from`'s version before, to
    /// `new` on of edit `to`'s new version.
    struct MovedRun {
        var from: Int
        var old: Int
        var to: Int
        var new: Int
        var count: Int
    }

    /// Ranges with fewer tokens than this (white space aside) are not taken for moves: a word
    /// or two deleted here and inserted there is an edit.
    static let movedTokens = 8

    /// The tokens a commit moved, among all the sections it changed.
    static func movedRuns(in edits: [SectionEdit]) -> [MovedRun] {
        struct Piece {
            var edit: Int
            var range: Range<Int>
            var words: [Int32]
        }
        func pieces(_ ranges: (SectionEdit) -> [Range<Int>], _ ids: (SectionEdit) -> [Int32]) -> [Piece] {
            var found: [Piece] = []
            for (index, edit) in edits.enumerated() {
                let all = ids(edit)
                for range in ranges(edit) where range.count >= movedTokens {
                    let words = all[range].filter { !TokenTable.isSpace($0) }
                    if words.count >= movedTokens { found.append(Piece(edit: index, range: range, words: words.sorted())) }
                }
            }
            return found
        }
        let deleted = pieces(\.deletedRanges) { $0.before?.ids ?? [] }
        guard !deleted.isEmpty else { return [] }
        let inserted = pieces(\.insertedRanges) { $0.version.ids }
        guard !inserted.isEmpty else { return [] }
        // Most alike first; each range in one pair at most.
        var candidates: [(score: Double, deleted: Int, inserted: Int)] = []
        for (d, old) in deleted.enumerated() {
            for (i, new) in inserted.enumerated() {
                let score = Similarity.dice(old.words, new.words)
                if score >= 0.5 { candidates.append((score, d, i)) }
            }
        }
        var usedDeleted = Set<Int>(), usedInserted = Set<Int>()
        var moved: [MovedRun] = []
        for candidate in candidates.sorted(by: { ($0.score, $1.deleted, $1.inserted) > ($1.score, $0.deleted, $0.inserted) })
        where !usedDeleted.contains(candidate.deleted) && !usedInserted.contains(candidate.inserted) {
            usedDeleted.insert(candidate.deleted)
            usedInserted.insert(candidate.inserted)
            let old = deleted[candidate.deleted], new = inserted[candidate.inserted]
            guard let before = edits[old.edit].before else { continue }
            let oldVersion = before.version[old.range], newVersion = edits[new.edit].version[new.range]
            var oldPosition = old.range.lowerBound, newPosition = new.range.lowerBound
            for run in script(oldVersion, newVersion) {
                switch run.operation {
                case .equal:
                    moved.append(MovedRun(from: old.edit, old: oldPosition, to: new.edit, new: newPosition, count: run.count))
                    oldPosition += run.count
                    newPosition += run.count
                case .delete: oldPosition += run.count
                case .insert: newPosition += run.count
                }
            }
        }
        return moved
    }
}
