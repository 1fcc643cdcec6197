/// Where two texts differ, line by line, for a test's failure message: the lines around the
/// first difference, `-` for the expected text's and `+` for the actual one's (as
/// swift-argument-parser's `AssertEqualStrings` prints them).
public func lineDiff(expected: String, actual: String, context: Int = 3) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let shared = min(old.count, new.count)
    guard let first = (0..<shared).first(where: { old[$0] != new[$0] }) ?? (old.count == new.count ? nil : shared)
    else { return "(the texts are equal)" }
    // The end of the differing run: the last lines that are equal from the end.
    var oldEnd = old.count, newEnd = new.count
    while oldEnd > first, newEnd > first, old[oldEnd - 1] == new[newEnd - 1] {
        oldEnd -= 1
        newEnd -= 1
    }
    var lines = ["@@ line \(first + 1) @@"]
    lines += old[max(0, first - context)..<first].map { "  " + $0 }
    lines += old[first..<oldEnd].prefix(40).map { "- " + $0 }
    lines += new[first..<newEnd].prefix(40).map { "+ " + $0 }
    lines += old[oldEnd..<min(old.count, oldEnd + context)].map { "  " + $0 }
    return lines.joined(separator: "\n")
}
