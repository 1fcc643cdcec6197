import GitStore
public import GitValues

/// A section a commit touched.
public struct SectionTouch: Sendable, Hashable {
    public var kind: SectionChange.Kind
    public var id: String
    public var path: String
    public var oldPath: String?
}

/// One commit of a log, with the sections it touched.
public struct LogEntry: Sendable {
    public var commit: CommitInfo
    public var sections: [SectionTouch]
}

extension DocumentRepository {
    /// Commits newest first: all of HEAD's history, or those that changed one section (following
    /// its renames, as `git log --follow` does); `since` leaves out that revision's history.
    public func log(section name: String? = nil, since: String? = nil, limit: Int? = nil, addresses: String? = nil)
        throws(StetError) -> [LogEntry]
    {
        guard let head = try head() else { return [] }
        let hidden = try since.map { (revision) throws(StetError) in try resolve(revision) }
        do {
            var ids = try git.walk(from: [head], hiding: hidden.map { [$0] } ?? [])
            if let addresses {
                // The commits whose Addresses: trailer names the comment.
                ids = try ids.filter { try git.commit($0).addressedComments.contains(addresses) }
            }
            guard let name else {
                let chosen = limit.map { Array(ids.prefix($0)) } ?? ids
                return try chosen.map { id in
                    let commit = try git.commit(id)
                    return LogEntry(commit: commit, sections: try touches(of: commit))
                }
            }
            return try sectionLog(name, ids: ids, head: head, limit: limit)
        } catch let error as StetError {
            throw error
        } catch let error as GitError {
            throw StetError(error, "cannot read the history")
        } catch {
            throw StetError(.failure, "cannot read the history: \(error)")
        }
    }

    private func sectionLog(_ name: String, ids: [ObjectID], head: ObjectID, limit: Int?) throws -> [LogEntry] {
        let current = try draft(atCommit: head)
        if let section = current.section(named: name) ?? current.sections.first(where: { $0.title == name }) {
            return try history(of: section.path, ids: ids, limit: limit)
        }
        // A deleted section: its history starts with the commit that deleted it.
        for (index, id) in ids.enumerated() {
            let commit = try git.commit(id)
            let deletion = try touches(of: commit).first { touch in
                touch.kind == .deleted && (touch.id == name || touch.path == name || relativePath(touch.path) == name)
            }
            guard let deletion else { continue }
            return [LogEntry(commit: commit, sections: [deletion])]
                + (try history(of: deletion.path, ids: Array(ids[(index + 1)...]), limit: limit.map { $0 - 1 }))
        }
        throw StetError(.notFound, "unknown section '\(name)': no section at HEAD or in its history has that id or path"
            + Self.sectionHint(for: name, in: current.sections))
    }

    /// The commits that changed the file at `path` (in the newest of `ids`), newest first,
    /// following renames back.
    private func history(of start: String, ids: [ObjectID], limit: Int?) throws -> [LogEntry] {
        var path = start
        var entries: [LogEntry] = []
        var trees: [ObjectID: ObjectID] = [:]
        func tree(_ id: ObjectID) throws -> ObjectID {
            if let known = trees[id] { return known }
            let value = try git.treeID(ofCommit: id)
            trees[id] = value
            return value
        }
        for id in ids {
            if let limit, entries.count >= limit { break }
            let commit = try git.commit(id)
            trees[id] = commit.tree
            guard let mine = try git.file(atPath: path, inTree: commit.tree) else { continue }
            let theirs = try commit.parents.map { try git.file(atPath: path, inTree: tree($0))?.id }
            if theirs.contains(mine.id) { continue }
            if !theirs.isEmpty, theirs.contains(where: { $0 != nil }) {
                entries.append(LogEntry(commit: commit, sections: try touches(of: commit).filter { $0.path == path }))
                continue
            }
            // The path appears here: a new section, or a rename from another path.
            let touched = try touches(of: commit)
            let touch = touched.first { $0.path == path }
            entries.append(LogEntry(commit: commit, sections: touch.map { [$0] } ?? []))
            if let oldPath = touch?.oldPath { path = oldPath } else if !commit.parents.isEmpty { break }
        }
        return entries
    }

    /// The sections a commit changed against its first parent, renames recognised by similarity
    /// or by a shared id.
    func touches(of commit: CommitInfo) throws -> [SectionTouch] {
        let parentTree = try commit.parents.first.map { try git.treeID(ofCommit: $0) }
        return try sectionTouches(from: parentTree, to: commit.tree)
    }

    /// The sections that differ between two trees (nil: the empty tree), renames recognised by
    /// similarity or by a shared id. Ids are read from the working file instead of the object
    /// store where `unchanged` says the working file holds that very blob (much faster for
    /// blobs stored as long delta chains).
    func sectionTouches(from oldTree: ObjectID?, to newTree: ObjectID, unchanged: [String: ObjectID] = [:])
        throws(GitError) -> [SectionTouch]
    {
        let changes = try git.changes(from: oldTree, to: newTree, under: draftsFolder, renames: true)
        func id(_ path: String, _ blob: ObjectID) throws(GitError) -> String {
            if unchanged[path] == blob,
               case .regular(let start) = WorkingFile.read(root: root, path: path, limit: FrontMatter.sizeLimit + 8)
            {
                return SectionID.of(relativePath: relativePath(path), start: start)
            }
            return SectionID.of(relativePath: relativePath(path), start: try git.blob(blob))
        }
        var result: [SectionTouch] = []
        var deleted: [String: String] = [:]
        var added: [(id: String, path: String)] = []
        for change in changes {
            switch change.kind {
            case .added where isSectionPath(change.newPath):
                added.append((try id(change.newPath, change.newID), change.newPath))
            case .deleted where isSectionPath(change.oldPath):
                deleted[try id(change.oldPath, change.oldID)] = change.oldPath
            case .modified where isSectionPath(change.newPath), .typeChanged where isSectionPath(change.newPath):
                result.append(SectionTouch(kind: .modified, id: try id(change.newPath, change.newID), path: change.newPath))
            case .renamed where isSectionPath(change.newPath):
                let kind: SectionChange.Kind = isSectionPath(change.oldPath) ? .renamed : .added
                result.append(SectionTouch(kind: kind, id: try id(change.newPath, change.newID), path: change.newPath,
                                           oldPath: kind == .renamed ? change.oldPath : nil))
            case .renamed where isSectionPath(change.oldPath):
                result.append(SectionTouch(kind: .deleted, id: try id(change.oldPath, change.oldID), path: change.oldPath))
            default:
                continue
            }
        }
        for new in added {
            if let oldPath = deleted.removeValue(forKey: new.id) {
                result.append(SectionTouch(kind: .renamed, id: new.id, path: new.path, oldPath: oldPath))
            } else {
                result.append(SectionTouch(kind: .added, id: new.id, path: new.path))
            }
        }
        for (id, path) in deleted {
            result.append(SectionTouch(kind: .deleted, id: id, path: path))
        }
        return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}
