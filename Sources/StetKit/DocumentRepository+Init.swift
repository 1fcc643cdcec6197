public import Foundation
import GitStore
import GitValues

extension DocumentRepository {
    /// Makes `path` a stet repository: drafts and templates folders, `stet.yml` and the milestone
    /// log, in a first commit on `main`. An existing git repository without `stet.yml` is adopted
    /// (the files are committed on its current branch); a stet repository is refused.
    public static func initialize(
        at path: String, title: String?, author: String? = nil, date: Date? = nil, timeZoneOffset: Int? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StetError) -> DocumentRepository {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: path).standardizedFileURL.path
        if manager.fileExists(atPath: folder + "/" + StetConfig.fileName) {
            throw StetError(.exists, "\(folder) is a stet repository already (it has \(StetConfig.fileName))")
        }
        let folderExisted = manager.fileExists(atPath: folder)
        let adopting = manager.fileExists(atPath: folder + "/.git")
        let git: Repository
        do {
            git = adopting ? try Repository(openingAt: folder) : try Repository.create(at: folder)
        } catch {
            if error.code == .notOwned { throw notOwned(folder) }
            throw StetError(error, "cannot create a repository at \(folder)")
        }
        do {
            return try initialize(git, folder: folder, title: title, author: author, date: date,
                                  timeZoneOffset: timeZoneOffset, environment: environment)
        } catch {
            // A refused init leaves nothing of its own: no empty .git to puzzle over later.
            if !adopting {
                try? manager.removeItem(atPath: folderExisted ? folder + "/.git" : folder)
            }
            throw error
        }
    }

    private static func initialize(
        _ git: Repository, folder: String, title: String?, author: String?, date: Date?, timeZoneOffset: Int?,
        environment: [String: String]
    ) throws(StetError) -> DocumentRepository {
        let manager = FileManager.default
        let documentTitle = title ?? URL(fileURLWithPath: folder).lastPathComponent
        var signer = try Identity.resolve(explicit: author, environment: environment, repository: git, date: date ?? Date())
        if let timeZoneOffset { signer.timeZoneOffset = timeZoneOffset }

        let files: [(String, String)] = [
            (StetConfig.fileName, StetConfig.initialText(title: documentTitle)),
            ("drafts/.gitkeep", ""),
            ("templates/.gitkeep", ""),
            ("CHANGELOG.md", MilestoneLog.initialText(title: documentTitle)),
        ]
        let created = files.filter { !manager.fileExists(atPath: folder + "/" + $0.0) }
        do {
            for (name, text) in created {
                let url = URL(fileURLWithPath: folder + "/" + name)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            }
        } catch {
            throw StetError(.failure, "cannot write the new repository's files in \(folder): \(error.localizedDescription)")
        }
        do {
            let head = try git.head()
            var updates: [TreeUpdate] = []
            var entries: [IndexEntry] = []
            for (name, text) in created {
                let blob = try git.writeBlob(Array(text.utf8))
                updates.append(TreeUpdate(path: name, action: .upsert(blob, .regular)))
                entries.append(IndexEntry(path: name, id: blob))
            }
            let base = try head.map { (id) throws(GitError) in try git.treeID(ofCommit: id) }
            _ = try git.createCommit(base: base, updates: updates, parents: head.map { [$0] } ?? [],
                                     author: signer, committer: signer,
                                     message: "Start the document repository of \(documentTitle)\n",
                                     updatingReference: "HEAD")
            try git.updateIndex(setting: entries, removing: [])
        } catch {
            for (name, _) in created { try? manager.removeItem(atPath: folder + "/" + name) }
            throw StetError(error, "cannot make the first commit in \(folder)")
        }
        return try DocumentRepository(git: git, environment: environment)
    }
}
