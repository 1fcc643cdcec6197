import Foundation
import GitStore
import GitValues
import ProseDiff

/// Who wrote each token of the sections at the end of a history, and who deleted each token of
/// the sections at its start: "milestone blame", word by word.
///
/// The commits between the two ends are walked once, parents before children. For each commit
/// only the sections it touched (by blob id) are tokenized and diffed against the parent's
/// version: tokens that stay keep their origin, new ones are credited to the commit, and tokens
/// of the starting draft that disappear are recorded as deleted by it. A merge passes on each
/// token's origin from whichever parent had it, so a change made on a merged branch is credited
/// to its own commit, not to the merge.
struct Attribution {
    /// A section in a commit's state: not read yet (a blob as it was at the start, or older),
    /// or read and annotated.
    enum SectionState {
        case blob(ObjectID, start: Bool)
        case annotated(Annotated)
    }

    /// The commits walked, oldest first.
    private(set) var commits: [CommitInfo] = []
    /// The sections at the end, by path.
    private(set) var final: [String: SectionState] = [:]
    /// Section paths of the start, for origins.
    private(set) var startPaths: [String] = []
    /// Who deleted each token of the start (the first deletion counts).
    private(set) var deleters = StartTokenCommits()
    /// Who moved tokens of the start elsewhere (within their section or to another; the first
    /// move counts).
    private(set) var movers = StartTokenCommits()
    /// Who moved a block of a section past tokens of the start, which stayed: moving a paragraph
    /// down past another is moving the other up, and a comparison may see it either way.
    private(set) var passers = StartTokenCommits()

    private let repository: DocumentRepository
    private var git: Repository { repository.git }
    private var readAhead: ReadAhead

    init(repository: DocumentRepository) {
        self.repository = repository
        readAhead = ReadAhead(repository: repository)
    }

    /// Commits whose blobs are read ahead together.
    static let batch = 256

    /// Walks `start..end` (nil start: the whole history of `end`).
    mutating func run(from start: ObjectID?, to end: ObjectID) throws(GitError) {
        let ids = Array(try git.walk(from: [end], hiding: start.map { [$0] } ?? []).reversed())
        var index: [ObjectID: Int] = [:]
        for (position, id) in ids.enumerated() { index[id] = position }
        commits = try ids.map { (id) throws(GitError) in try git.commit(id) }
        var remainingChildren = [Int](repeating: 0, count: commits.count)
        for commit in commits {
            for parent in commit.parents { if let position = index[parent] { remainingChildren[position] += 1 } }
        }
        var startState: [String: SectionState] = [:]
        if let start {
            for file in try git.files(inTree: try git.treeID(ofCommit: start), under: repository.draftsFolder)
            where repository.isSectionPath(file.path) {
                startState[file.path] = .blob(file.id, start: true)
            }
            startPaths = startState.keys.sorted()
        }
        let startIndex = Dictionary(uniqueKeysWithValues: startPaths.enumerated().map { ($1, Int32($0)) })
        self.startIndex = startIndex
        if commits.isEmpty {
            final = startState
            return
        }

        // The changes of every commit first (trees only): they name the blobs the walk reads,
        // which are then read and tokenized ahead, a batch of commits at a time, on all cores.
        let draftsFolder = repository.draftsFolder
        let treeOfPosition = commits.map(\.tree)
        let commitList = commits
        var allChanges: [[FileChange]] = []
        allChanges.reserveCapacity(commits.count)
        // In runs of consecutive commits: each thread then reads trees that are deltas of the ones
        // it has just read (dealing commits out one by one to the threads was no faster than one
        // thread).
        let run = 64
        for result in repository.inParallel((commits.count + run - 1) / run, { (git, chunk) throws(GitError) in
            try (chunk * run..<min(commits.count, chunk * run + run)).map { (position) throws(GitError) in
                let commit = commitList[position]
                var parentTree: ObjectID?
                if let first = commit.parents.first {
                    if let known = index[first] { parentTree = treeOfPosition[known] } else { parentTree = try git.treeID(ofCommit: first) }
                }
                if let parentTree, let changes = try git.modifiedFiles(from: parentTree, to: commit.tree, under: draftsFolder) {
                    return changes
                }
                return try git.changes(from: parentTree, to: commit.tree, under: draftsFolder, renames: true)
            }
        }) {
            allChanges.append(contentsOf: try result.get())
        }

        var states: [Int: [String: SectionState]] = [:]
        for (position, commit) in commits.enumerated() {
            if position % Self.batch == 0 {
                readAhead.prefetch(allChanges[position..<min(position + Self.batch, commits.count)], start: startState)
            }
            func parentState(_ parent: ObjectID) throws(GitError) -> [String: SectionState] {
                if parent == start { return startState }
                if let known = index[parent], let state = states[known] { return state }
                // A parent outside the range (a branch that forked before the start): its text is older.
                var state: [String: SectionState] = [:]
                for file in try git.files(inTree: try git.treeID(ofCommit: parent), under: repository.draftsFolder)
                where repository.isSectionPath(file.path) {
                    state[file.path] = startState[file.path].flatMap { entry in
                        if case .blob(let id, _) = entry, id == file.id { return entry }
                        return nil
                    } ?? .blob(file.id, start: false)
                }
                return state
            }
            var parents = try commit.parents.map { (parent) throws(GitError) in try parentState(parent) }
            // The walk lets go of the states of parents that have no child left to walk, so that
            // the first parent's state, taken out of `parents`, is changed in place (with a
            // copy still held, each commit copied a table of every section).
            for parent in commit.parents {
                guard let known = index[parent] else { continue }
                remainingChildren[known] -= 1
                if remainingChildren[known] == 0 { states.removeValue(forKey: known) }
            }
            var state = parents.isEmpty ? [:] : parents.removeFirst()
            var edits: [SectionEdit] = []
            for change in allChanges[position] {
                let oldIsSection = repository.isSectionPath(change.oldPath)
                let newIsSection = repository.isSectionPath(change.newPath)
                let before: Annotated? = change.kind == .added || !oldIsSection
                    ? nil : try annotated(state[change.oldPath], path: change.oldPath)
                if change.kind == .deleted || change.kind == .renamed, oldIsSection {
                    state.removeValue(forKey: change.oldPath)
                }
                guard change.kind != .deleted, newIsSection else {
                    if let before {
                        edits.append(SectionEdit(path: nil, blob: nil, before: before, version: Version(ids: [], breaks: []), script: nil,
                                                 others: []))
                    }
                    continue
                }
                let others = try parents.map { (parentState) throws(GitError) in
                    try annotated(parentState[change.newPath], path: change.newPath)
                }
                let version = try readAhead.tokenized(change.newID)
                let script = before.map { readAhead.script(from: $0.blob, to: change.newID) ?? Self.script($0.version, version) }
                edits.append(SectionEdit(path: change.newPath, blob: change.newID, before: before, version: version, script: script,
                                         others: others))
            }
            for (path, annotated) in follow(edits, by: position) { state[path] = .annotated(annotated) }
            states[position] = state
            if position == commits.count - 1 { final = state }
        }
    }

