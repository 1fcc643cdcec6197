import Foundation
import GitStore
public import GitValues
import ProseDiff

/// Where a comment's passage stands in a later draft.
public struct CommentPlace: Sendable {
    public enum State: String, Sendable, Codable {
        /// The passage is there, word for word (perhaps moved, perhaps to another section).
        case exact
        /// Some of its words were edited (`commits` made the edits).
        case changed
        /// All its words were deleted (by `commits`).
        case deleted
        /// The comment names a section but no passage in it (or its passage was not found).
        case section
        /// Neither a passage nor a section: a general comment, or one whose place was not found.
        case unanchored
    }

    public var comment: Comment
    public var state: State
    /// The section's id at the draft read, and its title.
    public var section: String?
    public var sectionTitle: String?
    /// The passage's text at the draft read (for exact and changed), from its first surviving
    /// word to its last.
    public var text: String?
    /// The commits that edited or deleted the passage, oldest first.
    public var commits: [CommitInfo] = []
    /// Why it is where it is, when that needs saying.
    public var note: String
    /// The commits whose `Addresses:` trailer names the comment, oldest first.
    public var addressedBy: [CommitInfo] = []
}

/// A problem `stet comments check` reports.
public struct CommentProblem: Sendable {
    public enum Kind: String, Sendable {
        /// Accepted or partly accepted, and no commit addresses it.
        case acceptedUnaddressed = "accepted-unaddressed"
        /// Addressed by a commit and still open.
        case addressedOpen = "addressed-open"
        /// An `Addresses:` id that no round holds.
        case unknownID = "unknown-id"
    }

    public var kind: Kind
    public var id: String
    public var message: String
}

extension DocumentRepository {
    /// Every comment of every round (or of `rounds`) placed in the draft at `revision`: its passage
    /// followed through the word-level history from the draft it was made on. None is dropped.
    public func commentPlaces(at revision: String = "HEAD", rounds given: [CommentRound]? = nil) throws(StetError) -> [CommentPlace] {
        let end = try resolve(revision)
        var rounds: [CommentRound]
        if let given { rounds = given } else { rounds = try workingRounds() }
        // Rounds in the order of the drafts they were made on.
        var dates: [String: Date] = [:]
        for round in rounds {
            guard let hex = round.comments.first?.commit, dates[hex] == nil, let id = ObjectID(hex: hex) else { continue }
            dates[hex] = (try? commitInfo(id))?.committer.date
        }
        let distant = Date.distantFuture
        rounds = rounds.enumerated().sorted { left, right in
            let a = left.element.comments.first.flatMap { dates[$0.commit] } ?? distant
            let b = right.element.comments.first.flatMap { dates[$0.commit] } ?? distant
            return (a, left.offset) < (b, right.offset)
        }.map(\.element)
        let comments = rounds.flatMap(\.comments)
        let endDraft = try draft(atCommit: end, revision: revision)
        let addressed = try addressingCommits(upTo: end)
        var places = [CommentPlace?](repeating: nil, count: comments.count)

        // Comments grouped by the draft they were made on: one walk of the history each.
        var byCommit: [String: [Int]] = [:]
        for (index, comment) in comments.enumerated() { byCommit[comment.commit, default: []].append(index) }
        for (hex, indices) in byCommit.sorted(by: { $0.key < $1.key }) {
            let start = ObjectID(hex: hex)
            var follows = false
            if let start { follows = start == end ? true : try isAncestor(start, of: end) }
            guard let start, follows else {
                let why = start == nil ? "made on no recorded draft" : "made on a draft (\(hex.prefix(7))) that is not in \(revision)'s history"
                for index in indices { places[index] = Self.unfollowed(comments[index], in: endDraft, note: why) }
                continue
            }
            let followed = try follow(indices.map { comments[$0] }, from: start, to: end, endDraft: endDraft)
            for (offset, index) in indices.enumerated() { places[index] = followed[offset] }
        }
        return places.map { place in
            var place = place!
            place.addressedBy = addressed[place.comment.id] ?? []
            return place
        }
    }

    /// A comment whose passage cannot be followed: placed by its section's id, if the draft has it.
    private static func unfollowed(_ comment: Comment, in draft: Draft, note: String) -> CommentPlace {
        let section = comment.section.flatMap { draft.section(named: $0) }
        return CommentPlace(comment: comment, state: section == nil ? .unanchored : .section, section: section?.id,
                            sectionTitle: section?.title, text: nil, note: note)
    }

