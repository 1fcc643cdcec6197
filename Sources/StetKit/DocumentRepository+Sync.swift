public import Foundation
import ProseDiff
import GitStore
public import GitValues
#if canImport(Glibc)
import Glibc
#endif

/// How to settle a section both sides changed.
public enum ConflictChoice: String, Sendable, CaseIterable {
    /// Keep the text as committed here.
    case ours
    /// Take the remote's text.
    case theirs
    /// Take the working file, edited to combine both.
    case edited
}

/// What a writer asks `stet sync` to do.
public struct SyncRequest: Sendable {
    public var remote: String
    /// Settlements for conflicting sections, by section id or path.
    public var resolutions: [String: ConflictChoice]
    /// `Name <email>` for a merge commit; nil for STET_AUTHOR or git's configuration.
    public var author: String?
    public var date: Date?
    /// How many rounds of fetch, integrate and push before giving up on a remote that keeps moving.
    public var attempts: Int

    public init(remote: String = "origin", resolutions: [String: ConflictChoice] = [:], author: String? = nil,
                date: Date? = nil, attempts: Int = 8)
    {
        self.remote = remote
        self.resolutions = resolutions
        self.author = author
        self.date = date
        self.attempts = attempts
    }
}

/// What a sync did.
public struct SyncResult: Sendable {
    public var remote: String
    public var url: String
    /// Commits that came from the remote into this branch.
    public var received: Int = 0
    /// Commits sent to the remote.
    public var sent: Int = 0
    /// The merge commit, when both sides had new commits.
    public var merge: ObjectID?
    /// Working files brought up to date, by repository path.
    public var updatedFiles: [String] = []
    /// Milestones that arrived from the remote.
    public var receivedMilestones: [String] = []
    /// Milestones sent to the remote.
    public var sentMilestones: [String] = []
    /// Corrections (`stet tag --correct`) made on the remote and adopted here.
    public var adoptedCorrections: [String] = []
    /// Corrections made here and sent to the remote.
    public var sentCorrections: [String] = []
    /// Milestones whose settlements (`stet settle`) made elsewhere arrived.
    public var adoptedSettlements: [String] = []
    /// Milestones whose settlements made here were sent.
    public var sentSettlements: [String] = []
    /// Rounds it took (more than one when other writers pushed meanwhile).
    public var attempts: Int = 0
    public var warnings: [String] = []
    /// Sections with edits not committed, which the sync therefore did not send.
    public var uncommitted: [SectionChange] = []
}

/// A section both sides changed in ways that do not combine: its three texts.
public struct SyncConflict: Sendable {
    public var path: String
    /// The section id (or the path, for files that are not sections).
    public var section: String
    /// The section's title here (or on the remote, when removed here).
    public var title: String
    public var ancestor: String?
    public var ours: String?
    public var theirs: String?
}

public enum SyncOutcome: Sendable {
    case synced(SyncResult)
    /// Nothing was committed or written; the conflicts need a choice each.
    case conflicts([SyncConflict], remote: String)
}

extension DocumentRepository {
    /// Brings this repository and the remote in step: fetch; adopt new milestones (alarm on a
    /// milestone that differs); fast-forward or merge; push the branch and new milestones, never
    /// forced. Uncommitted edits are never overwritten: a sync that would have to is refused
    /// before anything changes. A push that loses a race with another writer starts over.
    public func sync(_ request: SyncRequest) throws(StetError) -> SyncOutcome {
        try writing("stet sync") { () throws(StetError) in try syncHoldingLock(request) }
    }

