internal import CGit2
#if canImport(Glibc)
internal import Glibc
#endif

/// How one file differs between two states, as git's diff reports it.
public struct FileChange: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case added, deleted, modified, renamed, typeChanged, untracked
    }

    public var kind: Kind
    public var oldPath: String
    public var newPath: String
    /// The old and new blob ids; zero where the side is absent or not yet hashed.
    public var oldID: ObjectID
    public var newID: ObjectID
    /// For renames, git's similarity score (0 to 100).
    public var similarity: Int
}

extension Repository {
    /// Files below `folder` that differ between the commit tree `tree` (nil: nothing) and the
    /// working directory, the index serving as stat cache, as `git diff HEAD` and `git status` see
    /// them, with untracked files and renames detected.
    public func changesToWorkdir(from tree: ObjectID?, under folder: String) throws(GitError) -> [FileChange] {
        var options = try diffOptions()
        options.flags |= GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        return try withTree(tree) { (handle) throws(GitError) in
            try withPathspec(folder, in: &options) { (options) throws(GitError) in
                var diff: OpaquePointer?
                try check(git_diff_tree_to_workdir_with_index(&diff, pointer, handle, &options),
                          "git_diff_tree_to_workdir_with_index")
                defer { git_diff_free(diff) }
                return try deltas(of: diff, renames: true, untracked: true)
            }
        }
    }

    /// Files below `folder` that differ between two trees (nil: the empty tree).
    public func changes(from old: ObjectID?, to new: ObjectID?, under folder: String, renames: Bool)
        throws(GitError) -> [FileChange]
    {
        var options = try diffOptions()
        return try withTree(old) { (oldTree) throws(GitError) in
            try withTree(new) { (newTree) throws(GitError) in
                try withPathspec(folder, in: &options) { (options) throws(GitError) in
                    var diff: OpaquePointer?
                    try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options),
                              "git_diff_tree_to_tree")
                    defer { git_diff_free(diff) }
                    return try deltas(of: diff, renames: renames, untracked: false)
                }
            }
        }
    }

    /// The files below `folder` whose content differs between two commit trees, when no file was
    /// added, deleted or renamed there; nil when one was (then `changes` has to find out how).
    /// Entries are compared in place, so a commit that edits a few sections of hundreds costs a
    /// walk over two trees and no diff machinery.
    public func modifiedFiles(from old: ObjectID, to new: ObjectID, under folder: String) throws(GitError) -> [FileChange]? {
        let oldFolder = folder.isEmpty ? old : try entryID(atPath: folder, inTree: old)
        let newFolder = folder.isEmpty ? new : try entryID(atPath: folder, inTree: new)
        if oldFolder == newFolder { return [] }
        guard let oldFolder, let newFolder else { return nil }
        var changes: [FileChange] = []
        guard try compareTrees(oldFolder, newFolder, prefix: folder.isEmpty ? "" : folder + "/", into: &changes) else { return nil }
        return changes
    }

    /// Walks two trees side by side; false as soon as their entries differ in name or kind.
    private func compareTrees(_ old: ObjectID, _ new: ObjectID, prefix: String, into changes: inout [FileChange])
        throws(GitError) -> Bool
    {
        var oldOID = old.oid, newOID = new.oid
        var oldTree: OpaquePointer?, newTree: OpaquePointer?
        try check(git_tree_lookup(&oldTree, pointer, &oldOID), "git_tree_lookup")
        defer { git_tree_free(oldTree) }
        try check(git_tree_lookup(&newTree, pointer, &newOID), "git_tree_lookup")
        defer { git_tree_free(newTree) }
        let count = git_tree_entrycount(oldTree)
        guard count == git_tree_entrycount(newTree) else { return false }
        for index in 0..<count {
            let oldEntry = git_tree_entry_byindex(oldTree, index), newEntry = git_tree_entry_byindex(newTree, index)
            guard strcmp(git_tree_entry_name(oldEntry), git_tree_entry_name(newEntry)) == 0,
                  git_tree_entry_type(oldEntry) == git_tree_entry_type(newEntry)
            else { return false }
            guard git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) == 0 else { continue }
            let path = prefix + String(cString: git_tree_entry_name(newEntry))
            let oldID = ObjectID(git_tree_entry_id(oldEntry)), newID = ObjectID(git_tree_entry_id(newEntry))
            if git_tree_entry_type(newEntry) == GIT_OBJECT_TREE {
                guard try compareTrees(oldID, newID, prefix: path + "/", into: &changes) else { return false }
            } else {
                let kind: FileChange.Kind = git_tree_entry_filemode(oldEntry) == git_tree_entry_filemode(newEntry) ? .modified : .typeChanged
                changes.append(FileChange(kind: kind, oldPath: path, newPath: path, oldID: oldID, newID: newID, similarity: 100))
            }
        }
        return true
    }

    private func diffOptions() throws(GitError) -> git_diff_options {
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        options.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        return options
    }

    private func withTree<T>(_ id: ObjectID?, _ body: (OpaquePointer?) throws(GitError) -> T) throws(GitError) -> T {
        guard let id else { return try body(nil) }
        var oid = id.oid
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    private func withPathspec<T>(
        _ folder: String, in options: inout git_diff_options,
        _ body: (inout git_diff_options) throws(GitError) -> T
    ) throws(GitError) -> T {
        guard !folder.isEmpty else { return try body(&options) }
        var spec: UnsafeMutablePointer<CChar>? = strdup(folder)
        defer { free(spec) }
        return try withUnsafeMutablePointer(to: &spec) { (strings) throws(GitError) in
            options.pathspec = git_strarray(strings: strings, count: 1)
            return try body(&options)
        }
    }

    private func deltas(of diff: OpaquePointer?, renames: Bool, untracked: Bool) throws(GitError) -> [FileChange] {
        // Renames pair an added file with a deleted one: without both, there is nothing to find.
        var added = false, deleted = false
        for index in 0..<git_diff_num_deltas(diff) {
            switch git_diff_get_delta(diff, index)!.pointee.status {
            case GIT_DELTA_ADDED, GIT_DELTA_UNTRACKED: added = true
            case GIT_DELTA_DELETED: deleted = true
            default: break
            }
        }
        if renames, added, deleted {
            var find = git_diff_find_options()
            try check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)),
                      "git_diff_find_options_init")
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue
            if untracked { find.flags |= GIT_DIFF_FIND_FOR_UNTRACKED.rawValue }
            try check(git_diff_find_similar(diff, &find), "git_diff_find_similar")
        }
        var changes: [FileChange] = []
        for index in 0..<git_diff_num_deltas(diff) {
            let delta = git_diff_get_delta(diff, index)!.pointee
            let kind: FileChange.Kind
            switch delta.status {
            case GIT_DELTA_ADDED: kind = .added
            case GIT_DELTA_DELETED: kind = .deleted
            case GIT_DELTA_MODIFIED: kind = .modified
            case GIT_DELTA_RENAMED: kind = .renamed
            case GIT_DELTA_TYPECHANGE: kind = .typeChanged
            case GIT_DELTA_UNTRACKED: kind = .untracked
            default: continue
            }
            changes.append(FileChange(
                kind: kind,
                oldPath: String(cString: delta.old_file.path),
                newPath: String(cString: delta.new_file.path),
                oldID: ObjectID(delta.old_file.id),
                newID: ObjectID(delta.new_file.id),
                similarity: Int(delta.similarity)))
        }
        return changes
    }
}
