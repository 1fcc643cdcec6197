import ArgumentParser
import StetKit

extension Stet {
    struct SectionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "section",
            abstract: "Work with sections.",
            subcommands: [New.self])

        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "new",
                abstract: "Create a section file with front matter, numbered to fit the order.",
                discussion: """
                    The file is written, not committed: edit it, then run stet commit. With --after, \
                    files that follow are renumbered when no number is free; their ids do not change.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The section's title.")
            var title: String

            @Option(help: "The section's id (default: made from the title).")
            var id: String?

            @Option(help: ArgumentHelp("Place the section right after this one (id or path).", valueName: "section"))
            var after: String?

            func run() throws {
                let repository = try repository.open()
                let result = try repository.newSection(title: title, id: id, after: after)
                for rename in result.renamed {
                    Output.line("renumbered \(Output.safe(rename.from)) -> \(Output.safe(rename.to))")
                }
                Output.line("Created \(Output.safe(result.path))")
                if repository.config.order != nil {
                    Output.warning("stet.yml lists an explicit order: add the new section's id to it")
                }
            }
        }
    }
}