    private func syncHoldingLock(_ request: SyncRequest) throws(StetError) -> SyncOutcome {
        let remote = try requireRemote(request.remote)
        let branch = try currentBranchName()
        let access = RemoteAccess.forRemote(remote.url, environment: environment)
        var result = SyncResult(remote: remote.name, url: remote.url)
        let attempts = max(1, request.attempts)
        var lastReasons: [String] = []
        for attempt in 1...attempts {
            result.attempts = attempt
            try fetch(remote, access: access)
            // Later rounds start from the merge the first one made, where the conflicts are settled.
            if attempt == 1 { try checkSettlements(request, remote: remote.name, branch: branch) }
            let milestones = try exchangeMilestones(remote: remote.name)
            result.receivedMilestones += milestones.received
            result.adoptedCorrections += milestones.adoptedCorrections
            result.adoptedSettlements += milestones.adoptedSettlements
            if let conflicts = try integrate(remote: remote.name, branch: branch, request: request, result: &result) {
                return .conflicts(conflicts, remote: remote.name)
            }
            let tracking = "refs/remotes/\(remote.name)/\(branch)"
            let remoteTip = try gitCall("read \(tracking)") { () throws(GitError) in try git.referenceTarget(tracking) }
            let local = try head()
            var updates: [RefUpdate] = []
            var commitsToSend = 0
            if let local, local != remoteTip {
                updates.append(RefUpdate(source: "refs/heads/\(branch)", destination: "refs/heads/\(branch)",
                                         expected: remoteTip))
                commitsToSend = try gitCall("count the commits to send") { () throws(GitError) in
                    try git.walk(from: [local], hiding: remoteTip.map { [$0] } ?? []).count
                }
            }
            updates += milestones.updates
            guard !updates.isEmpty else { return .synced(try withUncommitted(result)) }
            let rejections: [PushRejection]
            do {
                rejections = try git.push(remote: remote.name, updates: updates, access: access)
            } catch {
                throw remoteError(error, remote, doing: "send to")
            }
            if rejections.isEmpty {
                if let local {
                    try? git.mirrorReference(tracking, to: local, logMessage: "stet sync: sent")
                }
                result.sent += commitsToSend
                result.sentMilestones += milestones.toSend
                result.sentCorrections += milestones.corrections
                result.sentSettlements += milestones.settlementsToSend
                return .synced(try withUncommitted(result))
            }
            lastReasons = rejections.map { "\($0.reference): \($0.reason)" }
            // A hook's refusal is an answer, not a race: say it at once.
            if rejections.contains(where: { Self.isRefusal($0.reason) }) {
                throw StetError(.refused, "\(remote.name) refused the update (" + lastReasons.joined(separator: "; ") + ")")
            }
            if attempt < attempts {
                let base = UInt32.random(in: 20_000...80_000)
                usleep(base << UInt32(min(attempt - 1, 5)))
            }
        }
        let lockFiles = lastReasons.compactMap { reason in
            reason.range(of: Repository.lockedReason).map { String(reason[$0.upperBound...]) }
        }
        if !lockFiles.isEmpty {
            throw StetError(.locked, "\(remote.name) stayed locked through \(attempts) tries (\(lockFiles.joined(separator: ", ")) "
                + "exists); if no one is sending to \(remote.name), a command stopped while writing there left it: "
                + "delete it, then run stet sync again; nothing here is lost")
        }
        throw StetError(.locked, "\(remote.name) kept changing while this sync sent its commits (\(attempts) tries; "
            + lastReasons.joined(separator: "; ") + "); nothing is lost: run stet sync again")
    }

    /// The result with the sections whose edits are not committed: a sync sends commits only,
    /// and a writer must hear that those edits stayed here.
    private func withUncommitted(_ result: SyncResult) throws(StetError) -> SyncResult {
        var result = result
        result.uncommitted = try status().changes
        return result
    }

