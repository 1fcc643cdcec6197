import ArgumentParser
import StetKit

extension Stet {
    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock",
            abstract: "Clear the lock files a stopped command left behind.",
            discussion: """
                A git or stet command that is killed while writing can leave git's *.lock files in \
                .git, and every later write then stops on them. stet unlock waits until no stet \
                command is writing, then removes them; run it only when no git command is running \
                either. A lock file younger than ten seconds is left alone (a git command may be \
                using it) unless a stet command was stopped while writing. stet's own lock never \
                needs clearing: the system frees it when its holder ends.
                """)

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let result = try repository.open().unlock()
            for file in result.removed { Output.line("removed .git/\(Output.safe(file))") }
            for file in result.fresh {
                Output.warning(".git/\(file) is less than ten seconds old: a git command may be using it; "
                    + "if none is, run stet unlock again in a few seconds")
            }
            if result.removed.isEmpty && result.fresh.isEmpty { Output.line("No lock files to clear.") }
        }
    }
}
