public import Foundation
import GitStore
public import GitValues

/// A decision of the secretariat's about a milestone tagged differently in two places, kept
/// under `refs/stet/settled/NAME/N`: an annotated tag object, named after the milestone, on the
/// tag that was set aside, whose message says which tag stands and why. Nothing is deleted: the
/// set-aside tag stays readable through the record, by stet and by any git client.
public struct Settlement: Sendable, Hashable {
    /// The reference that holds the record.
    public var ref: String
    public var milestone: String
    /// The record's own tag object.
    public var record: ObjectID
    /// The tag that stands (or the one a correction then replaced).
    public var kept: ObjectID
    /// The tag set aside.
    public var discarded: ObjectID
    public var reason: String
    public var settledBy: Signature

    static let namespace = "refs/stet/settled/"
    static let settledKey = "Settled"
    static let keptKey = "Kept"
    static let discardedKey = "Discarded"

    /// Reads a record; nil when the tag object is not one.
    init?(ref: String, tag: TagInfo) {
        let trailers = tag.trailers
        guard tag.isAnnotated, let tagger = tag.tagger,
              let name = trailers.last(where: { $0.key == Self.settledKey })?.value,
              let kept = trailers.last(where: { $0.key == Self.keptKey }).flatMap({ ObjectID(hex: $0.value) }),
              let discarded = trailers.last(where: { $0.key == Self.discardedKey }).flatMap({ ObjectID(hex: $0.value) })
        else { return nil }
        self.ref = ref
        milestone = name
        record = tag.referenceTarget
        self.kept = kept
        self.discarded = discarded
        settledBy = tagger
        let paragraphs = tag.message.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        reason = paragraphs.count > 2 ? paragraphs[1..<(paragraphs.count - 1)].joined(separator: "\n\n") : ""
    }
}

/// Which tag of a milestone stands, when this repository and a remote tagged it differently.
public enum SettleChoice: String, Sendable {
    /// Keep this repository's: the remote's tag is replaced by a correction, kept as its record.
    case ours
    /// Take the remote's: this repository's tag is set aside, kept as a settlement record.
    case theirs
}

/// What the secretariat asks `stet settle` to do.
public struct SettleRequest: Sendable {
    public var milestone: String
    /// Nil to settle records that no correction names (a superseded record made by hand).
    public var choice: SettleChoice?
    /// Why: recorded in the settlement and, for `ours`, in the correction.
    public var reason: String
    public var remote: String
    /// `Name <email>`; nil for STET_AUTHOR or git's configuration.
    public var tagger: String?
    public var date: Date?

    public init(milestone: String, choice: SettleChoice?, reason: String, remote: String = "origin",
                tagger: String? = nil, date: Date? = nil)
    {
        self.milestone = milestone
        self.choice = choice
        self.reason = reason
        self.remote = remote
        self.tagger = tagger
        self.date = date
    }
}

/// What a settlement did.
public struct SettleResult: Sendable {
    /// The milestone as it stands now.
    public var milestone: Milestone
    /// The records written under `refs/stet/settled/`.
    public var settlements: [Settlement] = []
    /// For `ours`: the reference that keeps the remote's tag, replaced by the correction.
    public var superseded: String?
    /// Commits made to the milestone log.
    public var logCommits: [ObjectID] = []
    public var warnings: [String] = []
}

extension DocumentRepository {
    /// Settles a milestone that this repository and `request.remote` tagged differently (two
    /// clones tagged it before either synced), or records that no correction names.
    ///
    /// - `theirs`: this repository's tag is set aside under a settlement record, the milestone
    ///   becomes the remote's tag, and the log entry of the set-aside tag is taken out (the
    ///   remote's entry arrives with the next sync).
    /// - `ours`: as `theirs`, then a correction (as `stet tag --correct`) puts the milestone back
    ///   on this repository's commit with its approval and the reason; the remote's tag is kept
    ///   under `refs/stet/superseded/`, so the next sync sends the correction as any other.
    /// - nil: every tag kept under `refs/stet/superseded/NAME/` that no correction names (put
    ///   there by hand, or arrived so by sync) gets a settlement record, which explains it to
    ///   `stet verify`.
    ///
    /// Every rule is checked before anything is written; each write is atomic, and running the
    /// same command again after an interruption finishes it.
    public func settle(_ request: SettleRequest) throws(StetError) -> SettleResult {
        try writing("stet settle") { () throws(StetError) in try settleHoldingLock(request) }
    }

