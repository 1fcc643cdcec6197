internal import CGit2

/// A failed libgit2 call: what failed, libgit2's own words, and a code callers can act on.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// The libgit2 error codes stet reacts to; everything else is `.other`.
    public enum Code: Sendable, Equatable {
        case notFound, exists, ambiguous, locked, modified, notOwned, unbornBranch, conflict
        case invalidSpec, bareRepository, user
        /// The remote refused the credentials offered, or its host key or certificate.
        case authentication
        case other(Int32)

        init(_ raw: Int32) {
            switch raw {
            case GIT_ENOTFOUND.rawValue: self = .notFound
            case GIT_EEXISTS.rawValue: self = .exists
            case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
            case GIT_ELOCKED.rawValue: self = .locked
            case GIT_EMODIFIED.rawValue: self = .modified
            case GIT_EOWNER.rawValue: self = .notOwned
            case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
            case GIT_ECONFLICT.rawValue, GIT_EMERGECONFLICT.rawValue: self = .conflict
            case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
            case GIT_EBAREREPO.rawValue: self = .bareRepository
            case GIT_EUSER.rawValue: self = .user
            case GIT_EAUTH.rawValue, GIT_ECERTIFICATE.rawValue: self = .authentication
            default: self = .other(raw)
            }
        }
    }

    public let code: Code
    /// libgit2's message, copied at the moment of failure.
    public let message: String
    /// The libgit2 function that failed.
    public let function: String

    public var description: String { "\(function): \(message)" }
}

/// The one choke point for libgit2 results: a negative result becomes a `GitError` carrying
/// `git_error_last()`, copied at once (it may be NULL, and success does not clear it).
@discardableResult
func check(_ result: Int32, _ function: StaticString) throws(GitError) -> Int32 {
    guard result < 0 else { return result }
    var message = "failed with code \(result)"
    if let last = git_error_last(), let text = last.pointee.message {
        message = String(cString: text)
    }
    throw GitError(code: GitError.Code(result), message: message, function: "\(function)")
}
