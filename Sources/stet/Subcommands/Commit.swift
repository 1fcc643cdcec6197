import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit",
            abstract: "Record section edits with the reason for them.",
            discussion: """
                Commits the named sections (ids or paths), or every changed section. The commit is \
                refused, with nothing written, when a section has malformed front matter, conflict \
                markers, invalid UTF-8 or binary content, is a symbolic link, or shares its id with \
                another section.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Option(name: .shortAndLong, help: "Why the sections changed (the commit message).")
        var message: String?

        @Argument(help: "Sections to commit, by id or path (default: every changed section).")
        var sections: [String] = []

        @Option(help: ArgumentHelp("Who made the edits (default: STET_AUTHOR, then git's user.name and user.email).",
                                   valueName: "Name <email>"))
        var author: String?

        @Option(help: ArgumentHelp("A consultation comment this change addresses (trailer 'Addresses: ID'); repeatable.",
                                   valueName: "id"))
        var addresses: [String] = []

        @Option(help: ArgumentHelp("A further trailer, as Key=Value; repeatable.", valueName: "Key=Value"))
        var trailer: [String] = []

        @OptionGroup var when: DateOption

        func validate() throws {
            if message == nil {
                throw ValidationError("say why the sections changed with -m \"...\" (the commit message)")
            }
            for item in trailer where !item.contains("=") && !item.contains(":") {
                throw ValidationError("--trailer '\(item)' must be Key=Value")
            }
        }

        func run() throws {
            let repository = try repository.open()
            let trailers = trailer.map { item in
                let separator = item.firstIndex(where: { $0 == "=" || $0 == ":" })!
                return Trailer(key: String(item[..<separator]).trimmingCharacters(in: .whitespaces),
                               value: String(item[item.index(after: separator)...]).trimmingCharacters(in: .whitespaces))
            }
            let date = when.parsed
            let request = CommitRequest(message: message ?? "", sections: sections, author: author, addresses: addresses,
                                        trailers: trailers, date: date?.date, timeZoneOffset: date?.offset)
            let result = try repository.commit(request)
            result.warnings.forEach(Output.warning)
            let summary = (result.changes.map { "\(Output.safe($0.id)) \($0.kind.rawValue)" }
                + result.images.map { "\(Output.safe($0.path)) \($0.kind.rawValue)" }
                + result.rounds.map { "\(Output.safe($0)) (comments)" }).joined(separator: ", ")
            Output.line("Committed \(result.commit.short): \(summary)")
        }
    }
}
