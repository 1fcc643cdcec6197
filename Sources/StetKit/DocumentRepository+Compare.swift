public import GitStore
public import ProseDiff

/// Two drafts compared: what each side is, and the redline.
public struct DraftComparison: Sendable {
    /// The revision asked for, or nil for the working tree.
    public var aRevision: String?
    public var aCommit: ObjectID?
    public var bRevision: String?
    public var bCommit: ObjectID?
    public var comparison: Comparison
    /// Problems reading sections, none of which stopped the comparison.
    public var warnings: [String]
}

extension DocumentRepository {
    /// The section files of one side: path to blob id, and the bytes already read (the working
    /// tree's changed files).
    struct SideFiles {
        var revision: String?
        var commit: ObjectID?
        var blobs: [String: ObjectID] = [:]
        var bytes: [String: [UInt8]] = [:]
    }

    /// Compares the draft at `from` (nil: HEAD) with the draft at `to` (nil: the working tree),
    /// as `git diff` takes its revisions. Only sections whose content differs are read.
    public func compare(from: String?, to: String?, options: CompareOptions = CompareOptions())
        throws(StetError) -> DraftComparison
    {
        let a = try sideFiles(from ?? "HEAD")
        let b: SideFiles
        if let to { b = try sideFiles(to) } else { b = try workingFiles() }
        var warnings: [String] = []
        func sections(_ side: SideFiles, other: SideFiles) throws(StetError) -> [Section] {
            var result: [Section] = []
            for (path, blob) in side.blobs where other.blobs[path] != blob {
                let bytes: [UInt8]
                if let known = side.bytes[path] {
                    bytes = known
                } else {
                    do {
                        bytes = try git.blob(blob)
                    } catch {
                        throw StetError(error, "cannot read \(path) at \(side.revision ?? "the working tree")")
                    }
                }
                let section = Section(path: path, relativePath: relativePath(path), bytes: bytes, blob: blob)
                warnings += section.warnings
                result.append(section)
            }
            return Draft.ordered(result, by: config.order)
        }
        let aSections = try sections(a, other: b)
        let bSections = try sections(b, other: a)
        func texts(_ sections: [Section]) -> [SectionText] {
            sections.map { SectionText(id: $0.id, title: $0.title, path: $0.path, text: $0.text, bodyOffset: $0.bodyOffset,
                                       key: $0.blob.hex) }
        }
        let comparison = Comparer.compare(texts(aSections), texts(bSections), options: options)
        return DraftComparison(aRevision: from ?? "HEAD", aCommit: a.commit, bRevision: to, bCommit: b.commit,
                               comparison: comparison, warnings: warnings)
    }

    private func sideFiles(_ revision: String) throws(StetError) -> SideFiles {
        let commit = try resolve(revision)
        var side = SideFiles(revision: revision, commit: commit)
        do {
            for file in try git.files(inTree: try git.treeID(ofCommit: commit), under: draftsFolder)
            where isSectionPath(file.path) && (file.mode == .regular || file.mode == .executable) {
                side.blobs[file.path] = file.id
            }
        } catch {
            throw StetError(error, "cannot read the draft at \(revision)")
        }
        return side
    }

    /// The working tree: HEAD's files, with what git's status reports as changed read from disk.
    private func workingFiles() throws(StetError) -> SideFiles {
        var side = SideFiles(revision: nil, commit: nil)
        let head = try head()
        do {
            if let head {
                for file in try git.files(inTree: try git.treeID(ofCommit: head), under: draftsFolder)
                where isSectionPath(file.path) {
                    side.blobs[file.path] = file.id
                }
            }
            for change in try workdirChanges(head: head) {
                side.blobs.removeValue(forKey: change.oldPath)
                guard change.kind != .deleted, isSectionPath(change.newPath),
                      case .regular(let bytes) = WorkingFile.read(root: root, path: change.newPath)
                else { continue }
                side.blobs[change.newPath] = ObjectID.forBlob(bytes)
                side.bytes[change.newPath] = bytes
            }
        } catch {
            throw StetError(error, "cannot read the working tree")
        }
        return side
    }
}
