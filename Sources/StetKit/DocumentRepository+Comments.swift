public import Foundation
import GitStore
public import GitValues
import ProseDiff

/// One round of comments (an online consultation, an expert review): one file in the comments
/// folder.
public struct CommentRound: Sendable {
    public var name: String
    /// The file's path from the repository root.
    public var path: String
    public var comments: [Comment]

    public init(name: String, path: String, comments: [Comment]) {
        self.name = name
        self.path = path
        self.comments = comments
    }
}

/// What `stet comments import` is asked to do.
public struct CommentImport: Sendable {
    /// The file to read (CSV, tab-separated text or XLSX).
    public var file: String
    public var round: String
    /// The draft the comments were made on.
    public var revision: String
    /// Column name to field name, for columns not recognised by their names.
    public var mappings: [(column: String, field: String)] = []
    /// The ids' prefix; by default the round's, else `OC-`.
    public var prefix: String?
    /// Whether the round keeps commenters' e-mail addresses.
    public var keepEmail = false
    public var author: String?
    /// The time to record, and its UTC offset in minutes; nil for now.
    public var date: Date?
    public var timeZoneOffset: Int?

    public init(file: String, round: String, revision: String) {
        self.file = file
        self.round = round
        self.revision = revision
    }
}

/// What an import did.
public struct CommentImportResult: Sendable {
    public var round: CommentRound
    /// The comments added, in the file's order.
    public var added: [Comment]
    /// Rows already in the round (the same file imported again).
    public var alreadyImported: Int
    public var commit: ObjectID?
}

/// What a disposition records.
public struct CommentResponse: Sendable {
    public var ids: [String]
    public var status: Comment.Status
    public var response: String
    public var author: String?
    public var date: Date?
    /// Commit the store at once rather than with the next `stet commit`.
    public var commit = false

    public init(ids: [String], status: Comment.Status, response: String) {
        self.ids = ids
        self.status = status
        self.response = response
    }
}

extension DocumentRepository {
    /// The comments folder from the root, without a trailing slash.
    public var commentsFolder: String { config.comments }

    static let roundExtension = ".rec"

    func roundPath(_ name: String) -> String { commentsFolder + "/" + name + Self.roundExtension }

    func isRoundPath(_ path: String) -> Bool {
        path.hasPrefix(commentsFolder + "/") && path.hasSuffix(Self.roundExtension)
            && !path.dropFirst(commentsFolder.count + 1).contains("/")
    }

    static func roundName(_ path: String) -> String {
        String(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    /// Letters, digits, '-' and '_', as a file name can hold everywhere.
    static func checkRoundName(_ name: String) throws(StetError) {
        guard !name.isEmpty, name.count <= 64,
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }),
              name.first != "-"
        else {
            throw StetError(.usage, "round name '\(name)' must be letters, digits, '-' or '_' (like online-2024)")
        }
    }

    /// Who a command acts as: `explicit` (Name <email>), else STET_AUTHOR, else git's user.
    public func identity(explicit: String?) throws(StetError) -> Signature {
        try Identity.resolve(explicit: explicit, environment: environment, repository: git, date: Date())
    }

    // MARK: Reading the store

