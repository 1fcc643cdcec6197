public import Foundation
import GitStore
public import GitValues

/// What a writer asks to commit.
public struct CommitRequest: Sendable {
    /// The rationale: why these edits were made.
    public var message: String
    /// Sections by id or path; empty for every changed section.
    public var sections: [String] = []
    /// `Name <email>`; nil to use STET_AUTHOR or git's configuration.
    public var author: String?
    /// Consultation comment ids this change addresses (`Addresses:` trailers).
    public var addresses: [String] = []
    /// Further trailers.
    public var trailers: [Trailer] = []
    /// The time to record; nil for now.
    public var date: Date?
    /// The UTC offset in minutes to record with `date`; nil for the local time zone's.
    public var timeZoneOffset: Int?

    public init(message: String, sections: [String] = [], author: String? = nil, addresses: [String] = [],
                trailers: [Trailer] = [], date: Date? = nil, timeZoneOffset: Int? = nil)
    {
        self.timeZoneOffset = timeZoneOffset
        self.message = message
        self.sections = sections
        self.author = author
        self.addresses = addresses
        self.trailers = trailers
        self.date = date
    }
}

/// A commit stet wrote.
public struct CommitResult: Sendable {
    public var commit: ObjectID
    public var changes: [SectionChange]
    /// Images under the drafts folder the commit recorded.
    public var images: [ImageChange] = []
    /// Round files of comments the commit recorded.
    public var rounds: [String] = []
    /// Problems after the commit was made that did not undo it (an index left stale).
    public var warnings: [String]
}

extension DocumentRepository {
    /// Commits section edits from the working tree.
    ///
    /// Everything is checked before anything is written; the commit and the move of HEAD are one
    /// atomic reference update, so a refusal or a crash leaves HEAD and the index as they were.
    public func commit(_ request: CommitRequest) throws(StetError) -> CommitResult {
        try writing("stet commit") { () throws(StetError) in try commitHoldingLock(request) }
    }

    private func commitHoldingLock(_ request: CommitRequest) throws(StetError) -> CommitResult {
        let message = try Self.composeMessage(request)
        var author = try Identity.resolve(explicit: request.author, environment: environment, repository: git,
                                          date: request.date ?? Date())
        if let offset = request.timeZoneOffset { author.timeZoneOffset = offset }
        let head = try head()
        let status = try status(checking: false)
        // Images are named by their paths; every other name is a section's.
        let imageNamed = { (image: ImageChange, name: String) in
            image.path == name || self.relativePath(image.path) == name || "./" + image.path == name
        }
        let images = request.sections.isEmpty ? status.images
            : status.images.filter { image in request.sections.contains { imageNamed(image, $0) } }
        // Round files of comments go with a commit that names no section, or that names them.
        let changedRounds = try changedRoundFiles()
        let roundNamed = { (path: String, name: String) in
            path == name || Self.roundName(path) == name || "./" + path == name
        }
        let rounds = request.sections.isEmpty ? changedRounds
            : changedRounds.filter { round in request.sections.contains { roundNamed(round.path, $0) } }
        let sectionNames = request.sections.filter { name in
            !status.images.contains { imageNamed($0, name) } && !changedRounds.contains { roundNamed($0.path, name) }
        }
        let selected = request.sections.isEmpty || !sectionNames.isEmpty ? try select(sectionNames, from: status.changes) : []
        var warnings = try checkAddresses(request.addresses)
        guard !selected.isEmpty || !images.isEmpty || !rounds.isEmpty else {
            if request.sections.isEmpty {
                throw StetError(.nothingToCommit, "nothing to commit: no section changed since the last commit")
            }
            throw StetError(.nothingToCommit, "nothing to commit: "
                + request.sections.map { "'\($0)'" }.joined(separator: ", ") + " unchanged since the last commit")
        }

        // Read and check every file to be written, then write blobs; nothing refers to them yet.
        var updates: [TreeUpdate] = []
        var written: [IndexEntry] = []
        var removed: [String] = []
        var newSections: [String: Section] = [:]
        for change in selected {
            if let oldPath = change.oldPath { removed.append(oldPath) }
            if change.kind == .deleted {
                removed.append(change.path)
                continue
            }
            let bytes = try readForCommit(change.path)
            try ContentCheck.validate(path: change.path, bytes: bytes)
            newSections[change.path] = Section(path: change.path, relativePath: relativePath(change.path), bytes: bytes)
            let blob: ObjectID
            do {
                blob = try git.writeBlob(bytes)
            } catch {
                throw StetError(error, "cannot write \(change.path)")
            }
            updates.append(TreeUpdate(path: change.path, action: .upsert(blob, .regular)))
            written.append(IndexEntry(path: change.path, id: blob))
        }
        for image in images {
            guard image.kind != .deleted else {
                removed.append(image.path)
                continue
            }
            let bytes = try readImageForCommit(image.path)
            let blob: ObjectID
            do {
                blob = try git.writeBlob(bytes)
            } catch {
                throw StetError(error, "cannot write \(image.path)")
            }
            updates.append(TreeUpdate(path: image.path, action: .upsert(blob, .regular)))
            written.append(IndexEntry(path: image.path, id: blob))
        }
        for round in rounds {
            guard let bytes = round.bytes else {
                removed.append(round.path)
                continue
            }
            // A round's file is read before it is recorded: a broken one is refused, with its line.
            _ = try Self.round(bytes, path: round.path)
            let blob = try gitCall("write \(round.path)") { () throws(GitError) in try git.writeBlob(bytes) }
            updates.append(TreeUpdate(path: round.path, action: .upsert(blob, .regular)))
            written.append(IndexEntry(path: round.path, id: blob))
        }
        for path in removed { updates.append(TreeUpdate(path: path, action: .remove)) }
        let ids = try sharedIDs(head: head, removed: Set(removed), written: newSections, unchanged: status)
        if let refusal = ids.refusal { throw StetError(.invalidContent, refusal) }
        warnings += ids.warnings
        warnings += try brokenLinks(in: Array(newSections.values)).map(\.message)

        let commit = try writeCommit(head: head, updates: updates, author: author, message: message)
        if let error = recordInIndex(written, removing: removed) {
            warnings.append("the commit is made, but git's index could not be updated (\(error.message)); "
                + "stet reads the sections right regardless, and its next status or commit brings the index up to date")
        }
        return CommitResult(commit: commit, changes: selected, images: images, rounds: rounds.map(\.path), warnings: warnings)
    }

