public import Foundation

/// Who did something and when: a git author, committer or tagger.
public struct Signature: Hashable, Sendable, Codable {
    public var name: String
    public var email: String
    public var date: Date
    /// Offset from UTC in minutes, as recorded in the object.
    public var timeZoneOffset: Int

    public init(name: String, email: String, date: Date, timeZoneOffset: Int = 0) {
        self.name = name
        self.email = email
        self.date = date
        self.timeZoneOffset = timeZoneOffset
    }

    /// `Name <email>`, as git prints it.
    public var formatted: String { "\(name) <\(email)>" }
}
