internal import CGit2
public import GitValues

/// A file as a commit recorded it, to set in git's index.
public struct IndexEntry: Sendable, Hashable {
    public var path: String
    public var id: ObjectID
    public var mode: FileMode

    public init(path: String, id: ObjectID, mode: FileMode = .regular) {
        self.path = path
        self.id = id
        self.mode = mode
    }
}

extension Repository {
    /// Files below `folder` that differ between the commit tree `tree` (nil: nothing) and the
    /// working directory, with untracked files and renames detected.
    ///
    /// The index serves as a stat cache only, and only where it agrees with `tree`: an entry that
    /// differs from the tree (an index that an interrupted write left behind the last commit, or
    /// files staged with `git add`) is set to the tree's in memory, so its file is hashed and
    /// compared with the tree. What the index holds never changes the answer.
    ///
    /// - Parameter refreshIndex: write the index back when that saves later work: refreshed stat
    ///   data of files whose content is unchanged (after a copy or a restore touched every
    ///   timestamp), and entries that disagreed with the tree for files that match it. Pass true
    ///   only while no other writer of this repository runs; an index locked by someone else is
    ///   left as it is.
    public func changesToWorkdir(from tree: ObjectID?, under folder: String, refreshIndex: Bool = false)
        throws(GitError) -> [FileChange]
    {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        defer { git_index_free(index) }
        try check(git_index_read(index, 0), "git_index_read")

        let stale = try entriesDiffering(index, from: tree, under: folder)
        if stale.isEmpty {
            if refreshIndex {
                do {
                    return try changes(index, under: folder, updatingIndex: true)
                } catch where error.code == .locked {
                    // Another program holds index.lock: the refresh waits for another run.
                }
            }
            return try changes(index, under: folder, updatingIndex: false)
        }

        // The repository's index object is shared: whatever happens, it is read again from disk
        // before this returns, so the entries set here never reach another caller.
        let found: [FileChange]
        do {
            for entry in stale { try set(index, entry.path, to: entry.inTree) }
            found = try changes(index, under: folder, updatingIndex: false)
        } catch {
            git_index_read(index, 1)
            throw error
        }
        try check(git_index_read(index, 1), "git_index_read")
        if refreshIndex, git_index_has_conflicts(index) == 0 {
            let changed = Set(found.flatMap { [$0.oldPath, $0.newPath] })
            let repairs = stale.filter { !changed.contains($0.path) }
            if !repairs.isEmpty {
                do {
                    for entry in repairs { try set(index, entry.path, to: entry.inTree) }
                    try check(git_index_write(index), "git_index_write")
                } catch {
                    git_index_read(index, 1)
                    if error.code != .locked { throw error }
                }
            }
        }
        return found
    }

    /// Sets the index entries of `entries` to the blobs given, and drops those of `removing`, so
    /// that the git CLI sees what a commit recorded. The entries carry no stat data: the next
    /// status hashes each file once before it trusts it, so a file edited while this ran is never
    /// taken for the committed one.
    public func updateIndex(setting entries: [IndexEntry], removing: [String]) throws(GitError) {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        defer { git_index_free(index) }
        try check(git_index_read(index, 0), "git_index_read")
        do {
            for path in removing { try set(index, path, to: nil) }
            for entry in entries { try set(index, entry.path, to: (entry.id, entry.mode.raw.rawValue)) }
            try check(git_index_write(index), "git_index_write")
        } catch {
            git_index_read(index, 1)
            throw error
        }
    }

