public import Foundation
import GitStore
public import GitValues
#if canImport(Glibc)
import Glibc
#endif

/// A stet document repository: a git repository whose drafts folder holds one Markdown file per
/// section, with the settings of its optional `stet.yml`.
public final class DocumentRepository {
    /// The repository itself: only StetKit calls git.
    let git: Repository
    /// The working directory, without a trailing slash.
    public let root: String
    public let config: StetConfig
    /// The process environment (identity, dates); tests pass their own.
    let environment: [String: String]
    /// stet's write lock while this repository holds it (see `writing`).
    var writeLock: WriteLock?

    init(git: Repository, environment: [String: String]) throws(StetError) {
        guard let workdir = git.workdir else {
            throw StetError(.notFound, "\(git.gitDirectory) is a bare repository; stet needs a working folder (stet clone)")
        }
        self.git = git
        root = workdir.hasSuffix("/") ? String(workdir.dropLast()) : workdir
        self.environment = environment
        let configPath = root + "/" + StetConfig.fileName
        if let data = FileManager.default.contents(atPath: configPath) {
            guard let text = String(data: data, encoding: .utf8) else {
                throw StetError(.invalidContent, "\(StetConfig.fileName) is not UTF-8 text")
            }
            config = try StetConfig(yaml: text, path: StetConfig.fileName)
        } else {
            config = StetConfig()
        }
    }

