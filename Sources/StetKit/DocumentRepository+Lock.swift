import Foundation
import GitStore
import GitValues

/// What `stet unlock` did.
public struct UnlockResult: Sendable {
    /// git lock files removed, relative to the git folder.
    public var removed: [String] = []
    /// Lock files younger than `DocumentRepository.freshLockAge`, left alone (a git command may be
    /// writing).
    public var fresh: [String] = []
}

extension DocumentRepository {
    /// A git lock file younger than this (seconds) may belong to a git command that is running.
    static let freshLockAge = 10.0

    /// Runs `body` holding stet's write lock (see `WriteLock`), waiting for another stet
    /// command that holds it (`STET_LOCK_WAIT` seconds, 30 by default). git lock files left by a
    /// stet command that was killed while writing, or by a git command long gone, are named with
    /// the command that clears them before anything is done.
    func writing<T>(_ command: String, _ body: () throws(StetError) -> T) throws(StetError) -> T {
        if writeLock != nil { return try body() }
        let lock = try acquireWriteLock(command)
        do {
            try refuseLeftLocks(previous: lock)
        } catch {
            lock.releaseKeepingPrevious()
            throw error
        }
        writeLock = lock
        defer {
            writeLock = nil
            lock.release()
        }
        return try body()
    }

    private func acquireWriteLock(_ command: String) throws(StetError) -> WriteLock {
        try WriteLock.acquire(gitDirectory: git.gitDirectory, command: command,
                              wait: environment["STET_LOCK_WAIT"].flatMap(Double.init) ?? 30)
    }

    /// The git folder, with a trailing slash.
    private var gitFolder: String { git.gitDirectory.hasSuffix("/") ? git.gitDirectory : git.gitDirectory + "/" }

    private func refuseLeftLocks(previous lock: WriteLock) throws(StetError) {
        let files = GitLockFiles.find(in: git.gitDirectory)
        guard !files.isEmpty else { return }
        let named = files.map { ".git/" + $0 }.joined(separator: ", ")
        if lock.previousDied, let previous = lock.previous {
            throw StetError(.locked, "`\(previous.command)` (process \(previous.pid), started \(previous.started)) was stopped "
                + "while writing and left \(named); no stet command is running now, so if no git command is either, "
                + "clear \(files.count == 1 ? "it" : "them") with: stet unlock")
        }
        let stale = files.filter { GitLockFiles.age(gitFolder + $0) >= Self.freshLockAge }
        if !stale.isEmpty {
            throw StetError(.locked, stale.map { ".git/" + $0 }.joined(separator: ", ")
                + " \(stale.count == 1 ? "was" : "were") left by a git command that did not finish; "
                + "if no git command is running, clear \(stale.count == 1 ? "it" : "them") with: stet unlock")
        }
    }

    /// Removes git lock files that no running command holds: taken under stet's write lock (so
    /// no stet command is writing), and only files older than `freshLockAge` seconds.
    public func unlock() throws(StetError) -> UnlockResult {
        let lock = try acquireWriteLock("stet unlock")
        defer { lock.release() }
        let base = gitFolder
        var result = UnlockResult()
        for file in GitLockFiles.find(in: git.gitDirectory) {
            if GitLockFiles.age(base + file) < Self.freshLockAge && !lock.previousDied {
                result.fresh.append(file)
                continue
            }
            do {
                try FileManager.default.removeItem(atPath: base + file)
                result.removed.append(file)
            } catch {
                throw StetError(.failure, "cannot remove .git/\(file): \(error.localizedDescription)")
            }
        }
        return result
    }
}
