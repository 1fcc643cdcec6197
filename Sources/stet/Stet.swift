import ArgumentParser
#if canImport(CMimalloc)
// Linked for its allocator, which replaces the C library's malloc in the whole process (see
// Package.swift); nothing of it is called.
import CMimalloc
#endif
import Foundation
import StetKit
import StetRender

@main
struct Stet: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "stet",
        abstract: "Versioned guideline drafts: Markdown sections in a git repository.",
        discussion: """
            Writers edit sections and commit them with a reason; experts compare drafts; the \
            secretariat tags milestones. Every section is one Markdown file under the drafts folder.
            Exit status: 0 success, 1 failure, 2 nothing to commit, 64 usage, 65 content or milestone rules refused, \
            66 not found, 69 remote unreachable or login refused, 73 already exists, 75 repository locked or busy, \
            77 repository owned by another user, 3 sync conflicts to settle.
            """,
        version: version,
        subcommands: [Init.self, SectionCommand.self, Status.self, Commit.self, Log.self, Show.self, Diff.self, Compare.self, Blame.self, Render.self, DemoCommand.self, Tag.self, Comments.self, CommentCommand.self,
                      Milestones.self, Verify.self, Settle.self, Clone.self, RemoteCommand.self, Sync.self, Unlock.self])

    /// Runs the command; a `StetError` becomes one line on standard error and its exit status.
    static func main() {
        do {
            var command = try parseAsRoot(Self.arguments(CommandLine.arguments.dropFirst()))
            try command.run()
        } catch let error as StetError {
            Output.error(error.message)
            Foundation.exit(error.exitStatus)
        } catch {
            exit(withError: error)
        }
    }
}

extension Stet {
    /// The arguments as the parser takes them, from the ways people write them after git:
    /// `stet -C DIR CMD ...` (the folder before the command; every command takes `-C` among its
    /// own options), and `-n5` for `-n 5`.
    static func arguments(_ given: some Collection<String>) -> [String] {
        var arguments = Array(given)
        var folder: [String] = []
        while arguments.count >= 2, arguments[0] == "-C" {
            folder = ["-C", arguments[1]]
            arguments.removeFirst(2)
        }
        arguments = arguments.flatMap { argument -> [String] in
            if argument.count > 2, argument.hasPrefix("-n"), argument.dropFirst(2).allSatisfy(\.isNumber) {
                return ["-n", String(argument.dropFirst(2))]
            }
            return [argument]
        }
        guard !folder.isEmpty else { return arguments }
        // Before `--`, which would make it a positional argument.
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        arguments.insert(contentsOf: folder, at: end)
        return arguments
    }
}

/// A JSON document stet prints: indented, keys in the order of the type, a final new line.
protocol JSONDocument: Encodable {}

extension JSONDocument {
    func encoded() throws -> String {
        try JSONWriter.encode(self)
    }
}

/// A person and a time in JSON output: `{"name", "email", "date"}`, the date in ISO 8601 with the
/// offset recorded.
struct JSONSignature: Encodable {
    var name: String
    var email: String
    var date: String

    init(_ signature: Signature) {
        name = signature.name
        email = signature.email
        date = ISODate.format(signature.date, offsetMinutes: signature.timeZoneOffset)
    }
}
