import ArgumentParser
import Foundation
import ProseDiff
import StetKit
import StetRender

extension Stet {
    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clone",
            abstract: "Make a working copy of a shared stet repository.",
            discussion: """
                URL: a folder, file://, git://, ssh://user@host[:port]/path (keys from ssh-agent or \
                ~/.ssh, or STET_SSH_KEY; host keys checked against ~/.ssh/known_hosts), or https:// \
                (an access token in STET_TOKEN; it is never stored or printed; a private certificate \
                authority in SSL_CERT_FILE). The milestones come \
                with the drafts and are checked on every later stet sync.
                """)

        @Argument(help: "Where the shared repository is.")
        var url: String

        @Argument(help: "The folder to create (default: the last part of the URL, without .git).")
        var directory: String?

        func run() throws {
            let path = directory ?? Self.defaultFolder(for: url)
            let (repository, result) = try DocumentRepository.clone(url: url, into: path)
            Output.line("Cloned \(Output.safe(DocumentRepository.displayURL(url))) into \(Output.safe(repository.root)): "
                + "\(result.received) commit\(result.received == 1 ? "" : "s")"
                + (result.receivedMilestones.isEmpty ? "" : ", milestones \(result.receivedMilestones.joined(separator: ", "))"))
            Output.line("Next: cd \(Output.safe(path)), edit a section, stet commit -m \"why\", then stet sync")
        }

        static func defaultFolder(for url: String) -> String {
            var name = url
            while name.hasSuffix("/") { name.removeLast() }
            name = String(name.split(whereSeparator: { $0 == "/" || $0 == ":" }).last ?? "drafts")
            if name.hasSuffix(".git") { name.removeLast(4) }
            return name.isEmpty ? "drafts" : name
        }
    }

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

        @Option(help: "Colour in conflict reports (auto: when writing to a terminal and NO_COLOR is unset).")
        var color: Diff.ColorChoice = .auto

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
                Foundation.exit(StetError(.conflict, "").exitStatus)
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
                parts.append("received \(result.received) commit\(result.received == 1 ? "" : "s")"
                    + (result.updatedFiles.isEmpty ? "" : " (\(result.updatedFiles.count) file\(result.updatedFiles.count == 1 ? "" : "s") updated)"))
            }
            if let merge = result.merge { parts.append("merged them with yours in \(merge.short)") }
            if result.sent > 0 { parts.append("sent \(result.sent) commit\(result.sent == 1 ? "" : "s")") }
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
            Output.line("The same passage changed here and on \(safeRemote) in \(conflicts.count) "
                + "section\(conflicts.count == 1 ? "" : "s"). Nothing was committed and your files are as they were.")
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