    /// Refuses an `Addresses:` id that no round of comments holds, suggesting the nearest, so a
    /// typo cannot break the link; where no round is imported yet, the ids are recorded as given,
    /// with a warning.
    func checkAddresses(_ ids: [String]) throws(StetError) -> [String] {
        guard !ids.isEmpty else { return [] }
        let rounds = try workingRounds()
        let known = Set(rounds.flatMap { $0.comments.map(\.id) })
        guard !rounds.isEmpty else {
            return ["no round of comments is imported, so the ids of --addresses are recorded as given"]
        }
        for id in ids where !known.contains(id.trimmingCharacters(in: .whitespaces)) {
            throw StetError(.notFound, "no round of comments holds '\(id)', so --addresses would link to nothing"
                + Suggestion.hint(for: id, in: known))
        }
        return []
    }

    /// The message with trailers appended to its trailer block (or a new one).
    static func composeMessage(_ request: CommitRequest) throws(StetError) -> String {
        var lines = request.message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacing(/\s+$/, with: "") }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        guard !lines.isEmpty else {
            throw StetError(.usage, "empty commit message: say why the sections changed with -m \"...\"")
        }
        var trailers = request.addresses.map { Trailer(key: "Addresses", value: $0) } + request.trailers
        for trailer in trailers {
            guard !trailer.key.isEmpty, trailer.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw StetError(.usage, "trailer key '\(trailer.key)' must be letters, digits and '-'")
            }
            let value = trailer.value.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, !value.contains("\n") else {
                throw StetError(.usage, "trailer '\(trailer.key)' needs a one-line value")
            }
        }
        trailers = trailers.map { Trailer(key: $0.key, value: $0.value.trimmingCharacters(in: .whitespaces)) }
        var text = lines.joined(separator: "\n")
        if !trailers.isEmpty {
            let existing = parseTrailers(text + "\n")
            let block = trailers.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
            text += (existing.isEmpty || lines.count == 1 ? "\n\n" : "\n") + block
        }
        return text + "\n"
    }

    /// The changes the writer named (all when none is named), or an error naming the unknown one.
    private func select(_ names: [String], from changes: [SectionChange]) throws(StetError) -> [SectionChange] {
        guard !names.isEmpty else { return changes }
        var selected: [SectionChange] = []
        for name in names {
            let normalized = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
            let matches = changes.filter {
                $0.id == normalized || $0.oldID == normalized || $0.path == normalized || $0.oldPath == normalized
                    || relativePath($0.path) == normalized || $0.title == normalized
            }
            if matches.isEmpty {
                let working = try workingDraft()
                let headDraft = try head().map { (id) throws(StetError) in try draft(atCommit: id) }
                if working.section(named: normalized) == nil, headDraft?.section(named: normalized) == nil {
                    throw StetError(.notFound, "unknown section '\(name)'" + Self.sectionHint(for: name, in: working.sections))
                }
            }
            for match in matches where !selected.contains(match) { selected.append(match) }
        }
        return selected
    }

    /// The bytes of a working file to commit, with LF line ends (see `LineEndings`), refusing
    /// links and unreadable files.
    private func readForCommit(_ path: String) throws(StetError) -> [UInt8] {
        switch WorkingFile.read(root: root, path: path) {
        case .regular(let bytes):
            return LineEndings.normalized(bytes) ?? bytes
        case .symlink(let target):
            let resolved = URL(fileURLWithPath: target, relativeTo: URL(fileURLWithPath: root + "/" + path).deletingLastPathComponent())
                .standardizedFileURL.path
            let inside = resolved.hasPrefix(root + "/")
            throw StetError(.invalidContent, "\(path) is a symbolic link to \(target)"
                + (inside ? "; a section must be a regular file" : ", outside the repository; a section must be a regular file"))
        case .missing:
            throw StetError(.notFound, "\(path) disappeared while committing")
        case .unreadable:
            throw StetError(.failure, "\(path) cannot be read")
        }
    }

    /// The largest image a commit records.
    static let imageLimit = 10 * 1_048_576

    /// The bytes of an image to commit, as they are, refusing links and images too large to share.
    private func readImageForCommit(_ path: String) throws(StetError) -> [UInt8] {
        switch WorkingFile.read(root: root, path: path, limit: Self.imageLimit + 1) {
        case .regular(let bytes):
            guard bytes.count <= Self.imageLimit else {
                throw StetError(.invalidContent, "\(path) is larger than \(Self.imageLimit / 1_048_576) MB; "
                    + "an image may be at most that, so save it smaller")
            }
            return bytes
        case .symlink(let target):
            throw StetError(.invalidContent, "\(path) is a symbolic link to \(target); an image must be a regular file")
        case .missing:
            throw StetError(.notFound, "\(path) disappeared while committing")
        case .unreadable:
            throw StetError(.failure, "\(path) cannot be read")
        }
    }

    /// Sections whose id another section has, once `written` replaces HEAD's files and `removed`
    /// are gone. A pair that involves a written section refuses the commit (`refusal`); sections
    /// that already shared an id at HEAD, untouched, are `warnings`: the writer of an unrelated
    /// edit is not blocked by them.
    func sharedIDs(head: ObjectID?, removed: Set<String>, written: [String: Section],
                   unchanged status: WorkingStatus) throws(StetError) -> (refusal: String?, warnings: [String])
    {
        var pathsByID: [String: [String]] = [:]
        for section in written.values { pathsByID[section.id, default: []].append(section.path) }
        if let head {
            let changedPaths = Set(status.changes.flatMap { [$0.path, $0.oldPath].compactMap { $0 } })
            do {
                let tree = try git.treeID(ofCommit: head)
                for file in try git.files(inTree: tree, under: draftsFolder) where isSectionPath(file.path) {
                    guard !removed.contains(file.path), written[file.path] == nil else { continue }
                    // An unchanged file reads faster from the working tree than from the object store,
                    // and only its front matter can hold an id.
                    let bytes: [UInt8]
                    if !changedPaths.contains(file.path),
                       case .regular(let data) = WorkingFile.read(root: root, path: file.path, limit: FrontMatter.sizeLimit + 8)
                    {
                        bytes = data
                    } else {
                        bytes = try git.blob(file.id)
                    }
                    pathsByID[SectionID.of(relativePath: relativePath(file.path), start: bytes), default: []].append(file.path)
                }
            } catch {
                throw StetError(error, "cannot read the sections at HEAD")
            }
        }
        var warnings: [String] = []
        var refusal: String?
        for (id, paths) in pathsByID.sorted(by: { $0.key < $1.key }) where paths.count > 1 {
            let paths = paths.sorted()
            let text = "sections share the id '\(id)': " + paths.joined(separator: " and ")
                + "; give one a different id in its front matter, or delete it if it is a copy"
            if paths.contains(where: { written[$0] != nil }) {
                refusal = refusal ?? (paths.count == 2 ? "two " : "") + text
            } else {
                warnings.append("already at HEAD, " + text)
            }
        }
        return (refusal, warnings)
    }

    /// Writes the commit and moves HEAD, retrying with jittered backoff while another writer holds
    /// the reference or moved it first (the edits are re-applied on top of its commit).
    func writeCommit(head: ObjectID?, updates: [TreeUpdate], author: Signature, message: String)
        throws(StetError) -> ObjectID
    {
        var tip = head
        var attempt = 0
        while true {
            do {
                let base = try tip.map { (id) throws(GitError) in try git.treeID(ofCommit: id) }
                return try git.createCommit(base: base, updates: updates, parents: tip.map { [$0] } ?? [],
                                            author: author, committer: author, message: message,
                                            updatingReference: "HEAD")
            } catch where (error.code == .modified || error.code == .locked) && attempt < 20 {
                attempt += 1
                usleep(UInt32.random(in: 1_000...20_000) * UInt32(min(attempt, 5)))
                tip = try self.head()
            } catch {
                throw StetError(error, "cannot write the commit")
            }
        }
    }
}
