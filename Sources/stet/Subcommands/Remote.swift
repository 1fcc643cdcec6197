import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct RemoteCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remote",
            abstract: "List the shared repositories this one syncs with, or add one.",
            subcommands: [List.self, Add.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the remotes: name and URL.")

            @OptionGroup var repository: RepositoryOptions

            func run() throws {
                let remotes = try repository.open().remotes()
                if remotes.isEmpty {
                    Output.line("No remotes; add one with stet remote add origin URL")
                }
                for remote in remotes {
                    Output.line("\(Output.safe(remote.name))\t\(Output.safe(remote.url))")
                }
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Add a remote (usually origin) to sync with.",
                discussion: "A URL with a password or token in it is refused: set STET_TOKEN instead.")

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The remote's name, such as origin.")
            var name: String

            @Argument(help: "Where it is (as for stet clone).")
            var url: String

            func run() throws {
                try repository.open().addRemote(name: name, url: url)
                Output.line("Added \(Output.safe(name)): \(Output.safe(url)); stet sync sends and receives edits")
            }
        }
    }
}
