/// `Key: Value` at the end of a commit or tag message (git interpret-trailers).
public struct Trailer: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A commit, copied out of the repository.
public struct CommitInfo: Sendable, Hashable {
    public var id: ObjectID
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var author: Signature
    public var committer: Signature
    public var message: String
    /// The trailers of the message's last paragraph, as `git interpret-trailers --parse` reads them.
    public var trailers: [Trailer]

    package init(id: ObjectID, tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String,
                 trailers: [Trailer])
    {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.author = author
        self.committer = committer
        self.message = message
        self.trailers = trailers
    }

    /// The first line of the message.
    public var summary: String {
        String(message.prefix { $0 != "\n" })
    }
}

/// A remote repository a working copy syncs with.
public struct Remote: Sendable, Hashable {
    public var name: String
    public var url: String

    package init(name: String, url: String) {
        self.name = name
        self.url = url
    }
}
