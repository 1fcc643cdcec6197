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

        enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
            case auto, always, never

            /// Whether to colour standard output: always, never, or when it is a terminal and
            /// NO_COLOR is unset.
            var appliesToStandardOutput: Bool {
                switch self {
                case .always: true
                case .never: false
                case .auto: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
                }
            }
        }

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The earlier draft (default: HEAD) and the later one (default: the working tree).")
        var revisions: [String] = []

        @Option(name: .customLong("section"), help: ArgumentHelp("Only this section (id or path); repeatable.", valueName: "id"))
        var sections: [String] = []

        @Option(help: "Output format; criticmarkup needs exactly one --section.")
        var format: Format = .terminal

        @Flag(help: "Words added and removed per section, and in total.")
        var stat = false

        @Flag(name: .customLong("exit-code"), help: "Exit with status 1 when the drafts differ.")
        var exitCode = false

        @Option(help: "Colour in the terminal format (auto: when writing to a terminal and NO_COLOR is unset).")
        var color: ColorChoice = .auto

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
            if format == .criticmarkup, sections.count != 1 {
                throw ValidationError("--format criticmarkup needs exactly one --section")
            }
        }

        func run() throws {
            let repository = try repository.open()
            let result = try repository.compare(from: revisions.first, to: revisions.count > 1 ? revisions[1] : nil)
            Output.keepUntilExit(result)
            result.warnings.forEach(Output.warning)
            var comparison = result.comparison
            if !sections.isEmpty {
                comparison.sections = try Self.select(sections, from: comparison, repository: repository, result: result)
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
                        Output.raw(try unchangedText(repository: repository, result: result))
                    }
                }
            }
            if exitCode && differs { throw ExitCode(1) }
        }

        /// The comparison's sections named by `--section`; a name no side knows is an error.
        static func select(_ sections: [String], from comparison: Comparison, repository: DocumentRepository,
                           result: DraftComparison) throws -> [SectionComparison]
        {
            var chosen: [SectionComparison] = []
            for name in sections {
                let matches = comparison.sections.filter { section in
                    [section.id, section.oldID, section.pathA, section.pathB].contains(name)
                        || [section.pathA, section.pathB].contains(repository.draftsFolder + "/" + name)
                }
                if matches.isEmpty {
                    // Unchanged sections are not in the comparison: check that the name exists.
                    let draft = try result.bRevision.map { try repository.draft(at: $0) } ?? repository.workingDraft()
                    _ = try draft.requireSection(named: name)
                }
                chosen += matches.filter { match in !chosen.contains { $0.id == match.id } }
            }
            return chosen
        }

        /// CriticMarkup of a section that did not change: its text as it is.
        private func unchangedText(repository: DocumentRepository, result: DraftComparison) throws -> String {
            let draft = try result.bRevision.map { try repository.draft(at: $0) } ?? repository.workingDraft()
            return try draft.requireSection(named: sections[0]).text
        }
    }
}
