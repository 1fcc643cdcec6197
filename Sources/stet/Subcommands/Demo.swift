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
                from the history built into stet from the project's demo/steps (writers' commits answering \
                consultation comments, milestones on the roadmap's dates) through the same code as \
                stet commit and stet tag, then writes the annotated comparison of the first and last \
                milestones and the last milestone's draft, and says where they are.
                """)

        @Argument(help: "The folder to build in; it must not exist or be empty (default: ./stet-demo).")
        var directory: String = "stet-demo"

        @Option(help: ArgumentHelp("Read the history from this stet project's demo/steps and drafts instead of the copy built into stet.",
                                   valueName: "folder"))
        var from: String?

        func run() throws {
            let files = try from.map { (project) throws(StetError) in try Demo.Files.folder(project) } ?? .embedded
            let result = try Demo.build(at: directory, files: files, environment: ProcessInfo.processInfo.environment)
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
            let word = result.root + "/compare-\(first)-\(last).docx"
            try Compare.parse([first, last, "-C", result.root, "--format", "docx", "-o", word]).run()
            let render = try Render.parse([last, "-C", result.root, "-o", draft])
            try render.run()
            let matrix = result.root + "/comments.html"
            try Comments.Matrix.parse(["-C", result.root, "--at", last, "-o", matrix]).run()
            Output.line()
            Output.line("The annotated comparison of the \(first) and \(last) drafts: \(comparison)")
            Output.line("The same comparison for Word, each change tracked under its writer's name: \(word)")
            Output.line("The \(last) draft, ready to print: \(draft)")
            Output.line("The consultation's comment matrix, with the words each comment changed: \(matrix)")
            Output.line("Next: cd \(result.root); stet diff \(first) \(last); stet compare \(first) \(last) --format terminal; "
                + "stet blame guiding-principles; stet comments; stet verify")
        }
    }
}