    /// Refuses settlements (`--ours`, `--theirs`, `--edited`) that name no section in conflict
    /// with the remote's branch, before anything is written: a choice that would be ignored is a
    /// mistyped name or a misunderstanding, and the writer must hear which.
    private func checkSettlements(_ request: SyncRequest, remote: String, branch: String) throws(StetError) {
        guard !request.resolutions.isEmpty else { return }
        let tracking = "refs/remotes/\(remote)/\(branch)"
        let theirs = try gitCall("read \(tracking)") { () throws(GitError) in try git.referenceTarget(tracking) }
        var conflicts: [MergeConflict] = []
        if let theirs, let ours = try head(), ours != theirs,
           !(try isAncestor(theirs, of: ours)), !(try isAncestor(ours, of: theirs))
        {
            conflicts = try gitCall("merge \(remote)") { () throws(GitError) in try git.merge(ours: ours, theirs: theirs) }
                .conflicts
        }
        let names = conflicts.map { conflict in
            sectionName(conflict.path, bytes: (conflict.ours ?? conflict.theirs).flatMap { try? git.blob($0.id) })
        }
        for (key, choice) in request.resolutions.sorted(by: { $0.key < $1.key })
        where !conflicts.contains(where: { conflictMatches($0, key) }) {
            let option = "--\(choice.rawValue) \(key)"
            let milestone = config.milestones.contains(key)
                ? "; '\(key)' is a milestone: one that differs from \(remote)'s is settled with "
                    + "stet settle \(key) --ours|--theirs -m WHY" : ""
            if conflicts.isEmpty {
                throw StetError(.usage, "nothing to settle: no section conflicts between here and \(remote) "
                    + "(\(option) names none)\(milestone); run stet sync without --ours, --theirs or --edited")
            }
            throw StetError(.usage, "'\(key)' is not in conflict with \(remote)" + Suggestion.hint(for: key, in: names)
                + " (\(option)); the sections in conflict: " + names.joined(separator: ", ") + milestone)
        }
    }

    static func isRefusal(_ reason: String) -> Bool {
        let lowered = reason.lowercased()
        return lowered.contains("hook declined") || lowered.contains("denied") || lowered.contains("refus")
    }

    func requireRemote(_ name: String) throws(StetError) -> Remote {
        let remote = try gitCall("read the remote '\(name)'") { () throws(GitError) in try git.remote(named: name) }
        guard let remote else {
            let known = ((try? git.remotes()) ?? []).map(\.name)
            throw StetError(.notFound, "there is no remote '\(name)'"
                + (known.isEmpty ? "; add one with stet remote add \(name) URL"
                    : " (remotes: \(known.joined(separator: ", ")))"))
        }
        return remote
    }

    private func currentBranchName() throws(StetError) -> String {
        let branch = try gitCall("read HEAD") { () throws(GitError) in try git.currentBranch() }
        guard let branch else {
            throw StetError(.refused, "HEAD is detached (not on a branch); stet syncs a branch: git switch main")
        }
        return branch
    }

    func fetch(_ remote: Remote, access: RemoteAccess) throws(StetError) {
        try Self.checkLocalRepository(remote.url)
        do {
            try git.fetch(remote: remote.name, access: access, mirrored: ["refs/tags/"] + Self.recordNamespaces)
        } catch {
            throw remoteError(error, remote, doing: "fetch from")
        }
    }

    func remoteError(_ error: GitError, _ remote: Remote, doing action: String) -> StetError {
        let location = Self.displayURL(remote.url)
        switch error.code {
        case .locked:
            return StetError(error, "cannot \(action) \(remote.name) (\(location))")
        case .authentication:
            return StetError(.unavailable, "cannot \(action) \(remote.name) (\(location)): \(error.message)")
        default:
            return StetError(.unavailable, "cannot \(action) \(remote.name) (\(location)): \(error.message)")
        }
    }

    /// A URL as it may be shown: without a password or token in it.
    public static func displayURL(_ url: String) -> String {
        guard url.contains("://"), var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = nil
        return components.string ?? url
    }

    // MARK: Integration

