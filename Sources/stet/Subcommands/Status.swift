import ArgumentParser
import Foundation
import ProseDiff
import StetKit

extension Stet {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the sections added, modified, deleted and renamed since the last commit.")

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let repository = try repository.open()
            let status = try repository.status()
            status.warnings.forEach(Output.warning)
            let head = try repository.head()
            let since = head.map { "the last commit (\($0.short))" } ?? "the start (no commit yet)"
            if status.isClean {
                Output.line("No section changed since \(since).")
            } else {
                let count = status.changes.count, images = status.images.count
                let what = [count > 0 ? "\(counted(count, "section"))" : nil,
                            images > 0 ? "\(counted(images, "image"))" : nil].compactMap { $0 }
                Output.line(what.joined(separator: " and ") + " changed since \(since):")
                for change in status.changes {
                    var line = "  " + change.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                        + "  " + Output.safe(change.title) + " (" + Output.safe(change.id) + ")  "
                    if let oldPath = change.oldPath {
                        line += Output.safe(oldPath) + " -> "
                    }
                    line += Output.safe(change.path)
                    if let oldID = change.oldID {
                        line += "  (id was \(Output.safe(oldID)))"
                    } else if change.kind == .renamed, change.path.hasPrefix(repository.draftsFolder + "/"),
                              SectionID.derived(fromRelativePath: String(change.path.dropFirst(repository.draftsFolder.count + 1)))
                              != change.id
                    {
                        line += "  (id stays \(Output.safe(change.id)): its front matter names it)"
                    }
                    if let detail = change.detail { line += "  (\(detail.rawValue))" }
                    Output.line(line)
                }
                for image in status.images {
                    Output.line("  " + image.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                        + "  image  " + Output.safe(image.path))
                }
                Output.line("Commit them with: stet commit -m \"why they changed\"")
            }
            let answers = try repository.roundsNotCommitted()
            if !answers.isEmpty {
                Output.line("Comments answered and not yet committed (the next stet commit records them):")
                answers.forEach { Output.line("  " + Output.safe($0)) }
            }
            if !status.lineEndingsOnly.isEmpty {
                Output.line("Line endings only, not a change (stet records sections with LF line ends):")
                status.lineEndingsOnly.forEach { Output.line("  " + Output.safe($0)) }
            }
            if !status.otherFiles.isEmpty {
                Output.line("Files in \(repository.draftsFolder)/ that are not sections (only .md files are) nor images:")
                status.otherFiles.forEach { Output.line("  " + Output.safe($0)) }
            }
        }
    }
}
