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
}
