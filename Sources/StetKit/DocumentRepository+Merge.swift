import Foundation
import ProseDiff
import GitStore
import GitValues
#if canImport(Glibc)
import Glibc
#endif

/// How a sync brings the remote's commits in: a fast-forward or a merge commit (sections
/// combined, conflicts settled or reported, the milestone log merged entry by entry), and the
/// working files brought along, never over uncommitted edits.
extension DocumentRepository {
    /// Fast-forwards or merges the remote branch into this one; conflicts when the merge needs
    /// choices it was not given. Working files change only where they are as last committed.
    func integrate(remote: String, branch: String, request: SyncRequest, result: inout SyncResult)
        throws(StetError) -> [SyncConflict]?
    {
        let tracking = "refs/remotes/\(remote)/\(branch)"
        let theirs = try gitCall("read \(tracking)") { () throws(GitError) in try git.referenceTarget(tracking) }
        guard let theirs else { return nil }
        let ours = try head()
        if ours == theirs { return nil }
        if let ours, try isAncestor(theirs, of: ours) { return nil }

        let behind = try ours.map { (id) throws(StetError) in try isAncestor(id, of: theirs) } ?? true
        if behind {
            result.received += try gitCall("count the commits received") { () throws(GitError) in
                try git.walk(from: [theirs], hiding: ours.map { [$0] } ?? []).count
            }
            let trees = try gitCall("read the trees to bring in") { () throws(GitError) in
                (try ours.map { (id) throws(GitError) in try git.treeID(ofCommit: id) }, try git.treeID(ofCommit: theirs))
            }
            result.updatedFiles += try updateWorkingFolder(from: trees.0, to: trees.1, remote: remote)
            try moveBranch(branch, to: theirs, from: ours, why: "sync: fast-forward to \(remote)")
            return nil
        }
        guard let ours else { return nil }
        return try mergeBranch(ours: ours, theirs: theirs, remote: remote, branch: branch, request: request,
                               result: &result)
    }

    /// Merges commit `theirs` (from `remote`, or a branch named there) into `branch`, which is at
    /// `ours`, in a merge commit: the sections that combine are combined, and conflicts settled by
    /// `request.resolutions`; the others are returned and nothing is written. `message` replaces
    /// the sync's own message (the `Resolved:` trailers are added to either).
    func mergeBranch(ours: ObjectID, theirs: ObjectID, remote: String, branch: String, request: SyncRequest,
                     message explicitMessage: String? = nil, result: inout SyncResult) throws(StetError) -> [SyncConflict]?
    {
        let first = try gitCall("merge \(remote)") { () throws(GitError) in try git.merge(ours: ours, theirs: theirs) }
        var resolutions: [String: ObjectID?] = [:]
        var settled: [String] = []
        for conflict in first.conflicts where conflict.path == config.changelog && resolution(for: conflict, in: request.resolutions) == nil {
            if let merged = try mergedLog(conflict) { resolutions[conflict.path] = .some(merged) }
        }
        // Comments answered on both sides: merged comment by comment.
        for conflict in first.conflicts where isRoundPath(conflict.path) && resolution(for: conflict, in: request.resolutions) == nil {
            if let merged = try mergedRound(conflict) { resolutions[conflict.path] = .some(merged) }
        }
        for conflict in first.conflicts {
            guard let choice = resolution(for: conflict, in: request.resolutions) else { continue }
            let label = sectionName(conflict.path, bytes: try? conflict.ours.map { (file) throws(GitError) in try git.blob(file.id) })
            switch choice {
            case .ours: resolutions[conflict.path] = .some(conflict.ours?.id)
            case .theirs: resolutions[conflict.path] = .some(conflict.theirs?.id)
            case .edited:
                switch WorkingFile.read(root: root, path: conflict.path) {
                case .regular(let bytes):
                    try ContentCheck.validate(path: conflict.path, bytes: bytes)
                    let blob = try gitCall("store \(conflict.path)") { () throws(GitError) in try git.writeBlob(bytes) }
                    resolutions[conflict.path] = .some(blob)
                case .missing:
                    resolutions[conflict.path] = .some(nil)
                case .symlink, .unreadable:
                    throw StetError(.invalidContent, "\(conflict.path) is not a readable regular file")
                }
            }
            settled.append("\(label) (\(choice.rawValue))")
        }
        let merged: MergeResult
        if resolutions.isEmpty {
            merged = first
        } else {
            merged = try gitCall("merge \(remote)") { () throws(GitError) in
                try git.merge(ours: ours, theirs: theirs, resolutions: resolutions)
            }
        }
        if !merged.conflicts.isEmpty {
            return merged.conflicts.map { conflict in
                func text(_ file: TreeFile?) -> String? {
                    file.flatMap { try? git.blob($0.id) }.map { String(decoding: $0, as: UTF8.self) }
                }
                let ourText = text(conflict.ours), theirText = text(conflict.theirs)
                let bytes = (ourText ?? theirText).map { Array($0.utf8) } ?? []
                let section = isSectionPath(conflict.path)
                    ? Section(path: conflict.path, relativePath: relativePath(conflict.path), bytes: bytes) : nil
                return SyncConflict(path: conflict.path, section: section?.id ?? conflict.path,
                                    title: section?.title ?? conflict.path,
                                    ancestor: text(conflict.ancestor), ours: ourText, theirs: theirText)
            }
        }
        guard let tree = merged.tree else { return nil }
        let date = request.date ?? Date()
        let author = try Identity.resolve(explicit: request.author, environment: environment, repository: git, date: date)
        let incoming = try gitCall("count the commits received") { () throws(GitError) in
            try git.walk(from: [theirs], hiding: [ours])
        }
        var message = explicitMessage.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? ("Merge the team's edits from \(remote)/\(branch)\n\n"
                + "\(counted(incoming.count, "commit")) from \(remote) combined with the edits made here.")
        if !settled.isEmpty {
            message += "\n\n" + settled.map { "Resolved: \($0)" }.joined(separator: "\n")
        }
        message += "\n"
        let commit = try gitCall("write the merge commit") { () throws(GitError) in
            try git.createCommit(tree: tree, parents: [ours, theirs], author: author, committer: author,
                                 message: message, updatingReference: nil)
        }
        let ourTree = try gitCall("read HEAD's tree") { () throws(GitError) in try git.treeID(ofCommit: ours) }
        result.updatedFiles += try updateWorkingFolder(from: ourTree, to: tree, remote: remote)
        try moveBranch(branch, to: commit, from: ours, why: "merge \(remote)")
        result.received += incoming.count
        result.merge = commit
        return nil
    }

