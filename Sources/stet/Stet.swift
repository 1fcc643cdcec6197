import ArgumentParser
import Foundation
import StetKit

@main
struct Stet: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "stet",
        abstract: "Versioned guideline drafts: Markdown sections in a git repository.",
        discussion: """
            Writers edit sections and commit them with a reason; experts compare drafts; the \
            secretariat tags milestones. Every section is one Markdown file under the drafts folder.
            Exit status: 0 success, 1 failure, 2 nothing to commit, 64 usage, 65 content refused, \
            66 not found, 73 already exists, 75 repository locked, 77 repository owned by another user.
            """,
        version: version,
        subcommands: [Init.self, SectionCommand.self, Status.self, Commit.self, Log.self, Show.self])

    /// Runs the command; a `StetError` becomes one line on standard error and its exit status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as StetError {
            Output.error(error.message)
            Foundation.exit(error.exitStatus)
        } catch {
            exit(withError: error)
        }
    }
}

/// Where the repository is: the current folder, or `-C PATH`.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if stet was started in this folder.", valueName: "path"))
    var directory: String?

    func open() throws -> DocumentRepository {
        try DocumentRepository.open(at: directory ?? FileManager.default.currentDirectoryPath)
    }
}