    private func settleHoldingLock(_ request: SettleRequest) throws(StetError) -> SettleResult {
        let name = request.milestone
        guard let index = config.milestones.firstIndex(of: name) else {
            throw StetError(.usage, "'\(name)' is not a milestone of this repository; the sequence is "
                + config.milestones.joined(separator: ", ") + Suggestion.hint(for: name, in: config.milestones))
        }
        let reason = Self.oneLine(request.reason.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !reason.isEmpty else {
            throw StetError(.usage, "empty reason: say why with -m \"...\"; the settlement records it")
        }
        let tagger = try Identity.resolve(explicit: request.tagger, option: "--tagger", environment: environment,
                                          repository: git, date: request.date ?? Date())
        guard let here = try milestone(name) else {
            throw StetError(.notFound, "there is no milestone '\(name)' here to settle"
                + (request.choice == nil ? "" : "; stet sync adopts \(request.remote)'s"))
        }
        guard let choice = request.choice else {
            return try settleStrayRecords(of: here, reason: reason, tagger: tagger)
        }

        let remote = try requireRemote(request.remote)
        try fetch(remote, access: RemoteAccess.forRemote(remote.url, environment: environment))
        let mirror = Repository.remoteTagNamespace(remote.name) + name
        let theirTag = try gitCall("read \(mirror)") { () throws(GitError) in try git.referenceTarget(mirror) }
        let settled = try settlements(of: name)
        // Run again after an interruption: the record is written and the tag taken, the rest not.
        if let theirTag, theirTag == here.tag, let record = settled.last(where: { $0.kept == here.tag }) {
            return try finishSettlement(record, choice: choice, current: here, request: request, tagger: tagger)
        }
        guard let theirTag, let there = Milestone(try gitCall("read \(mirror)") { () throws(GitError) in
            try git.tag(object: theirTag, name: name)
        }) else {
            throw StetError(.notFound, "\(remote.name) has no milestone '\(name)'; stet sync sends this one")
        }
        if there.tag == here.tag {
            throw StetError(.refused, "milestone '\(name)' is the same here and on \(remote.name) (tag \(here.tag.short)); "
                + "nothing to settle" + (try strayRecords(of: here).isEmpty ? ""
                    : " with \(remote.name), but records no correction names are: stet settle \(name) -m WHY"))
        }
        if supersedes(here.tag, there.tag, name: name) || supersedes(there.tag, here.tag, name: name) {
            throw StetError(.refused, "milestone '\(name)' was corrected (stet tag --correct) on one side; "
                + "stet sync sends or adopts a correction, there is nothing to settle")
        }
        for later in config.milestones[(index + 1)...] {
            if try milestone(later) != nil {
                throw StetError(.refused, "cannot settle '\(name)': the later milestone '\(later)' is tagged here; "
                    + "a milestone can be settled only before the next one is tagged")
            }
            let theirLater = Repository.remoteTagNamespace(remote.name) + later
            if try gitCall("read \(theirLater)", { () throws(GitError) in try git.referenceTarget(theirLater) }) != nil {
                throw StetError(.refused, "cannot settle '\(name)': the later milestone '\(later)' is tagged on "
                    + "\(remote.name); a milestone can be settled only before the next one is tagged")
            }
        }
        if choice == .ours, index > 0, let previous = try milestone(config.milestones[index - 1]),
           !(try isAncestor(previous.commit, of: here.commit))
        {
            throw StetError(.refused, "cannot keep this '\(name)': it does not contain the previous milestone "
                + "'\(previous.name)' (\(previous.commit.short))")
        }
        try readLog().checkWorkingFile()

        // The record first: from then on, the tag set aside is never lost.
        let record = try writeSettlement(name: name, kept: there.tag, discarded: here, reason: reason, tagger: tagger,
                                         title: "take \(remote.name)'s tag \(there.tag.short)")
        do {
            try withLockRetries { () throws(GitError) in
                try git.setReference("refs/tags/" + name, to: there.tag, expecting: here.tag,
                                     logMessage: "stet: settle \(name): take \(remote.name)'s tag")
            }
        } catch where error.code == .exists || error.code == .modified {
            throw StetError(.exists, "milestone '\(name)' changed while it was being settled; run the command again")
        } catch {
            throw StetError(error, "cannot write refs/tags/\(name)")
        }
        return try finishSettlement(record, choice: choice, current: there, request: request, tagger: tagger,
                                    approval: here.message, commit: here.commit)
    }

    /// The steps after the tag is taken: the set-aside tag's log entry out, and for `ours` the
    /// correction back to this repository's commit.
    private func finishSettlement(_ record: Settlement, choice: SettleChoice, current: Milestone, request: SettleRequest,
                                  tagger: Signature, approval: String? = nil, commit: ObjectID? = nil)
        throws(StetError) -> SettleResult
    {
        var result = SettleResult(milestone: current, settlements: [record])
        if let logCommit = try removeLogEntries(of: record.discarded, tagger: tagger,
                                                message: "Settle milestone \(record.milestone): take \(request.remote)'s tag\n\n"
                                                    + record.reason + "\n\nMilestone: \(record.milestone)\n",
                                                warnings: &result.warnings)
        {
            result.logCommits.append(logCommit)
        }
        guard choice == .ours else { return result }
        // The set-aside tag is read from its record, so a run again after an interruption has it.
        let discarded = try gitCall("read the tag set aside") { () throws(GitError) in
            try git.tag(object: record.discarded, name: record.milestone)
        }
        guard let ours = Milestone(discarded) else {
            throw StetError(.failure, "the tag \(record.discarded.short) set aside by \(record.ref) is not a milestone tag")
        }
        var correction = TagRequest(milestone: record.milestone, revision: (commit ?? ours.commit).hex, message: record.reason,
                                    tagger: request.tagger, correct: true, date: request.date)
        correction.approval = approval ?? ours.message
        let corrected = try tag(correction)
        result.milestone = corrected.milestone
        result.superseded = corrected.superseded
        if let logCommit = corrected.logCommit { result.logCommits.append(logCommit) }
        result.warnings += corrected.warnings
        return result
    }

    /// Tags kept under `refs/stet/superseded/NAME/` that no correction of the current tag names
    /// and no settlement explains.
    func strayRecords(of current: Milestone) throws(StetError) -> [(ref: String, milestone: Milestone)] {
        var chain: Set<ObjectID> = []
        var next = current.supersedes
        for (_, old) in try supersededRefs(current.name).reversed() where next == old.tag {
            chain.insert(old.tag)
            next = old.supersedes
        }
        let explained = Set(try settlements(of: current.name).map(\.discarded))
        return try supersededRefs(current.name).filter { !chain.contains($0.milestone.tag) && !explained.contains($0.milestone.tag) }
    }

    private func settleStrayRecords(of current: Milestone, reason: String, tagger: Signature) throws(StetError) -> SettleResult {
        let stray = try strayRecords(of: current)
        guard !stray.isEmpty else {
            throw StetError(.refused, "nothing to settle for '\(current.name)': every record under "
                + "\(Self.supersededNamespace)\(current.name)/ is named by a correction; a milestone that differs "
                + "from a remote's is settled with --ours or --theirs")
        }
        var result = SettleResult(milestone: current)
        for (ref, old) in stray {
            result.settlements.append(try writeSettlement(name: current.name, kept: current.tag, discarded: old, reason: reason,
                                                          tagger: tagger, title: "keep \(ref), which no correction names"))
        }
        return result
    }

    /// The settlement records of a milestone, oldest first.
    func settlements(of name: String) throws(StetError) -> [Settlement] {
        try gitCall("read the settlements of '\(name)'") { () throws(GitError) in
            let prefix = Settlement.namespace + name + "/"
            var found: [(Int, Settlement)] = []
            for ref in try git.referenceNames(matching: prefix + "*") {
                guard let number = Int(ref.dropFirst(prefix.count)), let target = try git.referenceTarget(ref),
                      let settlement = Settlement(ref: ref, tag: try git.tag(object: target, name: name))
                else { continue }
                found.append((number, settlement))
            }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Writes a settlement record on the tag set aside, under the next free number (or finds the
    /// one an interrupted run wrote).
    private func writeSettlement(name: String, kept: ObjectID, discarded: Milestone, reason: String, tagger: Signature,
                                 title: String) throws(StetError) -> Settlement
    {
        let existing = try settlements(of: name)
        if let done = existing.first(where: { $0.kept == kept && $0.discarded == discarded.tag }) { return done }
        let message = "Settle milestone \(name): \(title)\n\n\(reason)\n\n"
            + "\(Settlement.settledKey): \(name)\n\(Settlement.keptKey): \(kept.hex)\n\(Settlement.discardedKey): \(discarded.tag.hex)\n"
        let prefix = Settlement.namespace + name + "/"
        let number = (existing.compactMap { Int($0.ref.dropFirst(prefix.count)) }.max() ?? 0) + 1
        let ref = prefix + String(number)
        do {
            let object = try git.writeTagObject(name: name, target: discarded.tag, tagger: tagger, message: message)
            try withLockRetries { () throws(GitError) in
                try git.setReference(ref, to: object, expecting: nil, logMessage: "stet: settle \(name)")
            }
            guard let settlement = Settlement(ref: ref, tag: try git.tag(object: object, name: name)) else {
                throw StetError(.failure, "the settlement record written as \(ref) does not read back")
            }
            return settlement
        } catch let error as StetError {
            throw error
        } catch let error as GitError where error.code == .exists || error.code == .modified {
            throw StetError(.exists, "another settlement of '\(name)' is under way (\(ref) appeared meanwhile)")
        } catch let error as GitError {
            throw StetError(error, "cannot write the settlement record \(ref)")
        } catch {
            throw StetError(.failure, "cannot write the settlement record \(ref): \(error)")
        }
    }

    /// Commits the milestone log without the entries of tag `tag`; nil when it has none.
    private func removeLogEntries(of tag: ObjectID, tagger: Signature, message: String,
                                  warnings: inout [String]) throws(StetError) -> ObjectID?
    {
        let (commit, written) = try commitLog(message: message, author: tagger) { current in
            guard let text = current.text, current.entries.contains(where: { $0.tag == tag }) else { return nil }
            return MilestoneLog.removing(tag: tag, from: text)
        }
        warnings += written
        return commit
    }
}
