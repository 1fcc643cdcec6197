internal import CGit2
public import GitValues

/// The kind of a file in a git tree.
public enum FileMode: Sendable, Hashable {
    case regular, executable, symlink, submodule, other(UInt32)

    init(_ raw: git_filemode_t) {
        switch raw {
        case GIT_FILEMODE_BLOB: self = .regular
        case GIT_FILEMODE_BLOB_EXECUTABLE: self = .executable
        case GIT_FILEMODE_LINK: self = .symlink
        case GIT_FILEMODE_COMMIT: self = .submodule
        default: self = .other(raw.rawValue)
        }
    }

    var raw: git_filemode_t {
        switch self {
        case .regular: GIT_FILEMODE_BLOB
        case .executable: GIT_FILEMODE_BLOB_EXECUTABLE
        case .symlink: GIT_FILEMODE_LINK
        case .submodule: GIT_FILEMODE_COMMIT
        case .other(let raw): git_filemode_t(rawValue: raw)
        }
    }
}

/// A file (blob, link or submodule) in a git tree, with its path from the repository root.
public struct TreeFile: Sendable, Hashable {
    public var path: String
    public var id: ObjectID
    public var mode: FileMode
}

/// Reads the trailers of a message with libgit2's parser (the same rules as git).
public func parseTrailers(_ message: String) -> [Trailer] {
    ensureLibgit2()
    var array = git_message_trailer_array()
    guard git_message_trailers(&array, message) == 0 else { return [] }
    defer { git_message_trailer_array_free(&array) }
    return (0..<array.count).map { index in
        let trailer = array.trailers[index]
        return Trailer(key: String(cString: trailer.key), value: String(cString: trailer.value))
    }
}

extension Repository {
    /// The bytes of a blob (not a C string: it may hold NUL bytes).
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var oid = id.oid
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// A blob's size in bytes, read from its header (the object is not inflated).
    public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_ANY
        try check(git_odb_read_header(&size, &type, odb, &oid), "git_odb_read_header")
        return size
    }

    /// `body` of a blob's bytes in place, while libgit2 holds them (no copy is made).
    public func withBlob<Result>(_ id: ObjectID, _ body: (UnsafeBufferPointer<UInt8>) -> Result) throws(GitError) -> Result {
        var oid = id.oid
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// Writes a blob and returns its id.
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { raw in
            git_blob_create_from_buffer(&oid, pointer, raw.baseAddress, raw.count)
        }
        try check(result, "git_blob_create_from_buffer")
        return ObjectID(oid)
    }

    /// The commit `id`, copied out.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
        var oid = id.oid
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup")
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0)) }
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        return CommitInfo(
            id: id,
            tree: ObjectID(git_commit_tree_id(commit)),
            parents: parents,
            author: Signature(git_commit_author(commit)),
            committer: Signature(git_commit_committer(commit)),
            message: message,
            // A message without a colon has no trailer: most need no parse.
            trailers: message.utf8.contains(UInt8(ascii: ":")) ? parseTrailers(message) : [])
    }

    /// The tree of a commit.
    public func treeID(ofCommit id: ObjectID) throws(GitError) -> ObjectID {
        var oid = id.oid
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup")
        defer { git_commit_free(commit) }
        return ObjectID(git_commit_tree_id(commit))
    }

    /// Every file below `folder` (a path from the root, no trailing slash; "" for all) in a
    /// tree, depth first, in git's order. An absent folder gives no files.
    public func files(inTree tree: ObjectID, under folder: String) throws(GitError) -> [TreeFile] {
        var oid = tree.oid
        var root: OpaquePointer?
        try check(git_tree_lookup(&root, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(root) }
        var start = tree
        if !folder.isEmpty {
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, root, folder)
            if result == GIT_ENOTFOUND.rawValue { return [] }
            try check(result, "git_tree_entry_bypath")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return [] }
            start = ObjectID(git_tree_entry_id(entry))
        }
        var files: [TreeFile] = []
        try collectFiles(tree: start, prefix: folder.isEmpty ? "" : folder + "/", into: &files)
        return files
    }

    private func collectFiles(tree: ObjectID, prefix: String, into files: inout [TreeFile]) throws(GitError) {
        var oid = tree.oid
        var handle: OpaquePointer?
        try check(git_tree_lookup(&handle, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(handle) }
        var subtrees: [(ObjectID, String)] = []
        for index in 0..<git_tree_entrycount(handle) {
            let entry = git_tree_entry_byindex(handle, index)
            let name = prefix + String(cString: git_tree_entry_name(entry))
            let id = ObjectID(git_tree_entry_id(entry))
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                subtrees.append((id, name + "/"))
            } else {
                files.append(TreeFile(path: name, id: id, mode: FileMode(git_tree_entry_filemode(entry))))
            }
        }
        for (id, path) in subtrees {
            try collectFiles(tree: id, prefix: path, into: &files)
        }
    }

    /// The blob at `path` in a tree, or nil when there is none.
    public func file(atPath path: String, inTree tree: ObjectID) throws(GitError) -> TreeFile? {
        try withEntry(atPath: path, inTree: tree) { entry in
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
            return TreeFile(path: path, id: ObjectID(git_tree_entry_id(entry)), mode: FileMode(git_tree_entry_filemode(entry)))
        }
    }

    /// The id of whatever is at `path` in a tree (a blob or a subtree), or nil.
    public func entryID(atPath path: String, inTree tree: ObjectID) throws(GitError) -> ObjectID? {
        try withEntry(atPath: path, inTree: tree) { ObjectID(git_tree_entry_id($0)) }
    }

    /// Calls `body` with the tree entry at `path`; nil when there is none.
    private func withEntry<T>(atPath path: String, inTree tree: ObjectID, _ body: (OpaquePointer?) -> T?)
        throws(GitError) -> T?
    {
        var oid = tree.oid
        var root: OpaquePointer?
        try check(git_tree_lookup(&root, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, root, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        return body(entry)
    }

    /// The id of the empty tree, written if needed.
    public func emptyTree() throws(GitError) -> ObjectID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, nil), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "git_treebuilder_write")
        return ObjectID(oid)
    }
}
