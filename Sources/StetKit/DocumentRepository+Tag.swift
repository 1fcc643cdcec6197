public import Foundation
import GitStore
public import GitValues
#if canImport(Glibc)
import Glibc
#endif

/// What the secretariat asks to tag.
public struct TagRequest: Sendable {
    /// A name of the configured sequence.
    public var milestone: String
    /// What to tag; nil for HEAD.
    public var revision: String?
    /// The approval the milestone records; for a correction, the reason for it.
    public var message: String
    /// `Name <email>`; nil to use STET_AUTHOR or git's configuration.
    public var tagger: String?
    /// An SSH key file to sign the tag with.
    public var signingKey: String?
    /// Replace the milestone (allowed only before the next one is tagged), keeping the old tag.
    public var correct: Bool
    public var date: Date?
    public var timeZoneOffset: Int?
    /// For a correction: the approval the new tag keeps, when it is not the replaced tag's (a
    /// settlement that keeps this clone's milestone keeps this clone's approval).
    var approval: String?

    public init(milestone: String, revision: String? = nil, message: String, tagger: String? = nil,
                signingKey: String? = nil, correct: Bool = false, date: Date? = nil, timeZoneOffset: Int? = nil)
    {
        self.milestone = milestone
        self.revision = revision
        self.message = message
        self.tagger = tagger
        self.signingKey = signingKey
        self.correct = correct
        self.date = date
        self.timeZoneOffset = timeZoneOffset
    }
}

/// A milestone stet tagged (or whose missing log entry it wrote).
public struct TagResult: Sendable {
    public var milestone: Milestone
    /// For a correction: the reference that keeps the replaced tag.
    public var superseded: String?
    /// The commit that recorded the milestone in the log; nil when the entry was there already.
    public var logCommit: ObjectID?
    /// True when the milestone was tagged already and only its log entry was written.
    public var repairedLog: Bool
    public var warnings: [String]
}

extension DocumentRepository {
    /// The namespace that keeps tags replaced by corrections: `refs/stet/superseded/NAME/N`.
    static let supersededNamespace = "refs/stet/superseded/"

    /// Tags a milestone, or corrects one, then records it in the milestone log.
    ///
    /// Every rule is checked before anything is written. The tag object is written first and the
    /// reference moved by a compare-and-swap, so of two racing runs exactly one wins. The log
    /// entry is a commit made after the tag: if that step is interrupted, running the same
    /// command again writes it (and `stet verify` reports the gap meanwhile).
    public func tag(_ request: TagRequest) throws(StetError) -> TagResult {
        try writing("stet tag") { () throws(StetError) in try tagHoldingLock(request) }
    }

