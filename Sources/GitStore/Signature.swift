public import Foundation
internal import CGit2

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

    init(_ pointer: UnsafePointer<git_signature>) {
        let signature = pointer.pointee
        name = signature.name.map { String(cString: $0) } ?? ""
        email = signature.email.map { String(cString: $0) } ?? ""
        date = Date(timeIntervalSince1970: TimeInterval(signature.when.time))
        timeZoneOffset = Int(signature.when.offset)
    }

    /// Calls `body` with a libgit2 signature that lives only for the call.
    @discardableResult
    func withGitSignature<T>(_ body: (UnsafePointer<git_signature>) throws(GitError) -> T) throws(GitError) -> T {
        var pointer: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(&pointer, name, email, git_time_t(date.timeIntervalSince1970.rounded(.down)),
                              Int32(timeZoneOffset)),
            "git_signature_new")
        defer { git_signature_free(pointer) }
        return try body(pointer!)
    }

    /// `Name <email>`, as git prints it.
    public var formatted: String { "\(name) <\(email)>" }
}
