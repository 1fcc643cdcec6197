internal import CGit2
public import GitValues
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
        var oldFolder: ObjectID? = old, newFolder: ObjectID? = new
        for name in folder.split(separator: "/") {
            oldFolder = try oldFolder.flatMap { (tree) throws(GitError) in try subtree(Array(name.utf8), in: tree) }
            newFolder = try newFolder.flatMap { (tree) throws(GitError) in try subtree(Array(name.utf8), in: tree) }
        }
        if oldFolder == newFolder { return [] }
        guard let oldFolder, let newFolder else { return nil }
        var changes: [FileChange] = []
        guard try compareTrees(oldFolder, newFolder, prefix: folder.isEmpty ? "" : folder + "/", into: &changes) else { return nil }
        return changes
    }

    /// A tree's entries as git stores them: `<octal mode> <name>\0<20-byte id>`, one after another,
    /// sorted by name. The last few trees read are kept: walking a history compares each commit's
    /// tree with its parent's, which the commit before read as its own.
    private func rawTree(_ id: ObjectID) throws(GitError) -> [UInt8] {
        if let index = recentTrees.firstIndex(where: { $0.id == id }) { return recentTrees[index].bytes }
        let bytes = try rawObject(id, expecting: GIT_OBJECT_TREE)
        if recentTrees.count == 4 { recentTrees.removeFirst() }
        recentTrees.append((id, bytes))
        return bytes
    }

    /// One entry of a raw tree: where it ends, its mode and name's bytes, its id's offset.
    private struct RawEntry {
        var end: Int
        var mode: UInt32
        var name: Range<Int>
        var id: Int

        /// Where the entry at `start` ends (after its id); nil past the end or for bytes that
        /// are no tree entry. Enough to tell two entries alike without reading them.
        static func end(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
            guard start < bytes.count, let nul = memchr(bytes.baseAddress! + start, 0, bytes.count - start) else { return nil }
            let end = UnsafeRawPointer(nul) - UnsafeRawPointer(bytes.baseAddress!) + 1 + 20
            return end <= bytes.count ? end : nil
        }

        /// The entry at `start`; nil past the end or for bytes that are no tree entry.
        init?(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) {
            guard let end = Self.end(bytes, at: start) else { return nil }
            var index = start, mode: UInt32 = 0
            while index < end - 21, bytes[index] != 0x20 {
                let digit = bytes[index] &- 0x30
                guard digit < 8 else { return nil }
                mode = mode << 3 | UInt32(digit)
                index += 1
            }
            guard index > start, index < end - 21 else { return nil }
            self.mode = mode
            self.end = end
            name = index + 1..<end - 21
            id = end - 20
        }

        /// git's object type for the entry: a tree, a commit (submodule) or a blob.
        var type: git_object_t {
            switch mode & 0o170000 {
            case 0o040000: GIT_OBJECT_TREE
            case 0o160000: GIT_OBJECT_COMMIT
            default: GIT_OBJECT_BLOB
            }
        }
    }

    /// The id of the subtree `name` of a tree; nil when it has none.
    private func subtree(_ name: [UInt8], in tree: ObjectID) throws(GitError) -> ObjectID? {
        let raw = try rawTree(tree)
        return raw.withUnsafeBufferPointer { bytes -> ObjectID? in
            var index = 0
            while let entry = RawEntry(bytes, at: index) {
                if entry.type == GIT_OBJECT_TREE, entry.name.count == name.count,
                   name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress! + entry.name.lowerBound, name.count) == 0 })
                {
                    return ObjectID(raw: bytes.baseAddress! + entry.id)
                }
                index = entry.end
            }
            return nil
        }
    }

    /// Walks two trees side by side, entry by entry as stored (an entry whose name and id are
    /// the same on both sides is the same file, unchanged; a change of mode alone is no change of
    /// content); false as soon as their entries differ in name or kind.
    private func compareTrees(_ old: ObjectID, _ new: ObjectID, prefix: String, into changes: inout [FileChange])
        throws(GitError) -> Bool
    {
        let oldRaw = try rawTree(old), newRaw = try rawTree(new)
        var oldIndex = 0, newIndex = 0
        while oldIndex < oldRaw.count || newIndex < newRaw.count {
            // Most entries are byte for byte the same: found so without reading them.
            let alike = oldRaw.withUnsafeBufferPointer { oldBytes in
                newRaw.withUnsafeBufferPointer { newBytes -> (old: Int, new: Int)? in
                    guard let oldEnd = RawEntry.end(oldBytes, at: oldIndex), let newEnd = RawEntry.end(newBytes, at: newIndex),
                          oldEnd - oldIndex == newEnd - newIndex,
                          memcmp(oldBytes.baseAddress! + oldIndex, newBytes.baseAddress! + newIndex, oldEnd - oldIndex) == 0
                    else { return nil }
                    return (oldEnd, newEnd)
                }
            }
            if let alike {
                (oldIndex, newIndex) = alike
                continue
            }
            let pair = oldRaw.withUnsafeBufferPointer { oldBytes in
                newRaw.withUnsafeBufferPointer { newBytes -> (RawEntry, RawEntry, Bool, Bool)? in
                    guard let oldEntry = RawEntry(oldBytes, at: oldIndex), let newEntry = RawEntry(newBytes, at: newIndex) else {
                        return nil
                    }
                    let oldStart = oldEntry.name.lowerBound, newStart = newEntry.name.lowerBound
                    let length = oldEntry.end - oldStart
                    let unchanged = length == newEntry.end - newStart
                        && memcmp(oldBytes.baseAddress! + oldStart, newBytes.baseAddress! + newStart, length) == 0
                    let sameName = oldEntry.name.count == newEntry.name.count
                        && memcmp(oldBytes.baseAddress! + oldStart, newBytes.baseAddress! + newStart, oldEntry.name.count) == 0
                    return (oldEntry, newEntry, unchanged, sameName)
                }
            }
            guard let (oldEntry, newEntry, unchanged, sameName) = pair else { return false }
            oldIndex = oldEntry.end
            newIndex = newEntry.end
            if unchanged { continue }
            guard sameName, oldEntry.type == newEntry.type else { return false }
            let oldID = oldRaw.withUnsafeBytes { ObjectID(raw: $0.baseAddress! + oldEntry.id) }
            let newID = newRaw.withUnsafeBytes { ObjectID(raw: $0.baseAddress! + newEntry.id) }
            let path = prefix + String(decoding: newRaw[newEntry.name], as: UTF8.self)
            if newEntry.type == GIT_OBJECT_TREE {
                guard try compareTrees(oldID, newID, prefix: path + "/", into: &changes) else { return false }
            } else {
                // As git tells them: a regular file made executable is modified, a file made a
                // symbolic link changed type.
                let kind: FileChange.Kind = oldEntry.mode & 0o170000 == newEntry.mode & 0o170000 ? .modified : .typeChanged
                changes.append(FileChange(kind: kind, oldPath: path, newPath: path, oldID: oldID, newID: newID, similarity: 100))
            }
        }
        return true
    }

    func diffOptions() throws(GitError) -> git_diff_options {
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        options.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        return options
    }

    func withTree<T>(_ id: ObjectID?, _ body: (OpaquePointer?) throws(GitError) -> T) throws(GitError) -> T {
        guard let id else { return try body(nil) }
        var oid = id.oid
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    func withPathspec<T>(
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

    func deltas(of diff: OpaquePointer?, renames: Bool, untracked: Bool) throws(GitError) -> [FileChange] {
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