    private func tagHoldingLock(_ request: TagRequest) throws(StetError) -> TagResult {
        let name = request.milestone
        guard let index = config.milestones.firstIndex(of: name) else {
            throw StetError(.usage, "'\(name)' is not a milestone of this repository; the sequence is "
                + config.milestones.joined(separator: ", ") + " (\(StetConfig.fileName))"
                + Suggestion.hint(for: name, in: config.milestones))
        }
        let text = try Self.normalizedMessage(request.message, correct: request.correct)
        var tagger = try Identity.resolve(explicit: request.tagger, option: "--tagger", environment: environment,
                                          repository: git, date: request.date ?? Date())
        if let offset = request.timeZoneOffset { tagger.timeZoneOffset = offset }
        let target = try resolve(request.revision ?? "HEAD")
        let existing = try milestone(name)

        for later in config.milestones[(index + 1)...] where try tagExists(later) {
            throw StetError(.refused, request.correct
                ? "cannot correct '\(name)': the later milestone '\(later)' is tagged already; a milestone can be corrected only before the next one is tagged"
                : "cannot tag '\(name)': the later milestone '\(later)' is tagged already")
        }
        var previous: Milestone?
        if index > 0 {
            let previousName = config.milestones[index - 1]
            previous = try milestone(previousName)
            guard let previous else {
                throw StetError(.refused, "cannot tag '\(name)': the previous milestone '\(previousName)' is not tagged yet")
            }
            guard try isAncestor(previous.commit, of: target) else {
                throw StetError(.refused, "cannot tag '\(name)' at \(target.short): it does not contain the previous "
                    + "milestone '\(previousName)' (\(previous.commit.short))")
            }
        }

        let log = try readLog()
        if !request.correct, let existing {
            // The same command again after an interrupted run: the tag is there, its entry is not.
            if existing.commit == target, existing.message == text, !log.records(existing) {
                return try repairLog(existing, previous: previous, superseded: nil, log: log, tagger: tagger)
            }
            throw StetError(.exists, "milestone '\(name)' exists: \(existing.commit.short), tagged "
                + "\(MilestoneLog.day(existing.tagger)) by \(existing.tagger.name); milestones never move"
                + (index + 1 < config.milestones.count
                    ? " (to correct it before '\(config.milestones[index + 1])' is tagged: stet tag \(name) --correct REV -m WHY)"
                    : ""))
        }
        if request.correct {
            guard let existing else {
                throw StetError(.notFound, "there is no milestone '\(name)' to correct; tag it with stet tag \(name)")
            }
            if existing.commit == target, existing.correctionReason == Self.oneLine(text), !log.records(existing) {
                let kept = try supersededRefs(name).last
                return try repairLog(existing, previous: previous, superseded: kept, log: log, tagger: tagger)
            }
        }
        // Tagging HEAD must not leave edits out; a commit named explicitly is tagged as committed.
        let tagsHead = request.revision == nil || request.revision == "HEAD" || request.revision == "@"
        var unchanged: [String: ObjectID] = [:]
        let headCommit = try head()
        if tagsHead || target == headCommit {
            let status = try status()
            if tagsHead && !status.isClean {
                let paths = status.changes.prefix(3).map(\.path).joined(separator: ", ")
                    + (status.changes.count > 3 ? ", ..." : "")
                throw StetError(.refused, "cannot tag HEAD: the drafts have uncommitted edits (\(paths)); "
                    + "commit them with stet commit, or name the commit to tag")
            }
            unchanged = try unchangedWorkingSections(status: status)
        }
        try log.checkWorkingFile()
        let open = request.correct ? [] : try openComments(madeOn: previous)
        if !open.isEmpty, config.refuseOpenComments {
            throw StetError(.refused, "cannot tag '\(name)': " + Self.openCommentsText(open, previous: previous!)
                + "; answer them with stet comments respond (stet.yml sets open-comments: refuse)")
        }

        let milestone: Milestone
        var kept: (ref: String, milestone: Milestone)?
        if request.correct, let existing {
            kept = try keepSuperseded(existing)
            let message = Self.approvalText(request.approval ?? existing.message) + "\n\n"
                + "\(Milestone.correctedFromKey): \(existing.commit.hex)\n"
                + "\(Milestone.supersedesKey): \(existing.tag.hex)\n"
                + "\(Milestone.correctionKey): \(Self.oneLine(text))\n"
            milestone = try writeTag(name: name, target: target, tagger: tagger, message: message,
                                     signingKey: request.signingKey, replacing: existing)
        } else {
            milestone = try writeTag(name: name, target: target, tagger: tagger, message: text,
                                     signingKey: request.signingKey, replacing: nil)
        }
        do {
            let commit = try record(milestone, previous: previous, superseded: kept, log: log, author: tagger,
                                    unchanged: unchanged)
            let openWarning = open.isEmpty ? [] : [Self.openCommentsText(open, previous: previous!)]
            return TagResult(milestone: milestone, superseded: kept?.ref, logCommit: commit.id, repairedLog: false,
                             warnings: openWarning + commit.warnings)
        } catch {
            throw StetError(error.code == .locked ? .locked : .failure,
                            "milestone '\(name)' is tagged (\(milestone.tag.short)), but its entry in \(config.changelog) "
                                + "could not be written (\(error.message)); run the same command again to write it")
        }
    }

    // MARK: Rules

    /// The comments made on the previous milestone's draft that are still open.
    private func openComments(madeOn previous: Milestone?) throws(StetError) -> [String] {
        guard let previous else { return [] }
        return try workingRounds().flatMap(\.comments)
            .filter { $0.commit == previous.commit.hex && $0.status == .open && $0.duplicateOf == nil }.map(\.id)
    }

