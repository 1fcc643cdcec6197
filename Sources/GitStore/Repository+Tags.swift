import Foundation
internal import CGit2
public import GitValues

/// A tag: for an annotated tag, its object with tagger and message.
public struct TagInfo: Sendable, Hashable {
    /// The short name (`first`).
    public var name: String
    /// What `refs/tags/NAME` points to: the tag object, or the commit for a lightweight tag.
    public var referenceTarget: ObjectID
    /// The commit the tag finally names.
    public var commit: ObjectID?
    public var isAnnotated: Bool
    /// The name written inside the tag object (differs from `name` when a reference was pointed
    /// at another tag's object).
    public var objectName: String?
    public var tagger: Signature?
    /// The message, without an appended signature.
    public var message: String
    /// The SSH or PGP signature appended to the message, if any.
    public var signature: String?

    /// The first line of the message.
    public var summary: String { String(message.prefix { $0 != "\n" }) }

    /// The trailers of the message's last paragraph.
    public var trailers: [Trailer] { parseTrailers(message) }
}

/// The text of a signature git appends to a tag message.
private let signatureStarts = ["-----BEGIN SSH SIGNATURE-----", "-----BEGIN PGP SIGNATURE-----",
                               "-----BEGIN SIGNED MESSAGE-----"]

/// Splits a tag message into the message and an appended signature, as git does: the signature
/// starts at a line that opens with one of the known armour headers.
func splitSignature(_ message: String) -> (message: String, signature: String?) {
    var searchStart = message.startIndex
    while searchStart < message.endIndex {
        let lineEnd = message[searchStart...].firstIndex(of: "\n").map { message.index(after: $0) } ?? message.endIndex
        let line = message[searchStart..<lineEnd]
        if signatureStarts.contains(where: { line.hasPrefix($0) }) {
            return (String(message[..<searchStart]), String(message[searchStart...]))
        }
        searchStart = lineEnd
    }
    return (message, nil)
}

extension Repository {
    /// The tag `name`, or nil when `refs/tags/NAME` does not exist.
    public func tag(named name: String) throws(GitError) -> TagInfo? {
        guard let target = try referenceTarget("refs/tags/" + name) else { return nil }
        return try tag(object: target, name: name)
    }

    /// The tag (or commit, for a lightweight tag) `object`, under the name `name`.
    public func tag(object target: ObjectID, name: String) throws(GitError) -> TagInfo {
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
                           objectName: nil, tagger: nil, message: "", signature: nil)
        }
        let tagger = git_tag_tagger(object).map { Signature($0) }
        let full = git_tag_message(object).map { String(cString: $0) } ?? ""
        let (message, signature) = splitSignature(full)
        return TagInfo(name: name, referenceTarget: target, commit: commitID, isAnnotated: true,
                       objectName: git_tag_name(object).map { String(cString: $0) }, tagger: tagger,
                       message: message, signature: signature)
    }

    /// Creates an annotated tag, refusing (`.exists`) when the tag exists, even under a race.
    ///
    /// The tag object is written first, then the reference with a compare-and-swap against "no
    /// reference": `git_tag_create` without force checks and writes separately and loses races.
    public func createAnnotatedTag(name: String, target: ObjectID, tagger: Signature, message: String)
        throws(GitError) -> ObjectID
    {
        let tagID = try writeTagObject(name: name, target: target, tagger: tagger, message: message)
        try setReference("refs/tags/" + name, to: tagID, expecting: nil, logMessage: "stet: tag " + name)
        return tagID
    }

    /// Writes an unsigned annotated tag object without any reference to it.
    public func writeTagObject(name: String, target: ObjectID, tagger: Signature, message: String)
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
        return ObjectID(tagOID)
    }

    /// The text of a tag object as git writes it, before any signature: the bytes an SSH
    /// signature of the tag covers.
    public func tagObjectPayload(name: String, target: ObjectID, tagger: Signature, message: String)
        throws(GitError) -> String
    {
        let type = try objectType(target)
        let seconds = Int64(tagger.date.timeIntervalSince1970.rounded(.down))
        let offset = abs(tagger.timeZoneOffset)
        let zone = (tagger.timeZoneOffset < 0 ? "-" : "+") + String(format: "%02d%02d", offset / 60, offset % 60)
        return "object \(target.hex)\ntype \(type)\ntag \(name)\n"
            + "tagger \(tagger.name) <\(tagger.email)> \(seconds) \(zone)\n\n\(message)"
    }

    /// Writes a complete tag object (for example a signed one) from its text and checks that
    /// libgit2 reads it back as a tag; no reference is created. The text must come from
    /// `tagObjectPayload` (plus a signature), which writes only valid headers.
    public func writeTagObject(raw: String) throws(GitError) -> ObjectID {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var oid = git_oid()
        let bytes = Array(raw.utf8)
        let written = bytes.withUnsafeBytes { git_odb_write(&oid, odb, $0.baseAddress, $0.count, GIT_OBJECT_TAG) }
        try check(written, "git_odb_write")
        var tag: OpaquePointer?
        try check(git_tag_lookup(&tag, pointer, &oid), "git_tag_lookup")
        git_tag_free(tag)
        return ObjectID(oid)
    }

    /// Points `name` at `target` if, at that instant, it points at `expected` (nil: does not
    /// exist); `.exists` or `.modified` otherwise. The compare and the write are one step.
    public func setReference(_ name: String, to target: ObjectID, expecting expected: ObjectID?, logMessage: String)
        throws(GitError)
    {
        var targetOID = target.oid
        var current = expected?.oid ?? git_oid()
        var reference: OpaquePointer?
        try check(git_reference_create_matching(&reference, pointer, name, &targetOID, expected == nil ? 0 : 1,
                                                &current, logMessage),
                  "git_reference_create_matching")
        git_reference_free(reference)
    }

    /// Points `name` at `target` whatever it pointed at: only for references that mirror another
    /// repository's (`refs/remotes/...`), never for stet's own.
    public func mirrorReference(_ name: String, to target: ObjectID, logMessage: String) throws(GitError) {
        var targetOID = target.oid
        var reference: OpaquePointer?
        try check(git_reference_create(&reference, pointer, name, &targetOID, 1, logMessage), "git_reference_create")
        git_reference_free(reference)
    }

    /// The raw bytes of an object.
    public func rawObject(_ id: ObjectID) throws(GitError) -> [UInt8] {
        try rawObject(id, expecting: nil)
    }

    /// The raw bytes of an object, which must be of type `expected` when one is given.
    func rawObject(_ id: ObjectID, expecting expected: git_object_t?) throws(GitError) -> [UInt8] {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var oid = id.oid
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "git_odb_read")
        defer { git_odb_object_free(object) }
        if let expected, git_odb_object_type(object) != expected {
            throw GitError(code: .other(-1), message: "\(id.hex) is not a \(String(cString: git_object_type2string(expected)))",
                           function: "git_odb_read")
        }
        let size = git_odb_object_size(object)
        guard size > 0, let data = git_odb_object_data(object) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: size))
    }

    /// `commit`, `tree`, `blob` or `tag`.
    public func objectType(_ id: ObjectID) throws(GitError) -> String {
        var oid = id.oid
        var object: OpaquePointer?
        try check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY), "git_object_lookup")
        defer { git_object_free(object) }
        return String(cString: git_object_type2string(git_object_type(object)))
    }

    /// Whether the object store holds `id`.
    public func hasObject(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0 else { return false }
        defer { git_odb_free(odb) }
        var oid = id.oid
        return git_odb_exists(odb, &oid) == 1
    }
}
