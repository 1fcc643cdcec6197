/// A refusal or failure a writer can act on: a stable code, one line of text naming the file,
/// section or revision concerned, and the exit status the command line uses for it.
public struct StetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// Arguments that cannot work: an empty message, a malformed identity or trailer.
        case usage
        /// No identity to sign a commit or tag with.
        case identity
        /// A section or configuration file that stet will not write: front matter, duplicate ids,
        /// conflict markers, invalid UTF-8, binary content, a symbolic link.
        case invalidContent
        /// The milestone rules refuse it: out of sequence, not descending from the previous
        /// milestone, uncommitted edits, a later milestone already tagged.
        case refused
        /// No repository, or an unknown section or revision.
        case notFound
        /// Something that must not exist already does (a repository, a section id).
        case exists
        /// Nothing changed, so there is nothing to commit.
        case nothingToCommit
        /// Another process holds a lock on the repository.
        case locked
        /// The repository belongs to another user.
        case notOwned
        /// libgit2 or the file system failed.
        case failure
        /// The same passage changed here and on the remote; nothing was committed.
        case conflict
        /// A remote that cannot be reached, or that refused the credentials offered.
        case unavailable
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The process exit status for this error (documented in the README).
    public var exitStatus: Int32 {
        switch code {
        case .failure: 1
        case .nothingToCommit: 2
        case .conflict: 3
        case .unavailable: 69
        case .usage, .identity: 64
        case .invalidContent, .refused: 65
        case .notFound: 66
        case .exists: 73
        case .locked: 75
        case .notOwned: 77
        }
    }
}
