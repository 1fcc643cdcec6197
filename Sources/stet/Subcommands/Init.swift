import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a stet repository: drafts/, templates/, stet.yml, CHANGELOG.md and a first commit.",
            discussion: """
                An existing git repository without stet.yml is adopted; a stet repository is refused. \
                With --shared, the folder becomes a bare repository for the team to share (on a file \
                share or a server reached by ssh or git://): it refuses moved or deleted tags and \
                pushes that would drop commits.
                """)

        @Argument(help: "The folder to create or adopt (default: the current folder).")
        var directory: String?

        @Option(help: "The document's title (default: the folder's name).")
        var title: String?

        @Option(help: ArgumentHelp("Who creates the repository (default: STET_AUTHOR, then git's user.name and user.email).",
                                   valueName: "Name <email>"))
        var author: String?

        @Flag(help: "Create a shared (bare) repository for the team instead, with milestones protected.")
        var shared = false

        @OptionGroup var when: DateOption

        func run() throws {
            let path = directory ?? FileManager.default.currentDirectoryPath
            if shared {
                guard directory != nil else { throw ValidationError("--shared needs the folder to create") }
                try DocumentRepository.createShared(at: path)
                Output.line("Created the shared repository \(Output.safe(path))")
                Output.line("Next: in your stet repository, stet remote add origin \(Output.safe(path)) and stet sync; "
                    + "writers then run stet clone \(Output.safe(path))")
                return
            }
            let date = when.parsed
            let repository = try DocumentRepository.initialize(at: path, title: title, author: author, date: date?.date,
                                                               timeZoneOffset: date?.offset)
            Output.line("Created a stet repository in \(Output.safe(repository.root))")
            Output.line("Next: stet section new \"Title\", edit the file, then stet commit -m \"why\"")
        }
    }
}
