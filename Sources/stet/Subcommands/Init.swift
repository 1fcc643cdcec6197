import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a stet repository: drafts/, templates/, stet.yml, CHANGELOG.md and a first commit.",
            discussion: "An existing git repository without stet.yml is adopted; a stet repository is refused.")

        @Argument(help: "The folder to create or adopt (default: the current folder).")
        var directory: String?

        @Option(help: "The document's title (default: the folder's name).")
        var title: String?

        @Option(help: ArgumentHelp("Who creates the repository (default: STET_AUTHOR, then git's user.name and user.email).",
                                   valueName: "Name <email>"))
        var author: String?

        @OptionGroup var when: DateOption

        func run() throws {
            let path = directory ?? FileManager.default.currentDirectoryPath
            let date = when.parsed
            let repository = try DocumentRepository.initialize(at: path, title: title, author: author, date: date?.date,
                                                               timeZoneOffset: date?.offset)
            Output.line("Created a stet repository in \(Output.safe(repository.root))")
            Output.line("Next: stet section new \"Title\", edit the file, then stet commit -m \"why\"")
        }
    }
}
