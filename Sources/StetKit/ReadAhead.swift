import Foundation
import GitStore
import GitValues
import ProseDiff

/// What the history walk of `Attribution` reads ahead, a batch of commits at a time, on all
/// cores: each new version of a section read and tokenized (as an edit of the version before it),
/// and the edit script of each version against the one before, which depend on the texts only.
/// The walk takes them as it goes; what is not ready is read and diffed when needed.
struct ReadAhead {
    /// Interns every text of the walk, so that token ids compare across versions.
    private var table = TokenTable()
    private let repository: DocumentRepository
    private var git: Repository { repository.git }

    init(repository: DocumentRepository) {
        self.repository = repository
    }

    /// Tokens of blobs read ahead, waiting to be used.
    private var ready: [ObjectID: Attribution.Version] = [:]
    /// Paths whose starting blob was read ahead.
    private var prefetchedStarts = Set<String>()
    /// Per path, the blob and tokens of its latest version the read-ahead has seen.
    private var latest: [String: (blob: ObjectID, version: Attribution.Version)] = [:]
    /// Per path, the last version read ahead, prepared, and its ids and line breaks: the next one
    /// read is tokenized as an edit of it.
    private var lastPrepared: [String: (text: PreparedText, version: Attribution.Version)] = [:]
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
    mutating func prefetch(_ changes: ArraySlice<[FileChange]>, start: [String: Attribution.SectionState]) {
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
        let baseVersions = chains.map { lastPrepared[$0.path]?.version ?? Attribution.Version(ids: [], breaks: []) }
        let assembled = Parallel.map(chains.count, workers: ProcessInfo.processInfo.activeProcessorCount) { chain in
            var version = baseVersions[chain], all: [Attribution.Version] = []
            for (text, global) in zip(prepared[chain], globals[chain]) {
                version = Attribution.Version(ids: TokenTable.ids(of: text, global: global, base: version.ids),
                                              breaks: TokenTable.lineBreaks(of: text, base: version.breaks))
                all.append(version)
            }
            return all
        }
        for (index, chain) in chains.enumerated() {
            guard let last = prepared[index].last, let lastVersion = assembled[index].last else { continue }
            for (id, version) in zip(chain.blobs, assembled[index]) { ready[id] = version }
            lastPrepared[chain.path] = (last, lastVersion)
        }
        // The pairs of versions the walk will diff, as far as they can be told from the changes.
        var pairs: [(key: BlobPair, old: Attribution.Version, new: Attribution.Version)] = []
        for change in changes.joined() {
            let oldIsSection = repository.isSectionPath(change.oldPath), newIsSection = repository.isSectionPath(change.newPath)
            let old = oldIsSection && change.kind != .added
                ? (latest[change.oldPath].flatMap { $0.blob == change.oldID ? $0.version : nil } ?? ready[change.oldID]) : nil
            if oldIsSection, change.kind == .deleted || change.kind == .renamed { latest.removeValue(forKey: change.oldPath) }
            guard change.kind != .deleted, newIsSection, let new = ready[change.newID] else { continue }
            if let old { pairs.append((BlobPair(old: change.oldID, new: change.newID), old, new)) }
            latest[change.newPath] = (change.newID, new)
        }
        let made = Parallel.map(pairs.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
            Attribution.script(pairs[index].old, pairs[index].new)
        }
        for (pair, script) in zip(pairs, made) { scripts[pair.key] = script }
    }

    /// The edit script from one blob's tokens to another's, when it was made ahead (once: it is
    /// handed over).
    mutating func script(from old: ObjectID, to new: ObjectID) -> [EditRun]? {
        scripts.removeValue(forKey: BlobPair(old: old, new: new))
    }

    /// A blob's tokens: from what was read ahead, else read now.
    mutating func tokenized(_ id: ObjectID) throws(GitError) -> Attribution.Version {
        if let version = ready.removeValue(forKey: id) { return version }
        let bytes = try git.blob(id)
        let text = table.tokenize(bytes)
        return Attribution.Version(ids: text.ids, breaks: TokenTable.lineBreaks(text.tokens[...], in: bytes))
    }
}
