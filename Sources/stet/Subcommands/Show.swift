import ArgumentParser
import StetKit

extension Stet {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print a section, or the whole draft in order, at a revision.",
            discussion: """
                With a section, its file exactly as committed (front matter included). Without, \
                every section's text in document order, front matter left out, separated by blank lines.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "A milestone, tag, branch, commit id or HEAD~N.")
        var revision: String

        @Argument(help: "One section (id or path).")
        var section: String?

        func run() throws {
            let repository = try repository.open()
            let draft = try repository.draft(at: revision)
            draft.warnings.forEach(Output.warning)
            if let section {
                let found = try draft.requireSection(named: section)
                Output.raw(Output.safe(found.text, multiline: true))
                return
            }
            for (index, found) in draft.sections.enumerated() {
                if index > 0 { Output.line() }
                var body = String(found.body.drop(while: { $0 == "\n" }))
                if !body.hasSuffix("\n") { body += "\n" }
                Output.raw(Output.safe(body, multiline: true))
            }
        }
    }
}
