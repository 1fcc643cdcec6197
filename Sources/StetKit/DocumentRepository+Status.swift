import GitStore
import GitValues
import ProseDiff

/// How one section differs between HEAD and the working tree.
public struct SectionChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case added, modified, deleted, renamed
    }

    /// What a modification amounts to, where a reader would want it said.
    public enum Detail: String, Sendable, Codable {
        /// The words are the same, only wrapped differently: the redline shows no change.
        case lineBreaksOnly = "line breaks only"
    }

    public var kind: Kind
    public var detail: Detail?
    /// The section's id (the new one for a rename that changed it).
    public var id: String
    /// The section's title (from HEAD's version for a deleted section).
    public var title: String
    /// The path in the working tree (HEAD's path for a deleted section).
    public var path: String
    /// HEAD's path, for a rename.
    public var oldPath: String?
    /// HEAD's id, when a rename changed it.
    public var oldID: String?
}

/// How one image under the drafts folder (a figure a section shows) differs from HEAD.
public struct ImageChange: Sendable, Hashable {
    public var kind: SectionChange.Kind
    public var path: String
}

/// What `stet status` reports.
public struct WorkingStatus: Sendable {
    /// Changed sections, by path.
    public var changes: [SectionChange]
    /// Changed images under the drafts folder, by path: a commit records them with the sections.
    public var images: [ImageChange] = []
    /// Files under the drafts folder that git would add but that are not sections.
    public var otherFiles: [String]
    /// Sections whose file differs from HEAD's only in its line ends (CRLF for LF or the other
    /// way): the same text, so no change; a commit leaves them out.
    public var lineEndingsOnly: [String] = []
    /// Problems reading the sections involved.
    public var warnings: [String]

    public var isClean: Bool { changes.isEmpty && images.isEmpty }
}

extension DocumentRepository {
    /// Sections added, modified, deleted and renamed since HEAD: the working files compared with
    /// HEAD's tree, git's index serving as a stat cache where it agrees with HEAD, so only changed
    /// files are read.
    ///
    /// When no other stet command is writing, the index is written back where that saves later
    /// runs work (stat data refreshed after a copy or restore touched every file), as `git status`
    /// does; a reader never waits for that.
    ///
    /// Its warnings say at once what `stet commit` would refuse in the changed sections, in the
    /// same words, and name links to sections that do not exist.
    public func status() throws(StetError) -> WorkingStatus {
        try status(checking: true)
    }

    /// `status()`, with the checks of the changed sections only when `checking`.
    func status(checking: Bool) throws(StetError) -> WorkingStatus {
        var found: WorkingStatus
        if writeLock != nil {
            found = try status(refreshIndex: true)
        } else if let lock = WriteLock.tryAcquireBriefly(gitDirectory: git.gitDirectory), !lock.previousDied {
            defer { lock.release() }
            found = try status(refreshIndex: true)
        } else {
            found = try status(refreshIndex: false)
        }
        if checking { found.warnings += try commitProblems(found) }
        return found
    }

    /// What `stet commit` would refuse in the changed sections, as it would say it, and links
    /// that name no section (in the changed sections; in all of them when a section went away).
    private func commitProblems(_ status: WorkingStatus) throws(StetError) -> [String] {
        guard !status.changes.isEmpty else { return [] }
        var problems: [String] = []
        var written: [String: Section] = [:]
        for change in status.changes where change.kind != .deleted {
            guard case .regular(let bytes) = WorkingFile.read(root: root, path: change.path) else { continue }
            let normalized = LineEndings.normalized(bytes) ?? bytes
            do {
                try ContentCheck.validate(path: change.path, bytes: normalized)
            } catch {
                problems.append("stet commit will refuse this: " + error.message)
            }
            written[change.path] = Section(path: change.path, relativePath: relativePath(change.path), bytes: normalized)
        }
        let removed = Set(status.changes.flatMap { change in
            change.kind == .deleted ? [change.path] : change.oldPath.map { [$0] } ?? []
        })
        let ids = try sharedIDs(head: try head(), removed: removed, written: written, unchanged: status)
        if let refusal = ids.refusal { problems.append("stet commit will refuse this: " + refusal) }
        let wentAway = status.changes.contains { $0.kind == .deleted || $0.kind == .renamed }
        problems += try brokenLinks(in: wentAway ? nil : Array(written.values)).map(\.message)
        return problems
    }

    private func status(refreshIndex: Bool) throws(StetError) -> WorkingStatus {
        let head = try head()
        let changes: [FileChange]
        do {
            changes = try workdirChanges(head: head, refreshIndex: refreshIndex)
        } catch {
            throw StetError(error, "cannot read the working tree")
        }
        return try sectionChanges(from: changes)
    }

