internal import CGit2

/// A tag: for an annotated tag, its object with tagger and message.
public struct TagInfo: Sendable, Hashable {
    /// The short name (`first`).
    public var name: String
    /// What `refs/tags/NAME` points to: the tag object, or the commit for a lightweight tag.
    public var referenceTarget: ObjectID
    /// The commit the tag finally names.
    public var commit: ObjectID?
    public var isAnnotated: Bool
    public var tagger: Signature?
    public var message: String
}

extension Repository {
    /// The tag `name`, or nil when `refs/tags/NAME` does not exist.
    public func tag(named name: String) throws(GitError) -> TagInfo? {
        guard let target = try referenceTarget("refs/tags/" + name) else { return nil }
        var oid = target.oid
        var object: OpaquePointer?
        try check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY), "git_object_lookup")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        defer { if peeled == 0 { git_object_free(commit) } }
        let commitID = peeled == 0 ? ObjectID(git_object_id(commit)) : nil
        guard git_object_type(object) == GIT_OBJECT_TAG else {
            return TagInfo(name: name, referenceTarget: target, commit: commitID, isAnnotated: false,
                           tagger: nil, message: "")
        }
        let tagger = git_tag_tagger(object).map { Signature($0) }
        let message = git_tag_message(object).map { String(cString: $0) } ?? ""
        return TagInfo(name: name, referenceTarget: target, commit: commitID, isAnnotated: true,
                       tagger: tagger, message: message)
    }

    /// Creates an annotated tag, refusing (`.exists`) when the tag exists, even under a race.
    ///
    /// The tag object is written first, then the reference with a compare-and-swap against "no
    /// reference": `git_tag_create` without force checks and writes separately and loses races.
    public func createAnnotatedTag(name: String, target: ObjectID, tagger: Signature, message: String)
        throws(GitError) -> ObjectID
    {
        var targetOID = target.oid
        var object: OpaquePointer?
        try check(git_object_lookup(&object, pointer, &targetOID, GIT_OBJECT_ANY), "git_object_lookup")
        defer { git_object_free(object) }
        var tagOID = git_oid()
        try tagger.withGitSignature { (signature) throws(GitError) in
            try check(git_tag_annotation_create(&tagOID, pointer, name, object, signature, message),
                      "git_tag_annotation_create")
        }
        var reference: OpaquePointer?
        var zero = git_oid()
        try check(git_reference_create_matching(&reference, pointer, "refs/tags/" + name, &tagOID, 0, &zero,
                                                "stet: tag " + name),
                  "git_reference_create_matching")
        git_reference_free(reference)
        return ObjectID(tagOID)
    }
}