    /// The milestone log both sides wrote to, merged entry by entry (see `MilestoneLog.merge`),
    /// as a blob; nil when it does not merge so.
    private func mergedLog(_ conflict: MergeConflict) throws(StetError) -> ObjectID? {
        let text = conflictText
        guard let ours = try text(conflict.ours), let theirs = try text(conflict.theirs),
              let merged = MilestoneLog.merge(base: try text(conflict.ancestor), ours: ours, theirs: theirs,
                                              tag: { entry in
                                                  (try? git.tag(object: entry.tag, name: entry.name)).flatMap(Milestone.init)
                                                      .map { ($0.tagger.date, $0.supersedes) }
                                              })
        else { return nil }
        return try gitCall("store \(conflict.path)") { () throws(GitError) in try git.writeBlob(Array(merged.utf8)) }
    }

    /// One side of a conflict as text; nil where that side has no file.
    private func conflictText(_ file: TreeFile?) throws(StetError) -> String? {
        try file.map { (file) throws(StetError) in
            String(decoding: try gitCall("read \(file.path)") { () throws(GitError) in try git.blob(file.id) }, as: UTF8.self)
        }
    }

    /// A round of comments both sides changed, merged comment by comment (see
    /// `CommentRecords.merge`), as a blob; nil when one comment changed differently on both.
    private func mergedRound(_ conflict: MergeConflict) throws(StetError) -> ObjectID? {
        let text = conflictText
        guard let ours = try text(conflict.ours), let theirs = try text(conflict.theirs),
              let merged = try CommentRecords.merge(base: try text(conflict.ancestor), ours: ours, theirs: theirs, path: conflict.path)
        else { return nil }
        return try gitCall("store \(conflict.path)") { () throws(GitError) in try git.writeBlob(Array(merged.utf8)) }
    }

    private func resolution(for conflict: MergeConflict, in choices: [String: ConflictChoice]) -> ConflictChoice? {
        for (key, choice) in choices where conflictMatches(conflict, key) { return choice }
        return nil
    }

    func conflictMatches(_ conflict: MergeConflict, _ key: String) -> Bool {
        let paths = [conflict.path, conflict.ours?.path, conflict.theirs?.path, conflict.ancestor?.path].compactMap { $0 }
        for path in paths {
            if key == path || (isSectionPath(path) && (key == relativePath(path)
                || key == SectionID.derived(fromRelativePath: relativePath(path))))
            {
                return true
            }
            if isSectionPath(path), let file = [conflict.ours, conflict.theirs].compactMap({ $0 }).first,
               let bytes = try? git.blob(file.id),
               Section(path: path, relativePath: relativePath(path), bytes: bytes).id == key
            {
                return true
            }
        }
        return false
    }

