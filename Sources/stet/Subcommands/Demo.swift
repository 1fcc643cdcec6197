import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct DemoCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Build the sample guidelines repository and its annotated comparison.",
            discussion: """
                Builds a repository of the International Guidelines on People-Centred Smart Cities \
                from the history kept in the project's demo/steps (writers' commits answering \
                consultation comments, milestones on the roadmap's dates) through the same code as \
                stet commit and stet tag, then writes the annotated comparison of the first and last \
                milestones and the last milestone's draft, and says where they are.
                """)

        @Argument(help: "The folder to build in; it must not exist or be empty (default: ./stet-demo).")
        var directory: String = "stet-demo"

        @Option(help: ArgumentHelp("The stet project that holds demo/steps and drafts (default: found from this program or the current folder).",
                                   valueName: "folder"))
        var from: String?

        func run() throws {
            guard let project = Demo.projectFolder(explicit: from, executable: CommandLine.arguments[0]) else {
                throw StetError(.notFound, (from.map { "\($0) has no demo/steps and drafts folders" }
                    ?? "cannot find the stet project's demo/steps and drafts folders") + "; name the project with --from")
            }
            let result = try Demo.build(at: directory, project: project, environment: ProcessInfo.processInfo.environment)
            Output.line("Built \(result.root): \(result.commits) commits, milestones \(result.milestones.joined(separator: ", ")).")
            Output.line()
            let milestones = try Milestones.parse(["-C", result.root])
            try milestones.run()
            guard let first = result.milestones.first, let last = result.milestones.last, first != last else { return }
            let comparison = result.root + "/compare-\(first)-\(last).html"
            let draft = result.root + "/\(last)-draft.html"
            Output.line()
            let compare = try Compare.parse([first, last, "-C", result.root, "-o", comparison])
            try compare.run()
            let render = try Render.parse([last, "-C", result.root, "-o", draft])
            try render.run()
            Output.line()
            Output.line("The annotated comparison of the \(first) and \(last) drafts: \(comparison)")
            Output.line("The \(last) draft, ready to print: \(draft)")
            Output.line("Next: cd \(result.root); stet diff \(first) \(last); stet compare \(first) \(last) --format terminal; "
                + "stet blame guiding-principles; stet verify")
        }
    }
}
