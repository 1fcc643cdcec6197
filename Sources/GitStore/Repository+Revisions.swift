internal import CGit2
public import GitValues

extension Repository {
    /// The commit a revision names: a tag (peeled), branch, commit id or unique prefix, `HEAD`,
    /// `HEAD~2`, or anything else `git rev-parse` accepts.
    public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, pointer, revision), "git_revparse_single")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit))
    }

    /// The id a reference points to directly (a tag object for an annotated tag); nil if absent.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        var reference: OpaquePointer?
        let result = git_reference_lookup(&reference, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_reference_lookup")
        defer { git_reference_free(reference) }
        if git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC {
            let resolved = git_reference_name_to_id(&oid, pointer, name)
            if resolved == GIT_ENOTFOUND.rawValue { return nil }
            try check(resolved, "git_reference_name_to_id")
            return ObjectID(oid)
        }
        return git_reference_target(reference).map { ObjectID($0) }
    }

    /// Full names of the references matching a glob (`refs/tags/*`), sorted.
    public func referenceNames(matching glob: String) throws(GitError) -> [String] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, pointer, glob), "git_reference_iterator_glob_new")
        defer { git_reference_iterator_free(iterator) }
        var names: [String] = []
        var name: UnsafePointer<CChar>?
        while true {
            let result = git_reference_next_name(&name, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_reference_next_name")
            names.append(String(cString: name!))
        }
        return names.sorted()
    }

    /// Commits reachable from `heads` and not from `hiding`, newest first in topological order
    /// (a commit before its parents), as `git log` lists them.
    public func walk(from heads: [ObjectID], hiding: [ObjectID] = []) throws(GitError) -> [ObjectID] {
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walker) }
        try check(git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
                  "git_revwalk_sorting")
        for head in heads {
            var oid = head.oid
            try check(git_revwalk_push(walker, &oid), "git_revwalk_push")
        }
        for hidden in hiding {
            var oid = hidden.oid
            try check(git_revwalk_hide(walker, &oid), "git_revwalk_hide")
        }
        var ids: [ObjectID] = []
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, walker)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_revwalk_next")
            ids.append(ObjectID(oid))
        }
        return ids
    }

    /// Whether `ancestor` is `commit` or one of its ancestors.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws(GitError) -> Bool {
        if ancestor == commit { return true }
        var descendant = commit.oid
        var base = ancestor.oid
        return try check(git_graph_descendant_of(pointer, &descendant, &base), "git_graph_descendant_of") == 1
    }
}