    /// Follows comments made on `start` to `end`.
    private func follow(_ comments: [Comment], from start: ObjectID, to end: ObjectID, endDraft: Draft)
        throws(StetError) -> [CommentPlace]
    {
        let startDraft = try draft(atCommit: start)
        let anchored = comments.contains { $0.anchor != nil }
        var attribution = Attribution(repository: self)
        if anchored {
            do {
                try attribution.run(from: start, to: end)
            } catch {
                throw StetError(error, "cannot follow the history from \(start.short)")
            }
        }
        let walked = attribution
        // The start sections comments are anchored in, and their tokens.
        var startTokens: [Int32: [Token]] = [:]
        for comment in comments {
            guard comment.anchor != nil, let id = comment.section, let section = startDraft.section(named: id),
                  let index = walked.startSection(section.path), startTokens[index] == nil else { continue }
            startTokens[index] = TokenTable.tokens(of: section.text)
        }
        // Where each of their tokens stands at the end: (end section, token) by (start section, token).
        var position: [Int64: (Int32, Int32)] = [:]
        var endSections: [Section] = []
        var endOrigins: [[Attribution.Origin]] = []
        var endTokens: [[Token]] = []
        if !startTokens.isEmpty {
            for section in endDraft.sections {
                let annotated: Attribution.Annotated?
                do {
                    annotated = try attribution.finalText(section.path)
                } catch {
                    throw StetError(error, "cannot read \(section.path)")
                }
                let origins = annotated?.expandedOrigins() ?? []
                guard origins.contains(where: { startTokens[$0.startSection] != nil }) else { continue }
                let number = Int32(endSections.count)
                endSections.append(section)
                endOrigins.append(origins)
                endTokens.append(TokenTable.tokens(of: section.text))
                for (token, origin) in origins.enumerated() where startTokens[origin.startSection] != nil {
                    position[Int64(origin.startSection) << 32 | Int64(origin.startToken)] = (number, Int32(token))
                }
            }
        }
        func commits(_ indices: Set<Int32>) -> [CommitInfo] { indices.sorted().map { walked.commits[Int($0)] } }

        return comments.map { comment in
            let startSection = comment.section.flatMap { startDraft.section(named: $0) }
            let endSection = startSection.flatMap { endDraft.section(named: $0.id) }
            guard let anchor = comment.anchor, let startSection, let sectionIndex = walked.startSection(startSection.path),
                  let tokens = startTokens[sectionIndex]
            else {
                let note = comment.anchorNote.isEmpty ? (comment.section == nil ? "general comment" : "") : comment.anchorNote
                return CommentPlace(comment: comment, state: endSection == nil ? .unanchored : .section, section: endSection?.id,
                                    sectionTitle: endSection?.title, text: nil,
                                    note: endSection == nil && startSection != nil ? "section \(startSection!.id) is gone" : note)
            }
            // The passage's words (not its white space) at the start, and where each stands now.
            let words = tokens.indices.filter { tokens[$0].kind != .space && tokens[$0].end > anchor.start && tokens[$0].start < anchor.end }
            var editors = Set<Int32>()
            var found: [(Int32, Int32)] = []
            for word in words {
                if let place = position[Int64(sectionIndex) << 32 | Int64(word)] {
                    found.append(place)
                } else if let deleter = walked.deleters[sectionIndex, Int32(word)] ?? walked.movers[sectionIndex, Int32(word)] {
                    editors.insert(deleter)
                }
            }
            guard !found.isEmpty else {
                return CommentPlace(comment: comment, state: .deleted, section: endSection?.id, sectionTitle: endSection?.title,
                                    text: nil, commits: commits(editors), note: "")
            }
            // The end section most of its words are in, and the span from the first to the last.
            var counts: [Int32: Int] = [:]
            for place in found { counts[place.0, default: 0] += 1 }
            let home = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
            let here = found.filter { $0.0 == home }.map(\.1)
            let origins = endOrigins[Int(home)], endTokenList = endTokens[Int(home)]
            var first = Int(here.min()!), last = Int(here.max()!)
            // Words written since, right before or after the passage (up to a blank line), are
            // part of what it now reads.
            func isNew(_ token: Int) -> Bool {
                let kind = endTokenList[token].kind
                if kind == .space { return !isBlankLine(endTokenList[token], in: endDraft, section: endSections[Int(home)]) }
                return origins[token].commit >= 0 && origins[token].startSection < 0
            }
            func extended(_ from: Int, by step: Int) -> Int {
                var edge = from, probe = from + step
                while probe >= 0, probe < endTokenList.count, isNew(probe) {
                    if endTokenList[probe].kind != .space { edge = probe }
                    probe += step
                }
                return edge
            }
            // Exact when the span holds the passage's words, all of them, in order, and nothing else.
            var inOrder = true
            var previous: Int32 = -1
            var spanWords = 0
            for token in first...last where endTokenList[token].kind != .space {
                spanWords += 1
                let origin = origins[token]
                if origin.commit >= 0 { editors.insert(origin.commit) }
                if origin.startSection != sectionIndex || origin.startToken <= previous { inOrder = false }
                previous = origin.startToken
            }
            let exact = found.count == words.count && here.count == words.count && inOrder && spanWords == words.count
            if !exact {
                first = extended(first, by: -1)
                last = extended(last, by: 1)
                for token in first...last where origins[token].commit >= 0 { editors.insert(origins[token].commit) }
            }
            let section = endSections[Int(home)]
            let bytes = Array(section.text.utf8)
            let text = String(decoding: bytes[endTokenList[first].start..<endTokenList[last].end], as: UTF8.self)
            let moved = section.id != startSection.id ? "moved from section \(startSection.id)" : ""
            return CommentPlace(comment: comment, state: exact ? .exact : .changed, section: section.id, sectionTitle: section.title,
                                text: text, commits: exact ? [] : commits(editors), note: moved)
        }
    }

