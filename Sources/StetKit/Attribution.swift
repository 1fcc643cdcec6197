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
    /// Who deleted each token of the start: section index -> token index -> commit index.
    private(set) var deleters: [Int32: [Int32: Int32]] = [:]

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
            for change in allChanges[position] {
                let oldIsSection = repository.isSectionPath(change.oldPath)
                let newIsSection = repository.isSectionPath(change.newPath)
                let before: Annotated? = change.kind == .added || !oldIsSection
                    ? nil : try annotated(state[change.oldPath], path: change.oldPath)
                if change.kind == .deleted || change.kind == .renamed, oldIsSection {
                    state.removeValue(forKey: change.oldPath)
                }
                guard change.kind != .deleted, newIsSection else {
                    if let before { recordDeletions(before, in: 0..<before.ids.count, by: position) }
                    continue
                }
                let others = try parents.map { (parentState) throws(GitError) in
                    try annotated(parentState[change.newPath], path: change.newPath)
                }
                state[change.newPath] = .annotated(try follow(before, to: change.newID, by: position, otherParents: others))
            }
            states[position] = state
            if position == commits.count - 1 { final = state }
        }
    }

    private var startIndex: [String: Int32] = [:]

    /// The edit script the walk diffs two versions with.
    static func script(_ old: [Int32], _ new: [Int32]) -> [EditRun] {
        var budget = 20_000_000
        return Myers.diffWords(old, new, budget: &budget)
    }

    /// The annotated text of an entry, reading and tokenizing it when first needed.
    private mutating func annotated(_ entry: SectionState?, path: String) throws(GitError) -> Annotated? {
        switch entry {
        case nil:
            return nil
        case .annotated(let annotated):
            return annotated
        case .blob(let id, let isStart):
            let ids = try readAhead.tokenized(id)
            let section = isStart ? startIndex[path] ?? -1 : -1
            let origin = Origin(commit: -1, startSection: section, startToken: section < 0 ? -1 : 0)
            return Annotated(blob: id, ids: ids, origins: ids.isEmpty ? [] : [OriginRun(length: ids.count, origin: origin)])
        }
    }

    /// The new version of a section (blob `id`), its tokens' origins carried over from the
    /// version before (and, for a merge, from the other parents), the rest credited to `commit`.
    private mutating func follow(_ before: Annotated?, to id: ObjectID, by commit: Int, otherParents: [Annotated?])
        throws(GitError) -> Annotated
    {
        let ids = try readAhead.tokenized(id)
        // Tokens no parent keeps are the commit's own; the first parent's kept runs are carried whole.
        let mine = Origin(commit: Int32(commit))
        var origins = ids.isEmpty ? [] : [OriginRun(length: ids.count, origin: mine)]
        var unfilled = ids.count
        if let before {
            let script = readAhead.script(from: before.blob, to: id) ?? Self.script(before.ids, ids)
            let carried = Self.carryRuns(from: before, script: script, mine: mine, deleted: { range in
                recordDeletions(before, in: range, by: commit)
            })
            origins = carried.runs
            unfilled -= carried.given
        }
        if unfilled > 0, otherParents.contains(where: { $0 != nil }) {
            // A merge (rare): token by token, only tokens still credited to it take the origin
            // another parent gives them.
            var each = Self.expand(origins)
            for other in otherParents where unfilled > 0 {
                guard let other else { continue }
                unfilled -= Self.carry(from: other, into: &each, script: Self.script(other.ids, ids), mine: mine)
            }
            var runs = OriginRuns()
            for origin in each { runs.append(OriginRun(length: 1, origin: origin)) }
            origins = runs.runs
        }
        return Annotated(blob: id, ids: ids, origins: origins)
    }

    /// The origins of the new text: what the edit script from `source` keeps has its origin
    /// there, the rest is `mine`; each range of `source` the script deletes is handed to
    /// `deleted`. Also how many tokens were given an origin from `source`.
    static func carryRuns(from source: Annotated, script: [EditRun], mine: Origin,
                                  deleted: (Range<Int>) -> Void) -> (runs: [OriginRun], given: Int)
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
                deleted(old..<old + run.count)
                cursor.take(run.count) { _ in }
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

    /// Tokens of the start that `before` still had in `range` and the new version does not:
    /// deleted by `commit` (the first deletion counts).
    private mutating func recordDeletions(_ before: Annotated, in range: Range<Int>, by commit: Int) {
        var position = 0
        for run in before.origins {
            defer { position += run.length }
            if position >= range.upperBound { break }
            let lower = max(range.lowerBound, position), upper = min(range.upperBound, position + run.length)
            guard lower < upper, run.origin.startSection >= 0 else { continue }
            for index in lower..<upper {
                let origin = run.origin(at: index - position)
                if deleters[origin.startSection]?[origin.startToken] == nil {
                    deleters[origin.startSection, default: [:]][origin.startToken] = Int32(commit)
                }
            }
        }
    }

    /// The annotated text of a section at the end (reading it if no commit touched it).
    mutating func finalText(_ path: String) throws(GitError) -> Annotated? {
        try annotated(final[path], path: path)
    }

    /// The start section's index for `path`.
    func startSection(_ path: String) -> Int32? { startIndex[path] }
}
