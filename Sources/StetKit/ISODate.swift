public import Foundation

/// Dates as people write them for stet: ISO 8601 dates and times.
public enum ISODate {
    /// An ISO 8601 date (`2024-08-15`, midnight UTC) or date and time
    /// (`2024-08-15T10:30:00+02:00`), with the UTC offset it was written in, in minutes.
    public static func parse(_ text: String) -> (date: Date, offset: Int?)? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) {
            return (date, offsetMinutes(text))
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text).map { ($0, 0) }
    }

    /// `Z` -> 0, `+02:00` or `+0200` -> 120.
    static func offsetMinutes(_ text: String) -> Int? {
        if text.hasSuffix("Z") { return 0 }
        guard let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }), text[..<sign].contains("T") else { return nil }
        let digits = text[text.index(after: sign)...].filter(\.isNumber)
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else { return nil }
        return (text[sign] == "-" ? -1 : 1) * (hours * 60 + minutes)
    }
}