    /// `'governance/data-privacy' (drafts/05-data.md)` for a section, the path for other files.
    func sectionLabel(_ path: String, bytes: [UInt8]?) -> String {
        let name = sectionName(path, bytes: bytes)
        return name == path ? path : "'\(name)' (\(path))"
    }

    /// The section id of a path (from its front matter when `bytes` are given); other files by path.
    func sectionName(_ path: String, bytes: [UInt8]?) -> String {
        guard isSectionPath(path) else { return path }
        return bytes.map { Section(path: path, relativePath: relativePath(path), bytes: $0).id }
            ?? SectionID.derived(fromRelativePath: relativePath(path))
    }

    func moveBranch(_ branch: String, to commit: ObjectID, from old: ObjectID?, why: String) throws(StetError) {
        do {
            try git.setReference("refs/heads/\(branch)", to: commit, expecting: old, logMessage: "stet: \(why)")
        } catch where [.modified, .exists, .locked].contains(error.code) {
            throw StetError(.locked, "the branch '\(branch)' moved while syncing (another stet command?); "
                + "the working files are up to date with it: run stet sync again")
        } catch {
            throw StetError(error, "cannot move '\(branch)'")
        }
    }

    /// Brings the working files from tree `old` to tree `new`, file by file, and git's index with
    /// them. A file is written only where it is as `old` has it (or already as `new` has it);
    /// any other file in the way (uncommitted edits) refuses the whole update before anything is
    /// written. A file settled as edited is already as `new` has it.
    func updateWorkingFolder(from old: ObjectID?, to new: ObjectID, remote: String) throws(StetError) -> [String]
    {
        let changes = try gitCall("compare the trees") { () throws(GitError) in
            try git.changes(from: old, to: new, under: "", renames: false)
        }
        var writes: [(path: String, blob: ObjectID?)] = []
        var current: [(path: String, blob: ObjectID?)] = []
        var blocked: [String] = []
        for change in changes {
            let path = change.kind == .deleted ? change.oldPath : change.newPath
            let before: ObjectID? = change.kind == .added ? nil : change.oldID
            let after: ObjectID? = change.kind == .deleted ? nil : change.newID
            let working: ObjectID?
            switch WorkingFile.read(root: root, path: path) {
            case .regular(let bytes): working = ObjectID.forBlob(bytes)
            case .missing: working = nil
            case .symlink, .unreadable:
                blocked.append(sectionLabel(path, bytes: nil))
                continue
            }
            if working == after {
                current.append((path, after))
            } else if working == before {
                writes.append((path, after))
            } else {
                blocked.append(sectionLabel(path, bytes: nil))
            }
        }
        if !blocked.isEmpty {
            throw StetError(.refused, "cannot sync: " + blocked.joined(separator: ", ")
                + " \(blocked.count == 1 ? "has" : "have") uncommitted edits, and \(remote) changed "
                + "\(blocked.count == 1 ? "it" : "them") too; commit them first (stet commit), then stet sync")
        }
        var added = current.compactMap { file in file.blob.map { IndexEntry(path: file.path, id: $0) } }
        var removed = current.filter { $0.blob == nil }.map(\.path)
        for (path, blob) in writes {
            let fullPath = root + "/" + path
            guard let blob else {
                if unlink(fullPath) != 0 && errno != ENOENT {
                    throw StetError(.failure, "cannot remove \(path): \(String(cString: strerror(errno)))")
                }
                removed.append(path)
                continue
            }
            let bytes = try gitCall("read \(path)") { () throws(GitError) in try git.blob(blob) }
            try Self.replaceFile(at: fullPath, with: bytes, displayPath: path)
            added.append(IndexEntry(path: path, id: blob))
        }
        if let error = recordInIndex(added, removing: removed) {
            throw StetError(error, "the working files are updated, but git's index is not")
        }
        return writes.map(\.path)
    }

    /// Writes a file by rename, so that no reader ever sees half of it.
    static func replaceFile(at fullPath: String, with bytes: [UInt8], displayPath: String) throws(StetError) {
        let folder = (fullPath as NSString).deletingLastPathComponent
        let temporary = fullPath + ".stet-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        } catch {
            unlink(temporary)
            throw StetError(.failure, "cannot write \(displayPath): \(error.localizedDescription)")
        }
        guard rename(temporary, fullPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StetError(.failure, "cannot write \(displayPath): \(reason)")
        }
    }

    /// Runs a GitStore call, turning its error into a StetError that says what was being done.
    func gitCall<T>(_ context: String, _ body: () throws(GitError) -> T) throws(StetError) -> T {
        do {
            return try body()
        } catch {
            throw StetError(error, "cannot \(context)")
        }
    }
}
