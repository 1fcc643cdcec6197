internal import CGit2
public import GitValues
#if canImport(Glibc)
internal import Glibc
#endif

/// A file both sides of a merge changed in ways git cannot combine: the three versions.
public struct MergeConflict: Sendable, Hashable {
    /// The path the conflict is reported under (ours, else theirs, else the ancestor's).
    public var path: String
    public var ancestor: TreeFile?
    public var ours: TreeFile?
    public var theirs: TreeFile?
}

/// What merging two commits gives: a tree when everything combined (and every conflict was
/// given a resolution), else the conflicts left.
public struct MergeResult: Sendable {
    public var tree: ObjectID?
    public var conflicts: [MergeConflict]
}

extension Repository {
    /// Merges the trees of two commits in memory (nothing is written but the resulting tree and
    /// the blobs git's merge makes). `resolutions` settles conflicts by path: a blob to keep
    /// there, or nil to leave no file there.
    public func merge(ours: ObjectID, theirs: ObjectID, resolutions: [String: ObjectID?] = [:])
        throws(GitError) -> MergeResult
    {
        var ourOID = ours.oid, theirOID = theirs.oid
        var ourCommit: OpaquePointer?, theirCommit: OpaquePointer?
        try check(git_commit_lookup(&ourCommit, pointer, &ourOID), "git_commit_lookup")
        defer { git_commit_free(ourCommit) }
        try check(git_commit_lookup(&theirCommit, pointer, &theirOID), "git_commit_lookup")
        defer { git_commit_free(theirCommit) }
        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
        options.flags = GIT_MERGE_FIND_RENAMES.rawValue
        var index: OpaquePointer?
        try check(git_merge_commits(&index, pointer, ourCommit, theirCommit, &options), "git_merge_commits")
        defer { git_index_free(index) }

        var conflicts = try conflictList(index)
        for conflict in conflicts {
            guard let resolution = resolutions[conflict.path] else { continue }
            for side in [conflict.ancestor, conflict.ours, conflict.theirs].compactMap({ $0 }) {
                let result = git_index_conflict_remove(index, side.path)
                if result != GIT_ENOTFOUND.rawValue { try check(result, "git_index_conflict_remove") }
            }
            if let blob = resolution {
                var entry = git_index_entry()
                entry.mode = GIT_FILEMODE_BLOB.rawValue
                entry.id = blob.oid
                let path = strdup(conflict.path)
                defer { free(path) }
                entry.path = UnsafePointer(path)
                try check(git_index_add(index, &entry), "git_index_add")
            }
        }
        conflicts.removeAll { resolutions[$0.path] != nil }
        guard conflicts.isEmpty else { return MergeResult(tree: nil, conflicts: conflicts) }
        var tree = git_oid()
        try check(git_index_write_tree_to(&tree, index, pointer), "git_index_write_tree_to")
        return MergeResult(tree: ObjectID(tree), conflicts: [])
    }

    private func conflictList(_ index: OpaquePointer?) throws(GitError) -> [MergeConflict] {
        guard git_index_has_conflicts(index) != 0 else { return [] }
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, index), "git_index_conflict_iterator_new")
        defer { git_index_conflict_iterator_free(iterator) }
        var conflicts: [MergeConflict] = []
        while true {
            var ancestor: UnsafePointer<git_index_entry>?
            var ours: UnsafePointer<git_index_entry>?
            var theirs: UnsafePointer<git_index_entry>?
            let result = git_index_conflict_next(&ancestor, &ours, &theirs, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_index_conflict_next")
            func file(_ entry: UnsafePointer<git_index_entry>?) -> TreeFile? {
                guard let entry else { return nil }
                return TreeFile(path: String(cString: entry.pointee.path), id: ObjectID(entry.pointee.id),
                                mode: FileMode(git_filemode_t(rawValue: entry.pointee.mode)))
            }
            let a = file(ancestor), o = file(ours), t = file(theirs)
            guard let path = o?.path ?? t?.path ?? a?.path else { continue }
            conflicts.append(MergeConflict(path: path, ancestor: a, ours: o, theirs: t))
        }
        return conflicts
    }
}