    /// Opens the repository that holds `path` (searching upwards, as git does).
    public static func open(at path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(StetError) -> DocumentRepository
    {
        let git: Repository
        do {
            git = try Repository.discover(from: path)
        } catch {
            switch error.code {
            case .notFound:
                throw StetError(.notFound, "\(path) is not in a stet repository (no .git folder here or above); "
                    + "create one with stet init or stet clone")
            case .notOwned:
                throw notOwned(path)
            default:
                throw StetError(error, "cannot open the repository at \(path)")
            }
        }
        return try DocumentRepository(git: git, environment: environment)
    }

    /// libgit2 1.5 words this as a "safe.directory" problem; say what it means.
    static func notOwned(_ path: String) -> StetError {
        let owner = (try? FileManager.default.attributesOfItem(atPath: path)[.ownerAccountName] as? String) ?? "another user"
        return StetError(.notOwned, "the repository at \(path) belongs to \(owner), not to you, so git will not open it; "
            + "if you trust it, run: git config --global --add safe.directory \(path)")
    }

    /// The document's title: `title` in stet.yml, else the repository folder's name.
    public var title: String { config.title ?? URL(fileURLWithPath: root).lastPathComponent }

    /// The drafts folder from the root, without a trailing slash.
    public var draftsFolder: String { config.drafts }

    /// Whether a repository path is a section file: a `.md` file under the drafts folder.
    func isSectionPath(_ path: String) -> Bool {
        path.hasPrefix(draftsFolder + "/") && path.lowercased().hasSuffix(".md")
    }

    /// Whether a repository path is an image under the drafts folder (a figure a section shows),
    /// which commits record with the sections.
    func isImagePath(_ path: String) -> Bool {
        guard path.hasPrefix(draftsFolder + "/"), let dot = path.lastIndex(of: "."), !path.lowercased().hasSuffix(".md") else {
            return false
        }
        return Self.imageExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    func relativePath(_ path: String) -> String {
        String(path.dropFirst(draftsFolder.count + 1))
    }

    // MARK: Revisions

    /// The commit a revision names, or a not-found error suggesting the nearest name.
    public func resolve(_ revision: String) throws(StetError) -> ObjectID {
        do {
            return try git.resolveCommit(revision)
        } catch {
            switch error.code {
            case .notFound, .invalidSpec, .ambiguous, .unbornBranch:
                let candidates = ((try? git.referenceNames(matching: "refs/tags/*")) ?? [])
                    .map { String($0.dropFirst("refs/tags/".count)) }
                    + ((try? git.referenceNames(matching: "refs/heads/*")) ?? [])
                    .map { String($0.dropFirst("refs/heads/".count)) }
                    + config.milestones + ["HEAD"]
                let why = error.code == .ambiguous ? "is ambiguous" : "names no commit"
                let pending = config.milestones.contains(revision) ? " (milestone '\(revision)' is not tagged yet)" : ""
                throw StetError(.notFound, "revision '\(revision)' \(why)\(pending)"
                    + (pending.isEmpty ? Suggestion.hint(for: revision, in: Set(candidates).sorted()) : ""))
            default:
                throw StetError(error, "cannot resolve revision '\(revision)'")
            }
        }
    }

    /// A commit's author, committer, message and trailers.
    public func commitInfo(_ id: ObjectID) throws(StetError) -> CommitInfo {
        try gitCall("read commit \(id.short)") { () throws(GitError) in try git.commit(id) }
    }

    /// The commit HEAD points to; nil before the first commit.
    public func head() throws(StetError) -> ObjectID? {
        do {
            return try git.head()
        } catch {
            throw StetError(error, "cannot read HEAD")
        }
    }

    // MARK: Drafts

    /// The draft at a revision.
    public func draft(at revision: String) throws(StetError) -> Draft {
        let commit = try resolve(revision)
        return try draft(atCommit: commit, revision: revision)
    }

    /// The draft at a commit.
    public func draft(atCommit commit: ObjectID, revision: String? = nil) throws(StetError) -> Draft {
        do {
            let tree = try git.treeID(ofCommit: commit)
            let files = try git.files(inTree: tree, under: draftsFolder).filter { isSectionPath($0.path) }
            var sections: [Section] = []
            for file in files {
                guard file.mode == .regular || file.mode == .executable else { continue }
                sections.append(Section(path: file.path, relativePath: relativePath(file.path),
                                        bytes: try git.blob(file.id), blob: file.id))
            }
            return Draft(revision: revision ?? commit.short, commit: commit, sections: sections, order: config.order)
        } catch {
            throw StetError(error, "cannot read the draft at \(revision ?? commit.short)")
        }
    }

    /// The draft in the working tree: the sections git tracks or would track (ignore rules
    /// apply), read from disk. Symbolic links are not followed; they appear as warnings.
    public func workingDraft() throws(StetError) -> Draft {
        let paths = try workingSectionPaths()
        var sections: [Section] = []
        for path in paths {
            switch WorkingFile.read(root: root, path: path) {
            case .regular(let bytes):
                sections.append(Section(path: path, relativePath: relativePath(path), bytes: bytes))
            case .symlink, .missing, .unreadable:
                continue
            }
        }
        return Draft(revision: nil, commit: nil, sections: sections, order: config.order)
    }

    /// Section paths in the working tree: HEAD's, less deleted ones, plus new ones.
    func workingSectionPaths() throws(StetError) -> [String] {
        let head = try head()
        var paths: Set<String> = []
        do {
            if let head {
                let tree = try git.treeID(ofCommit: head)
                paths = Set(try git.files(inTree: tree, under: draftsFolder).map(\.path).filter(isSectionPath))
            }
            for change in try workdirChanges(head: head) {
                paths.remove(change.oldPath)
                if change.kind != .deleted, isSectionPath(change.newPath) { paths.insert(change.newPath) }
            }
        } catch {
            throw StetError(error, "cannot read the working tree")
        }
        return paths.sorted()
    }

    /// The files under the drafts folder that differ between HEAD and the working tree; with
    /// `refreshIndex` (only while stet's write lock is held), git's index is brought up to date
    /// where that saves later runs work.
    func workdirChanges(head: ObjectID?, refreshIndex: Bool = false) throws(GitError) -> [FileChange] {
        let tree = try head.map { (id) throws(GitError) in try git.treeID(ofCommit: id) }
        return try git.changesToWorkdir(from: tree, under: draftsFolder, refreshIndex: refreshIndex)
    }
}

/// A file of the working tree, read without following symbolic links.
enum WorkingFile {
    case regular([UInt8])
    case symlink(target: String)
    case missing
    case unreadable(String)

    /// Reads the file at `root/path`, or at most `limit` bytes of it.
    static func read(root: String, path: String, limit: Int = .max) -> WorkingFile {
        let fullPath = root + "/" + path
        var status = stat()
        guard lstat(fullPath, &status) == 0 else { return .missing }
        if status.st_mode & S_IFMT == S_IFLNK {
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink(fullPath, &buffer, buffer.count - 1)
            let target = count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
            return .symlink(target: target)
        }
        guard status.st_mode & S_IFMT == S_IFREG else { return .unreadable(path) }
        let descriptor = open(fullPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return .unreadable(path) }
        defer { close(descriptor) }
        let wanted = min(Int(status.st_size), limit)
        var bytes = [UInt8](repeating: 0, count: wanted)
        let filled = bytes.withUnsafeMutableBytes { SystemIO.readAll(descriptor, into: $0, count: wanted) } ?? 0
        // A file that grew meanwhile is read as far as it was when looked at.
        if filled < wanted { bytes.removeLast(wanted - filled) }
        return .regular(bytes)
    }
}
