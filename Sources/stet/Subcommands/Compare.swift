import ArgumentParser
import Foundation
import Glibc
import ProseDiff
import StetKit
import StetRender

extension Stet {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "The annotated comparison of two drafts: every change with who made it, when and why.",
            discussion: """
                Walks the commits between A and B and credits every insertion and deletion of the \
                redline to the commit that made it, with its author, date, message and trailers \
                (Addresses: OC-0123 links a change to a consultation comment). A change made on a \
                merged branch is credited to its own commit. With -o, the file is written whole or \
                not at all, and an existing file stet did not write is kept unless --force.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case html, terminal, json, criticmarkup
        }

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The earlier draft (a milestone, tag, branch or commit).")
        var from: String

        @Argument(help: "The later draft.")
        var to: String

        @Option(help: "Output format; criticmarkup needs exactly one --section.")
        var format: Format = .html

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (html: compare-A-B.html by default; others: standard output).",
                                                        valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("Templates that replace the built-in ones (default: the repository's templates folder).",
                                   valueName: "folder"))
        var templates: String?

        @Flag(help: "Overwrite an output file that stet did not write.")
        var force = false

        @Option(name: .customLong("section"), help: ArgumentHelp("Only this section (id or path); repeatable.", valueName: "id"))
        var sections: [String] = []

        @Option(help: "Colour in the terminal format.")
        var color: Diff.ColorChoice = .auto

        func validate() throws {
            if format == .criticmarkup, sections.count != 1 {
                throw ValidationError("--format criticmarkup needs exactly one --section")
            }
        }

        /// A revision name usable in a file name.
        static func fileSafe(_ revision: String) -> String {
            String(revision.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        }

        /// A side of the comparison: a milestone's date is its approval (its tag's date), and the
        /// draft's commit date is said as such beside it.
        private func side(_ label: String, _ commit: ObjectID?, _ repository: DocumentRepository) -> HTMLComparison.Side {
            let milestone = repository.config.milestones.contains(label) ? (try? repository.milestone(label)) ?? nil : nil
            let date = Output.dates(milestone: milestone, commit: commit.flatMap { try? repository.commitInfo($0) }?.committer)
            return HTMLComparison.Side(label: label, commit: commit?.hex, date: date, approval: milestone?.summary)
        }

        /// `NAME.mustache` files of the templates folder that replace built-in templates.
        private func loadTemplates(_ repository: DocumentRepository) throws -> [String: String] {
            try Self.loadTemplates(named: HTMLTemplates.names, folder: templates, repository: repository)
        }

        static func loadTemplates(named names: [String], folder explicit: String?, repository: DocumentRepository) throws
            -> [String: String]
        {
            let folder = explicit ?? repository.root + "/templates"
            if let explicit, !FileManager.default.fileExists(atPath: explicit) {
                throw StetError(.notFound, "templates folder \(explicit) does not exist")
            }
            var found: [String: String] = [:]
            for name in names {
                let path = folder + "/" + name + ".mustache"
                guard FileManager.default.fileExists(atPath: path) else { continue }
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw StetError(.invalidContent, "\(path) is not UTF-8 text")
                }
                found[name] = text
            }
            return found
        }

        func run() throws {
            let repository = try repository.open()
            let annotated = try repository.annotatedCompare(from: from, to: to)
            annotated.draft.warnings.forEach(Output.warning)
            var comparison = annotated.draft.comparison
            if !sections.isEmpty {
                comparison.sections = try Diff.select(sections, from: comparison, repository: repository, result: annotated.draft)
            }
            let commits = annotated.commits.map(Output.sourceCommit)
            // The output in pieces written one after another (an HTML page's redlines are set
            // into it as they are, never joined into one string).
            let pieces: [String]
            var destination = output
            switch format {
            case .html:
                let document = HTMLComparison(
                    title: repository.config.title ?? URL(fileURLWithPath: repository.root).lastPathComponent,
                    a: side(from, annotated.draft.aCommit, repository), b: side(to, annotated.draft.bCommit, repository),
                    version: Stet.version, commits: commits, templates: try loadTemplates(repository))
                do {
                    pieces = try document.renderPieces(comparison)
                } catch let error as HTMLComparison.TemplateError {
                    throw StetError(.invalidContent, error.description)
                }
                if destination == nil { destination = "compare-\(Self.fileSafe(from))-\(Self.fileSafe(to)).html" }
            case .terminal:
                pieces = [TerminalDiff(color: output == nil && color.appliesToStandardOutput, context: 1, commits: commits)
                    .render(comparison)]
            case .json:
                let a = RevisionLabel(revision: from, commit: annotated.draft.aCommit?.hex)
                let b = RevisionLabel(revision: to, commit: annotated.draft.bCommit?.hex)
                pieces = [DiffDocument(comparison, a: a, b: b, commits: commits).encoded()]
            case .criticmarkup:
                guard let section = comparison.sections.first else {
                    throw StetError(.notFound, "section '\(sections[0])' did not change between \(from) and \(to)")
                }
                pieces = [CriticMarkup.render(section, commits: commits)]
            }
            if let destination {
                let marker = format == .json ? "\"schemaVersion\"" : format == .html ? "<meta name=\"generator\" content=\"stet " : nil
                try OutputFile.write(pieces, to: destination, force: force, marker: marker)
                Output.line("Wrote \(destination)")
            } else {
                pieces.forEach(Output.raw)
            }
        }
    }

    struct Blame: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blame",
            abstract: "Who wrote each run of words of a section.",
            discussion: """
                Word by word, independent of line wrapping: each run of words with the commit that \
                wrote it. With --since, text older than that revision is marked as before it.
                """)

        @OptionGroup var repository: RepositoryOptions

        @Argument(help: "The section (id or path).")
        var section: String

        @Argument(help: "The revision (default: HEAD).")
        var revision: String = "HEAD"

        @Option(help: ArgumentHelp("Mark text older than this revision (a milestone) as before it.", valueName: "revision"))
        var since: String?

        func run() throws {
            let repository = try repository.open()
            let (section, runs) = try repository.blame(section: section, at: revision, since: since)
            Output.line("\(Output.safe(section.title)) (\(Output.safe(section.id))) at \(Output.safe(revision))")
            for run in runs {
                var text = run.text
                while text.hasSuffix("\n") { text.removeLast() }
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
                if let commit = run.commit {
                    Output.line("\(commit.id.short)  \(Output.date(commit.author.date, offsetMinutes: commit.author.timeZoneOffset).prefix(10))  "
                        + "\(Output.safe(commit.author.name)): \(Output.safe(commit.summary))")
                } else {
                    Output.line("before \(Output.safe(since ?? "the history"))")
                }
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    Output.line("    " + Output.safe(String(line)))
                }
            }
        }
    }
}

/// Writing an output file whole or not at all.
enum OutputFile {
    /// Writes `text` to `path` through a temporary file and a rename. An existing file is
    /// replaced only with `force`, or when it holds `marker` near its start (stet wrote it).
    static func write(_ text: String, to path: String, force: Bool, marker: String?) throws {
        try write([text], to: path, force: force, marker: marker)
    }

    /// `write` of a text given in pieces, one after another.
    static func write(_ pieces: [String], to path: String, force: Bool, marker: String?) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path), !force {
            let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 4096) } ?? Data()
            guard let marker, String(decoding: head, as: UTF8.self).contains(marker) else {
                throw StetError(.exists, "\(path) exists and stet did not write it; pass --force to replace it")
            }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).stet-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try writeWhole(pieces, to: temporary.path)
            guard rename(temporary.path, url.path) == 0 else {
                throw StetError(.failure, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? manager.removeItem(at: temporary)
            throw StetError(.failure, "cannot write \(path): \(error)")
        }
    }

    /// Writes the pieces' bytes as they are held (no copy), to a new file. No fsync: the file is
    /// made from the repository and can be made again, and the rename already keeps a failed
    /// or interrupted run from leaving half of it (an fsync was two thirds of the time taken to
    /// write an 18 MB comparison).
    private static func writeWhole(_ pieces: [String], to path: String) throws(OSError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw OSError(errno) }
        var failure: Int32?
        for piece in pieces where failure == nil {
            var piece = piece
            failure = piece.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    offset += written
                }
                return nil
            }
        }
        let closed = close(descriptor)
        if let failure { throw OSError(failure) }
        if closed != 0 { throw OSError(errno) }
    }

    /// A system call's error number, described as `strerror` does.
    struct OSError: Error, CustomStringConvertible {
        var code: Int32
        init(_ code: Int32) { self.code = code }
        var description: String { String(cString: strerror(code)) }
    }
}
