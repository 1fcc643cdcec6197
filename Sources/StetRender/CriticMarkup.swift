public import ProseDiff

/// A section's redline as Markdown with CriticMarkup: `{++inserted++}`, `{--deleted--}`,
/// `{~~old~>new~~}`. Accepting every change gives B's file byte for byte, rejecting every change
/// gives A's; a reflowed line is a substitution of white space, so that both hold.
public enum CriticMarkup {
    /// The section's redline; with `commits`, each change is followed by a comment naming the
    /// commits behind it (`{>>Author, 2024-11-03, 1a2b3c4: summary<<}`).
    public static func render(_ section: SectionComparison, commits: [SourceCommit]? = nil) -> String {
        var output = ""
        for block in section.blocks {
            switch block.status {
            case .movedAway:
                output += wrapped(block.aText, "{--", "--}")
                if let away = MoveWords.away(block, in: section) { output += "{>>moved \(comment(away))<<}" }
            case .movedHere:
                output += wrapped(block.bText, "{++", "++}")
                if let here = MoveWords.here(block, in: section) { output += "{>>moved \(comment(here))<<}" }
            default:
                output += spans(block.spans, commits: commits)
            }
            if let commits, block.status == .movedAway || block.status == .movedHere {
                output += attribution(block.spans.flatMap(\.sources), commits)
            }
        }
        return output
    }

    static func attribution(_ sources: [Int], _ commits: [SourceCommit]) -> String {
        var seen = Set<Int>()
        let unique = sources.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return "" }
        return "{>>" + unique.map { index in
            let commit = commits[index]
            return comment("\(commit.author), \(commit.day), \(commit.shortID): \(commit.summary)")
        }.joined(separator: "; ") + "<<}"
    }

    /// Spans with a deletion followed by an insertion written as one substitution.
    static func spans(_ spans: [Span], commits: [SourceCommit]? = nil) -> String {
        var output = ""
        var index = 0
        while index < spans.count {
            let span = spans[index]
            switch span.kind {
            case .equal:
                output += span.a == span.b ? plain(span.b) : substitution(span.a, span.b)
            case .deleted, .moved:
                if index + 1 < spans.count, spans[index + 1].kind == .inserted {
                    output += substitution(span.a, spans[index + 1].b)
                    if let commits { output += attribution(span.sources + spans[index + 1].sources, commits) }
                    index += 1
                } else {
                    output += wrapped(span.a, "{--", "--}")
                    if let commits { output += attribution(span.sources, commits) }
                }
            case .inserted:
                output += wrapped(span.b, "{++", "++}")
                if let commits { output += attribution(span.sources, commits) }
            }
            index += 1
        }
        return output
    }

    // CriticMarkup has no escapes, and a reader takes the first closing delimiter after an
    // opening one. So no text may hold what would end its own markup: a body is split into
    // several changes just after the first character of its closing delimiter (and of `{>>`,
    // which some readers remove before anything else), a substitution whose sides hold `~>` or
    // `~~}` is written as a deletion and an insertion, and in unchanged text a `{` that would
    // open markup is written as the substitution of itself.

    /// Unchanged text, with every `{` that would open markup made inert.
    static func plain(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var output = ""
        var start = text.utf8.startIndex
        var index = start
        let utf8 = text.utf8
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "{"), opensMarkup(utf8[utf8.index(after: index)...]) {
                output += String(decoding: utf8[start..<index], as: UTF8.self) + "{~~{~>{~~}"
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        return output + String(decoding: utf8[start...], as: UTF8.self)
    }

    private static func opensMarkup(_ rest: String.UTF8View.SubSequence) -> Bool {
        for pair in ["++", "--", "~~", ">>"] where rest.starts(with: pair.utf8) { return true }
        return false
    }

    /// `text` as one change (`{++ ++}` or `{-- --}`), or several when it holds the closing
    /// delimiter or `{>>`.
    static func wrapped(_ text: String, _ open: String, _ close: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let cut = firstCut(in: rest, avoiding: [close, "{>>"]) {
            output += open + rest[..<cut] + close
            rest = rest[cut...]
        }
        return output + open + rest + close
    }

    static func substitution(_ old: String, _ new: String) -> String {
        if firstCut(in: Substring(old), avoiding: ["~>", "~~}", "{>>"]) == nil
            && firstCut(in: Substring(new), avoiding: ["~~}", "{>>"]) == nil
        {
            return "{~~" + old + "~>" + new + "~~}"
        }
        return wrapped(old, "{--", "--}") + wrapped(new, "{++", "++}")
    }

    /// Just after the first character of the earliest of `patterns` in `text`, if any.
    private static func firstCut(in text: Substring, avoiding patterns: [String]) -> Substring.Index? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            for pattern in patterns where utf8[index...].starts(with: pattern.utf8) {
                return utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        return nil
    }

    /// Text for a comment: no markup delimiters, one line.
    static func comment(_ text: String) -> String {
        String(text.filter { $0 != "\n" && $0 != "<" && $0 != ">" && $0 != "{" && $0 != "}" })
    }

    /// The text with every change accepted (`accept`) or rejected, comments removed. Read byte
    /// by byte: a combining mark after a delimiter must not join it into one character.
    public static func resolve(_ markup: String, accept: Bool) -> String {
        let bytes = Array(markup.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        func find(_ pattern: String, from start: Int) -> Int? {
            let pattern = Array(pattern.utf8)
            var index = start
            while index + pattern.count <= bytes.count {
                if bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
                index += 1
            }
            return nil
        }
        let closings: [String: String] = ["{++": "++}", "{--": "--}", "{~~": "~~}", "{>>": "<<}"]
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), index + 3 <= bytes.count,
               let opening = String(validating: bytes[index..<(index + 3)], as: UTF8.self), let closing = closings[opening],
               let close = find(closing, from: index + 3)
            {
                let body = bytes[(index + 3)..<close]
                switch opening {
                case "{++": if accept { output += body }
                case "{--": if !accept { output += body }
                case "{~~":
                    let arrow = find("~>", from: index + 3).flatMap { $0 < close ? $0 : nil } ?? close
                    output += accept ? bytes[min(close, arrow + 2)..<close] : bytes[(index + 3)..<arrow]
                default: break
                }
                index = close + 3
                continue
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
