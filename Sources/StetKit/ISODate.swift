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

    /// `2024-11-03T14:02:00+01:00` (`Z` for UTC): the date in the offset it was recorded with.
    /// Computed, not formatted by Foundation: a formatter costs more to make than a comparison
    /// of thousands of commits spends on everything else per commit.
    public static func format(_ date: Date, offsetMinutes: Int) -> String {
        let time = civil(date, offsetMinutes: offsetMinutes)
        return time.day + "T" + pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
            + offset(offsetMinutes, colon: true)
    }

    /// `2024-11-03`: the day in the offset it was recorded with.
    public static func formatDay(_ date: Date, offsetMinutes: Int) -> String {
        civil(date, offsetMinutes: offsetMinutes).day
    }

    /// `2024-11-03 14:02 +0100`.
    public static func formatShort(_ date: Date, offsetMinutes: Int) -> String {
        let time = civil(date, offsetMinutes: offsetMinutes)
        return time.day + " " + pad(time.hour, 2) + ":" + pad(time.minute, 2) + " " + offset(offsetMinutes, colon: false)
    }

    /// The local date (`2024-11-03`) and time of day of a date recorded with an offset: days to a
    /// proleptic Gregorian date after Howard Hinnant's civil-from-days.
    private static func civil(_ date: Date, offsetMinutes: Int) -> (day: String, hour: Int, minute: Int, second: Int) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offsetMinutes) * 60
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let shifted = days + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (pad(Int(year), 4) + "-" + pad(Int(month), 2) + "-" + pad(Int(day), 2),
                secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    private static func offset(_ minutes: Int, colon: Bool) -> String {
        if colon, minutes == 0 { return "Z" }
        let magnitude = abs(minutes)
        return (minutes < 0 ? "-" : "+") + pad(magnitude / 60, 2) + (colon ? ":" : "") + pad(magnitude % 60, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    /// Division rounding toward minus infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
