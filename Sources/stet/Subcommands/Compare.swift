import ArgumentParser
import Foundation
import ProseDiff
import StetKit
import StetRender

extension Stet {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "The annotated comparison of two drafts: every change with who made it, when and why.",
            discussion: """
                Walks the commits between A and B and credits every insertion and deletion of the \
                redline to the commit that made it, with its author, date, message and trailers \
                (Addresses: OC-0123 links a change to a consultation comment). A change made on a \
                merged branch is credited to its own commit. With -o, the file is written whole or \
                not at all, and an existing file stet did not write is kept unless --force.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case html, terminal, json, criticmarkup, docx
        }

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The earlier draft (a milestone, tag, branch or commit).")
        var from: String

        @Argument(help: "The later draft.")
        var to: String

        @Option(help: "Output format; criticmarkup needs exactly one --section.")
        var format: Format = .html

        @Option(help: ArgumentHelp("Only the changes of the commits that address this consultation comment.", valueName: "id"))
        var addresses: String?

        @OptionGroup var output: OutputOptions
        @OptionGroup var sections: SectionOptions
        @OptionGroup var color: ColorOptions

        func validate() throws {
            if format == .criticmarkup, sections.names.count != 1 {
                throw ValidationError("--format criticmarkup needs exactly one --section")
            }
        }

        /// A side of the comparison: a milestone's date is its approval (its tag's date), and the
        /// draft's commit date is said as such beside it.
        private func side(_ label: String, _ commit: ObjectID?, _ repository: DocumentRepository) -> HTMLComparison.Side {
            let milestone = repository.config.milestones.contains(label) ? (try? repository.milestone(label)) ?? nil : nil
            let date = Output.dates(milestone: milestone, commit: commit.flatMap { try? repository.commitInfo($0) }?.committer)
            return HTMLComparison.Side(label: label, commit: commit?.hex, date: date, approval: milestone?.summary)
        }

        /// "first: approved 2024-08-15 (…). Approved by …; commit 0c8a5cc…".
        static func describe(_ side: HTMLComparison.Side) -> String {
            var text = side.label + ": " + (side.date ?? "")
            if let approval = side.approval, !approval.isEmpty { text += ". " + approval }
            return text + "; commit " + (side.commit ?? "none (the working tree)")
        }

        /// The comments of the repository's rounds, as the pages quote them (a broken round file
        /// is the comments' own problem, not the comparison's).
        private func addressedComments(_ repository: DocumentRepository) -> [String: HTMLComparison.AddressedComment] {
            var comments: [String: HTMLComparison.AddressedComment] = [:]
            for comment in ((try? repository.workingRounds()) ?? []).flatMap(\.comments) {
                comments[comment.id] = HTMLComparison.AddressedComment(
                    commenter: comment.commenter.label, status: comment.status.rawValue,
                    text: comment.text.isEmpty ? comment.proposal : comment.text, response: comment.response)
            }
            return comments
        }

        func run() throws {
            let repository = try repository.open()
            var annotated = try repository.annotatedCompare(from: from, to: to)
            if let addresses { annotated = try annotated.limited(toAddressing: addresses) }
            annotated.draft.warnings.forEach(Output.warning)
            var comparison = annotated.draft.comparison
            if !sections.names.isEmpty {
                comparison.sections = try repository.sections(named: sections.names, in: annotated.draft)
            }
            let commits = annotated.commits.map(Output.sourceCommit)
            // The output in pieces written one after another (an HTML page's redlines are set
            // into it as they are, never joined into one string).
            let pieces: [String]
            var destination = output.output
            switch format {
            case .html:
                var document = HTMLComparison(
                    title: repository.title,
                    a: side(from, annotated.draft.aCommit, repository), b: side(to, annotated.draft.bCommit, repository),
                    version: Stet.version, commits: commits,
                    templates: try repository.templates(named: HTMLTemplates.names, folder: output.templates))
                document.comments = addressedComments(repository)
                if let addresses {
                    document.scope = "Only the changes of the commits that address \(addresses)"
                    document.options = " --addresses \(addresses)"
                }
                // The whole later draft: sections that did not change are shown collapsed, in their place.
                if sections.names.isEmpty {
                    document.document = try repository.laterSections(of: annotated.draft).map {
                        DraftDocument.Part(id: $0.id, title: $0.title, body: String($0.body), path: $0.path)
                    }
                }
                do {
                    pieces = try document.renderPieces(comparison)
                } catch let error as HTMLComparison.TemplateError {
                    throw StetError(.invalidContent, error.description)
                }
                if destination == nil {
                    destination = "compare-\(OutputFile.fileSafe(from))-\(OutputFile.fileSafe(to)).html"
                }
            case .terminal:
                pieces = [TerminalDiff(color: destination == nil && color.appliesToStandardOutput, context: 1, commits: commits)
                    .render(comparison)]
            case .json:
                let a = RevisionLabel(revision: from, commit: annotated.draft.aCommit?.hex)
                let b = RevisionLabel(revision: to, commit: annotated.draft.bCommit?.hex)
                pieces = [DiffDocument(comparison, a: a, b: b, commits: commits).encoded()]
            case .docx:
                var word = WordDocument(title: repository.title, subtitle: [
                    "Changes from \(from) to \(to), with every change tracked under the author and date of its commit",
                    Self.describe(side(from, annotated.draft.aCommit, repository)),
                    Self.describe(side(to, annotated.draft.bCommit, repository)),
                    "Made with stet \(Stet.version): stet compare \(from) \(to) --format docx",
                ], commits: commits)
                word.styles = try repository.wordStyles(folder: output.templates)
                word.addressed = addressedComments(repository)
                // A change no commit is credited with (a section's new place in the order) is the later draft's.
                if let later = annotated.draft.bCommit.flatMap({ try? repository.commitInfo($0) }) {
                    word.fallbackAuthor = later.author.name
                    word.fallbackDate = ISO8601DateFormatter().string(from: later.author.date)
                }
                func parts(_ sections: [Section]) -> [DraftDocument.Part] {
                    sections.map { DraftDocument.Part(id: $0.id, title: $0.title, body: String($0.body), path: $0.path) }
                }
                let whole = sections.names.isEmpty && addresses == nil
                let laterSections = try repository.laterSections(of: annotated.draft)
                let earlierSections = try repository.earlierSections(of: annotated.draft)
                let later = whole ? parts(laterSections) : []
                let earlier = whole ? parts(earlierSections) : []
                // Both drafts' images: an image deleted is drawn in its deletion.
                word.images = try repository.images(of: earlierSections, at: annotated.draft.aCommit, limit: DraftDocument.imageLimit)
                    .merging(try repository.images(of: laterSections, at: annotated.draft.bCommit, limit: DraftDocument.imageLimit)) { _, later in later }
                let data = word.file(WordDocument.redlineParts(comparison.changedSections, document: later, earlier: earlier))
                try output.write(data, to: destination ?? "compare-\(OutputFile.fileSafe(from))-\(OutputFile.fileSafe(to)).docx", kind: .docx)
                return
            case .criticmarkup:
                guard let section = comparison.sections.first else {
                    throw StetError(.notFound, "section '\(sections.names[0])' did not change between \(from) and \(to)")
                }
                pieces = [CriticMarkup.render(section, commits: commits)]
            }
            if let destination {
                try output.write(pieces, to: destination, kind: format == .json ? .json : format == .html ? .html : .other)
            } else {
                pieces.forEach(Output.raw)
            }
        }
    }
}