    /// Fast-forwards or merges the remote branch into this one; conflicts when the merge needs
    /// choices it was not given. Working files change only where they are as last committed.
    private func integrate(remote: String, branch: String, request: SyncRequest, result: inout SyncResult)
        throws(StetError) -> [SyncConflict]?
    {
        let tracking = "refs/remotes/\(remote)/\(branch)"
        let theirs = try gitCall("read \(tracking)") { () throws(GitError) in try git.referenceTarget(tracking) }
        guard let theirs else { return nil }
        let ours = try head()
        if ours == theirs { return nil }
        if let ours, try isAncestor(theirs, of: ours) { return nil }

        let behind = try ours.map { (id) throws(StetError) in try isAncestor(id, of: theirs) } ?? true
        if behind {
            result.received += try gitCall("count the commits received") { () throws(GitError) in
                try git.walk(from: [theirs], hiding: ours.map { [$0] } ?? []).count
            }
            let trees = try gitCall("read the trees to bring in") { () throws(GitError) in
                (try ours.map { (id) throws(GitError) in try git.treeID(ofCommit: id) }, try git.treeID(ofCommit: theirs))
            }
            result.updatedFiles += try updateWorkingFolder(from: trees.0, to: trees.1, remote: remote)
            try moveBranch(branch, to: theirs, from: ours, why: "sync: fast-forward to \(remote)")
            return nil
        }
        guard let ours else { return nil }
        return try mergeBranch(ours: ours, theirs: theirs, remote: remote, branch: branch, request: request,
                               result: &result)
    }

    /// Merges commit `theirs` (from `remote`, or a branch named there) into `branch`, which is at
    /// `ours`, in a merge commit: the sections that combine are combined, and conflicts settled by
    /// `request.resolutions`; the others are returned and nothing is written. `message` replaces
    /// the sync's own message (the `Resolved:` trailers are added to either).
    func mergeBranch(ours: ObjectID, theirs: ObjectID, remote: String, branch: String, request: SyncRequest,
                     message explicitMessage: String? = nil, result: inout SyncResult) throws(StetError) -> [SyncConflict]?
    {
        let first = try gitCall("merge \(remote)") { () throws(GitError) in try git.merge(ours: ours, theirs: theirs) }
        var resolutions: [String: ObjectID?] = [:]
        var settled: [String] = []
        for conflict in first.conflicts where conflict.path == config.changelog && resolution(for: conflict, in: request.resolutions) == nil {
            if let merged = try mergedLog(conflict) { resolutions[conflict.path] = .some(merged) }
        }
        for conflict in first.conflicts {
            guard let choice = resolution(for: conflict, in: request.resolutions) else { continue }
            let label = sectionName(conflict.path, bytes: try? conflict.ours.map { (file) throws(GitError) in try git.blob(file.id) })
            switch choice {
            case .ours: resolutions[conflict.path] = .some(conflict.ours?.id)
            case .theirs: resolutions[conflict.path] = .some(conflict.theirs?.id)
            case .edited:
                switch WorkingFile.read(root: root, path: conflict.path) {
                case .regular(let bytes):
                    try ContentCheck.validate(path: conflict.path, bytes: bytes)
                    let blob = try gitCall("store \(conflict.path)") { () throws(GitError) in try git.writeBlob(bytes) }
                    resolutions[conflict.path] = .some(blob)
                case .missing:
                    resolutions[conflict.path] = .some(nil)
                case .symlink, .unreadable:
                    throw StetError(.invalidContent, "\(conflict.path) is not a readable regular file")
                }
            }
            settled.append("\(label) (\(choice.rawValue))")
        }
        let merged: MergeResult
        if resolutions.isEmpty {
            merged = first
        } else {
            merged = try gitCall("merge \(remote)") { () throws(GitError) in
                try git.merge(ours: ours, theirs: theirs, resolutions: resolutions)
            }
        }
        if !merged.conflicts.isEmpty {
            return merged.conflicts.map { conflict in
                func text(_ file: TreeFile?) -> String? {
                    file.flatMap { try? git.blob($0.id) }.map { String(decoding: $0, as: UTF8.self) }
                }
                let ourText = text(conflict.ours), theirText = text(conflict.theirs)
                let bytes = (ourText ?? theirText).map { Array($0.utf8) } ?? []
                let section = isSectionPath(conflict.path)
                    ? Section(path: conflict.path, relativePath: relativePath(conflict.path), bytes: bytes) : nil
                return SyncConflict(path: conflict.path, section: section?.id ?? conflict.path,
                                    title: section?.title ?? conflict.path,
                                    ancestor: text(conflict.ancestor), ours: ourText, theirs: theirText)
            }
        }
        guard let tree = merged.tree else { return nil }
        let date = request.date ?? Date()
        let author = try Identity.resolve(explicit: request.author, environment: environment, repository: git, date: date)
        let incoming = try gitCall("count the commits received") { () throws(GitError) in
            try git.walk(from: [theirs], hiding: [ours])
        }
        var message = explicitMessage.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? ("Merge the team's edits from \(remote)/\(branch)\n\n"
                + "\(counted(incoming.count, "commit")) from \(remote) combined with the edits made here.")
        if !settled.isEmpty {
            message += "\n\n" + settled.map { "Resolved: \($0)" }.joined(separator: "\n")
        }
        message += "\n"
        let commit = try gitCall("write the merge commit") { () throws(GitError) in
            try git.createCommit(tree: tree, parents: [ours, theirs], author: author, committer: author,
                                 message: message, updatingReference: nil)
        }
        let ourTree = try gitCall("read HEAD's tree") { () throws(GitError) in try git.treeID(ofCommit: ours) }
        result.updatedFiles += try updateWorkingFolder(from: ourTree, to: tree, remote: remote)
        try moveBranch(branch, to: commit, from: ours, why: "merge \(remote)")
        result.received += incoming.count
        result.merge = commit
        return nil
    }