    /// Every round as the working files hold it (answers not yet committed included).
    public func workingRounds() throws(StetError) -> [CommentRound] {
        let folder = root + "/" + commentsFolder
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(Self.roundExtension) && !$0.hasPrefix(".") }.sorted()
        var rounds: [CommentRound] = []
        for name in names {
            let path = commentsFolder + "/" + name
            switch WorkingFile.read(root: root, path: path) {
            case .regular(let bytes):
                rounds.append(try Self.round(bytes, path: path))
            case .symlink:
                throw StetError(.invalidContent, "\(path) is a symbolic link; a round of comments must be a regular file")
            case .missing:
                continue
            case .unreadable:
                throw StetError(.failure, "\(path) cannot be read")
            }
        }
        return rounds
    }

    /// Every round as a commit holds it.
    public func rounds(atCommit commit: ObjectID) throws(StetError) -> [CommentRound] {
        let files = try roundFiles(atCommit: commit)
        var rounds: [CommentRound] = []
        for file in files {
            let bytes = try gitCall("read \(file.path)") { () throws(GitError) in try git.blob(file.id) }
            rounds.append(try Self.round(bytes, path: file.path))
        }
        return rounds
    }

    func roundFiles(atCommit commit: ObjectID?) throws(StetError) -> [TreeFile] {
        guard let commit else { return [] }
        return try gitCall("read the comments at \(commit.short)") { () throws(GitError) in
            try git.files(inTree: try git.treeID(ofCommit: commit), under: commentsFolder)
        }.filter { isRoundPath($0.path) }
    }

    static func round(_ bytes: [UInt8], path: String) throws(StetError) -> CommentRound {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StetError(.invalidContent, "\(path) is not UTF-8 text")
        }
        return CommentRound(name: roundName(path), path: path, comments: try CommentRecords.parse(text, path: path))
    }

    /// The paths of the round files whose working copy differs from HEAD's (answers not yet
    /// committed).
    public func roundsNotCommitted() throws(StetError) -> [String] {
        try changedRoundFiles().map(\.path)
    }

    /// Round files whose working copy differs from HEAD's: what the next commit records.
    func changedRoundFiles() throws(StetError) -> [(path: String, bytes: [UInt8]?)] {
        let headFiles = Dictionary(uniqueKeysWithValues: try roundFiles(atCommit: try head()).map { ($0.path, $0.id) })
        let working = try workingRounds()
        var changed: [(path: String, bytes: [UInt8]?)] = []
        for round in working {
            guard case .regular(let bytes) = WorkingFile.read(root: root, path: round.path) else { continue }
            if headFiles[round.path] != ObjectID.forBlob(bytes) { changed.append((round.path, bytes)) }
        }
        for path in headFiles.keys.sorted() where !working.contains(where: { $0.path == path }) {
            changed.append((path, nil))
        }
        return changed
    }

    /// Writes a round's file in the working tree, whole or not at all.
    func writeRound(_ round: CommentRound) throws(StetError) {
        try Self.replaceFile(at: root + "/" + round.path, with: Array(CommentRecords.text(round.comments).utf8),
                             displayPath: round.path)
    }

    /// Commits the given round files as they are in the working tree, and nothing else.
    func commitRounds(_ paths: [String], message: String, author explicit: String?, date: Date? = nil, timeZoneOffset: Int? = nil)
        throws(StetError) -> ObjectID
    {
        var author = try Identity.resolve(explicit: explicit, environment: environment, repository: git, date: date ?? Date())
        if let timeZoneOffset { author.timeZoneOffset = timeZoneOffset }
        var updates: [TreeUpdate] = []
        var entries: [IndexEntry] = []
        for path in paths {
            guard case .regular(let bytes) = WorkingFile.read(root: root, path: path) else {
                throw StetError(.failure, "\(path) cannot be read")
            }
            let blob = try gitCall("write \(path)") { () throws(GitError) in try git.writeBlob(bytes) }
            updates.append(TreeUpdate(path: path, action: .upsert(blob, .regular)))
            entries.append(IndexEntry(path: path, id: blob))
        }
        let commit = try writeCommit(head: try head(), updates: updates, author: author, message: message)
        _ = recordInIndex(entries)
        return commit
    }

    /// The comment with `id` in any round, or an error suggesting the nearest id.
    static func requireComment(_ id: String, in rounds: [CommentRound]) throws(StetError) -> (round: Int, index: Int) {
        for (roundIndex, round) in rounds.enumerated() {
            if let index = round.comments.firstIndex(where: { $0.id == id }) { return (roundIndex, index) }
        }
        let ids = rounds.flatMap { $0.comments.map(\.id) }
        let hint = ids.isEmpty ? " (no round of comments is imported yet: stet comments import FILE --round NAME --on REV)"
            : Suggestion.hint(for: id, in: ids)
        throw StetError(.notFound, "no round holds the comment '\(id)'" + hint)
    }

    // MARK: Import

    /// Imports a form's export as a round of comments made on a draft, anchors each quote in its
    /// section, and commits the round's file. Nothing is written when the file cannot be read.
    /// `bytes` is the file's content when it is not read from `request.file`.
    public func importComments(_ request: CommentImport, bytes given: [UInt8]? = nil) throws(StetError) -> CommentImportResult {
        try Self.checkRoundName(request.round)
        let bytes: [UInt8]
        if let given {
            bytes = given
        } else {
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: request.file)))
            } catch {
                throw StetError(.notFound, "cannot read \(request.file): \((error as NSError).localizedDescription)")
            }
        }
        let sheet = try Spreadsheet.read(bytes, path: request.file).startingAtHeader { cells in
            (try? CommentColumns(header: cells, mappings: request.mappings, path: request.file)) != nil
        }
        let columns = try CommentColumns(header: sheet.header, mappings: request.mappings, path: request.file)
        guard !sheet.rows.isEmpty else {
            throw StetError(.invalidContent, "\(request.file) has a header and no comments below it")
        }
        let commit = try resolve(request.revision)
        let draft = try draft(atCommit: commit, revision: request.revision)

        return try writing("stet comments import") { () throws(StetError) in
            var rounds = try workingRounds()
            let roundIndex = rounds.firstIndex { $0.name == request.round }
            var round = roundIndex.map { rounds[$0] } ?? CommentRound(name: request.round, path: roundPath(request.round), comments: [])
            if let index = roundIndex { rounds.remove(at: index) }
            let otherIDs = Set(rounds.flatMap { $0.comments.map(\.id) })
            let prefix = request.prefix ?? round.comments.first.flatMap { CommentID($0.id)?.prefix } ?? "OC-"
            guard CommentID.isValid(prefix + "1") else {
                throw StetError(.usage, "id prefix '\(prefix)' must be letters, digits, '-', '_' or '.'")
            }
            var next = CommentID.next(prefix: prefix, after: rounds.flatMap(\.comments) + round.comments)
            var ids = otherIDs.union(round.comments.map(\.id))
            let anchors = QuoteAnchors(draft: draft)
            var firstOfText: [String: String] = [:]
            for comment in round.comments where comment.duplicateOf == nil { firstOfText[Self.duplicateKey(comment)] = comment.id }
            let imported = Set(round.comments.map { "\($0.row ?? 0) \($0.source)" })
            var added: [Comment] = []
            var again = 0
            for (number, cells) in sheet.rows {
                let fields = columns.fields(of: cells)
                let source = Self.digest(cells)
                if imported.contains("\(number) \(source)") {
                    again += 1
                    continue
                }
                var id = fields[.id].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if id.isEmpty {
                    id = CommentID.make(prefix: prefix, number: next)
                    next += 1
                } else if !CommentID.isValid(id) {
                    throw StetError(.invalidContent, "\(request.file): row \(number): '\(id.prefix(40))' is not a usable comment id; "
                        + "use letters, digits, '-', '_' and '.', or leave the id column out so stet numbers them")
                }
                guard ids.insert(id).inserted else {
                    throw StetError(.invalidContent, "\(request.file): row \(number): the id \(id) is already taken")
                }
                var comment = try Self.comment(id: id, row: number, fields: fields, request: request, path: request.file)
                comment.draft = Self.draftName(request.revision, commit: commit)
                comment.commit = commit.hex
                comment.source = source
                anchors.place(&comment, reference: fields[.section] ?? "")
                let key = Self.duplicateKey(comment)
                if let first = firstOfText[key] { comment.duplicateOf = first } else { firstOfText[key] = id }
                added.append(comment)
            }
            round.comments += added
            guard !added.isEmpty else {
                return CommentImportResult(round: round, added: [], alreadyImported: again, commit: nil)
            }
            try writeRound(round)
            let message = "Import \(added.count) comment\(added.count == 1 ? "" : "s") of round \(request.round), "
                + "made on \(Self.draftName(request.revision, commit: commit))\n\n"
                + "From \((request.file as NSString).lastPathComponent)."
                + (again > 0 ? " \(again) row\(again == 1 ? " was" : "s were") imported before." : "") + "\n"
            let made = try commitRounds([round.path], message: message, author: request.author, date: request.date,
                                        timeZoneOffset: request.timeZoneOffset)
            return CommentImportResult(round: round, added: added, alreadyImported: again, commit: made)
        }
    }

    /// How a comment names the draft it was made on: the revision as given, unless it only
    /// says where HEAD was (HEAD, HEAD~2, @), which the commit's short id says for good.
    static func draftName(_ revision: String, commit: ObjectID) -> String {
        revision.hasPrefix("HEAD") || revision.hasPrefix("@") ? commit.short : revision
    }

    /// What makes two comments the same submission: who, where and what, word for word.
    static func duplicateKey(_ comment: Comment) -> String {
        [comment.commenter.name, comment.commenter.organisation, comment.commenter.email, comment.section ?? "",
         comment.quote, comment.text, comment.proposal]
            .map { $0.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }.joined(separator: "\u{1F}")
    }

    /// A row's fingerprint: FNV-1a over its cells.
    static func digest(_ cells: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for cell in cells {
            for byte in cell.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    static func comment(id: String, row: Int?, fields: [CommentColumns.Field: String], request: CommentImport, path: String)
        throws(StetError) -> Comment
    {
        var comment = Comment(id: id, round: request.round)
        comment.row = row
        func value(_ field: CommentColumns.Field) -> String {
            CommentRecords.clean(fields[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var name = value(.name)
        if name.isEmpty { name = [value(.firstName), value(.lastName)].filter { !$0.isEmpty }.joined(separator: " ") }
        comment.commenter = Comment.Commenter(name: name, organisation: value(.organisation), group: value(.group),
                                              country: value(.country), email: request.keepEmail ? value(.email) : "")
        comment.quote = value(.quote)
        comment.text = value(.comment)
        comment.proposal = value(.proposal)
        comment.kind = Self.kind(value(.type))
        let status = value(.status)
        if !status.isEmpty {
            guard let known = Self.status(status) else {
                throw StetError(.invalidContent, "\(path): row \(row ?? 0): unknown status '\(status.prefix(40))'; "
                    + "use open, accepted, partly, rejected or noted")
            }
            comment.status = known
        }
        comment.response = value(.response)
        guard !comment.text.isEmpty || !comment.proposal.isEmpty else {
            throw StetError(.invalidContent, "\(path): row \(row ?? 0): the row has no comment and no proposed change")
        }
        return comment
    }

    /// "ge", "Technical", "editorial comment" → the kind.
    static func kind(_ text: String) -> Comment.Kind? {
        let key = text.lowercased()
        if key.hasPrefix("ge") { return .general }
        if key.hasPrefix("te") { return .technical }
        if key.hasPrefix("ed") { return .editorial }
        return nil
    }

    static func status(_ text: String) -> Comment.Status? {
        let key = text.lowercased().trimmingCharacters(in: .whitespaces)
        if key.hasPrefix("part") || key.contains("partially") || key.contains("in part") { return .partly }
        if key.hasPrefix("accept") || key == "agreed" || key == "yes" { return .accepted }
        if key.hasPrefix("reject") || key == "declined" || key == "no" { return .rejected }
        if key.hasPrefix("note") { return .noted }
        if key == "open" || key == "pending" || key == "new" { return .open }
        return nil
    }

    // MARK: Adding and answering

    /// An expert's comment on a draft (the working tree's sections, HEAD's commit), added to a
    /// round; the round's file is committed.
    public func addComment(section name: String, quote: String, text: String, commenter: Comment.Commenter,
                           round roundName: String, revision: String = "HEAD", author: String?) throws(StetError) -> Comment
    {
        try Self.checkRoundName(roundName)
        let commit = try resolve(revision)
        let draft = try draft(atCommit: commit, revision: revision)
        let section = try draft.requireSection(named: name)
        let text = CommentRecords.clean(text).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StetError(.usage, "empty comment: say what it is with -m \"...\"") }
        return try writing("stet comment add") { () throws(StetError) in
            let rounds = try workingRounds()
            var round = rounds.first { $0.name == roundName } ?? CommentRound(name: roundName, path: roundPath(roundName), comments: [])
            let prefix = round.comments.first.flatMap { CommentID($0.id)?.prefix } ?? "EC-"
            let number = CommentID.next(prefix: prefix, after: rounds.flatMap(\.comments))
            var comment = Comment(id: CommentID.make(prefix: prefix, number: number), round: roundName)
            comment.commenter = commenter
            comment.draft = Self.draftName(revision, commit: commit)
            comment.commit = commit.hex
            comment.quote = CommentRecords.clean(quote).trimmingCharacters(in: .whitespacesAndNewlines)
            comment.text = text
            QuoteAnchors(draft: draft).place(&comment, reference: section.id)
            if !comment.quote.isEmpty, comment.anchor == nil {
                throw StetError(.notFound, "the quoted passage is not in section '\(section.id)' at \(revision) as written"
                    + (comment.anchorNote.isEmpty ? "" : " (\(comment.anchorNote))") + "; quote it exactly, or leave --quote out")
            }
            round.comments.append(comment)
            try writeRound(round)
            _ = try commitRounds([round.path], message: "Comment \(comment.id) on \(section.id)\n\n\(text.prefix(200))\n", author: author)
            return comment
        }
    }

    /// Records a disposition for comments in the store's working files.
    public func respond(_ request: CommentResponse) throws(StetError) -> (comments: [Comment], commit: ObjectID?) {
        guard !request.ids.isEmpty else { throw StetError(.usage, "name the comments to answer, like OC-0012") }
        let answers = request.ids.map { (id: $0, status: request.status, response: request.response) }
        let summary = request.ids.count == 1 ? "Answer \(request.ids[0]): \(request.status.rawValue)"
            : "Answer \(request.ids.count) comments: \(request.status.rawValue)"
        let response = CommentRecords.clean(request.response).trimmingCharacters(in: .whitespacesAndNewlines)
        return try record(answers, summary: summary + "\n" + (response.isEmpty ? "" : "\n" + response + "\n"), request: request)
    }

    /// Records the dispositions a spreadsheet gives (the matrix as exported, with its Status and
    /// Response columns filled in): each row whose id a round holds and whose status or
    /// response differs from the store's. Nothing is written when a row names an unknown id or
    /// status.
    public func respond(fromFile file: String, request: CommentResponse) throws(StetError) -> (comments: [Comment], commit: ObjectID?) {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw StetError(.notFound, "cannot read \(file): \((error as NSError).localizedDescription)")
        }
        let sheet = try Spreadsheet.read(bytes, path: file)
        let columns = try CommentColumns(header: sheet.header, mappings: [], path: file, needs: [.id, .status])
        let rounds = try workingRounds()
        var answers: [(id: String, status: Comment.Status, response: String)] = []
        for (number, cells) in sheet.rows {
            let fields = columns.fields(of: cells)
            let id = Self.unneutralized(fields[.id] ?? "").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { continue }
            guard let (roundIndex, index) = try? Self.requireComment(id, in: rounds) else {
                throw StetError(.notFound, "\(file): row \(number): no round holds the comment '\(id.prefix(40))'"
                    + Suggestion.hint(for: id, in: rounds.flatMap { $0.comments.map(\.id) }))
            }
            let given = Self.unneutralized(fields[.status] ?? "").trimmingCharacters(in: .whitespaces)
            guard let status = given.isEmpty ? Comment.Status.open : Self.status(given) else {
                throw StetError(.invalidContent, "\(file): row \(number): unknown status '\(given.prefix(40))'; "
                    + "use open, accepted, partly, rejected or noted")
            }
            let response = CommentRecords.clean(Self.unneutralized(fields[.response] ?? "")).trimmingCharacters(in: .whitespacesAndNewlines)
            let stored = rounds[roundIndex].comments[index]
            if stored.status != status || stored.response != response { answers.append((id, status, response)) }
        }
        guard !answers.isEmpty else { return ([], nil) }
        let summary = "Answer \(answers.count) comment\(answers.count == 1 ? "" : "s") from \((file as NSString).lastPathComponent)\n"
        return try record(answers, summary: summary, request: request)
    }

    /// A cell as written before the matrix's CSV kept it from reading as a formula.
    static func unneutralized(_ text: String) -> String {
        guard text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@\t\r".contains(next) else { return text }
        return String(text.dropFirst())
    }

    /// Writes dispositions to the rounds' files, under the answerer's name and time, and
    /// commits them when asked.
    private func record(_ answers: [(id: String, status: Comment.Status, response: String)], summary message: String,
                        request: CommentResponse) throws(StetError) -> (comments: [Comment], commit: ObjectID?)
    {
        try writing("stet comments respond") { () throws(StetError) in
            var rounds = try workingRounds()
            let who = try Identity.resolve(explicit: request.author, environment: environment, repository: git,
                                           date: request.date ?? Date())
            let when = ISODate.format(who.date, offsetMinutes: who.timeZoneOffset)
            var answered: [Comment] = []
            var touched = Set<Int>()
            for answer in answers {
                let (roundIndex, index) = try Self.requireComment(answer.id, in: rounds)
                rounds[roundIndex].comments[index].status = answer.status
                rounds[roundIndex].comments[index].response = CommentRecords.clean(answer.response)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                rounds[roundIndex].comments[index].answeredBy = who.name
                rounds[roundIndex].comments[index].answeredAt = when
                answered.append(rounds[roundIndex].comments[index])
                touched.insert(roundIndex)
            }
            for index in touched.sorted() { try writeRound(rounds[index]) }
            guard request.commit else { return (answered, nil) }
            let commit = try commitRounds(touched.sorted().map { rounds[$0].path }, message: message,
                                          author: request.author, date: request.date)
            return (answered, commit)
        }
    }
}
