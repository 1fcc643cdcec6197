import GitStore
public import GitValues

/// A tagged milestone: the annotated tag that records an approval of the draft at a commit.
public struct Milestone: Sendable, Hashable {
    public var name: String
    /// The tag object `refs/tags/NAME` points to.
    public var tag: ObjectID
    /// The commit the milestone freezes.
    public var commit: ObjectID
    public var tagger: Signature
    /// The approval the tag records (without a signature).
    public var message: String
    /// Whether a signature is appended to the tag object.
    public var isSigned: Bool

    /// The first line of the message.
    public var summary: String { String(message.prefix { $0 != "\n" }) }

    /// The tag object this milestone replaced by a correction, if any (its `Supersedes:` trailer).
    public var supersedes: ObjectID? {
        parseTrailers(message).last { $0.key == Milestone.supersedesKey }.flatMap { ObjectID(hex: $0.value) }
    }

    /// The reason of the correction that made this tag, if any.
    public var correctionReason: String? {
        parseTrailers(message).last { $0.key == Milestone.correctionKey }?.value
    }

    static let supersedesKey = "Supersedes"
    static let correctedFromKey = "Corrected-from"
    static let correctionKey = "Correction"

    init(name: String, tag: ObjectID, commit: ObjectID, tagger: Signature, message: String, isSigned: Bool) {
        self.name = name
        self.tag = tag
        self.commit = commit
        self.tagger = tagger
        self.message = message
        self.isSigned = isSigned
    }

    /// Reads a milestone from a tag; nil for a lightweight tag or one that names no commit.
    init?(_ tag: TagInfo) {
        guard tag.isAnnotated, let commit = tag.commit, let tagger = tag.tagger else { return nil }
        name = tag.name
        self.tag = tag.referenceTarget
        self.commit = commit
        self.tagger = tagger
        message = tag.message
        isSigned = tag.signature != nil
    }
}

/// How the sections of two drafts differ, by section id.
public struct SectionSummary: Sendable, Hashable, Codable {
    public struct Rename: Sendable, Hashable, Codable {
        public var from: String
        public var to: String
    }

    public var added: [String] = []
    public var removed: [String] = []
    public var changed: [String] = []
    public var renamed: [Rename] = []

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && renamed.isEmpty }

    /// `2 added, 1 removed, 5 changed, 1 renamed`, or `no section changed`.
    public var counts: String {
        let parts = [(added.count, "added"), (removed.count, "removed"), (changed.count, "changed"), (renamed.count, "renamed")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.isEmpty ? "no section changed" : parts.joined(separator: ", ")
    }

    init(_ touches: [SectionTouch], relativePath: (String) -> String) {
        for touch in touches {
            switch touch.kind {
            case .added: added.append(touch.id)
            case .deleted: removed.append(touch.id)
            case .modified: changed.append(touch.id)
            case .renamed:
                renamed.append(Rename(from: touch.oldPath.map(relativePath) ?? "?", to: relativePath(touch.path)))
            }
        }
    }
}

/// Someone whose commits changed the drafts between two milestones.
public struct Contributor: Sendable, Hashable, Codable {
    public var name: String
    public var email: String
    public var commits: Int
}

/// One step of the milestone sequence, tagged or pending, with what changed since the previous one.
public struct MilestoneStatus: Sendable {
    public var name: String
    /// The tag, or nil while the milestone is pending.
    public var milestone: Milestone?
    /// The previous milestone of the sequence, if it is tagged.
    public var previous: String?
    /// What changed since `previous` (or since the beginning), up to this milestone or, for
    /// the next pending milestone, up to HEAD; nil for later pending milestones.
    public var sections: SectionSummary?
    /// Who changed the drafts in that range, most commits first.
    public var contributors: [Contributor]
    /// Problems in the tag itself (a lightweight tag, a tag on something other than a commit).
    public var problem: String?
    /// When the draft the milestone approves was committed (the tag's own date is the approval's).
    public var committed: Signature?
}

extension DocumentRepository {
    /// The milestone `name` if it is tagged; a tag that is not an annotated tag on a commit is
    /// reported as `.invalidContent`.
    public func milestone(_ name: String) throws(StetError) -> Milestone? {
        let tag: TagInfo?
        do {
            tag = try git.tag(named: name)
        } catch {
            throw StetError(error, "cannot read the tag '\(name)'")
        }
        guard let tag else { return nil }
        guard let milestone = Milestone(tag) else {
            throw StetError(.invalidContent, "the tag '\(name)' is "
                + (tag.isAnnotated ? "not on a commit" : "a lightweight tag, not an annotated milestone tag"))
        }
        return milestone
    }

