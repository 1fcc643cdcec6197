import Foundation
import GitStore
import GitValues
import ProseDiff

extension DocumentRepository {
    /// File names of the images a page can show from the repository.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "svg"]

    /// The image files the sections of `draft` name by relative paths, read from the draft's
    /// commit (or from the working tree for the working draft), by path from the root. A file
    /// larger than `limit` is read only up to `limit + 1` bytes, enough to say it is too large.
    public func images(of draft: Draft, limit: Int = 2 * 1_048_576) throws(StetError) -> [String: [UInt8]] {
        try images(of: draft.sections, at: draft.commit, limit: limit)
    }

    /// `images(of:)` for sections of the draft at `commit` (nil: the working tree).
    public func images(of sections: [Section], at commit: ObjectID?, limit: Int = 2 * 1_048_576) throws(StetError) -> [String: [UInt8]] {
        var wanted: Set<String> = []
        for section in sections {
            for link in MarkdownLinks.destinations(in: section.text) {
                guard let target = MarkdownLinks.resolve(link.path, from: section.path),
                      let dot = target.lastIndex(of: "."),
                      Self.imageExtensions.contains(target[target.index(after: dot)...].lowercased())
                else { continue }
                wanted.insert(target)
            }
        }
        var files: [String: [UInt8]] = [:]
        let tree = try commit.map { (commit) throws(StetError) in
            try gitCall("read the draft's tree") { () throws(GitError) in try git.treeID(ofCommit: commit) }
        }
        for path in wanted.sorted() {
            if let tree {
                guard let file = try gitCall("read \(path)", { () throws(GitError) in try git.file(atPath: path, inTree: tree) })
                else { continue }
                files[path] = try gitCall("read \(path)") { () throws(GitError) in
                    try git.blobSize(file.id) > limit ? [UInt8](repeating: 0, count: limit + 1) : try git.blob(file.id)
                }
            } else if case .regular(let bytes) = WorkingFile.read(root: root, path: path, limit: limit + 1) {
                files[path] = bytes
            }
        }
        return files
    }
}
