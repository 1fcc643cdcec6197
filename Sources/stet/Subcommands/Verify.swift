import ArgumentParser
import Foundation
import ProseDiff
import StetKit

extension Stet {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the record of milestones.",
            discussion: """
                Every milestone must be an annotated tag on a commit; the sequence must have no gaps \
                and each milestone must contain the previous one; corrections must be kept and named; \
                the milestone log must agree with the tags (a milestone moved with git tag -f or \
                deleted with git tag -d is caught). With --allowed-signers, every signature is checked \
                as git tag -v checks it. Prints each problem and exits 1 if there is any.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Option(help: ArgumentHelp("Check signatures against this allowed-signers file (git's gpg.ssh.allowedSignersFile format).",
                                   valueName: "file"))
        var allowedSigners: String?

        func run() throws {
            let repository = try repository.open()
            if let allowedSigners, !FileManager.default.isReadableFile(atPath: allowedSigners) {
                throw StetError(.notFound, "allowed-signers file \(allowedSigners) does not exist or cannot be read")
            }
            let report = try repository.verify(allowedSigners: allowedSigners)
            let width = report.lines.map(\.milestone.count).max() ?? 0
            for line in report.lines {
                Output.line(Output.safe(line.milestone).padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  " + Output.safe(line.text))
            }
            for problem in report.problems {
                Output.error(problem)
            }
            guard report.problems.isEmpty else {
                throw StetError(.failure, "\(counted(report.problems.count, "problem")) "
                    + "in the milestone record")
            }
            Output.line("The milestone record is sound.")
        }
    }
}
