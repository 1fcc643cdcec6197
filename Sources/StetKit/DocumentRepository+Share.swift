public import Foundation
import GitStore
public import GitValues
#if canImport(Glibc)
import Glibc
#endif

extension DocumentRepository {
    // MARK: Remotes

    /// The remotes, with any password in a URL left out.
    public func remotes() throws(StetError) -> [Remote] {
        try gitCall("read the remotes") { () throws(GitError) in try git.remotes() }
            .map { remote in
                var shown = remote
                shown.url = Self.displayURL(remote.url)
                return shown
            }
    }

    /// Adds a remote; a URL carrying a password or token is refused (it would be stored in
    /// `.git/config`): tokens come from STET_TOKEN.
    public func addRemote(name: String, url: String) throws(StetError) {
        try writing("stet remote add") { () throws(StetError) in try addRemoteHoldingLock(name: name, url: url) }
    }

    private func addRemoteHoldingLock(name: String, url: String) throws(StetError) {
        try Self.checkRemoteURL(url)
        func isNameCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: false
            }
        }
        guard let first = name.utf8.first, isNameCharacter(first),
              name.utf8.allSatisfy({ isNameCharacter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }),
              !name.hasSuffix(".lock"), !name.contains("..")
        else {
            throw StetError(.usage, "'\(name)' is not a usable remote name (letters, digits, '.', '_' and '-')")
        }
        if try gitCall("read the remotes", { () throws(GitError) in try git.remote(named: name) }) != nil {
            throw StetError(.exists, "there is already a remote '\(name)'")
        }
        let stored = Self.storedURL(url)
        try gitCall("add the remote '\(name)'") { () throws(GitError) in try git.addRemote(name: name, url: stored) }
        if let branch = try? git.currentBranch(), git.configString("branch.\(branch).remote") == nil {
            // So that git's own status and pull know where the branch goes.
            try? git.setConfigString("branch.\(branch).remote", name)
            try? git.setConfigString("branch.\(branch).merge", "refs/heads/\(branch)")
        }
    }

    /// A folder given as a relative path is stored absolute: it must mean the same folder from
    /// wherever stet is run.
    static func storedURL(_ url: String) -> String {
        guard Repository.localPath(url) != nil, !url.hasPrefix("file://"), !url.hasPrefix("/") else { return url }
        let absolute = URL(fileURLWithPath: url, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return absolute.standardizedFileURL.path
    }

    static func checkRemoteURL(_ url: String) throws(StetError) {
        guard !url.isEmpty else { throw StetError(.usage, "the remote URL is empty") }
        if url.contains("://"), let components = URLComponents(string: url), components.password != nil {
            throw StetError(.usage, "the URL carries a password or token, which would be stored in .git/config; "
                + "give the URL without it and set STET_TOKEN instead")
        }
        if Repository.localPath(url) != nil { try checkLocalRepository(url) }
    }

    /// A remote that is a folder must hold a repository: a mistyped path is said to be one, not
    /// left for libgit2 to call an unsupported protocol.
    static func checkLocalRepository(_ url: String) throws(StetError) {
        guard let path = Repository.localPath(storedURL(url)) else { return }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StetError(.notFound, "there is no repository at \(path): no such folder (a shared repository is a "
                + "folder made by stet init --shared, or an ssh:// or https:// address)")
        }
        do {
            _ = try Repository(openingAt: path)
        } catch {
            throw StetError(.notFound, "there is no repository at \(path): the folder holds no git repository "
                + "(a shared repository is made by stet init --shared)")
        }
    }

    // MARK: Clone

    /// Makes a working copy of the shared repository at `url` in `path` (a new or empty folder):
    /// its branch, its milestones (each compared, as sync does) and its working files. A failure
    /// removes what was made.
    public static func clone(url: String, into path: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(StetError) -> (repository: DocumentRepository, result: SyncResult)
    {
        try checkRemoteURL(url)
        let existed = FileManager.default.fileExists(atPath: path)
        if existed {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
            guard contents.isEmpty else {
                throw StetError(.exists, "\(path) already exists and is not empty; name a new folder")
            }
        }
        func cleanUp() {
            if existed {
                for item in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                    try? FileManager.default.removeItem(atPath: path + "/" + item)
                }
            } else {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        do {
            let git: Repository
            do {
                git = try Repository.create(at: path)
                try git.addRemote(name: "origin", url: storedURL(url))
                try git.setConfigString("branch.main.remote", "origin")
                try git.setConfigString("branch.main.merge", "refs/heads/main")
            } catch {
                throw StetError(error, "cannot create \(path)")
            }
            let repository = try DocumentRepository(git: git, environment: environment)
            guard case .synced(let result) = try repository.sync(SyncRequest(remote: "origin")) else {
                throw StetError(.failure, "a new clone cannot have conflicts")
            }
            // stet.yml arrived with the files: open again to read it.
            let opened = try DocumentRepository(git: try Repository(openingAt: path), environment: environment)
            return (opened, result)
        } catch let error as StetError {
            cleanUp()
            throw error
        } catch {
            cleanUp()
            throw StetError(.failure, "cannot clone into \(path): \(error)")
        }
    }

    // MARK: The shared repository

    /// Creates a bare repository for a team to share (on a file share or a server), which
    /// refuses what would rewrite the record: moving or deleting a tag, deleting a branch, a push
    /// that is not a fast-forward. git's settings cover branches; the `update` hook covers tags,
    /// which git itself lets a forced push move.
    public static func createShared(at path: String) throws(StetError) {
        if FileManager.default.fileExists(atPath: path),
           !((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
        {
            throw StetError(.exists, "\(path) already exists and is not empty; name a new folder")
        }
        do {
            let git = try Repository.create(at: path, bare: true)
            for (key, value) in [("receive.denyNonFastForwards", "true"), ("receive.denyDeletes", "true"),
                                 ("receive.fsckObjects", "true"), ("core.logAllRefUpdates", "always"),
                                 ("stet.shared", "true")]
            {
                try git.setConfigString(key, value)
            }
            let hook = git.gitDirectory + "hooks/update"
            try FileManager.default.createDirectory(atPath: git.gitDirectory + "hooks", withIntermediateDirectories: true)
            try replaceFile(at: hook, with: Array(sharedUpdateHook.utf8), displayPath: "hooks/update")
            guard chmod(hook, 0o755) == 0 else {
                throw StetError(.failure, "cannot make \(hook) executable: \(String(cString: strerror(errno)))")
            }
        } catch let error as GitError {
            try? FileManager.default.removeItem(atPath: path)
            throw StetError(error, "cannot create the shared repository \(path)")
        } catch let error as StetError {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StetError(.failure, "cannot create the shared repository \(path): \(error.localizedDescription)")
        }
    }

    /// The `update` hook of a shared repository: run by git for every reference a push would
    /// change, before it changes it; a non-zero exit refuses that reference.
    static let sharedUpdateHook = #"""
        #!/bin/sh
        # Installed by stet init --shared: the record only grows.
        # Milestone tags are never deleted, and move only to a correction made by stet tag
        # --correct (a tag whose Supersedes: line names the old one, which is kept under
        # refs/stet/superseded/NAME/); branches only move forward.
        ref="$1" old="$2" new="$3"
        zero=0000000000000000000000000000000000000000
        case "$ref" in
        refs/tags/*)
            name="${ref#refs/tags/}"
            if [ "$old" != "$zero" ]; then
                if [ "$new" = "$zero" ]; then
                    echo "stet: refusing to delete the tag $name: milestones are permanent" >&2
                    exit 1
                fi
                if [ "$(git cat-file -t "$new" 2>/dev/null)" = tag ] &&
                   git cat-file tag "$new" | grep -qx "Supersedes: $old" &&
                   git for-each-ref --format='%(objectname)' "refs/stet/superseded/$name" | grep -qx "$old"; then
                    exit 0
                fi
                echo "stet: refusing to move the tag $name: milestones are permanent (only a correction made with stet tag --correct replaces one)" >&2
                exit 1
            fi
            ;;
        refs/heads/*)
            if [ "$new" = "$zero" ]; then
                echo "stet: refusing to delete the branch ${ref#refs/heads/}" >&2
                exit 1
            fi
            if [ "$old" != "$zero" ] && ! git merge-base --is-ancestor "$old" "$new"; then
                echo "stet: refusing a push to ${ref#refs/heads/} that would drop commits (not a fast-forward)" >&2
                exit 1
            fi
            ;;
        refs/stet/*)
            if [ "$old" != "$zero" ]; then
                echo "stet: refusing to change $ref: stet's records are permanent" >&2
                exit 1
            fi
            ;;
        esac
        exit 0

        """#
}