    private var startIndex: [String: Int32] = [:]

    /// The edit script the walk diffs two versions with: a word diff, its insertions and
    /// deletions then slid (where the tokens around them allow, as git's diff slides a hunk)
    /// to start after a line break, or at least to end with one. A list item added after one
    /// that ends as it does ("...specific.") is otherwise taken to start with the old item's
    /// last words, and those would be credited to the commit that added the new one.
    static func script(_ old: Version, _ new: Version) -> [EditRun] {
        var budget = 20_000_000
        var runs = Myers.diffWords(old.ids, new.ids, budget: &budget)
        guard runs.count >= 3 else { return runs }
        var oldPosition = 0, newPosition = 0
        for index in runs.indices {
            // A run with equal runs on both sides slides between them.
            if runs[index].operation != .equal, index > 0, index + 1 < runs.count,
               runs[index - 1].operation == .equal, runs[index + 1].operation == .equal
            {
                let inserted = runs[index].operation == .insert
                let shift = bestShift(inserted ? new : old, start: inserted ? newPosition : oldPosition, count: runs[index].count,
                                      up: runs[index - 1].count, down: runs[index + 1].count)
                if shift != 0 {
                    // The equal run before gives or takes `shift` tokens of both sides.
                    runs[index - 1].count += shift
                    runs[index + 1].count -= shift
                    oldPosition += shift
                    newPosition += shift
                }
            }
            if runs[index].operation != .insert { oldPosition += runs[index].count }
            if runs[index].operation != .delete { newPosition += runs[index].count }
        }
        return runs.filter { $0.count > 0 }
    }

