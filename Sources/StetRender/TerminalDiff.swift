public import ProseDiff

/// The redline for a terminal: a header per changed section, changed blocks with word-level
/// colour (or `[-deleted-]` and `{+inserted+}` without colour), and some unchanged blocks around
/// them for context. Repository text is made safe first.
public struct TerminalDiff {
    public var color: Bool
    /// Unchanged blocks shown around each change; nil shows every block.
    public var context: Int?

    /// The commits that spans' `sources` name; when given, each change shows its commits and
    /// each section ends with a legend.
    public var commits: [SourceCommit]?

    public init(color: Bool, context: Int? = 1, commits: [SourceCommit]? = nil) {
        self.color = color
        self.context = context
        self.commits = commits
    }

    static let reset = "\u{1B}[0m"
    static let deletedStyle = "\u{1B}[31;9m"
    static let insertedStyle = "\u{1B}[32;4m"
    static let movedStyle = "\u{1B}[36;9m"
    static let headerStyle = "\u{1B}[1m"
    static let dimStyle = "\u{1B}[2m"

    public func render(_ comparison: Comparison) -> String {
        var output = ""
        for section in comparison.changedSections {
            output += header(section) + "\n"
            output += body(section)
            output += legend(section)
            output += "\n"
        }
        return output
    }

    func header(_ section: SectionComparison) -> String {
        var facts: [String] = [section.status.rawValue]
        if let oldID = section.oldID { facts.append("was \(oldID)") }
        if let pathA = section.pathA, let pathB = section.pathB, pathA != pathB { facts.append("\(pathA) -> \(pathB)") }
        if section.moved { facts.append("moved in the order") }
        if section.textChanged { facts.append("+\(section.wordsInserted) -\(section.wordsDeleted) words") }
        let text = "\(TerminalText.safe(section.title)) (\(TerminalText.safe(section.id))): "
            + TerminalText.safe(facts.joined(separator: ", "))
        return color ? Self.headerStyle + text + Self.reset : "== " + text
    }

    func body(_ section: SectionComparison) -> String {
        let blocks = section.blocks
        var shown = [Bool](repeating: context == nil, count: blocks.count)
        for (index, block) in blocks.enumerated() where block.isChange {
            let reach = context ?? 0
            for neighbour in max(0, index - reach)...min(blocks.count - 1, index + reach) { shown[neighbour] = true }
        }
        var output = ""
        var skipped = false
        for (index, block) in blocks.enumerated() {
            guard shown[index] else {
                skipped = true
                continue
            }
            if skipped {
                output += "    ...\n"
                skipped = false
            }
            output += line(block, in: section)
        }
        return output
    }

    func line(_ block: BlockChange, in section: SectionComparison) -> String {
        var label = ""
        if let moved = MoveWords.away(block, in: section) ?? MoveWords.here(block, in: section) {
            label = "moved \(TerminalText.safe(moved)): "
        }
        var text = ""
        for (index, span) in block.spans.enumerated() {
            var raw = span.text
            // The line breaks that end a block are layout: keep them out of the markers.
            if index == block.spans.count - 1 { while raw.hasSuffix("\n") { raw.removeLast() } }
            let piece = TerminalText.safe(raw, multiline: true)
            switch span.kind {
            case .equal:
                text += block.isChange || !color ? piece : Self.dimStyle + piece + Self.reset
            case .deleted:
                text += color ? Self.deletedStyle + piece + Self.reset : "[-" + piece + "-]"
            case .inserted:
                text += color ? Self.insertedStyle + piece + Self.reset : "{+" + piece + "+}"
            case .moved:
                text += color ? Self.movedStyle + piece + Self.reset : "[>" + piece + "<]"
            }
            // A replacement by one commit is marked once, after the insertion.
            let next = index + 1 < block.spans.count ? block.spans[index + 1] : nil
            if !(span.kind == .deleted && next?.kind == .inserted && next?.sources == span.sources) { text += mark(span) }
        }
        while text.hasSuffix("\n") { text.removeLast() }
        let indented = text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        guard !label.isEmpty else { return indented + "\n" }
        return "    " + (color ? Self.dimStyle + label + Self.reset : label) + "\n" + indented + "\n"
    }

    /// `⟨1a2b3c4⟩` after a change: the commits it is credited to.
    func mark(_ span: Span) -> String {
        guard let commits, !span.sources.isEmpty, span.kind != .equal else { return "" }
        let ids = "⟨" + span.sources.map { commits[$0].shortID }.joined(separator: " ") + "⟩"
        return color ? Self.dimStyle + ids + Self.reset : ids
    }

    /// The commits named in a section, one line each.
    func legend(_ section: SectionComparison) -> String {
        guard let commits else { return "" }
        var named: [Int] = []
        for span in section.blocks.flatMap(\.spans) { for source in span.sources where !named.contains(source) { named.append(source) } }
        return named.sorted().map { index in
            let commit = commits[index]
            var line = "    \(commit.shortID)  \(commit.day)  \(commit.author): \(commit.summary)"
            let trailers = commit.trailers.map { "\($0.key): \($0.value)" }
            if !trailers.isEmpty { line += " (" + trailers.joined(separator: ", ") + ")" }
            return TerminalText.safe(line) + "\n"
        }.joined()
    }

    /// `--stat`: words added and removed per changed section, and in total.
    public func stat(_ comparison: Comparison) -> String {
        let sections = comparison.changedSections
        guard !sections.isEmpty else { return "" }
        let width = sections.map { TerminalText.safe($0.id).count }.max() ?? 0
        var output = ""
        var inserted = 0, deleted = 0
        for section in sections {
            let id = TerminalText.safe(section.id)
            var facts = "+\(section.wordsInserted) -\(section.wordsDeleted)"
            if section.status != .modified { facts += " (\(section.status.rawValue)\(section.moved ? ", moved" : ""))" } else if section.moved { facts += " (moved)" }
            output += id + String(repeating: " ", count: width - id.count) + "  " + facts + "\n"
            inserted += section.wordsInserted
            deleted += section.wordsDeleted
        }
        output += "\(counted(sections.count, "section")) changed, \(counted(inserted, "word")) added, \(counted(deleted, "word")) removed\n"
        return output
    }
}
