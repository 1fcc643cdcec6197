internal import CGit2
public import GitValues

extension ObjectID {
    init(_ oid: git_oid) {
        var oid = oid
        self = withUnsafeBytes(of: &oid.id) { ObjectID(raw: $0.baseAddress!) }
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    var oid: git_oid {
        var oid = git_oid()
        withRawBytes { raw in
            withUnsafeMutableBytes(of: &oid.id) { $0.copyMemory(from: raw) }
        }
        return oid
    }

    /// The id git gives a blob with these bytes, computed without a repository.
    public static func forBlob(_ bytes: [UInt8]) -> ObjectID {
        ensureLibgit2()
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { raw in
            git_odb_hash(&oid, raw.baseAddress, raw.count, GIT_OBJECT_BLOB)
        }
        return ObjectID(oid)
    }
}
