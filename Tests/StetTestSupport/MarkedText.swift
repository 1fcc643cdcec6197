/// Text with positions marked in it, as swift-format's tests mark them: `"The 1️⃣quick2️⃣ fox"`
/// is the text "The quick fox" with marks 1 and 2 at UTF-8 offsets 4 and 9. A fixture then says
/// where something is by pointing at it, not by counting.
public struct MarkedText {
    /// The text without its marks.
    public let text: String
    /// Each mark's UTF-8 offset in `text`.
    public let marks: [Int: Int]

    static let markers: [Character: Int] = ["1️⃣": 1, "2️⃣": 2, "3️⃣": 3, "4️⃣": 4, "5️⃣": 5, "6️⃣": 6, "7️⃣": 7, "8️⃣": 8, "9️⃣": 9]

    public init(_ marked: String) {
        var text = "", marks: [Int: Int] = [:]
        for character in marked {
            if let mark = Self.markers[character] {
                precondition(marks[mark] == nil, "mark \(mark) is used twice")
                marks[mark] = text.utf8.count
            } else {
                text.append(character)
            }
        }
        self.text = text
        self.marks = marks
    }

    /// The range from one mark to another.
    public func range(_ from: Int, _ to: Int) -> Range<Int> {
        guard let start = marks[from], let end = marks[to] else { preconditionFailure("no mark \(from) or \(to)") }
        return start..<end
    }
}
