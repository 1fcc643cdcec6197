import ArgumentParser
import Foundation
import ProseDiff
import StetKit
import StetRender

extension Stet {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show what changed between two drafts, word by word.",
            discussion: """
                Like git diff: no revision compares HEAD with the working tree, one revision compares \
                it with the working tree, two compare them. The comparison is Markdown-aware: a \
                reflowed paragraph is no change, sections are matched by id and then by content (a \
                renamed or renumbered section is a rename), and a paragraph that moved, within a \
                section or to another, is shown as a move with the edits made on the way.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case terminal, json, criticmarkup
        }

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The earlier draft (default: HEAD) and the later one (default: the working tree).")
        var revisions: [String] = []

        @OptionGroup var sections: SectionOptions

        @Option(help: "Output format; criticmarkup needs exactly one --section.")
        var format: Format = .terminal

        @Flag(help: "Words added and removed per section, and in total.")
        var stat = false

        @Flag(name: .customLong("exit-code"), help: "Exit with status 1 when the drafts differ.")
        var exitCode = false

        @OptionGroup var color: ColorOptions

        @Option(help: ArgumentHelp("Unchanged blocks shown around each change.", valueName: "n"))
        var context: Int = 1

        @Flag(help: "Show every block of a changed section.")
        var whole = false

        @Flag(help: "Print the comparison's internal dump.")
        var debug = false

        func validate() throws {
            if revisions.count > 2 { throw ValidationError("at most two revisions: stet diff [A [B]]") }
            if let file = revisions.first(where: { $0.lowercased().hasSuffix(".md") }) {
                throw ValidationError("'\(file)' is a section file, not a revision: to compare one section, "
                    + "name it with --section (stet diff [A [B]] --section \(file))")
            }
            if context < 0 { throw ValidationError("--context must be 0 or more") }
            if format == .criticmarkup, sections.names.count != 1 {
                throw ValidationError("--format criticmarkup needs exactly one --section")
            }
        }

        func run() throws {
            let repository = try repository.open()
            let result = try repository.compare(from: revisions.first, to: revisions.count > 1 ? revisions[1] : nil)
            Output.keepUntilExit(result)
            result.warnings.forEach(Output.warning)
            var comparison = result.comparison
            if !sections.names.isEmpty {
                comparison.sections = try repository.sections(named: sections.names, in: result)
            }
            let differs = !comparison.changedSections.isEmpty
            if debug {
                Output.raw(TerminalText.safe(comparison.dump, multiline: true))
            } else if stat {
                Output.raw(TerminalDiff(color: false).stat(comparison))
            } else {
                switch format {
                case .terminal:
                    Output.raw(TerminalDiff(color: color.appliesToStandardOutput, context: whole ? nil : context).render(comparison))
                case .json:
                    let a = RevisionLabel(revision: result.aRevision ?? "HEAD", commit: result.aCommit?.hex)
                    let b = RevisionLabel(revision: result.bRevision ?? "working tree", commit: result.bCommit?.hex)
                    let document = DiffDocument(comparison, a: a, b: b)
                    document.write(to: Output.raw)
                    Output.keepUntilExit(document)
                case .criticmarkup:
                    if let section = comparison.sections.first {
                        Output.raw(CriticMarkup.render(section))
                    } else {
                        Output.raw(try repository.sectionText(named: sections.names[0], in: result))
                    }
                }
            }
            if exitCode && differs { throw ExitCode(1) }
        }
    }
}
