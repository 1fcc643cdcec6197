/// A commit a change is credited to, as the renderers show it (no git here: the command line
/// fills these in).
public struct SourceCommit: Sendable, Codable, Hashable {
    public struct Trailer: Sendable, Codable, Hashable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public var id: String
    public var author: String
    public var email: String
    /// ISO 8601, with the offset recorded.
    public var date: String
    public var summary: String
    public var trailers: [Trailer]
    /// The whole message (for a Word comment); not in the JSON.
    public var message: String = ""

    enum CodingKeys: String, CodingKey {
        case id, author, email, date, summary, trailers
    }

    public init(id: String, author: String, email: String, date: String, summary: String, trailers: [Trailer], message: String = "") {
        self.message = message
        self.id = id
        self.author = author
        self.email = email
        self.date = date
        self.summary = summary
        self.trailers = trailers
    }

    public var shortID: String { String(id.prefix(7)) }
    /// `2024-11-03` of the date.
    public var day: String { String(date.prefix(10)) }
}
