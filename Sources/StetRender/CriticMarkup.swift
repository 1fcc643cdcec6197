public import ProseDiff

/// A section's redline as Markdown with CriticMarkup: `{++inserted++}`, `{--deleted--}`,
/// `{~~old~>new~~}`. Accepting every change gives B's file byte for byte, rejecting every change
/// gives A's; a reflowed line is a substitution of white space, so that both hold.
public enum CriticMarkup {
    public static func render(_ section: SectionComparison) -> String {
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
                output += spans(block.spans)
            }
        }
        return output
    }

    /// Spans with a deletion followed by an insertion written as one substitution.
    static func spans(_ spans: [Span]) -> String {
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
                    index += 1
                } else {
                    output += "{--" + span.a + "--}"
                }
            case .inserted:
                output += "{++" + span.b + "++}"
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
