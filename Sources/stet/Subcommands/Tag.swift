import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Tag: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag",
            abstract: "Freeze an approved draft as a milestone.",
            discussion: """
                Makes an annotated tag named after the milestone, with the tagger, the date and the \
                approval it records, and adds an entry to the milestone log (stet.yml's changelog). \
                Refused when the name is not in the sequence, the milestone exists, the previous \
                milestone is missing or not contained in REV, or (for HEAD) the drafts have \
                uncommitted edits. Milestones never move: --correct replaces one only while no later \
                milestone exists, keeping the old tag under refs/stet/superseded/ and naming it in the \
                new tag. If the log entry could not be written, run the same command again.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The milestone (a name of the sequence in stet.yml; by default first, second, final).")
        var milestone: String

        @Argument(help: "The revision to tag (default: HEAD).")
        var revision: String?

        @Option(name: .shortAndLong, help: "The approval the milestone records; with --correct, why it is corrected.")
        var message: String

        @Option(help: ArgumentHelp("Who tags (default: STET_AUTHOR, then git's user.name and user.email).",
                                   valueName: "Name <email>"))
        var tagger: String?

        @Option(help: ArgumentHelp("Sign the tag with this SSH key (ssh-keygen -Y sign, as git's gpg.format=ssh).",
                                   valueName: "keyfile"))
        var sign: String?

        @Flag(help: "Replace the milestone, before the next one is tagged; the old tag is kept and named.")
        var correct = false

        @OptionGroup var when: DateOption

        func run() throws {
            let repository = try repository.open()
            let date = when.parsed
            let result = try repository.tag(TagRequest(
                milestone: milestone, revision: revision, message: message, tagger: tagger, signingKey: sign,
                correct: correct, date: date?.date, timeZoneOffset: date?.offset))
            result.warnings.forEach(Output.warning)
            let tagged = result.milestone
            let name = Output.safe(tagged.name)
            if result.repairedLog {
                Output.line("Milestone \(name) was tagged already (\(tagged.commit.short)); "
                    + "its missing entry in \(Output.safe(repository.config.changelog)) is now written")
                return
            }
            let verb = result.superseded == nil ? "Tagged" : "Corrected"
            Output.line("\(verb) milestone \(name) at \(tagged.commit.short) (tag \(tagged.tag.short)"
                + (tagged.isSigned ? ", signed" : "") + ")")
            if let superseded = result.superseded {
                Output.line("The replaced tag is kept as \(superseded)")
            }
            if result.logCommit != nil {
                Output.line("Recorded in \(Output.safe(repository.config.changelog))")
            }
        }
    }
}