    /// How far to slide a run of `count` tokens of `side` at `start`, up by at most `up` or down
    /// by at most `down` (as far as the tokens it passes repeat): to where it starts after a
    /// line break, else ends with one; where none does, it stays.
    private static func bestShift(_ side: Version, start: Int, count: Int, up: Int, down: Int) -> Int {
        let ids = side.ids, breaks = side.breaks
        guard breaks.count == ids.count else { return 0 }
        var lowest = 0
        while lowest < up, ids[start - lowest - 1] == ids[start - lowest + count - 1] { lowest += 1 }
        var highest = 0
        while highest < down, ids[start + highest] == ids[start + count + highest] { highest += 1 }
        func score(_ shift: Int) -> Int {
            let first = start + shift, last = first + count - 1
            return (first > 0 && breaks[first - 1] ? 2 : 0) + (breaks[last] ? 1 : 0)
        }
        var best = 0, bestScore = score(0)
        for shift in -lowest...highest where score(shift) > bestScore {
            best = shift
            bestScore = score(shift)
        }
        return best
    }

    /// The annotated text of an entry, reading and tokenizing it when first needed.
    private mutating func annotated(_ entry: SectionState?, path: String) throws(GitError) -> Annotated? {
        switch entry {
        case nil:
            return nil
        case .annotated(let annotated):
            return annotated
        case .blob(let id, let isStart):
            let version = try readAhead.tokenized(id)
            let section = isStart ? startIndex[path] ?? -1 : -1
            let origin = Origin(commit: -1, startSection: section, startToken: section < 0 ? -1 : 0)
            return Annotated(blob: id, version: version,
                             origins: version.ids.isEmpty ? [] : [OriginRun(length: version.ids.count, origin: origin)])
        }
    }

    /// The new versions of the sections a commit changed, their tokens' origins carried over
    /// from the versions before (moved words from where they were, and, for a merge, from the
    /// other parents), the rest credited to `commit`; what they lost is recorded as deleted, or
    /// as moved, by it.
    private mutating func follow(_ edits: [SectionEdit], by commit: Int) -> [(String, Annotated)] {
        var movedAway: [Int: [Range<Int>]] = [:], arriving: [Int: [MovedRun]] = [:]
        for run in Self.movedRuns(in: edits) {
            movedAway[run.from, default: []].append(run.old..<run.old + run.count)
            arriving[run.to, default: []].append(run)
        }
        var result: [(String, Annotated)] = []
        for (index, edit) in edits.enumerated() {
            if let before = edit.before, let script = edit.script {
                let within = (arriving[index] ?? []).filter { $0.from == index }
                for range in Self.passedOver(script, by: within) { passers.record(Self.slice(before.origins, range), by: commit) }
            }
            let away = (movedAway[index] ?? []).sorted { $0.lowerBound < $1.lowerBound }
            // Tokens lost from the version before (its `range`, whose origins are `runs`): moved
            // away, else deleted.
            func lost(_ range: Range<Int>, _ runs: [OriginRun]) {
                var cursor = OriginCursor(runs)
                var position = range.lowerBound
                func take(upTo end: Int, moved: Bool) {
                    guard end > position else { return }
                    var pieces: [OriginRun] = []
                    cursor.take(end - position) { pieces.append($0) }
                    if moved { movers.record(pieces, by: commit) } else { deleters.record(pieces, by: commit) }
                    position = end
                }
                for moved in away where moved.upperBound > position && moved.lowerBound < range.upperBound {
                    take(upTo: max(position, moved.lowerBound), moved: false)
                    take(upTo: min(moved.upperBound, range.upperBound), moved: true)
                }
                take(upTo: range.upperBound, moved: false)
            }
            guard let path = edit.path, let blob = edit.blob else {
                if let before = edit.before { lost(0..<before.ids.count, before.origins) }
                continue
            }
            let ids = edit.version.ids
            let mine = Origin(commit: Int32(commit))
            var origins = ids.isEmpty ? [] : [OriginRun(length: ids.count, origin: mine)]
            var unfilled = ids.count
            if let before = edit.before, let script = edit.script {
                let carried = Self.carryRuns(from: before, script: script, mine: mine, deleted: lost)
                origins = carried.runs
                unfilled -= carried.given
            }
            // Moved words keep the origins they had where they were (what they land on is the
            // commit's own: inserted).
            let arrived = (arriving[index] ?? []).sorted { $0.new < $1.new }
            if !arrived.isEmpty {
                origins = Self.placing(arrived.map { run in
                    (run.new, Self.slice(edits[run.from].before?.origins ?? [], run.old..<run.old + run.count))
                }, into: origins)
                unfilled -= arrived.reduce(0) { $0 + $1.count }
            }
            if unfilled > 0, edit.others.contains(where: { $0 != nil }) {
                // A merge (rare): token by token, only tokens still credited to it take the origin
                // another parent gives them.
                var each = Self.expand(origins)
                for other in edit.others where unfilled > 0 {
                    guard let other else { continue }
                    unfilled -= Self.carry(from: other, into: &each, script: Self.script(other.version, edit.version), mine: mine)
                }
                var runs = OriginRuns()
                for origin in each { runs.append(OriginRun(length: 1, origin: origin)) }
                origins = runs.runs
            }
            result.append((path, Annotated(blob: blob, version: edit.version, origins: origins)))
        }
        return result
    }

