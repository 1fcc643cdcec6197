import Foundation
internal import CGit2
import GitValues

extension Signature {
    init(_ pointer: UnsafePointer<git_signature>) {
        let signature = pointer.pointee
        self.init(name: signature.name.map { String(cString: $0) } ?? "",
                  email: signature.email.map { String(cString: $0) } ?? "",
                  date: Date(timeIntervalSince1970: TimeInterval(signature.when.time)),
                  timeZoneOffset: Int(signature.when.offset))
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

}