    /// The milestone log both sides wrote to, merged entry by entry (see `MilestoneLog.merge`),
    /// as a blob; nil when it does not merge so.
    private func mergedLog(_ conflict: MergeConflict) throws(StetError) -> ObjectID? {
        func text(_ file: TreeFile?) throws(StetError) -> String? {
            try file.map { (file) throws(StetError) in
                String(decoding: try gitCall("read \(file.path)") { () throws(GitError) in try git.blob(file.id) }, as: UTF8.self)
            }
        }
        guard let ours = try text(conflict.ours), let theirs = try text(conflict.theirs),
              let merged = MilestoneLog.merge(base: try text(conflict.ancestor), ours: ours, theirs: theirs,
                                              tag: { entry in
                                                  (try? git.tag(object: entry.tag, name: entry.name)).flatMap(Milestone.init)
                                                      .map { ($0.tagger.date, $0.supersedes) }
                                              })
        else { return nil }
        return try gitCall("store \(conflict.path)") { () throws(GitError) in try git.writeBlob(Array(merged.utf8)) }
    }

    private func resolution(for conflict: MergeConflict, in choices: [String: ConflictChoice]) -> ConflictChoice? {
        for (key, choice) in choices where conflictMatches(conflict, key) { return choice }
        return nil
    }

    private func conflictMatches(_ conflict: MergeConflict, _ key: String) -> Bool {
        let paths = [conflict.path, conflict.ours?.path, conflict.theirs?.path, conflict.ancestor?.path].compactMap { $0 }
        for path in paths {
            if key == path || (isSectionPath(path) && (key == relativePath(path)
                || key == SectionID.derived(fromRelativePath: relativePath(path))))
            {
                return true
            }
            if isSectionPath(path), let file = [conflict.ours, conflict.theirs].compactMap({ $0 }).first,
               let bytes = try? git.blob(file.id),
               Section(path: path, relativePath: relativePath(path), bytes: bytes).id == key
            {
                return true
            }
        }
        return false
    }

    /// `'governance/data-privacy' (drafts/05-data.md)` for a section, the path for other files.
    func sectionLabel(_ path: String, bytes: [UInt8]?) -> String {
        let name = sectionName(path, bytes: bytes)
        return name == path ? path : "'\(name)' (\(path))"
    }

    /// The section id of a path (from its front matter when `bytes` are given); other files by path.
    func sectionName(_ path: String, bytes: [UInt8]?) -> String {
        guard isSectionPath(path) else { return path }
        return bytes.map { Section(path: path, relativePath: relativePath(path), bytes: $0).id }
            ?? SectionID.derived(fromRelativePath: relativePath(path))
    }

