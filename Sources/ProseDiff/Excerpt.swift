import Foundation

/// A few words of a block's redline around the changes some commits made: what a comment matrix
/// shows as "the words this comment changed".
public struct Excerpt: Sendable, Hashable {
    public struct Piece: Sendable, Hashable {
        /// `.equal` for the text around the changes (as the later draft reads), `.inserted` and
        /// `.deleted` for the changes shown.
        public var kind: Span.Kind
        public var text: String

        public init(kind: Span.Kind, text: String) {
            self.kind = kind
            self.text = text
        }
    }

    public var pieces: [Piece]

    public init(pieces: [Piece]) {
        self.pieces = pieces
    }

    /// The excerpt as a reader of the typeset draft sees it: emphasis markers, heading marks,
    /// link targets and footnote references taken out of its text.
    public var readable: Excerpt {
        var result = Excerpt(pieces: [])
        for piece in pieces {
            var text = piece.text
            text.replace(/\]\([^)\s]*\)|\[\^[^\]\s]+\]|\*\*|__|(?m:^\s*#{1,6}\s)|(?m:^\s*>\s)/, with: "")
            text.replace(/\[(?=[^\]]*\])/, with: "")
            guard !text.isEmpty else { continue }
            result.pieces.append(Piece(kind: piece.kind, text: text))
        }
        // The block's line ends at either end are not words.
        if let last = result.pieces.indices.last {
            while result.pieces[last].text.last?.isNewline == true { result.pieces[last].text.removeLast() }
        }
        if let first = result.pieces.indices.first {
            while result.pieces[first].text.first?.isNewline == true { result.pieces[first].text.removeFirst() }
        }
        result.pieces.removeAll { $0.text.isEmpty }
        return result
    }

    /// The words inserted and deleted.
    public var inserted: String { joined(.inserted) }
    public var deleted: String { joined(.deleted) }

    /// The pieces of one kind, trimmed, with " … " between them.
    private func joined(_ kind: Span.Kind) -> String {
        pieces.filter { $0.kind == kind }.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .joined(separator: " … ")
    }
}

extension BlockChange {
    /// The block's redline limited to the spans credited to `sources`, with up to `context` words
    /// of text on either side; changes by other commits are shown as the later draft reads. Nil
    /// when no span of the block is credited to them.
    public func excerpt(credited sources: Set<Int>, context: Int = 8) -> Excerpt? {
        var pieces: [Excerpt.Piece] = []
        var any = false
        func plain(_ text: String) {
            guard !text.isEmpty else { return }
            if let last = pieces.last, last.kind == .equal { pieces[pieces.count - 1].text += text }
            else { pieces.append(Excerpt.Piece(kind: .equal, text: text)) }
        }
        guard kind != .frontMatter else { return nil }
        let creditedSpans = credited(to: sources)
        for (index, span) in spans.enumerated() {
            let credited = creditedSpans.contains(index)
            if credited {
                any = true
                pieces.append(Excerpt.Piece(kind: span.kind == .inserted ? .inserted : .deleted, text: span.text))
            } else if span.kind == .equal || span.kind == .inserted {
                plain(span.b)
            }
        }
        guard any else { return nil }
        // Long stretches of plain text are cut to their words near the changes.
        for index in pieces.indices where pieces[index].kind == .equal {
            let words = pieces[index].text.split(whereSeparator: \.isWhitespace)
            let leading = pieces[index].text.first?.isWhitespace == true ? " " : ""
            let trailing = pieces[index].text.last?.isWhitespace == true ? " " : ""
            let isFirst = index == 0, isLast = index == pieces.count - 1
            if isFirst, words.count > context {
                pieces[index].text = "… " + words.suffix(context).joined(separator: " ") + trailing
            } else if isLast, words.count > context {
                pieces[index].text = leading + words.prefix(context).joined(separator: " ") + " …"
            } else if !isFirst, !isLast, words.count > 2 * context {
                pieces[index].text = leading + words.prefix(context).joined(separator: " ") + " … "
                    + words.suffix(context).joined(separator: " ") + trailing
            }
        }
        return Excerpt(pieces: pieces)
    }
}

extension BlockChange {
    /// The changed spans credited to `sources`. A change of punctuation alone may be credited to
    /// no commit: it goes with the nearest change of its block that is.
    func credited(to sources: Set<Int>) -> Set<Int> {
        let changed = spans.indices.filter { spans[$0].kind != .equal && !spans[$0].sources.isEmpty }
        return Set(spans.indices.filter { index in
            let span = spans[index]
            guard span.kind != .equal else { return false }
            let own = span.sources.isEmpty
                ? changed.min { abs($0 - index) < abs($1 - index) }.map { spans[$0].sources } ?? [] : span.sources
            return own.contains { sources.contains($0) }
        })
    }
}

extension SectionComparison {
    /// The section's redline with only the changes credited to `sources`: the other changes are
    /// taken as made (their insertions read as text, their deletions gone), so the earlier side
    /// is the later draft without these commits' changes. Nil when none of its changes is theirs.
    public func limited(to sources: Set<Int>) -> SectionComparison? {
        var section = self
        var any = false
        section.blocks = blocks.compactMap { block in
            guard block.isChange else { return block }
            let credited = block.credited(to: sources)
            any = any || !credited.isEmpty
            var limited = block
            if credited.isEmpty {
                if block.status == .deleted || block.status == .movedAway { return nil }
                limited.status = .unchanged
                limited.moveSection = nil
                limited.movedFromPath = nil
            }
            limited.spans = block.spans.enumerated().compactMap { index, span in
                if credited.contains(index) { return span }
                switch span.kind {
                case .equal: return span
                case .inserted:
                    var kept = Span(kind: .equal, a: span.b, b: span.b, words: span.words, bRange: span.bRange)
                    kept.sources = []
                    return kept
                case .deleted, .moved: return nil
                }
            }
            return limited
        }
        return any ? section : nil
    }
}