    /// Every step of the configured sequence, in order.
    public func milestones() throws(StetError) -> [MilestoneStatus] {
        var result: [MilestoneStatus] = []
        var previous: Milestone?
        var pendingSeen = false
        let head = try head()
        for name in config.milestones {
            var status = MilestoneStatus(name: name, milestone: nil, previous: previous?.name, sections: nil, contributors: [])
            var current: Milestone?
            do {
                current = try milestone(name)
            } catch {
                status.problem = error.message
            }
            status.milestone = current
            status.committed = try current.map { (milestone) throws(StetError) in
                try gitCall("read \(milestone.commit.short)") { () throws(GitError) in try git.commit(milestone.commit).committer }
            }
            let end = current?.commit ?? (pendingSeen ? nil : head)
            if let end, status.problem == nil {
                let unchanged = end == head ? try unchangedWorkingSections(status: nil) : [:]
                (status.sections, status.contributors) = try changes(from: previous?.commit, to: end, unchanged: unchanged)
            }
            if current == nil { pendingSeen = true }
            result.append(status)
            if let current { previous = current }
        }
        return result
    }

    /// The section summary and contributors between two commits (nil: the beginning).
    /// `unchanged` lists section files of the working tree known to hold `end`'s blobs.
    func changes(from start: ObjectID?, to end: ObjectID, unchanged: [String: ObjectID] = [:])
        throws(StetError) -> (SectionSummary, [Contributor])
    {
        do {
            let startTree = try start.map { (id) throws(GitError) in try git.treeID(ofCommit: id) }
            let endTree = try git.treeID(ofCommit: end)
            let touches = try sectionTouches(from: startTree, to: endTree, unchanged: unchanged)
            let summary = SectionSummary(touches, relativePath: relativePath)
            return (summary, try contributors(from: start, to: end))
        } catch {
            throw StetError(error, "cannot compare \(start?.short ?? "the beginning") with \(end.short)")
        }
    }

    /// HEAD's section files whose working copy is unchanged (by git's status), with their blob ids.
    func unchangedWorkingSections(status known: WorkingStatus?) throws(StetError) -> [String: ObjectID] {
        guard let head = try head() else { return [:] }
        var status = known
        if status == nil { status = try self.status() }
        let changed = Set(status!.changes.flatMap { [$0.path, $0.oldPath].compactMap { $0 } })
        do {
            let files = try git.files(inTree: try git.treeID(ofCommit: head), under: draftsFolder)
            return Dictionary(files.filter { !changed.contains($0.path) }.map { ($0.path, $0.id) }, uniquingKeysWith: { $1 })
        } catch {
            throw StetError(error, "cannot read the sections at HEAD")
        }
    }

    /// Authors of the commits in `start..end` that changed the drafts folder (merges left out:
    /// their changes are credited to the commits merged).
    func contributors(from start: ObjectID?, to end: ObjectID) throws(GitError) -> [Contributor] {
        var counts: [String: Contributor] = [:]
        var draftsTrees: [ObjectID: ObjectID?] = [:]
        func draftsTree(_ commit: ObjectID, tree: ObjectID? = nil) throws(GitError) -> ObjectID? {
            if let known = draftsTrees[commit] { return known }
            var treeID = tree
            if treeID == nil { treeID = try git.treeID(ofCommit: commit) }
            let id = try git.entryID(atPath: draftsFolder, inTree: treeID!)
            draftsTrees[commit] = id
            return id
        }
        for id in try git.walk(from: [end], hiding: start.map { [$0] } ?? []) {
            let commit = try git.commit(id)
            guard commit.parents.count <= 1 else { continue }
            let mine = try draftsTree(id, tree: commit.tree)
            let parent = try commit.parents.first.map { (id) throws(GitError) in try draftsTree(id) } ?? nil
            guard mine != parent else { continue }
            // A commit that creates the drafts folder without a section in it (stet init) wrote no text.
            if parent == nil, try !git.files(inTree: commit.tree, under: draftsFolder).contains(where: { isSectionPath($0.path) }) {
                continue
            }
            let key = commit.author.email.lowercased()
            counts[key, default: Contributor(name: commit.author.name, email: commit.author.email, commits: 0)].commits += 1
        }
        return counts.values.sorted { ($1.commits, $0.name) < ($0.commits, $1.name) }
    }
}
