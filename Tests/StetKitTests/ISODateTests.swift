import Foundation
import StetKit
import StetTestSupport
import Testing

@Suite("ISO dates")
struct ISODateTests {
    /// The computed formats agree with Foundation's formatters on dates from 1900 to 2200, in
    /// offsets east and west of UTC, on and off the quarter hour.
    @Test func computedDatesMatchFoundationsFormatters() {
        var random = SeededRandom(state: 2024)
        let offsets = [0, 60, -300, 330, 345, -570, 840, -720, 1]
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -2_208_988_800...7_258_118_400, using: &random)))
            let offset = offsets.randomElement(using: &random)!
            let full = ISO8601DateFormatter()
            full.timeZone = TimeZone(secondsFromGMT: offset * 60)
            #expect(ISODate.format(date, offsetMinutes: offset) == full.string(from: date), "\(date) \(offset)")
            let short = DateFormatter()
            short.locale = Locale(identifier: "en_US_POSIX")
            short.timeZone = TimeZone(secondsFromGMT: offset * 60)
            short.dateFormat = "yyyy-MM-dd HH:mm Z"
            #expect(ISODate.formatShort(date, offsetMinutes: offset) == short.string(from: date), "\(date) \(offset)")
        }
        #expect(ISODate.format(Date(timeIntervalSince1970: 1_730_624_520), offsetMinutes: 60) == "2024-11-03T10:02:00+01:00")
        #expect(ISODate.format(Date(timeIntervalSince1970: 0), offsetMinutes: 0) == "1970-01-01T00:00:00Z")
        #expect(ISODate.formatShort(Date(timeIntervalSince1970: -1), offsetMinutes: -90) == "1969-12-31 22:29 -0130")
    }
}