    /// Turns file changes into section changes: renames by git's similarity or by a shared
    /// front matter id; non-section files set apart.
    func sectionChanges(from changes: [FileChange]) throws(StetError) -> WorkingStatus {
        var result: [SectionChange] = []
        var otherFiles: [String] = []
        var warnings: [String] = []
        var lineEndingsOnly: [String] = []
        var images: [ImageChange] = []
        var deleted: [String: (FileChange, Section)] = [:]
        var added: [(FileChange, Section)] = []

        func headSection(_ change: FileChange) throws(StetError) -> Section {
            do {
                let bytes = try git.blob(change.oldID)
                return Section(path: change.oldPath, relativePath: relativePath(change.oldPath), bytes: bytes, blob: change.oldID)
            } catch {
                throw StetError(error, "cannot read \(change.oldPath) at HEAD")
            }
        }
        func workingSection(_ path: String) -> Section? {
            switch WorkingFile.read(root: root, path: path) {
            case .regular(let bytes):
                return Section(path: path, relativePath: relativePath(path), bytes: bytes)
            case .symlink(let target):
                // Listed, so that a commit names it and refuses it; never followed.
                warnings.append("\(path) is a symbolic link to \(target); a section must be a regular file")
                return Section(path: path, relativePath: relativePath(path), bytes: [])
            case .missing, .unreadable:
                warnings.append("\(path) cannot be read")
                return nil
            }
        }

        for change in changes {
            let oldIsSection = isSectionPath(change.oldPath)
            let newIsSection = isSectionPath(change.newPath)
            let oldIsImage = isImagePath(change.oldPath), newIsImage = isImagePath(change.newPath)
            if oldIsImage || newIsImage {
                switch change.kind {
                case .untracked, .added: images.append(ImageChange(kind: .added, path: change.newPath))
                case .deleted: images.append(ImageChange(kind: .deleted, path: change.oldPath))
                case .modified, .typeChanged: images.append(ImageChange(kind: .modified, path: change.newPath))
                case .renamed:
                    if oldIsImage { images.append(ImageChange(kind: .deleted, path: change.oldPath)) }
                    if newIsImage { images.append(ImageChange(kind: .added, path: change.newPath)) }
                }
                if !(oldIsSection || newIsSection) { continue }
            }
            switch change.kind {
            case .untracked, .added:
                if newIsSection, let section = workingSection(change.newPath) {
                    added.append((change, section))
                } else if !newIsSection {
                    otherFiles.append(change.newPath)
                }
            case .deleted:
                if oldIsSection {
                    let section = try headSection(change)
                    deleted[section.id] = (change, section)
                }
            case .modified, .typeChanged:
                guard newIsSection else { continue }
                guard let section = workingSection(change.newPath) else { continue }
                var detail: SectionChange.Detail?
                if change.kind == .modified, oldIsSection {
                    let old = try headSection(change)
                    if old.contentKey == section.contentKey {
                        lineEndingsOnly.append(section.path)
                        continue
                    }
                    if Self.sameWords(old.text, section.text) { detail = .lineBreaksOnly }
                }
                result.append(SectionChange(kind: .modified, detail: detail, id: section.id, title: section.title,
                                            path: section.path))
            case .renamed:
                let old = try headSection(change)
                guard newIsSection, let section = workingSection(change.newPath) else {
                    result.append(SectionChange(kind: .deleted, id: old.id, title: old.title, path: old.path))
                    if !newIsSection { otherFiles.append(change.newPath) }
                    continue
                }
                guard oldIsSection else {
                    result.append(SectionChange(kind: .added, id: section.id, title: section.title, path: section.path))
                    continue
                }
                result.append(SectionChange(kind: .renamed, id: section.id, title: section.title, path: section.path,
                                            oldPath: old.path, oldID: old.id == section.id ? nil : old.id))
            }
        }
        // A section whose file moved and changed beyond git's similarity keeps its id: a rename.
        for (change, section) in added {
            if let (_, old) = deleted.removeValue(forKey: section.id) {
                result.append(SectionChange(kind: .renamed, id: section.id, title: section.title, path: change.newPath,
                                            oldPath: old.path))
            } else {
                result.append(SectionChange(kind: .added, id: section.id, title: section.title, path: change.newPath))
            }
        }
        for (_, (_, old)) in deleted {
            result.append(SectionChange(kind: .deleted, id: old.id, title: old.title, path: old.path))
        }
        result.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        images.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return WorkingStatus(changes: result, images: images, otherFiles: otherFiles.sorted(),
                             lineEndingsOnly: lineEndingsOnly.sorted(), warnings: warnings)
    }

    /// Whether two texts hold the same words in the same blocks, however their lines are
    /// wrapped: their redline has nothing to show.
    static func sameWords(_ a: String, _ b: String) -> Bool {
        Comparer.compare(text: a, with: b).blocks.allSatisfy { block in
            block.status == .unchanged || block.status == .modified && block.spans.allSatisfy { $0.kind == .equal }
        }
    }
}
