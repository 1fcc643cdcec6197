import ArgumentParser
import Foundation
import ProseDiff
import StetKit
import StetRender

extension Stet {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Publish the whole draft at a revision: title page, contents, every section in order.",
            discussion: """
                HTML (one self-contained, printable file; sections through cmark-gfm in its safe \
                mode, so raw HTML is not passed through), Word (.docx: Word's heading styles, a \
                table of contents, lists and tables) or Markdown. The title page names the \
                milestone, its date and approval, and the commit. The files render.mustache and \
                render-style.mustache of the repository's templates folder replace the built-in ones.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case html, markdown, docx
        }

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The revision to publish (a milestone, tag, branch or commit).")
        var revision: String

        @Option(help: "Output format.")
        var format: Format = .html

        @OptionGroup var output: OutputOptions

        func run() throws {
            let repository = try repository.open()
            let draft = try repository.draft(at: revision)
            draft.warnings.forEach(Output.warning)
            let commit = draft.commit!
            let milestone = repository.config.milestones.contains(revision) ? try repository.milestone(revision) : nil
            var date = Output.dates(milestone: milestone, commit: (try? repository.commitInfo(commit))?.committer) ?? ""
            date = date.prefix(1).uppercased() + date.dropFirst()
            let approval = milestone?.summary
            var document = DraftDocument(
                title: repository.title,
                revision: revision, commit: commit.hex, date: date, approval: approval, version: Stet.version,
                parts: draft.sections.map { DraftDocument.Part(id: $0.id, title: $0.title, body: String($0.body), path: $0.path) },
                templates: try repository.templates(named: DraftDocument.templateNames, folder: output.templates))
            document.images = try repository.images(of: draft, limit: DraftDocument.imageLimit)
            switch format {
            case .html:
                let page: DraftDocument.Page
                do {
                    page = try document.page()
                } catch let error as HTMLComparison.TemplateError {
                    throw StetError(.invalidContent, error.description)
                }
                page.warnings.forEach(Output.warning)
                let text = page.html
                try output.write([text], to: output.output ?? "render-\(OutputFile.fileSafe(revision)).html", kind: .html)
            case .docx:
                var lines = [revision.prefix(1).uppercased() + revision.dropFirst(), date]
                if let approval, !approval.isEmpty { lines.append(approval) }
                lines.append("Commit \(commit.hex), rendered by stet \(Stet.version)")
                var word = WordDocument(title: repository.title, subtitle: lines, commits: [])
                word.styles = try repository.wordStyles(folder: output.templates)
                word.images = document.images
                word.wordFootnotes = true
                let parts = draft.sections.map { section in
                    WordDocument.Part(typeset: TypesetSection.of(markdown: String(section.body)), title: section.title, path: section.path)
                }
                let data = word.file(parts, contents: true)
                try output.write(data, to: output.output ?? "render-\(OutputFile.fileSafe(revision)).docx", kind: .docx)
            case .markdown:
                if let destination = output.output {
                    try output.write([document.markdown()], to: destination, kind: .other)
                } else {
                    Output.raw(document.markdown())
                }
            }
        }
    }
}
