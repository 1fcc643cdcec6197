internal import CGit2
public import GitValues
#if canImport(Glibc)
internal import Glibc
#endif

/// One change to a tree: put a blob at a path, or take the file at a path away.
public struct TreeUpdate: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case upsert(ObjectID, FileMode)
        case remove
    }

    public var path: String
    public var action: Action

    public init(path: String, action: Action) {
        self.path = path
        self.action = action
    }
}

extension Repository {
    /// Writes a commit whose tree is `base` with `updates` applied.
    ///
    /// With `reference` set (usually `HEAD`), the reference moves to the new commit only if it still
    /// points at `parents.first` (or is unborn when there are no parents): libgit2 compares and
    /// swaps under the reference's lock, so a concurrent writer makes this fail with
    /// `.modified` or `.locked` instead of losing either commit.
    public func createCommit(
        base: ObjectID?, updates: [TreeUpdate], parents: [ObjectID],
        author: Signature, committer: Signature, message: String, updatingReference reference: String?
    ) throws(GitError) -> ObjectID {
        let treeID = try updatedTree(base: base, updates: updates)
        return try createCommit(tree: treeID, parents: parents, author: author, committer: committer,
                                message: message, updatingReference: reference)
    }

    /// Writes a commit with the given tree.
    public func createCommit(
        tree treeID: ObjectID, parents: [ObjectID],
        author: Signature, committer: Signature, message: String, updatingReference reference: String?
    ) throws(GitError) -> ObjectID {
        var treeOID = treeID.oid
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &treeOID), "git_tree_lookup")
        defer { git_tree_free(tree) }

        var parentHandles: [OpaquePointer?] = []
        defer { parentHandles.forEach { git_commit_free($0) } }
        for parent in parents {
            var oid = parent.oid
            var handle: OpaquePointer?
            try check(git_commit_lookup(&handle, pointer, &oid), "git_commit_lookup")
            parentHandles.append(handle)
        }

        var oid = git_oid()
        let result = try author.withGitSignature { authorSignature throws(GitError) in
            try committer.withGitSignature { (committerSignature) throws(GitError) in
                parentHandles.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(&oid, pointer, reference, authorSignature, committerSignature,
                                      nil, message, tree, buffer.count, buffer.baseAddress)
                }
            }
        }
        try check(result, "git_commit_create")
        return ObjectID(oid)
    }

    /// Writes the tree `base` (nil: the empty tree) with `updates` applied.
    public func updatedTree(base: ObjectID?, updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        // No baseline (an unborn branch) builds from nothing: writing the empty tree first would
        // leave it dangling.
        var baseTree: OpaquePointer?
        if let base {
            var baseOID = base.oid
            try check(git_tree_lookup(&baseTree, pointer, &baseOID), "git_tree_lookup")
        }
        defer { git_tree_free(baseTree) }

        let paths = updates.map { strdup($0.path) }
        defer { paths.forEach { free($0) } }
        var raw = zip(updates, paths).map { update, path in
            var entry = git_tree_update()
            entry.path = UnsafePointer(path)
            switch update.action {
            case .upsert(let id, let mode):
                entry.action = GIT_TREE_UPDATE_UPSERT
                entry.id = id.oid
                entry.filemode = mode.raw
            case .remove:
                entry.action = GIT_TREE_UPDATE_REMOVE
            }
            return entry
        }
        var oid = git_oid()
        try check(git_tree_create_updated(&oid, pointer, baseTree, raw.count, &raw), "git_tree_create_updated")
        return ObjectID(oid)
    }
}
