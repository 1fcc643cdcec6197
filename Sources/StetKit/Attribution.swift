import Foundation
import GitStore
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

    /// A section's text at one commit: its tokens, and their origins as runs.
    final class Annotated {
        /// The blob this is the text of.
        let blob: ObjectID
        let ids: [Int32]
        let origins: [OriginRun]
        init(blob: ObjectID, ids: [Int32], origins: [OriginRun]) {
            self.blob = blob
            self.ids = ids
            self.origins = origins
        }

        /// Every token's origin, in order.
        func expandedOrigins() -> [Origin] { Attribution.expand(origins) }
    }

    /// A section in a commit's state: not read yet (a blob as it was at the start, or older),
    /// or read and annotated.
    enum Entry {
        case blob(ObjectID, start: Bool)
        case annotated(Annotated)
    }

    /// The commits walked, oldest first.
    private(set) var commits: [CommitInfo] = []
    /// The sections at the end, by path.
    private(set) var final: [String: Entry] = [:]
    /// Section paths of the start, for origins.
    private(set) var startPaths: [String] = []
    /// Who deleted each token of the start: section index -> token index -> commit index.
    private(set) var deleters: [Int32: [Int32: Int32]] = [:]

    private var table = TokenTable()
    private let repository: DocumentRepository
    private var git: Repository { repository.git }

    init(repository: DocumentRepository) {
        self.repository = repository
    }

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
        var startState: [String: Entry] = [:]
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

        var states: [Int: [String: Entry]] = [:]
        for (position, commit) in commits.enumerated() {
            if position % Self.batch == 0 {
                prefetch(allChanges[position..<min(position + Self.batch, commits.count)], start: startState)
            }
            func parentState(_ parent: ObjectID) throws(GitError) -> [String: Entry] {
                if parent == start { return startState }
                if let known = index[parent], let state = states[known] { return state }
                // A parent outside the range (a branch that forked before the start): its text is older.
                var state: [String: Entry] = [:]
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

    /// Commits whose blobs are read ahead together.
    static let batch = 256
    /// Token ids of blobs read ahead, waiting to be used.
    private var ready: [ObjectID: [Int32]] = [:]
    /// Paths whose starting blob was read ahead.
    private var prefetchedStarts = Set<String>()
    /// Per path, the blob and ids of its latest version the read-ahead has seen.
    private var latest: [String: (blob: ObjectID, ids: [Int32])] = [:]
    /// Per path, the last version read ahead, prepared, and its ids: the next one read is
    /// tokenized as an edit of it.
    private var lastPrepared: [String: (text: PreparedText, ids: [Int32])] = [:]
    /// Edit scripts between two blobs' tokens, made ahead: (old blob, new blob) -> script.
    private var scripts: [BlobPair: [EditRun]] = [:]

    struct BlobPair: Hashable {
        var old: ObjectID
        var new: ObjectID
    }

    /// Reads ahead, on all cores, what the walk will need for these changes: each new version of
    /// a section and a section's starting text the first time it changes, read and tokenized;
    /// then, once their tokens have ids, the edit script of each version against the one before
    /// it (the walk's diffs, which depend on the texts only). A blob that cannot be read here is
    /// read again when needed, and the error reported then.
    private mutating func prefetch(_ changes: ArraySlice<[FileChange]>, start: [String: Entry]) {
        // The versions to read, path by path in history order: a thread takes a path's versions
        // in turn and tokenizes each as an edit of the one before (or of the last one read for
        // that path), reading again only what changed.
        var chains: [(path: String, blobs: [ObjectID])] = []
        var chainOfPath: [String: Int] = [:]
        var seen = Set(ready.keys)
        func want(_ id: ObjectID, path: String) {
            guard seen.insert(id).inserted else { return }
            if let chain = chainOfPath[path] {
                chains[chain].blobs.append(id)
            } else {
                chainOfPath[path] = chains.count
                chains.append((path, [id]))
            }
        }
        for change in changes.joined() {
            if repository.isSectionPath(change.oldPath), case .blob(let id, _)? = start[change.oldPath],
               prefetchedStarts.insert(change.oldPath).inserted
            {
                want(id, path: change.oldPath)
            }
            if change.kind != .deleted, repository.isSectionPath(change.newPath) { want(change.newID, path: change.newPath) }
        }
        let bases = chains.map { lastPrepared[$0.path]?.text }
        let results = repository.inParallel(chains.count) { git, index in
            var base = bases[index]
            var texts: [PreparedText] = []
            for id in chains[index].blobs {
                // What cannot be read here is read again when the walk needs it, and reported then.
                guard let bytes = try? git.blob(id) else { break }
                let text = base.map { TokenTable.prepare(bytes, editedFrom: $0) } ?? TokenTable.prepare(bytes)
                texts.append(text)
                base = text
            }
            return texts
        }
        // The table's ids of each version's distinct tokens, in order on this thread; then each
        // path's versions' ids, assembled on all cores.
        let prepared: [[PreparedText]] = results.map { result in
            if case .success(let texts) = result { return texts }
            return []
        }
        let globals = prepared.map { texts in texts.map { table.globalIDs(of: $0) } }
        let baseIDs = chains.map { lastPrepared[$0.path]?.ids ?? [] }
        let assembled = Parallel.map(chains.count, workers: ProcessInfo.processInfo.activeProcessorCount) { chain in
            var ids = baseIDs[chain], all: [[Int32]] = []
            for (text, global) in zip(prepared[chain], globals[chain]) {
                ids = TokenTable.ids(of: text, global: global, base: ids)
                all.append(ids)
            }
            return all
        }
        for (index, chain) in chains.enumerated() {
            guard let last = prepared[index].last, let lastIDs = assembled[index].last else { continue }
            for (id, ids) in zip(chain.blobs, assembled[index]) { ready[id] = ids }
            lastPrepared[chain.path] = (last, lastIDs)
        }
        // The pairs of versions the walk will diff, as far as they can be told from the changes.
        var pairs: [(key: BlobPair, old: [Int32], new: [Int32])] = []
        for change in changes.joined() {
            let oldIsSection = repository.isSectionPath(change.oldPath), newIsSection = repository.isSectionPath(change.newPath)
            let old = oldIsSection && change.kind != .added
                ? (latest[change.oldPath].flatMap { $0.blob == change.oldID ? $0.ids : nil } ?? ready[change.oldID]) : nil
            if oldIsSection, change.kind == .deleted || change.kind == .renamed { latest.removeValue(forKey: change.oldPath) }
            guard change.kind != .deleted, newIsSection, let new = ready[change.newID] else { continue }
            if let old { pairs.append((BlobPair(old: change.oldID, new: change.newID), old, new)) }
            latest[change.newPath] = (change.newID, new)
        }
        let made = Parallel.map(pairs.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
            Self.script(pairs[index].old, pairs[index].new)
        }
        for (pair, script) in zip(pairs, made) { scripts[pair.key] = script }
    }

    /// The edit script the walk diffs two versions with.
    static func script(_ old: [Int32], _ new: [Int32]) -> [EditRun] {
        var budget = 20_000_000
        return Myers.diffWords(old, new, budget: &budget)
    }

    /// A blob's token ids: from what was read ahead, else read now.
    private mutating func tokenized(_ id: ObjectID) throws(GitError) -> [Int32] {
        if let ids = ready.removeValue(forKey: id) { return ids }
        return table.tokenize(try git.blob(id)).ids
    }

    /// The annotated text of an entry, reading and tokenizing it when first needed.
    private mutating func annotated(_ entry: Entry?, path: String) throws(GitError) -> Annotated? {
        switch entry {
        case nil:
            return nil
        case .annotated(let annotated):
            return annotated
        case .blob(let id, let isStart):
            let ids = try tokenized(id)
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
        let ids = try tokenized(id)
        // Tokens no parent keeps are the commit's own; the first parent's kept runs are carried whole.
        let mine = Origin(commit: Int32(commit))
        var origins = ids.isEmpty ? [] : [OriginRun(length: ids.count, origin: mine)]
        var unfilled = ids.count
        if let before {
            let script = scripts.removeValue(forKey: BlobPair(old: before.blob, new: id)) ?? Self.script(before.ids, ids)
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