    /// Whether a white space token holds an empty line (ends a paragraph).
    private func isBlankLine(_ token: Token, in draft: Draft, section: Section) -> Bool {
        var newlines = 0
        for byte in section.text.utf8.dropFirst(token.start).prefix(token.end - token.start) where byte == 0x0A { newlines += 1 }
        return newlines >= 2
    }

    /// The comment ids the `Addresses:` trailers of `end`'s history name, with their commits,
    /// oldest first.
    public func addressingCommits(upTo end: ObjectID) throws(StetError) -> [String: [CommitInfo]] {
        let ids = try gitCall("walk the history") { () throws(GitError) in try git.walk(from: [end]) }
        var result: [String: [CommitInfo]] = [:]
        for id in ids.reversed() {
            let commit = try commitInfo(id)
            for comment in commit.addressedComments { result[comment, default: []].append(commit) }
        }
        return result
    }

    /// Dispositions that do not agree with the history: accepted with no commit addressing it,
    /// addressed but still open, and `Addresses:` ids no round holds.
    public func checkComments(at revision: String = "HEAD") throws(StetError) -> [CommentProblem] {
        let end = try resolve(revision)
        let rounds = try workingRounds()
        let addressed = try addressingCommits(upTo: end)
        var problems: [CommentProblem] = []
        var known = Set<String>()
        for comment in rounds.flatMap(\.comments) {
            known.insert(comment.id)
            let commits = addressed[comment.id] ?? []
            if comment.status == .accepted || comment.status == .partly, commits.isEmpty, comment.duplicateOf == nil {
                problems.append(CommentProblem(kind: .acceptedUnaddressed, id: comment.id,
                                               message: "\(comment.id) is \(comment.status.rawValue) but no commit addresses it "
                                                   + "(commit the change with --addresses \(comment.id))"))
            }
            if comment.status == .open, let last = commits.last {
                problems.append(CommentProblem(kind: .addressedOpen, id: comment.id,
                                               message: "\(comment.id) is addressed by \(last.id.short) but still open "
                                                   + "(answer it with stet comments respond \(comment.id) --status ...)"))
            }
        }
        for (id, commits) in addressed.sorted(by: { $0.key < $1.key }) where !known.contains(id) {
            problems.append(CommentProblem(kind: .unknownID, id: id,
                                           message: "commit \(commits[0].id.short) addresses \(id), which no round holds"
                                               + Suggestion.hint(for: id, in: known)))
        }
        return problems
    }
}
