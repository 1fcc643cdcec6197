import ArgumentParser
import Foundation
import StetKit

// Options more than one command takes, each declared once and used with `@OptionGroup`.

/// Where the repository is: the current folder, or `-C PATH`.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if stet was started in this folder.", valueName: "path"))
    var directory: String?

    func open() throws -> DocumentRepository {
        try DocumentRepository.open(at: directory ?? FileManager.default.currentDirectoryPath)
    }
}

/// `--date`: the time a command records, with the UTC offset it was written in.
struct DateOption: ParsableArguments {
    @Option(help: ArgumentHelp("The date to record (ISO 8601, like 2024-08-15 or 2024-08-15T10:30:00+02:00; default: now).",
                               valueName: "date"))
    var date: String?

    func validate() throws {
        if let date, Output.parseDate(date) == nil {
            throw ValidationError("--date '\(date)' is not an ISO 8601 date such as 2024-08-15 or 2024-08-15T10:30:00Z")
        }
    }

    /// The date and its offset in minutes; nil for now.
    var parsed: (date: Date, offset: Int?)? { date.flatMap(Output.parseDate) }
}

/// `--section ID`, repeatable: the sections a comparison is limited to.
struct SectionOptions: ParsableArguments {
    @Option(name: .customLong("section"), help: ArgumentHelp("Only this section (id, path or title); repeatable.", valueName: "id"))
    var names: [String] = []
}

/// `--color`: when the terminal output is coloured.
struct ColorOptions: ParsableArguments {
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Option(name: .customLong("color"), help: "Colour in the terminal (auto: when writing to a terminal and NO_COLOR is unset).")
    var choice: Choice = .auto

    /// Whether to colour standard output: always, never, or when it is a terminal and NO_COLOR
    /// is unset.
    var appliesToStandardOutput: Bool {
        switch choice {
        case .always: true
        case .never: false
        case .auto: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }
}

/// `-o`, `--force`, `--templates`: where a rendered page goes, and what it is rendered with.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default: a file named after the revisions for HTML, else standard output).",
                                                    valueName: "file"))
    var output: String?

    @Flag(help: "Overwrite an output file that stet did not write.")
    var force = false

    @Option(help: ArgumentHelp("Templates that replace the built-in ones (default: the repository's templates folder).",
                               valueName: "folder"))
    var templates: String?

    /// Writes `pieces` to the file, whole or not at all (see `OutputFile`), and says so.
    func write(_ pieces: [String], to destination: String, kind: OutputFile.Kind) throws {
        try OutputFile.write(pieces, to: destination, force: force, kind: kind)
        Output.line("Wrote \(destination)")
    }

    func write(_ data: Data, to destination: String, kind: OutputFile.Kind) throws {
        try OutputFile.write(data, to: destination, force: force, kind: kind)
        Output.line("Wrote \(destination)")
    }
}
