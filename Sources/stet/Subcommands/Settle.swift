import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Settle: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settle",
            abstract: "Decide which tag of a milestone stands when it was tagged differently here and on a remote.",
            discussion: """
                When two clones tag the same milestone before either syncs, stet sync stops and \
                changes neither. --theirs takes the remote's tag: this one is set aside under \
                refs/stet/settled/NAME/N with the reason, and its entry leaves the milestone log. \
                --ours keeps this one: the same, then a correction (as stet tag --correct) puts the \
                milestone back on this commit, keeping the remote's tag under refs/stet/superseded/. \
                Then stet sync sends the decision to the team. Without --ours or --theirs, tags kept \
                under refs/stet/superseded/NAME/ that no correction names (put there by hand) get a \
                settlement record with the reason, which stet verify reports instead of a problem. \
                Nothing is deleted.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The milestone.")
        var milestone: String

        @Flag(help: "Keep this repository's tag (the remote's is kept as a record).")
        var ours = false

        @Flag(help: "Take the remote's tag (this one is kept as a record).")
        var theirs = false

        @Option(name: .shortAndLong, help: "Why: recorded in the settlement.")
        var message: String

        @Option(help: "The remote whose tag differs.")
        var remote = "origin"

        @Option(help: ArgumentHelp("Who settles (default: STET_AUTHOR, then git's user.name and user.email).",
                                   valueName: "Name <email>"))
        var tagger: String?

        @OptionGroup var when: DateOption

        func validate() throws {
            if ours && theirs { throw ValidationError("--ours and --theirs exclude each other: choose the tag that stands") }
        }

        func run() throws {
            let repository = try repository.open()
            let result = try repository.settle(SettleRequest(
                milestone: milestone, choice: ours ? .ours : theirs ? .theirs : nil, reason: message, remote: remote,
                tagger: tagger, date: when.parsed?.date))
            result.warnings.forEach(Output.warning)
            let name = Output.safe(result.milestone.name)
            for settlement in result.settlements {
                Output.line("Set aside tag \(settlement.discarded.short) of \(name), kept as \(settlement.ref)")
            }
            if let superseded = result.superseded {
                Output.line("Corrected milestone \(name) back to \(result.milestone.commit.short) (tag \(result.milestone.tag.short)); "
                    + "\(Output.safe(remote))'s tag is kept as \(superseded)")
            } else {
                Output.line("Milestone \(name) is tag \(result.milestone.tag.short) at \(result.milestone.commit.short)")
            }
            if !result.logCommits.isEmpty {
                Output.line("Recorded in \(Output.safe(repository.config.changelog))")
            }
            if ours || theirs { Output.line("Send the decision to the team with: stet sync") }
        }
    }
}
