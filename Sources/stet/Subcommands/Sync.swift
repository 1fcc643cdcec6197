import ArgumentParser
import Foundation
import ProseDiff
import StetKit
import StetRender

extension Stet {
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Send your commits to the team and bring in theirs.",
            discussion: """
                Fetches, then fast-forwards or merges (sections edited on both sides combine when \
                the edits do not touch the same passage), then sends, never forced; when another \
                writer sent first, it starts over (a bounded number of times). Uncommitted edits are \
                never overwritten: a sync that would have to is refused before anything changes. \
                New milestones come in; a milestone that differs from the remote's is an alarm, and \
                neither is changed, unless one side corrected it with stet tag --correct before the \
                next milestone: the correction then travels, with the record of what it replaced. When the same passage changed on both sides, nothing is \
                committed: stet shows both texts and how to settle each section with --ours, \
                --theirs or --edited. Exit status 3: conflicts to settle; 69: the remote cannot be \
                reached or refused the login.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Option(help: "The remote to sync with.")
        var remote = "origin"

        @Option(help: ArgumentHelp("Settle a conflicting section by keeping the text committed here; repeatable.",
                                   valueName: "section"))
        var ours: [String] = []

        @Option(help: ArgumentHelp("Settle a conflicting section by taking the remote's text; repeatable.",
                                   valueName: "section"))
        var theirs: [String] = []

        @Option(help: ArgumentHelp("Settle a conflicting section with its working file, edited to combine both; repeatable.",
                                   valueName: "section"))
        var edited: [String] = []

        @Option(help: ArgumentHelp("Who signs a merge commit (default: STET_AUTHOR, then git's user.name and user.email).",
                                   valueName: "Name <email>"))
        var author: String?

        @OptionGroup var when: DateOption

        @OptionGroup var color: ColorOptions

        func validate() throws {
            let all = ours + theirs + edited
            if Set(all).count != all.count {
                throw ValidationError("a section may be settled only one way (it is named twice among --ours, --theirs, --edited)")
            }
        }

        func run() throws {
            var resolutions: [String: ConflictChoice] = [:]
            for section in ours { resolutions[section] = .ours }
            for section in theirs { resolutions[section] = .theirs }
            for section in edited { resolutions[section] = .edited }
            let repository = try repository.open()
            let outcome = try repository.sync(SyncRequest(remote: remote, resolutions: resolutions, author: author,
                                                          date: when.parsed?.date))
            switch outcome {
            case .synced(let result):
                report(result)
            case .conflicts(let conflicts, let remote):
                reportConflicts(conflicts, remote: remote)
                throw ExitCode(StetError(.conflict, "").exitStatus)
            }
        }

        private func report(_ result: SyncResult) {
            for warning in result.warnings { Output.warning(warning) }
            let place = "\(Output.safe(result.remote)) (\(Output.safe(DocumentRepository.displayURL(result.url))))"
            let milestones = [("new milestones", result.receivedMilestones), ("sent milestones", result.sentMilestones),
                              ("corrected milestones adopted", result.adoptedCorrections),
                              ("sent milestone corrections", result.sentCorrections),
                              ("milestone settlements received", result.adoptedSettlements),
                              ("sent milestone settlements", result.sentSettlements)].filter { !$0.1.isEmpty }
            defer { reportUncommitted(result.uncommitted) }
            if result.received == 0 && result.sent == 0 && milestones.isEmpty {
                Output.line("Already in step with \(place)")
                return
            }
            var parts: [String] = []
            if result.received > 0 {
                parts.append("received \(counted(result.received, "commit"))"
                    + (result.updatedFiles.isEmpty ? "" : " (\(counted(result.updatedFiles.count, "file")) updated)"))
            }
            if let merge = result.merge { parts.append("merged them with yours in \(merge.short)") }
            if result.sent > 0 { parts.append("sent \(counted(result.sent, "commit"))") }
            for (label, names) in milestones {
                parts.append("\(label): " + names.map { Output.safe($0) }.joined(separator: ", "))
            }
            Output.line("Synced with \(place): " + parts.joined(separator: "; ")
                + (result.attempts > 1 ? " (after \(result.attempts) tries: others were sending too)" : ""))
            for file in result.updatedFiles.prefix(20) { Output.line("  updated \(Output.safe(file))") }
            if result.updatedFiles.count > 20 { Output.line("  ... and \(result.updatedFiles.count - 20) more") }
        }

        /// Edits that stayed here: a sync sends commits, and a writer who forgot to commit must
        /// not believe the team has them.
        private func reportUncommitted(_ changes: [SectionChange]) {
            guard !changes.isEmpty else { return }
            let count = changes.count
            Output.line("Not sent: \(count) section\(count == 1 ? " has" : "s have") edits that are not committed:")
            for change in changes.prefix(20) {
                Output.line("  " + change.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + "  "
                    + Output.safe(change.title) + " (" + Output.safe(change.id) + ")  " + Output.safe(change.path))
            }
            if count > 20 { Output.line("  ... and \(count - 20) more") }
            Output.line("Send them with: stet commit -m \"why they changed\", then stet sync")
        }

        private func reportConflicts(_ conflicts: [SyncConflict], remote: String) {
            let colored = color.appliesToStandardOutput
            let renderer = TerminalDiff(color: colored, context: 1)
            let safeRemote = Output.safe(remote)
            Output.line("The same passage changed here and on \(safeRemote) in \(counted(conflicts.count, "section")). "
                + "Nothing was committed and your files are as they were.")
            for conflict in conflicts {
                Output.line("")
                let label = conflict.section == conflict.path ? conflict.path : "'\(conflict.section)' (\(conflict.path))"
                Output.line("Conflict in \(Output.safe(label)): yours -> \(safeRemote)'s")
                let ours = SectionText(id: conflict.section, title: conflict.title, path: conflict.path,
                                       text: conflict.ours ?? "")
                let theirs = SectionText(id: conflict.section, title: conflict.title, path: conflict.path,
                                         text: conflict.theirs ?? "")
                switch (conflict.ours, conflict.theirs) {
                case (nil, _): Output.line("  removed here, edited on \(safeRemote)")
                case (_, nil): Output.line("  edited here, removed on \(safeRemote)")
                default:
                    let comparison = Comparer.compare([ours], [theirs])
                    Output.raw(renderer.render(comparison))
                }
            }
            Output.line("")
            Output.line("Settle each section, then the same command finishes the sync:")
            for conflict in conflicts {
                let name = Output.safe(conflict.section)
                Output.line("  stet sync --ours \(name)     keep the text committed here")
                Output.line("  stet sync --theirs \(name)   take \(safeRemote)'s text")
                Output.line("  stet sync --edited \(name)   after editing \(Output.safe(conflict.path)) to combine both")
            }
        }
    }
}
