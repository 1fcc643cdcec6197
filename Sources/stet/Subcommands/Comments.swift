import ArgumentParser
import Foundation
import ProseDiff
import StetKit
import StetRender

/// A status named on the command line.
func commentStatus(_ text: String) throws -> Comment.Status {
    guard let status = Comment.Status(rawValue: text.lowercased()) else {
        throw ValidationError("unknown status '\(text)'; use " + Comment.Status.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return status
}

/// Which comments a listing or a matrix shows.
struct CommentFilter: ParsableArguments {
    @Option(help: "Only this round's comments.")
    var round: String?

    @Option(help: "Only comments with this status (open, accepted, partly, rejected, noted).")
    var status: String?

    @Option(help: ArgumentHelp("Only comments on this section (id or title).", valueName: "section"))
    var section: String?

    @Option(help: ArgumentHelp("Only comments by this commenter (name or organisation, any part of it).", valueName: "name"))
    var by: String?

    @Option(help: ArgumentHelp("Only comments whose passage is in this state at --at (exact, changed, deleted, section, unanchored).",
                               valueName: "state"))
    var state: String?

    @Option(help: ArgumentHelp("Place the comments in the draft at this revision.", valueName: "revision"))
    var at = "HEAD"

    /// The places of the comments that pass, in the rounds' order.
    func places(_ repository: DocumentRepository) throws -> [CommentPlace] {
        var rounds = try repository.workingRounds()
        if let round {
            rounds = rounds.filter { $0.name == round }
            guard !rounds.isEmpty else {
                let names = try repository.workingRounds().map(\.name)
                throw StetError(.notFound, "no round named '\(round)'"
                    + (names.isEmpty ? " (no round is imported yet)" : "; the rounds are " + names.joined(separator: ", ")))
            }
        }
        let places = try repository.commentPlaces(at: at, rounds: rounds)
        let status = try self.status.map(commentStatus)
        let state = try self.state.map { (name: String) throws -> CommentPlace.State in
            guard let state = CommentPlace.State(rawValue: name.lowercased()) else {
                throw ValidationError("unknown state '\(name)'; use exact, changed, deleted, section or unanchored")
            }
            return state
        }
        return places.filter { place in
            if let state, place.state != state { return false }
            if let status, place.comment.status != status { return false }
            if let section {
                let wanted = section.lowercased()
                guard place.section?.lowercased() == wanted || place.sectionTitle?.lowercased() == wanted
                    || place.comment.section?.lowercased() == wanted else { return false }
            }
            if let by {
                let wanted = by.lowercased()
                let commenter = place.comment.commenter
                guard commenter.name.lowercased().contains(wanted) || commenter.organisation.lowercased().contains(wanted) else { return false }
            }
            return true
        }
    }
}

extension Stet {
    struct Comments: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "comments",
            abstract: "Consultation comments: import, follow, answer, check, and publish the comment matrix.",
            discussion: """
                A round of comments lives in the comments folder (comments/ by default), one file per \
                round, one record per comment, versioned and shared with the drafts. Each comment is \
                anchored to the passage it quotes at the draft it was made on, and followed to any \
                later draft through the word-level history: exact, changed, deleted, section or \
                unanchored. Commits link to comments with --addresses ID (the Addresses: trailer).
                """,
            subcommands: [List.self, Show.self, Import.self, Respond.self, Check.self, Matrix.self],
            defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "List comments and where their passages stand in a draft.")

            enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

            @OptionGroup var repository: RepositoryOptions
            @OptionGroup var filter: CommentFilter

            @Option(help: "Output format.")
            var format: Format = .text

            func run() throws {
                let repository = try repository.open()
                let places = try filter.places(repository)
                switch format {
                case .json:
                    let commit = try repository.resolve(filter.at)
                    Output.raw(try CommentsDocument(places, at: filter.at, commit: commit.hex).encoded())
                case .text:
                    if places.isEmpty { Output.line("No comments."); return }
                    for place in places { Self.printLine(place) }
                    var counts: [Comment.Status: Int] = [:]
                    for place in places { counts[place.comment.status, default: 0] += 1 }
                    Output.line()
                    var states: [CommentPlace.State: Int] = [:]
                    for place in places { states[place.state, default: 0] += 1 }
                    let order: [CommentPlace.State] = [.exact, .changed, .deleted, .section, .unanchored]
                    Output.line("\(places.count) comment\(places.count == 1 ? "" : "s"): "
                        + Comment.Status.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }.joined(separator: ", ")
                        + "; passages at \(filter.at): " + order.compactMap { state in states[state].map { "\($0) \(state.rawValue)" } }.joined(separator: ", "))
                }
            }

            static func printLine(_ place: CommentPlace) {
                let comment = place.comment
                let section = place.section ?? comment.section ?? "general"
                Output.line(Output.safe(comment.id) + "  " + comment.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + "  " + place.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + "  " + Output.safe(section) + "  " + Output.safe(comment.commenter.label))
                let text = comment.text.isEmpty ? comment.proposal : comment.text
                Output.line("    " + Output.safe(String(text.split(separator: "\n").first?.prefix(100) ?? "")))
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one comment in full.")

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The comment's id (OC-0012).")
            var id: String

            @Option(help: ArgumentHelp("Place it in the draft at this revision.", valueName: "revision"))
            var at = "HEAD"

            @Option(help: "Output format.")
            var format: List.Format = .text

            func run() throws {
                let repository = try repository.open()
                let rounds = try repository.workingRounds()
                guard let round = rounds.first(where: { $0.comments.contains { $0.id == id } }) else {
                    throw StetError(.notFound, "no round holds the comment '\(id)'"
                        + Suggestion.hint(for: id, in: rounds.flatMap { $0.comments.map(\.id) }))
                }
                let only = CommentRound(name: round.name, path: round.path, comments: round.comments.filter { $0.id == id })
                let place = try repository.commentPlaces(at: at, rounds: [only])[0]
                if format == .json {
                    Output.raw(try CommentsDocument([place], at: at, commit: try repository.resolve(at).hex).encoded())
                    return
                }
                let comment = place.comment
                func field(_ label: String, _ value: String) {
                    guard !value.isEmpty else { return }
                    let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
                    Output.line(label.padding(toLength: 13, withPad: " ", startingAt: 0) + Output.safe(String(lines[0])))
                    for line in lines.dropFirst() { Output.line(String(repeating: " ", count: 13) + Output.safe(String(line))) }
                }
                field("Comment", comment.id + " (round \(comment.round)" + (comment.row.map { ", row \($0)" } ?? "") + ")")
                field("By", [comment.commenter.label, comment.commenter.group, comment.commenter.country].filter { !$0.isEmpty && $0 != "anonymous" }.joined(separator: ", "))
                field("Made on", comment.draft + (comment.commit.isEmpty ? "" : " (\(comment.commit.prefix(7)))"))
                field("Section", place.section.map { "\($0)" + (place.sectionTitle.map { " — \($0)" } ?? "") } ?? "none (general)")
                field("Quote", comment.quote)
                field("Passage", place.state.rawValue + " at \(at)" + (place.note.isEmpty ? "" : " (\(place.note))"))
                if place.state == CommentPlace.State.changed, let text = place.text { field("Now reads", text) }
                for commit in place.commits { field("Edited by", "\(commit.id.short) \(commit.author.name): \(commit.summary)") }
                field("Type", comment.kind?.rawValue ?? "")
                field("Text", comment.text)
                field("Proposal", comment.proposal)
                field("Status", comment.status.rawValue)
                field("Response", comment.response)
                field("Answered", [comment.answeredBy, comment.answeredAt].filter { !$0.isEmpty }.joined(separator: ", "))
                field("Duplicate of", comment.duplicateOf ?? "")
                for commit in place.addressedBy { field("Addressed by", "\(commit.id.short) \(commit.author.name): \(commit.summary)") }
            }
        }

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "import",
                abstract: "Import a round of comments from a form's export (CSV, tab-separated text or XLSX).",
                discussion: """
                    Columns are recognised by their names (Name, Organisation, Stakeholder group, Country, \
                    Section, Quote, Type, Comment, Proposed change, ...); --map names the others. A row's \
                    section may be a number, a title, "Section 4" or none; its quote, copied from the \
                    typeset draft, is found in that section's text at --on. The round's file is written \
                    and committed; importing the same file again adds nothing, and a file that cannot be \
                    read writes nothing.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The export: .csv, .tsv, .txt (UTF-8 or UTF-16) or .xlsx.")
            var file: String

            @Option(help: ArgumentHelp("The round's name (a file name: online-2024).", valueName: "name"))
            var round: String

            @Option(help: ArgumentHelp("The draft the comments were made on.", valueName: "revision"))
            var on: String

            @Option(help: ArgumentHelp("A column the names do not say: \"Column name=field\" (fields: "
                + "id, name, first-name, last-name, organisation, group, country, email, section, quote, type, comment, "
                + "proposal, status, response); repeatable.", valueName: "column=field"))
            var map: [String] = []

            @Option(help: ArgumentHelp("The ids' prefix for this round (default: the round's, else OC-).", valueName: "prefix"))
            var prefix: String?

            @Flag(help: "Keep the commenters' e-mail addresses (left out by default).")
            var keepEmail = false

            @Option(help: ArgumentHelp("Who imports (Name <email>); default: STET_AUTHOR or git's user.", valueName: "identity"))
            var author: String?

            func run() throws {
                let repository = try repository.open()
                var request = CommentImport(file: file, round: round, revision: on)
                request.mappings = try map.map { entry in
                    guard let equals = entry.lastIndex(of: "=") else {
                        throw ValidationError("--map \"\(entry)\" must be \"Column name=field\"")
                    }
                    return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
                }
                request.prefix = prefix
                request.keepEmail = keepEmail
                request.author = author
                let result = try repository.importComments(request)
                guard let commit = result.commit else {
                    Output.line("Nothing to import: the \(result.alreadyImported) rows of \(file) are in round \(round) already.")
                    return
                }
                let anchored = result.added.filter { $0.anchor != nil }.count
                let quoted = result.added.filter { !$0.quote.isEmpty }.count
                let duplicates = result.added.filter { $0.duplicateOf != nil }.count
                Output.line("Imported \(result.added.count) comment\(result.added.count == 1 ? "" : "s") into round \(round) "
                    + "(\(result.added.count == 1 ? result.added[0].id : result.added.first!.id + " to " + result.added.last!.id)), "
                    + "committed as \(commit.short).")
                Output.line("  \(anchored) of \(quoted) quoted passages found in the draft at \(on)"
                    + (duplicates > 0 ? "; \(duplicates) duplicate\(duplicates == 1 ? "" : "s") marked" : "")
                    + (result.alreadyImported > 0 ? "; \(result.alreadyImported) rows imported before" : ""))
                for comment in result.added where !comment.quote.isEmpty && comment.anchor == nil {
                    Output.warning("\(comment.id) (row \(comment.row ?? 0)): \(comment.anchorNote)")
                }
            }
        }

        struct Respond: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "respond",
                abstract: "Record the disposition of comments: status and response.",
                discussion: """
                    Written to the round's file; the next stet commit records it, or --commit at once. \
                    With --from, the dispositions of a spreadsheet (the matrix exported as XLSX or CSV, \
                    its Status and Response columns filled in): each row whose status or response \
                    differs from the round's is recorded, and a row naming an unknown comment or status \
                    stops it with nothing written.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The comments' ids.")
            var ids: [String] = []

            @Option(help: "accepted, partly, rejected, noted (or open).")
            var status: String?

            @Option(help: "The response, as the matrix publishes it.")
            var response: String = ""

            @Option(help: ArgumentHelp("Read the dispositions from this spreadsheet (columns ID, Status, Response).", valueName: "file"))
            var from: String?

            @Flag(help: "Commit the round's file now.")
            var commit = false

            @Option(help: ArgumentHelp("Who answers (Name <email>); default: STET_AUTHOR or git's user.", valueName: "identity"))
            var author: String?

            func validate() throws {
                if from == nil, ids.isEmpty { throw ValidationError("name at least one comment, like OC-0012, or --from FILE") }
                if from == nil, status == nil { throw ValidationError("say what was decided with --status") }
                if from != nil, !ids.isEmpty || status != nil { throw ValidationError("--from reads ids and statuses from the file; name none") }
            }

            func run() throws {
                let repository = try repository.open()
                var request = CommentResponse(ids: ids, status: try status.map(commentStatus) ?? .open, response: response)
                request.commit = commit
                request.author = author
                if let from {
                    let (answered, made) = try repository.respond(fromFile: from, request: request)
                    guard !answered.isEmpty else {
                        Output.line("Nothing to record: every disposition in \(from) is the round's already.")
                        return
                    }
                    Output.line("Recorded \(answered.count) disposition\(answered.count == 1 ? "" : "s") from \(from)"
                        + (made.map { ", committed as \($0.short)" } ?? "; stet commit records them"))
                    return
                }
                let (answered, made) = try repository.respond(request)
                Output.line("\(answered.map(\.id).joined(separator: ", ")): \(request.status.rawValue)"
                    + (made.map { ", committed as \($0.short)" } ?? "; stet commit records it"))
            }
        }

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "check",
                abstract: "Find dispositions that disagree with the history.",
                discussion: """
                    Accepted or partly accepted with no commit addressing it; addressed by a commit but \
                    still open; an Addresses: id that no round holds. Exits 1 when it finds any.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Option(help: ArgumentHelp("Read the history up to this revision.", valueName: "revision"))
            var at = "HEAD"

            func run() throws {
                let repository = try repository.open()
                let problems = try repository.checkComments(at: at)
                guard !problems.isEmpty else {
                    Output.line("Every disposition agrees with the history.")
                    return
                }
                for problem in problems { Output.line(Output.safe(problem.message)) }
                throw ExitCode(1)
            }
        }

        struct Matrix: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "matrix",
                abstract: "The comment matrix: every comment, its disposition, and the words it changed.",
                discussion: """
                    Grouped by section, with counts by status and stakeholder group. The words a comment \
                    changed are the redline of the spans its addressing commits made, from the draft it was \
                    made on to --at. HTML is self-contained and runs nothing; XLSX cells are text and CSV \
                    cells are neutralized, so no cell becomes a formula.
                    """)

            enum Format: String, ExpressibleByArgument, CaseIterable { case html, xlsx, csv, json, docx }

            @OptionGroup var repository: RepositoryOptions
            @OptionGroup var filter: CommentFilter

            @Option(help: "Output format.")
            var format: Format = .html

            @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default: comments-ROUND.FORMAT; JSON to standard output).",
                                                            valueName: "file"))
            var output: String?

            @Flag(help: "Overwrite an output file that stet did not write.")
            var force = false

            func run() throws {
                let repository = try repository.open()
                let places = try filter.places(repository)
                let changes = try repository.commentChanges(places, at: filter.at)
                let commit = try repository.resolve(filter.at)
                if format == .json, output == nil {
                    Output.raw(try CommentsDocument(places, at: filter.at, commit: commit.hex, changes: changes).encoded())
                    return
                }
                let order = try repository.draft(atCommit: commit).sections.map(\.id)
                var rounds: [String] = []
                for place in places where !rounds.contains(place.comment.round) { rounds.append(place.comment.round) }
                var subtitle = (rounds.isEmpty ? "No comments" : "Round\(rounds.count == 1 ? "" : "s") " + rounds.joined(separator: ", "))
                    + ", placed in the draft at \(filter.at) (commit \(commit.short))"
                if let by = filter.by { subtitle += "; comments by \(by)" }
                let matrix = CommentMatrix(title: repository.title, subtitle: subtitle, version: Stet.version,
                                           rows: places.map { Self.row($0, changes: changes[$0.comment.id] ?? []) }, sectionOrder: order)
                let name = "comments-" + (filter.round ?? "all")
                    + (filter.by.map { "-" + OutputFile.fileSafe($0) } ?? "") + "." + format.rawValue
                let destination = output ?? name
                switch format {
                case .html: try OutputFile.write([matrix.html()], to: destination, force: force, kind: .html)
                case .csv: try OutputFile.write([matrix.csv()], to: destination, force: force, kind: .csv)
                case .xlsx: try OutputFile.write(matrix.xlsx(), to: destination, force: force, kind: .xlsx)
                case .docx: try OutputFile.write(matrix.docx(), to: destination, force: force, kind: .docx)
                case .json:
                    try OutputFile.write([try CommentsDocument(places, at: filter.at, commit: commit.hex, changes: changes).encoded()],
                                         to: destination, force: force, kind: .json)
                }
                Output.line("Wrote \(destination) (\(places.count) comment\(places.count == 1 ? "" : "s"))")
            }

            static func row(_ place: CommentPlace, changes: [CommentChange]) -> CommentMatrix.Row {
                let comment = place.comment
                var row = CommentMatrix.Row()
                row.id = comment.id
                row.round = comment.round
                row.row = comment.row.map(String.init) ?? ""
                row.commenter = comment.commenter.name
                row.organisation = comment.commenter.organisation
                row.group = comment.commenter.group
                row.country = comment.commenter.country
                row.section = place.section ?? comment.section ?? ""
                row.sectionTitle = place.sectionTitle ?? ""
                row.quote = comment.quote
                row.anchorState = place.state.rawValue
                row.anchorNote = place.note
                row.currentText = place.text ?? ""
                row.kind = comment.kind?.rawValue ?? ""
                row.comment = comment.text
                row.proposal = comment.proposal
                row.status = comment.status.rawValue
                row.response = comment.response
                row.answeredBy = comment.answeredBy
                row.answeredAt = comment.answeredAt
                row.duplicateOf = comment.duplicateOf ?? ""
                row.addressedBy = place.addressedBy.map(Output.sourceCommit)
                row.changes = changes.map {
                    CommentMatrix.Change(section: $0.section, sectionTitle: $0.sectionTitle, pieces: $0.excerpt.pieces,
                                         commits: $0.commits.map(Output.sourceCommit))
                }
                return row
            }
        }
    }

    struct CommentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "comment", abstract: "Add a review comment.", subcommands: [Add.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Add an expert's review comment on a section of the current draft.",
                discussion: "The comment goes into a round (review by default) and is committed at once.")

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The section (id, path or title).")
            var section: String

            @Option(help: "The passage commented on, exactly as the draft has it (its words).")
            var quote: String = ""

            @Option(name: .shortAndLong, help: "The comment.")
            var message: String

            @Option(help: ArgumentHelp("The commenter's name (default: the author's).", valueName: "name"))
            var by: String?

            @Option(help: "The commenter's organisation.")
            var org: String = ""

            @Option(help: "The commenter's stakeholder group.")
            var group: String = ""

            @Option(help: "The commenter's country.")
            var country: String = ""

            @Option(help: ArgumentHelp("The round (default: review).", valueName: "name"))
            var round = "review"

            @Option(help: ArgumentHelp("The draft commented on (default: HEAD).", valueName: "revision"))
            var on = "HEAD"

            @Option(help: ArgumentHelp("Who records it (Name <email>); default: STET_AUTHOR or git's user.", valueName: "identity"))
            var author: String?

            func run() throws {
                let repository = try repository.open()
                let name = by ?? (try? repository.identity(explicit: author).name) ?? ""
                let commenter = Comment.Commenter(name: name, organisation: org, group: group, country: country)
                let comment = try repository.addComment(section: section, quote: quote, text: message, commenter: commenter,
                                                        round: round, revision: on, author: author)
                Output.line("Added \(comment.id) on \(comment.section ?? section)"
                    + (comment.anchor != nil ? ", anchored to its passage" : "") + ", in round \(round).")
            }
        }
    }
}

/// `stet comments --format json` and `stet comments matrix --format json`: schema version 1,
/// documented in docs/json.md.
struct CommentsDocument: JSONDocument {
    struct Commenter: Encodable {
        var name, organisation, group, country: String
        var email: String?
    }

    struct Anchor: Encodable {
        var state: String
        var note: String?
        var exact: String?
        var prefix: String?
        var suffix: String?
        var start: Int?
        var end: Int?
        /// The passage as the draft read has it.
        var text: String?
        var editedBy: [String]
    }

    struct Change: Encodable {
        struct Piece: Encodable {
            var kind: String
            var text: String
        }

        var section: String
        var inserted: String
        var deleted: String
        var pieces: [Piece]
        var commits: [String]
    }

    struct Entry: Encodable {
        var id: String
        var row: Int?
        var round: String
        var commenter: Commenter
        var draft: String
        var draftCommit: String
        var section: String?
        var sectionTitle: String?
        var quote: String
        var anchor: Anchor
        var type: String?
        var comment: String
        var proposal: String
        var status: String
        var response: String
        var answeredBy: String?
        var answeredAt: String?
        var duplicateOf: String?
        var addressedBy: [String]
        var changes: [Change]?
    }

    struct At: Encodable {
        var revision: String
        var commit: String
    }

    /// Comments by status, in a fixed order.
    struct Counts: Encodable {
        var open = 0, accepted = 0, partly = 0, rejected = 0, noted = 0
    }

    var schemaVersion = 1
    var at: At
    var counts = Counts()
    var comments: [Entry]

    init(_ places: [CommentPlace], at revision: String, commit: String, changes: [String: [CommentChange]]? = nil) {
        at = At(revision: revision, commit: commit)
        for place in places {
            switch place.comment.status {
            case .open: counts.open += 1
            case .accepted: counts.accepted += 1
            case .partly: counts.partly += 1
            case .rejected: counts.rejected += 1
            case .noted: counts.noted += 1
            }
        }
        comments = places.map { place in
            let comment = place.comment
            let anchor = Anchor(state: place.state.rawValue, note: place.note.isEmpty ? nil : place.note, exact: comment.anchor?.exact,
                                prefix: comment.anchor?.prefix, suffix: comment.anchor?.suffix, start: comment.anchor?.start,
                                end: comment.anchor?.end, text: place.text, editedBy: place.commits.map(\.id.hex))
            let commenter = Commenter(name: comment.commenter.name, organisation: comment.commenter.organisation,
                                      group: comment.commenter.group, country: comment.commenter.country,
                                      email: comment.commenter.email.isEmpty ? nil : comment.commenter.email)
            return Entry(id: comment.id, row: comment.row, round: comment.round, commenter: commenter, draft: comment.draft,
                         draftCommit: comment.commit, section: place.section ?? comment.section, sectionTitle: place.sectionTitle,
                         quote: comment.quote, anchor: anchor, type: comment.kind?.rawValue, comment: comment.text,
                         proposal: comment.proposal, status: comment.status.rawValue, response: comment.response,
                         answeredBy: comment.answeredBy.isEmpty ? nil : comment.answeredBy,
                         answeredAt: comment.answeredAt.isEmpty ? nil : comment.answeredAt, duplicateOf: comment.duplicateOf,
                         addressedBy: place.addressedBy.map(\.id.hex),
                         changes: changes.map { all in
                             (all[comment.id] ?? []).map { change in
                                 Change(section: change.section, inserted: change.excerpt.inserted, deleted: change.excerpt.deleted,
                                        pieces: change.excerpt.pieces.map { Change.Piece(kind: $0.kind.rawValue, text: $0.text) },
                                        commits: change.commits.map(\.id.hex))
                             }
                         })
        }
    }
}
