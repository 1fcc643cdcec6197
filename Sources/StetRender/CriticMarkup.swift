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
                output += "{--" + block.aText + "--}"
                if let other = block.moveSection { output += "{>>moved to \(comment(other))<<}" }
            case .movedHere:
                output += "{++" + block.bText + "++}"
                if let other = block.moveSection { output += "{>>moved from \(comment(other))<<}" }
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
                output += span.a == span.b ? span.b : "{~~" + span.a + "~>" + span.b + "~~}"
            case .deleted, .moved:
                if index + 1 < spans.count, spans[index + 1].kind == .inserted {
                    output += "{~~" + span.a + "~>" + spans[index + 1].b + "~~}"
                    if let commits { output += attribution(span.sources + spans[index + 1].sources, commits) }
                    index += 1
                } else {
                    output += "{--" + span.a + "--}"
                    if let commits { output += attribution(span.sources, commits) }
                }
            case .inserted:
                output += "{++" + span.b + "++}"
                if let commits { output += attribution(span.sources, commits) }
            }
            index += 1
        }
        return output
    }

    /// Text for a comment: no markup delimiters, one line.
    static func comment(_ text: String) -> String {
        String(text.filter { $0 != "\n" && $0 != "<" && $0 != ">" && $0 != "{" && $0 != "}" })
    }

    /// The text with every change accepted (`accept`) or rejected, comments removed.
    public static func resolve(_ markup: String, accept: Bool) -> String {
        var output = ""
        var rest = Substring(markup)
        while let open = rest.firstRange(of: "{") {
            output += rest[..<open.lowerBound]
            let after = rest[open.lowerBound...]
            func take(_ closing: String) -> Substring? {
                let body = after.dropFirst(3)
                guard let close = body.firstRange(of: closing) else { return nil }
                rest = body[close.upperBound...]
                return body[..<close.lowerBound]
            }
            if after.hasPrefix("{++"), let body = take("++}") {
                if accept { output += body }
            } else if after.hasPrefix("{--"), let body = take("--}") {
                if !accept { output += body }
            } else if after.hasPrefix("{~~"), let body = take("~~}") {
                let parts = body.split(separator: "~>", maxSplits: 1, omittingEmptySubsequences: false)
                output += accept ? (parts.count > 1 ? parts[1] : "") : parts[0]
            } else if after.hasPrefix("{>>"), take("<<}") != nil {
                continue
            } else {
                output += "{"
                rest = after.dropFirst()
            }
        }
        return output + rest
    }
}
