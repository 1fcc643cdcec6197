/// A count with its noun, singular for one: "1 word", "18 words".
public func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
