import Foundation
import GitStore
import StetRender

/// Writing to the terminal: content from a repository never carries control sequences through.
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
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
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: commit.author.timeZoneOffset * 60)
        return SourceCommit(id: commit.id.hex, author: commit.author.name, email: commit.author.email,
                            date: formatter.string(from: commit.author.date), summary: commit.summary,
                            trailers: commit.trailers.map { SourceCommit.Trailer(key: $0.key, value: $0.value) })
    }

    /// `2024-11-03 14:02 +0100`, in the offset recorded with the date.
    static func date(_ date: Date, offsetMinutes: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
        formatter.dateFormat = "yyyy-MM-dd HH:mm Z"
        return formatter.string(from: date)
    }

    /// Parses `--date`: an ISO 8601 date (`2024-08-15`, midnight UTC) or date and time
    /// (`2024-08-15T10:30:00+02:00`), with the UTC offset it was written in, in minutes.
    static func parseDate(_ text: String) -> (date: Date, offset: Int?)? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) {
            return (date, offsetMinutes(text))
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text).map { ($0, 0) }
    }

    /// `Z` -> 0, `+02:00` or `+0200` -> 120.
    private static func offsetMinutes(_ text: String) -> Int? {
        if text.hasSuffix("Z") { return 0 }
        guard let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }), text[..<sign].contains("T") else { return nil }
        let digits = text[text.index(after: sign)...].filter(\.isNumber)
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else { return nil }
        return (text[sign] == "-" ? -1 : 1) * (hours * 60 + minutes)
    }
}