    static func openCommentsText(_ ids: [String], previous: Milestone) -> String {
        "\(ids.count) comment\(ids.count == 1 ? "" : "s") made on '\(previous.name)' \(ids.count == 1 ? "is" : "are") still open: "
            + ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", ..." : "")
    }

    private func tagExists(_ name: String) throws(StetError) -> Bool {
        do {
            return try git.referenceTarget("refs/tags/" + name) != nil
        } catch {
            throw StetError(error, "cannot read the tag '\(name)'")
        }
    }

    func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws(StetError) -> Bool {
        do {
            return try git.isAncestor(ancestor, of: commit)
        } catch {
            throw StetError(error, "cannot tell whether \(ancestor.short) is an ancestor of \(commit.short)")
        }
    }

    /// The message as stored: trailing spaces and blank lines trimmed, one final new line.
    static func normalizedMessage(_ message: String, correct: Bool) throws(StetError) -> String {
        var lines = message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacing(/\s+$/, with: "") }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        guard !lines.isEmpty else {
            throw StetError(.usage, correct
                ? "empty message: say why the milestone is corrected with -m \"...\""
                : "empty message: say what approval the milestone records with -m \"...\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// A milestone message without the correction trailers stet adds: the approval it records.
    static func approvalText(_ message: String) -> String {
        var paragraphs = message.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        let keys = [Milestone.correctedFromKey, Milestone.supersedesKey, Milestone.correctionKey].map { $0 + ":" }
        if paragraphs.count > 1, let last = paragraphs.last,
           last.split(separator: "\n").allSatisfy({ line in keys.contains { line.hasPrefix($0) } })
        {
            paragraphs.removeLast()
        }
        return paragraphs.joined(separator: "\n\n")
    }

    // MARK: Writing tags

    /// The references that keep superseded tags of `name`, in correction order.
    func supersededRefs(_ name: String) throws(StetError) -> [(ref: String, milestone: Milestone)] {
        do {
            let prefix = Self.supersededNamespace + name + "/"
            let refs = try git.referenceNames(matching: prefix + "*")
                .compactMap { ref in Int(ref.dropFirst(prefix.count)).map { (ref, $0) } }
                .sorted { $0.1 < $1.1 }
            var result: [(ref: String, milestone: Milestone)] = []
            for (ref, _) in refs {
                guard let target = try git.referenceTarget(ref),
                      let kept = Milestone(try git.tag(object: target, name: name))
                else { continue }
                result.append((ref, kept))
            }
            return result
        } catch {
            throw StetError(error, "cannot read the superseded milestones of '\(name)'")
        }
    }

    /// Keeps the tag a correction replaces under the next `refs/stet/superseded/NAME/N`; an
    /// interrupted correction that already kept it reuses that reference.
    private func keepSuperseded(_ existing: Milestone) throws(StetError) -> (ref: String, milestone: Milestone) {
        let refs = try supersededRefs(existing.name)
        if let last = refs.last, last.milestone.tag == existing.tag { return last }
        let prefix = Self.supersededNamespace + existing.name + "/"
        let number = (refs.last.flatMap { Int($0.ref.dropFirst(prefix.count)) } ?? 0) + 1
        let ref = prefix + String(number)
        do {
            try withLockRetries { () throws(GitError) in
                try git.setReference(ref, to: existing.tag, expecting: nil,
                                     logMessage: "stet: keep milestone \(existing.name) before its correction")
            }
        } catch where error.code == .exists || error.code == .modified {
            throw StetError(.exists, "another correction of '\(existing.name)' is under way (\(ref) appeared meanwhile)")
        } catch {
            throw StetError(error, "cannot keep the superseded milestone '\(existing.name)' under \(ref)")
        }
        return (ref, existing)
    }

    /// Writes the tag object (signed if asked) and points `refs/tags/NAME` at it by
    /// compare-and-swap: from nothing, or from the tag being corrected.
    private func writeTag(name: String, target: ObjectID, tagger: Signature, message: String, signingKey: String?,
                          replacing old: Milestone?) throws(StetError) -> Milestone
    {
        let tagID: ObjectID
        do {
            if let signingKey {
                let payload = try git.tagObjectPayload(name: name, target: target, tagger: tagger, message: message)
                let signature = try SSHSignature.sign(payload, keyFile: signingKey)
                tagID = try git.writeTagObject(raw: payload + signature)
            } else {
                tagID = try git.writeTagObject(name: name, target: target, tagger: tagger, message: message)
            }
        } catch let error as StetError {
            throw error
        } catch let error as GitError {
            throw StetError(error, "cannot write the tag object of '\(name)'")
        } catch {
            throw StetError(.failure, "cannot write the tag object of '\(name)': \(error)")
        }
        do {
            try withLockRetries { () throws(GitError) in
                try git.setReference("refs/tags/" + name, to: tagID, expecting: old?.tag,
                                     logMessage: old == nil ? "stet: tag \(name)" : "stet: correct \(name)")
            }
        } catch where error.code == .exists || error.code == .modified {
            let winner = (try? git.tag(named: name)).flatMap { $0 }.flatMap(Milestone.init)
            let who = winner.map { ": \($0.commit.short), tagged by \($0.tagger.name)" } ?? ""
            throw StetError(.exists, old == nil
                ? "milestone '\(name)' exists\(who) (tagged while this command ran); milestones never move"
                : "milestone '\(name)' changed while it was being corrected\(who)")
        } catch {
            throw StetError(error, "cannot write refs/tags/\(name)")
        }
        do {
            guard let milestone = Milestone(try git.tag(object: tagID, name: name)) else {
                throw StetError(.failure, "the tag object written for '\(name)' does not read back as a milestone")
            }
            return milestone
        } catch let error as StetError {
            throw error
        } catch let error as GitError {
            throw StetError(error, "cannot read back the tag of '\(name)'")
        } catch {
            throw StetError(.failure, "cannot read back the tag of '\(name)': \(error)")
        }
    }

    /// Runs a reference update again while another process holds the reference's lock (it is
    /// writing it that instant), so that the compare-and-swap sees the outcome of the other write.
    func withLockRetries(_ body: () throws(GitError) -> Void) throws(GitError) {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch where error.code == .locked && attempt < 50 {
                attempt += 1
                usleep(UInt32.random(in: 500...5_000) * UInt32(min(attempt, 10)))
            }
        }
    }

    // MARK: The milestone log

    /// The milestone log as HEAD has it, and the state of its working file.
    struct LogFile {
        var path: String
        var root: String
        /// The committed text (nil when HEAD has no such file).
        var text: String?
        var entries: [MilestoneLog.Entry]

        func records(_ milestone: Milestone) -> Bool {
            entries.contains { $0.name == milestone.name && $0.tag == milestone.tag }
        }

        /// Refuses when the working file differs from HEAD's: stet would have to overwrite edits.
        func checkWorkingFile() throws(StetError) {
            let working: [UInt8]?
            switch WorkingFile.read(root: root, path: path) {
            case .regular(let bytes): working = bytes
            case .missing: working = nil
            case .symlink, .unreadable:
                throw StetError(.refused, "\(path) is not a regular file; the milestone log must be one")
            }
            guard working == text.map({ Array($0.utf8) }) else {
                throw StetError(.refused, "\(path) has uncommitted edits; the milestone log is written by stet tag, "
                    + "so undo them first (git checkout -- \(path))")
            }
        }
    }

    func readLog(at commit: ObjectID? = nil) throws(StetError) -> LogFile {
        let path = config.changelog
        do {
            var start = commit
            if start == nil { start = try git.head() }
            guard let commit = start,
                  let file = try git.file(atPath: path, inTree: try git.treeID(ofCommit: commit))
            else {
                return LogFile(path: path, root: root, text: nil, entries: [])
            }
            let text = String(decoding: try git.blob(file.id), as: UTF8.self)
            return LogFile(path: path, root: root, text: text, entries: MilestoneLog.entries(in: text))
        } catch {
            throw StetError(error, "cannot read \(path) at HEAD")
        }
    }

    private func repairLog(_ milestone: Milestone, previous: Milestone?, superseded: (ref: String, milestone: Milestone)?,
                           log: LogFile, tagger: Signature) throws(StetError) -> TagResult
    {
        try log.checkWorkingFile()
        do {
            let commit = try record(milestone, previous: previous, superseded: superseded, log: log, author: tagger)
            return TagResult(milestone: milestone, superseded: superseded?.ref, logCommit: commit.id, repairedLog: true,
                             warnings: commit.warnings)
        } catch {
            throw StetError(error.code, "milestone '\(milestone.name)' is tagged, but its entry in \(config.changelog) "
                + "could not be written (\(error.message))")
        }
    }

    /// Commits the milestone's entry to the log on top of HEAD (retrying while other writers move
    /// HEAD), then brings the working file and the index up to date. Nil when the entry is there.
    private func record(_ milestone: Milestone, previous: Milestone?, superseded: (ref: String, milestone: Milestone)?,
                        log: LogFile, author: Signature, unchanged: [String: ObjectID] = [:])
        throws(StetError) -> (id: ObjectID?, warnings: [String])
    {
        let (sections, contributors) = try changes(from: previous?.commit, to: milestone.commit, unchanged: unchanged)
        let entry = MilestoneLog.entry(for: milestone, previous: previous?.name, sections: sections,
                                       contributors: contributors, superseded: superseded)
        let message = "Record milestone \(milestone.name) in \(config.changelog)\n\nMilestone: \(milestone.name)\n"
        let title = config.title ?? URL(fileURLWithPath: root).lastPathComponent
        return try commitLog(message: message, author: author) { current in
            current.records(milestone) ? nil
                : MilestoneLog.inserting(entry, into: current.text ?? MilestoneLog.initialText(title: title))
        }
    }

    /// Commits the milestone log as `edit` makes it from HEAD's (nil: nothing to do) on top of
    /// HEAD, retrying while other writers move HEAD, then brings the working file and the index
    /// up to date. Nil when there was nothing to do.
    func commitLog(message: String, author: Signature, _ edit: (LogFile) -> String?)
        throws(StetError) -> (id: ObjectID?, warnings: [String])
    {
        let path = config.changelog
        var attempt = 0
        while true {
            guard let head = try head() else {
                throw StetError(.failure, "HEAD names no commit")
            }
            let current = try readLog(at: head)
            guard let newText = edit(current) else { return (nil, []) }
            do {
                let blob = try git.writeBlob(Array(newText.utf8))
                let commit = try git.createCommit(base: try git.treeID(ofCommit: head),
                                                  updates: [TreeUpdate(path: path, action: .upsert(blob, .regular))],
                                                  parents: [head], author: author, committer: author, message: message,
                                                  updatingReference: "HEAD")
                return (commit, updateWorkingLog(from: current.text, to: newText))
            } catch where (error.code == .modified || error.code == .locked) && attempt < 20 {
                attempt += 1
                usleep(UInt32.random(in: 1_000...20_000) * UInt32(min(attempt, 5)))
            } catch {
                throw StetError(error, "cannot commit \(path)")
            }
        }
    }

    /// Writes the new log to the working tree (by rename, so never half a file) if the working
    /// file is still as committed, and updates git's index; problems are warnings, the commit stands.
    func updateWorkingLog(from old: String?, to new: String) -> [String] {
        let path = config.changelog
        let fullPath = root + "/" + path
        let current: [UInt8]?
        switch WorkingFile.read(root: root, path: path) {
        case .regular(let bytes): current = bytes
        case .missing: current = nil
        default: return ["\(path) in the working folder is not a regular file; it was left alone"]
        }
        guard current == old.map({ Array($0.utf8) }) else {
            return ["\(path) was edited meanwhile; the committed log has the new entry, the working file was left alone"]
        }
        let temporary = fullPath + ".stet-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: (fullPath as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(new.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, fullPath) == 0 else {
                unlink(temporary)
                return ["cannot replace \(path) in the working folder: \(String(cString: strerror(errno)))"]
            }
        } catch {
            unlink(temporary)
            return ["cannot write \(path) in the working folder: \(error.localizedDescription)"]
        }
        if let error = recordInIndex([IndexEntry(path: path, id: ObjectID.forBlob(Array(new.utf8)))]) {
            return ["\(path) is updated, but git's index is not (\(error.message))"]
        }
        return []
    }
}
