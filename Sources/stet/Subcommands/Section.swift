import ArgumentParser
import Foundation
import ProseDiff
import StetKit

/// What a section command changed in the files, for the writer to commit.
private func report(_ edit: SectionEdit) {
    for rename in edit.renamed {
        Output.line("renamed \(Output.safe(rename.from)) -> \(Output.safe(rename.to))")
    }
    for path in edit.relinked {
        Output.line("links updated in \(Output.safe(path))")
    }
    for link in edit.brokenLinks { Output.warning(link.message) }
}

extension Stet {
    struct SectionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "section",
            abstract: "Work with sections.",
            subcommands: [List.self, New.self, Rename.self, Move.self, Delete.self])

        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "new",
                abstract: "Create a section file with front matter, numbered to fit the order.",
                discussion: """
                    The file is written, not committed: edit it, then run stet commit. With --after, \
                    files that follow are renumbered when no number is free; their ids do not change.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The section's title.")
            var title: String

            @Option(help: "The section's id (default: made from the title).")
            var id: String?

            @Option(help: ArgumentHelp("Place the section right after this one (id or path).", valueName: "section"))
            var after: String?

            func run() throws {
                let repository = try repository.open()
                let result = try repository.newSection(title: title, id: id, after: after)
                for rename in result.renamed {
                    Output.line("renumbered \(Output.safe(rename.from)) -> \(Output.safe(rename.to))")
                }
                Output.line("Created \(Output.safe(result.path))")
                for path in result.relinked { Output.line("links updated in \(Output.safe(path))") }
                if repository.config.order != nil {
                    Output.warning("stet.yml lists an explicit order: add the new section's id to it")
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List the sections in document order: position, id, title, path and words.")

            @OptionGroup var repository: RepositoryOptions

            func run() throws {
                let repository = try repository.open()
                let sections = try repository.sectionList()
                guard !sections.isEmpty else {
                    Output.line("No sections yet: stet section new \"Title\" makes one.")
                    return
                }
                let idWidth = min(40, sections.map { Output.safe($0.id).count }.max() ?? 0)
                let titleWidth = min(48, sections.map { Output.safe($0.title).count }.max() ?? 0)
                for section in sections {
                    let words = "\(counted(section.words, "word"))"
                    Output.line(String(repeating: " ", count: max(0, 3 - String(section.position).count)) + String(section.position) + "  "
                        + Output.safe(section.id).padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  "
                        + Output.safe(section.title).padding(toLength: titleWidth, withPad: " ", startingAt: 0) + "  "
                        + Output.safe(section.path) + "  " + words)
                }
                let total = sections.reduce(0) { $0 + $1.words }
                Output.line("\(counted(sections.count, "section")), \(counted(total, "word"))")
            }
        }

        struct Rename: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rename",
                abstract: "Give a section a new title.",
                discussion: """
                    Sets the title in the front matter and in the first heading (when it is the old \
                    title), and renames the file after it, keeping its number. The id does not \
                    change, and links to the file follow it. Commit with stet commit.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The section (id, path or title).")
            var section: String

            @Argument(help: "The new title.")
            var title: String

            func run() throws {
                let repository = try repository.open()
                let edit = try repository.retitleSection(section, to: title)
                report(edit)
                Output.line("Retitled \(Output.safe(edit.path)): \(Output.safe(title))")
            }
        }

        struct Move: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "move",
                abstract: "Place a section after (or before) another, renumbering files.",
                discussion: """
                    Renames files so that the section follows (or precedes) the other; ids do not \
                    change, and links to every renamed file follow it. Commit with stet commit.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The section to move (id, path or title).")
            var section: String

            @Option(help: ArgumentHelp("Place it right after this section.", valueName: "section"))
            var after: String?

            @Option(help: ArgumentHelp("Place it right before this section.", valueName: "section"))
            var before: String?

            func validate() throws {
                if (after == nil) == (before == nil) {
                    throw ValidationError("say where, with one of --after SECTION or --before SECTION")
                }
            }

            func run() throws {
                let repository = try repository.open()
                let edit = try repository.moveSection(section, after: after, before: before)
                report(edit)
                Output.line("Moved to \(Output.safe(edit.path)); commit with: stet commit -m \"why\"")
            }
        }

        struct Delete: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "delete",
                abstract: "Delete a section's file.",
                discussion: """
                    Refused when the file holds edits that are not committed. Links to it from other \
                    sections are named. Commit with stet commit; the history keeps the section.
                    """)

            @OptionGroup var repository: RepositoryOptions

            @Argument(help: "The section (id, path or title).")
            var section: String

            func run() throws {
                let repository = try repository.open()
                let edit = try repository.deleteSection(section)
                report(edit)
                Output.line("Deleted \(Output.safe(edit.path)); commit with: stet commit -m \"why\"")
            }
        }
    }
}
