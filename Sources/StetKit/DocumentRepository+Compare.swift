import GitStore
public import GitValues
import Foundation
public import ProseDiff

/// Two drafts compared: what each side is, and the redline.
public struct DraftComparison: Sendable {
    /// The revision asked for, or nil for the working tree.
    public var aRevision: String?
    public var aCommit: ObjectID?
    public var bRevision: String?
    public var bCommit: ObjectID?
    public var comparison: Comparison
    /// Problems reading sections, none of which stopped the comparison.
    public var warnings: [String]
    /// The texts compared, by path: the earlier draft's and the later one's.
    var aTexts: [String: String] = [:]
    var bTexts: [String: String] = [:]
    /// Each draft's files, and those of its sections the comparison read.
    var aFiles: DocumentRepository.SideFiles?
    var aSections: [Section] = []
    var bFiles: DocumentRepository.SideFiles?
    var bSections: [Section] = []
}

extension DocumentRepository {
    /// The section files of one side: path to blob id, and the bytes already read (the working
    /// tree's changed files).
    struct SideFiles {
        var revision: String?
        var commit: ObjectID?
        var blobs: [String: ObjectID] = [:]
        var bytes: [String: [UInt8]] = [:]
    }

    /// Compares the draft at `from` (nil: HEAD) with the draft at `to` (nil: the working tree),
    /// as `git diff` takes its revisions. Only sections whose content differs are read.
    public func compare(from: String?, to: String?, options: CompareOptions = CompareOptions())
        throws(StetError) -> DraftComparison
    {
        let a = try sideFiles(from ?? "HEAD")
        let b: SideFiles
        if let to { b = try sideFiles(to) } else { b = try workingFiles() }
        func sections(_ side: SideFiles, other: SideFiles) throws(StetError) -> [Section] {
            let wanted = side.blobs.filter { other.blobs[$0.key] != $0.value }.sorted { $0.key < $1.key }
            let sections = try readSections(wanted.map { ($0.key, $0.value, side.bytes[$0.key]) },
                                            revision: side.revision ?? "the working tree")
            return Draft.ordered(sections, by: config.order)
        }
        // The newer side is read first. git packs a file's newer versions whole and its older
        // ones as deltas against them, and libgit2 keeps the bases it rebuilds in a small cache
        // (16 MB, emptied when full): read newest first, an older version's chain mostly starts
        // from a base already rebuilt. On a 500-section corpus, reading the final draft before
        // the first inflates 23 MB instead of 30, and the whole comparison takes 0.91x the time.
        let aSections: [Section], bSections: [Section]
        if try isNewer(a, than: b) {
            aSections = try sections(a, other: b)
            bSections = try sections(b, other: a)
        } else {
            bSections = try sections(b, other: a)
            aSections = try sections(a, other: b)
        }
        func texts(_ sections: [Section]) -> [SectionText] {
            sections.map { SectionText(id: $0.id, title: $0.title, path: $0.path, text: $0.text, bodyOffset: $0.bodyOffset,
                                       key: $0.contentKey.hex) }
        }
        let comparison = Comparer.compare(texts(aSections), texts(bSections), options: options)
        var warnings = (aSections + bSections).flatMap(\.warnings)
        for path in Set((aSections + bSections).filter { $0.text.utf8.count > Comparer.wholeSectionLimit }.map(\.path)).sorted() {
            warnings.append("\(path) is larger than \(Comparer.wholeSectionLimit / 1_048_576) MB; compared whole, not word by word")
        }
        return DraftComparison(aRevision: from ?? "HEAD", aCommit: a.commit, bRevision: to, bCommit: b.commit,
                               comparison: comparison, warnings: warnings,
                               aTexts: Dictionary(aSections.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first }),
                               bTexts: Dictionary(bSections.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first }),
                               aFiles: a, aSections: aSections, bFiles: b, bSections: bSections)
    }

    /// The sections of a comparison that `names` name (by id, old id, path or title), each
    /// once; a name that no section of the later draft has is an error. A section that did not
    /// change is not in the comparison, and gives nothing.
    public func sections(named names: [String], in result: DraftComparison) throws(StetError) -> [SectionComparison] {
        var chosen: [SectionComparison] = []
        var laterDraft: Draft?
        for name in names {
            let matches = result.comparison.sections.filter { section in
                [section.id, section.oldID, section.pathA, section.pathB, section.title].contains(name)
                    || [section.pathA, section.pathB].contains(draftsFolder + "/" + name)
            }
            if matches.isEmpty {
                // Unchanged sections are not in the comparison: check that the name exists.
                let later: Draft
                if let known = laterDraft { later = known } else { later = try self.laterDraft(of: result) }
                laterDraft = later
                _ = try later.requireSection(named: name)
            }
            chosen += matches.filter { match in !chosen.contains { $0.id == match.id } }
        }
        return chosen
    }

    /// The text of a section of the comparison's later draft (for a section that did not change).
    public func sectionText(named name: String, in result: DraftComparison) throws(StetError) -> String {
        try laterDraft(of: result).requireSection(named: name).text
    }

    /// The later draft's sections in order: those the comparison read, and the others (which
    /// did not change) read now.
    public func laterSections(of result: DraftComparison) throws(StetError) -> [Section] {
        guard let files = result.bFiles else { return try laterDraft(of: result).sections }
        return try sections(files, read: result.bSections)
    }

    /// The earlier draft's sections in order, as `laterSections`.
    public func earlierSections(of result: DraftComparison) throws(StetError) -> [Section] {
        guard let files = result.aFiles else { return try draft(at: result.aRevision ?? "HEAD").sections }
        return try sections(files, read: result.aSections)
    }

    /// A side's sections in order: those already `read`, and the others read now.
    private func sections(_ files: SideFiles, read: [Section]) throws(StetError) -> [Section] {
        let known = Set(read.map(\.path))
        let missing = files.blobs.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }
        let more = try readSections(missing.map { ($0.key, $0.value, files.bytes[$0.key]) }, revision: files.revision ?? "the working tree")
        return Draft.ordered(read + more, by: config.order)
    }

    /// The later draft of a comparison: at its revision, or the working tree.
    private func laterDraft(of result: DraftComparison) throws(StetError) -> Draft {
        if let revision = result.bRevision { return try draft(at: revision) }
        return try workingDraft()
    }

    /// Whether `side` is a commit made after `other`'s (the working tree is newer than any).
    private func isNewer(_ side: SideFiles, than other: SideFiles) throws(StetError) -> Bool {
        guard let commit = side.commit else { return true }
        guard let otherCommit = other.commit else { return false }
        do {
            return try git.commit(commit).committer.date > git.commit(otherCommit).committer.date
        } catch {
            throw StetError(error, "cannot read commit \(commit.hex)")
        }
    }

    /// Reads sections (blobs not already in memory) on all cores.
    func readSections(_ items: [(path: String, blob: ObjectID, bytes: [UInt8]?)], revision: String)
        throws(StetError) -> [Section]
    {
        let draftsPrefix = draftsFolder.count + 1
        let results = inParallel(items.count) { (repository, index) throws(GitError) in
            let item = items[index]
            let relativePath = String(item.path.dropFirst(draftsPrefix))
            if let bytes = item.bytes {
                return Section(path: item.path, relativePath: relativePath, bytes: bytes, blob: item.blob)
            }
            return try repository.withBlob(item.blob) { Section(path: item.path, relativePath: relativePath, bytes: $0, blob: item.blob) }
        }
        var sections: [Section] = []
        sections.reserveCapacity(items.count)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let section): sections.append(section)
            case .failure(let error): throw StetError(error, "cannot read \(items[index].path) at \(revision)")
            }
        }
        return sections
    }

    /// `body` of items `0..<count` on up to four threads, each thread with its own repository
    /// handle (libgit2 handles are not shared between threads); items are dealt out in turn, so
    /// each thread works through the list in its order.
    func inParallel<T>(_ count: Int, _ body: (Repository, Int) throws(GitError) -> T) -> [Result<T, GitError>] {
        let workers = count < 16 ? 1 : min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let results = UnsafeMutableBufferPointer<Result<T, GitError>?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let shared = results
        nonisolated(unsafe) let main = git
        let gitDirectory = git.gitDirectory
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            Parallel.forEachWorker(workers) { worker in
                let repository: Repository
                do throws(GitError) {
                    repository = worker == 0 ? main : try Repository(openingAt: gitDirectory)
                } catch {
                    for index in stride(from: worker, to: count, by: workers) { shared[index] = .failure(error) }
                    return
                }
                for index in stride(from: worker, to: count, by: workers) {
                    shared[index] = Result { () throws(GitError) in try body(repository, index) }
                }
            }
        }
        return results.map { $0! }
    }

    private func sideFiles(_ revision: String) throws(StetError) -> SideFiles {
        let commit = try resolve(revision)
        var side = SideFiles(revision: revision, commit: commit)
        do {
            for file in try git.files(inTree: try git.treeID(ofCommit: commit), under: draftsFolder)
            where isSectionPath(file.path) && (file.mode == .regular || file.mode == .executable) {
                side.blobs[file.path] = file.id
            }
        } catch {
            throw StetError(error, "cannot read the draft at \(revision)")
        }
        return side
    }

    /// The working tree: HEAD's files, with what git's status reports as changed read from disk.
    private func workingFiles() throws(StetError) -> SideFiles {
        var side = SideFiles(revision: nil, commit: nil)
        let head = try head()
        do {
            if let head {
                for file in try git.files(inTree: try git.treeID(ofCommit: head), under: draftsFolder)
                where isSectionPath(file.path) {
                    side.blobs[file.path] = file.id
                }
            }
            for change in try workdirChanges(head: head) {
                side.blobs.removeValue(forKey: change.oldPath)
                guard change.kind != .deleted, isSectionPath(change.newPath),
                      case .regular(let bytes) = WorkingFile.read(root: root, path: change.newPath)
                else { continue }
                side.blobs[change.newPath] = ObjectID.forBlob(bytes)
                side.bytes[change.newPath] = bytes
            }
        } catch {
            throw StetError(error, "cannot read the working tree")
        }
        return side
    }
}
