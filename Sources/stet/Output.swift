import Foundation
import StetKit
import StetRender

/// Writing to the terminal: content from a repository never carries control sequences through.
enum Output {
    /// Values left for the end of the process to reclaim: a comparison holds hundreds of
    /// thousands of small objects, and freeing them one by one when a command returns took
    /// about a twentieth of `stet diff`. Read and written on the main thread only.
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keepUntilExit(_ value: Any) {
        kept.append(value)
    }

    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Text as it is, written from the string's own storage (a comparison's JSON runs to
    /// megabytes; a copy of it costs more than the writing).
    static func raw(_ text: String) {
        var text = text
        text.withUTF8(raw)
    }

    static func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer(raw)
    }

    private static func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = SystemIO.writeAll(STDOUT_FILENO, bytes)
    }

    static func warning(_ text: String) {
        FileHandle.standardError.write(Data(("stet: warning: " + safe(text) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("stet: error: " + safe(text) + "\n").utf8))
    }

    /// Repository text made safe for the terminal (see `TerminalText.safe`).
    static func safe(_ text: String, multiline: Bool = false) -> String {
        TerminalText.safe(text, multiline: multiline)
    }

    /// A commit as the renderers show it.
    static func sourceCommit(_ commit: CommitInfo) -> SourceCommit {
        SourceCommit(id: commit.id.hex, author: commit.author.name, email: commit.author.email,
                     date: ISODate.format(commit.author.date, offsetMinutes: commit.author.timeZoneOffset), summary: commit.summary,
                     trailers: commit.trailers.map { SourceCommit.Trailer(key: $0.key, value: $0.value) }, message: commit.message)
    }

    /// `2024-11-03 14:02 +0100`, in the offset recorded with the date.
    static func date(_ date: Date, offsetMinutes: Int) -> String {
        ISODate.formatShort(date, offsetMinutes: offsetMinutes)
    }

    /// The dates of a draft as every page says them: a milestone's approval (its tag's date),
    /// then when its draft was committed; for any other revision, its commit's date.
    static func dates(milestone: Milestone?, commit: Signature?) -> String? {
        let committed = commit.map { date($0.date, offsetMinutes: $0.timeZoneOffset) }
        guard let milestone else { return committed.map { "committed " + $0 } }
        return "approved " + date(milestone.tagger.date, offsetMinutes: milestone.tagger.timeZoneOffset)
            + (committed.map { " (draft committed " + $0 + ")" } ?? "")
    }

    /// Parses `--date` (see `ISODate.parse`).
    static func parseDate(_ text: String) -> (date: Date, offset: Int?)? {
        ISODate.parse(text)
    }
}