    func moveBranch(_ branch: String, to commit: ObjectID, from old: ObjectID?, why: String) throws(StetError) {
        do {
            try git.setReference("refs/heads/\(branch)", to: commit, expecting: old, logMessage: "stet: \(why)")
        } catch where [.modified, .exists, .locked].contains(error.code) {
            throw StetError(.locked, "the branch '\(branch)' moved while syncing (another stet command?); "
                + "the working files are up to date with it: run stet sync again")
        } catch {
            throw StetError(error, "cannot move '\(branch)'")
        }
    }

    /// Brings the working files from tree `old` to tree `new`, file by file, and git's index with
    /// them. A file is written only where it is as `old` has it (or already as `new` has it);
    /// any other file in the way (uncommitted edits) refuses the whole update before anything is
    /// written. A file settled as edited is already as `new` has it.
    func updateWorkingFolder(from old: ObjectID?, to new: ObjectID, remote: String) throws(StetError) -> [String]
    {
        let changes = try gitCall("compare the trees") { () throws(GitError) in
            try git.changes(from: old, to: new, under: "", renames: false)
        }
        var writes: [(path: String, blob: ObjectID?)] = []
        var current: [(path: String, blob: ObjectID?)] = []
        var blocked: [String] = []
        for change in changes {
            let path = change.kind == .deleted ? change.oldPath : change.newPath
            let before: ObjectID? = change.kind == .added ? nil : change.oldID
            let after: ObjectID? = change.kind == .deleted ? nil : change.newID
            let working: ObjectID?
            switch WorkingFile.read(root: root, path: path) {
            case .regular(let bytes): working = ObjectID.forBlob(bytes)
            case .missing: working = nil
            case .symlink, .unreadable:
                blocked.append(sectionLabel(path, bytes: nil))
                continue
            }
            if working == after {
                current.append((path, after))
            } else if working == before {
                writes.append((path, after))
            } else {
                blocked.append(sectionLabel(path, bytes: nil))
            }
        }
        if !blocked.isEmpty {
            throw StetError(.refused, "cannot sync: " + blocked.joined(separator: ", ")
                + " \(blocked.count == 1 ? "has" : "have") uncommitted edits, and \(remote) changed "
                + "\(blocked.count == 1 ? "it" : "them") too; commit them first (stet commit), then stet sync")
        }
        var added = current.compactMap { file in file.blob.map { IndexEntry(path: file.path, id: $0) } }
        var removed = current.filter { $0.blob == nil }.map(\.path)
        for (path, blob) in writes {
            let fullPath = root + "/" + path
            guard let blob else {
                if unlink(fullPath) != 0 && errno != ENOENT {
                    throw StetError(.failure, "cannot remove \(path): \(String(cString: strerror(errno)))")
                }
                removed.append(path)
                continue
            }
            let bytes = try gitCall("read \(path)") { () throws(GitError) in try git.blob(blob) }
            try Self.replaceFile(at: fullPath, with: bytes, displayPath: path)
            added.append(IndexEntry(path: path, id: blob))
        }
        if let error = recordInIndex(added, removing: removed) {
            throw StetError(error, "the working files are updated, but git's index is not")
        }
        return writes.map(\.path)
    }

    /// Writes a file by rename, so that no reader ever sees half of it.
    static func replaceFile(at fullPath: String, with bytes: [UInt8], displayPath: String) throws(StetError) {
        let folder = (fullPath as NSString).deletingLastPathComponent
        let temporary = fullPath + ".stet-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        } catch {
            unlink(temporary)
            throw StetError(.failure, "cannot write \(displayPath): \(error.localizedDescription)")
        }
        guard rename(temporary, fullPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StetError(.failure, "cannot write \(displayPath): \(reason)")
        }
    }

    /// Runs a GitStore call, turning its error into a StetError that says what was being done.
    func gitCall<T>(_ context: String, _ body: () throws(GitError) -> T) throws(StetError) -> T {
        do {
            return try body()
        } catch {
            throw StetError(error, "cannot \(context)")
        }
    }
}