    /// The ranges of the old version's tokens that `script` keeps and that `moves` (within the
    /// section) pass over: kept between where a moved run was and where it went.
    static func passedOver(_ script: [EditRun], by moves: [MovedRun]) -> [Range<Int>] {
        guard !moves.isEmpty else { return [] }
        var ranges: [Range<Int>] = [], old = 0, new = 0
        for run in script {
            if run.operation == .equal {
                for move in moves {
                    let oldEnd = move.old + move.count, newEnd = move.new + move.count
                    // Offsets into the run: moved down past them (kept after where it was and
                    // before where it went), or up (kept before where it was and after where it went).
                    let down = (max(0, oldEnd - old), min(run.count, move.new - new))
                    let up = (max(0, newEnd - new), min(run.count, move.old - old))
                    for (lower, upper) in [down, up] where lower < upper { ranges.append(old + lower..<old + upper) }
                }
            }
            if run.operation != .insert { old += run.count }
            if run.operation != .delete { new += run.count }
        }
        return ranges
    }

    /// The runs of `range` of a text whose origins are `runs`.
    static func slice(_ runs: [OriginRun], _ range: Range<Int>) -> [OriginRun] {
        var cursor = OriginCursor(runs), pieces: [OriginRun] = []
        cursor.take(range.lowerBound) { _ in }
        cursor.take(range.count) { pieces.append($0) }
        return pieces
    }

    /// `runs` with the tokens from each piece's `at` on replaced by the piece's runs (pieces in
    /// order, not overlapping, within the text).
    static func placing(_ pieces: [(at: Int, runs: [OriginRun])], into runs: [OriginRun]) -> [OriginRun] {
        var result = OriginRuns(), cursor = OriginCursor(runs), position = 0
        for piece in pieces {
            cursor.take(piece.at - position) { result.append($0) }
            let count = piece.runs.reduce(0) { $0 + $1.length }
            cursor.take(count) { _ in }
            piece.runs.forEach { result.append($0) }
            position = piece.at + count
        }
        cursor.take(runs.reduce(0) { $0 + $1.length } - position) { result.append($0) }
        return result.runs
    }

    /// The origins of the new text: what the edit script from `source` keeps has its origin
    /// there, the rest is `mine`; each range of `source` the script deletes is handed to
    /// `deleted`, with its origins. Also how many tokens were given an origin from `source`.
    static func carryRuns(from source: Annotated, script: [EditRun], mine: Origin,
                          deleted: (Range<Int>, [OriginRun]) -> Void) -> (runs: [OriginRun], given: Int)
    {
        var runs = OriginRuns()
        var cursor = OriginCursor(source.origins)
        var old = 0, given = 0
        for run in script {
            switch run.operation {
            case .equal:
                cursor.take(run.count) { runs.append($0) }
                given += run.count
                old += run.count
            case .delete:
                var lost: [OriginRun] = []
                cursor.take(run.count) { lost.append($0) }
                deleted(old..<old + run.count, lost)
                old += run.count
            case .insert:
                runs.append(OriginRun(length: run.count, origin: mine))
            }
        }
        return (runs.runs, given)
    }

    /// `carryRuns` from another parent of a merge, token by token: only tokens still credited
    /// to the merge (`mine`) take the origin that parent gives them; returns how many did.
    private static func carry(from source: Annotated, into origins: inout [Origin], script: [EditRun], mine: Origin) -> Int {
        let sourceOrigins = source.expandedOrigins()
        var old = 0, new = 0, given = 0
        for run in script {
            switch run.operation {
            case .equal:
                for offset in 0..<run.count where origins[new + offset] == mine {
                    origins[new + offset] = sourceOrigins[old + offset]
                    given += 1
                }
                old += run.count
                new += run.count
            case .delete:
                old += run.count
            case .insert:
                new += run.count
            }
        }
        return given
    }

    /// The annotated text of a section at the end (reading it if no commit touched it).
    mutating func finalText(_ path: String) throws(GitError) -> Annotated? {
        try annotated(final[path], path: path)
    }

    /// The start section's index for `path`.
    func startSection(_ path: String) -> Int32? { startIndex[path] }
}
