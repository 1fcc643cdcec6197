import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Blame: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blame",
            abstract: "Who wrote each run of words of a section.",
            discussion: """
                Word by word, independent of line wrapping: each run of words with the commit that \
                wrote it. With --since, text older than that revision is marked as before it.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The section (id or path).")
        var section: String

        @Argument(help: "The revision (default: HEAD).")
        var revision: String = "HEAD"

        @Option(help: ArgumentHelp("Mark text older than this revision (a milestone) as before it.", valueName: "revision"))
        var since: String?

        func run() throws {
            let repository = try repository.open()
            let (section, runs) = try repository.blame(section: section, at: revision, since: since)
            Output.line("\(Output.safe(section.title)) (\(Output.safe(section.id))) at \(Output.safe(revision))")
            for run in runs {
                var text = run.text
                while text.hasSuffix("\n") { text.removeLast() }
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
                if let commit = run.commit {
                    Output.line("\(commit.id.short)  \(Output.date(commit.author.date, offsetMinutes: commit.author.timeZoneOffset).prefix(10))  "
                        + "\(Output.safe(commit.author.name)): \(Output.safe(commit.summary))")
                } else {
                    Output.line("before \(Output.safe(since ?? "the history"))")
                }
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    Output.line("    " + Output.safe(String(line)))
                }
            }
        }
    }
}