    /// Makes the index match a tree exactly (after `init`, or to start from a known state).
    public func resetIndex(toTree tree: ObjectID) throws(GitError) {
        var oid = tree.oid
        var handle: OpaquePointer?
        try check(git_tree_lookup(&handle, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(handle) }
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        defer { git_index_free(index) }
        try check(git_index_read_tree(index, handle), "git_index_read_tree")
        try check(git_index_write(index), "git_index_write")
    }

    /// A path whose index entry is not the tree's, with the tree's blob and mode (nil: the tree
    /// has no file there).
    private struct DifferingEntry {
        var path: String
        var inTree: (id: ObjectID, mode: UInt32)?
    }

    /// Index entries below `folder` that differ from `tree`, conflicts included.
    private func entriesDiffering(_ index: OpaquePointer?, from tree: ObjectID?, under folder: String)
        throws(GitError) -> [DifferingEntry]
    {
        var options = try diffOptions()
        options.flags |= GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        var found = try withTree(tree) { (handle) throws(GitError) in
            try withPathspec(folder, in: &options) { (options) throws(GitError) -> [DifferingEntry] in
                var diff: OpaquePointer?
                try check(git_diff_tree_to_index(&diff, pointer, handle, index, &options), "git_diff_tree_to_index")
                defer { git_diff_free(diff) }
                return (0..<git_diff_num_deltas(diff)).map { position in
                    let delta = git_diff_get_delta(diff, position)!.pointee
                    let inTree = delta.status == GIT_DELTA_ADDED || delta.old_file.mode == 0
                        ? nil : (ObjectID(delta.old_file.id), UInt32(delta.old_file.mode))
                    let path = delta.status == GIT_DELTA_ADDED ? delta.new_file.path : delta.old_file.path
                    return DifferingEntry(path: String(cString: path!), inTree: inTree)
                }
            }
        }
        // A conflicted path has no stage-0 entry; the diff may not name it.
        if git_index_has_conflicts(index) != 0 {
            let listed = Set(found.map(\.path))
            for path in try conflictedPaths(index, under: folder) where !listed.contains(path) {
                found.append(DifferingEntry(path: path, inTree: try tree.flatMap { (tree) throws(GitError) in
                    try treeEntry(path, in: tree)
                }))
            }
        }
        return found
    }

    private func conflictedPaths(_ index: OpaquePointer?, under folder: String) throws(GitError) -> [String] {
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, index), "git_index_conflict_iterator_new")
        defer { git_index_conflict_iterator_free(iterator) }
        var paths: Set<String> = []
        var ancestor: UnsafePointer<git_index_entry>?, ours: UnsafePointer<git_index_entry>?,
            theirs: UnsafePointer<git_index_entry>?
        while git_index_conflict_next(&ancestor, &ours, &theirs, iterator) == 0 {
            guard let entry = ancestor ?? ours ?? theirs else { continue }
            let path = String(cString: entry.pointee.path)
            if folder.isEmpty || path.hasPrefix(folder + "/") { paths.insert(path) }
        }
        return paths.sorted()
    }

    /// The blob and mode at `path` in `tree`, or nil.
    private func treeEntry(_ path: String, in tree: ObjectID) throws(GitError) -> (id: ObjectID, mode: UInt32)? {
        var oid = tree.oid
        var handle: OpaquePointer?
        try check(git_tree_lookup(&handle, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(handle) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, handle, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        return (ObjectID(git_tree_entry_id(entry)), git_tree_entry_filemode(entry).rawValue)
    }

    /// Sets the stage-0 entry of `path` to a blob (with no stat data), or removes it; any
    /// conflict at the path goes.
    private func set(_ index: OpaquePointer?, _ path: String, to blob: (id: ObjectID, mode: UInt32)?) throws(GitError) {
        let removed = git_index_conflict_remove(index, path)
        if removed != GIT_ENOTFOUND.rawValue { try check(removed, "git_index_conflict_remove") }
        guard let blob else {
            let result = git_index_remove(index, path, 0)
            if result != GIT_ENOTFOUND.rawValue { try check(result, "git_index_remove") }
            return
        }
        var entry = git_index_entry()
        entry.mode = blob.mode
        entry.id = blob.id.oid
        let result = path.withCString { path in
            entry.path = path
            return git_index_add(index, &entry)
        }
        try check(result, "git_index_add")
    }

    /// The index's entries below `folder` against the working files.
    private func changes(_ index: OpaquePointer?, under folder: String, updatingIndex: Bool) throws(GitError) -> [FileChange] {
        var options = try diffOptions()
        options.flags |= GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        if updatingIndex { options.flags |= GIT_DIFF_UPDATE_INDEX.rawValue }
        return try withPathspec(folder, in: &options) { (options) throws(GitError) in
            var diff: OpaquePointer?
            try check(git_diff_index_to_workdir(&diff, pointer, index, &options), "git_diff_index_to_workdir")
            defer { git_diff_free(diff) }
            return try deltas(of: diff, renames: true, untracked: true)
        }
    }
}
