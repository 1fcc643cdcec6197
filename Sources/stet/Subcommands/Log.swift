import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Show who changed what, when and why, newest first.",
            discussion: "With a section, only the commits that changed it, following its renames.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "Only commits that changed this section (id or path).")
        var section: String?

        @Option(help: ArgumentHelp("Leave out this revision and its history (for example the last milestone).", valueName: "revision"))
        var since: String?

        @Option(help: ArgumentHelp("Only commits that address this consultation comment (Addresses: trailer).", valueName: "id"))
        var addresses: String?

        @Option(name: [.customShort("n"), .customLong("max-count")], help: "Show at most this many commits.")
        var limit: Int?

        @Option(help: "Output format.")
        var format: Format = .text

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--max-count must be at least 1") }
        }

        func run() throws {
            let repository = try repository.open()
            let entries = try repository.log(section: section, since: since, limit: limit, addresses: addresses)
            switch format {
            case .json:
                Output.raw(try LogDocument(entries).encoded())
            case .text:
                for (index, entry) in entries.enumerated() {
                    if index > 0 { Output.line() }
                    printText(entry)
                }
            }
        }

        private func printText(_ entry: LogEntry) {
            let commit = entry.commit
            Output.line("\(commit.id.short)  \(Output.date(commit.author.date, offsetMinutes: commit.author.timeZoneOffset))  "
                + Output.safe(commit.author.formatted))
            for line in commit.message.split(separator: "\n", omittingEmptySubsequences: false).reversed()
                .drop(while: { $0.isEmpty }).reversed()
            {
                Output.line(line.isEmpty ? "" : "    " + Output.safe(String(line)))
            }
            if !entry.sections.isEmpty {
                let touched = entry.sections.map { touch in
                    touch.oldPath.map { "\(Output.safe(touch.id)) (renamed from \(Output.safe($0)))" }
                        ?? "\(Output.safe(touch.id)) (\(touch.kind.rawValue))"
                }
                Output.line("    sections: " + touched.joined(separator: ", "))
            }
        }
    }
}

/// `stet log --format json`: schema version 1, documented in docs/json.md.
struct LogDocument: JSONDocument {
    struct Touch: Encodable {
        var id: String
        var path: String
        var change: String
        var oldPath: String?
    }

    struct Entry: Encodable {
        var id: String
        var parents: [String]
        var author: JSONSignature
        var committer: JSONSignature
        var summary: String
        var message: String
        var trailers: [Trailer]
        var sections: [Touch]
    }

    var schemaVersion = 1
    var commits: [Entry]

    init(_ entries: [LogEntry]) {
        commits = entries.map { entry in
            Entry(id: entry.commit.id.hex, parents: entry.commit.parents.map(\.hex),
                  author: JSONSignature(entry.commit.author), committer: JSONSignature(entry.commit.committer),
                  summary: entry.commit.summary, message: entry.commit.message, trailers: entry.commit.trailers,
                  sections: entry.sections.map { Touch(id: $0.id, path: $0.path, change: $0.kind.rawValue, oldPath: $0.oldPath) })
        }
    }
}
