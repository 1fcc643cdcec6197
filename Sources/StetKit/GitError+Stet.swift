import GitStore
import GitValues

extension StetError {
    /// A libgit2 failure in words a writer can act on. `context` names what was being done.
    init(_ error: GitError, _ context: String) {
        switch error.code {
        case .locked:
            self.init(.locked, "\(context): the repository is locked by another git or stet process (\(error.message)); "
                + "if none is running, the lock is stale: clear it with: stet unlock")
        case .notOwned:
            self.init(.notOwned, "\(context): \(error.message)")
        case .notFound:
            self.init(.notFound, "\(context): \(error.message)")
        case .authentication:
            self.init(.unavailable, "\(context): \(error.message)")
        default:
            self.init(.failure, "\(context): \(error.message)")
        }
    }
}
