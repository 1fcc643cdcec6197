import ProseDiff

/// A section's typeset redline as HTML (see docs/html.md): its elements as HTML elements,
/// insertions as `<ins>`, deletions as `<del>`, formatting changes as `<span class="format">`,
/// each change followed by markers that link to its notes. A note is one commit's changes in one
/// block; the notes are listed after the section. Every marker, label and note carries
/// `data-note`, so that a reader who drops them and every `<del>` reads the later draft.
struct TypesetHTML {
    /// What to show: both drafts marked, or one of them.
    enum View { case both, a, b }

    /// Where a moved block's other end is.
    struct MoveLink {
        /// This end's id in the page.
        var id: String
        /// The other end's id, when it is in the page.
        var other: String?
        /// "to Housing", "from Principles", "within this section".
        var words: String
        /// The commits that moved it (those the moved-away end is credited to).
        var sources: [Int] = []
    }

    /// A note's key: a commit's changes in one block.
    struct NoteKey: Hashable {
        var block: Int
        var commit: Int
    }

    let section: SectionComparison
    let typeset: TypesetSection
    /// The section's anchor in the page: note ids start with it.
    let anchor: String
    let commits: [SourceCommit]
    /// By block index.
    let moves: [Int: MoveLink]
    /// Note numbers, from 1, in the order of their first change.
    let notes: [NoteKey: Int]
    let noteOrder: [NoteKey]
    /// Elements all of whose pieces are inserted (`true`) or deleted (`false`): a whole row added or removed.
    let whole: [Int: Bool]

    init(section: SectionComparison, typeset: TypesetSection, anchor: String, commits: [SourceCommit], moves: [Int: MoveLink]) {
        self.section = section
        self.typeset = typeset
        self.anchor = anchor
        self.commits = commits
        self.moves = moves
        var notes: [NoteKey: Int] = [:], order: [NoteKey] = []
        var states: [Int: UInt8] = [:]
        for piece in typeset.pieces {
            if piece.change != .none || piece.move != nil {
                for source in Self.sources(of: piece, moves: moves) where notes[NoteKey(block: piece.block, commit: source)] == nil {
                    let key = NoteKey(block: piece.block, commit: source)
                    order.append(key)
                    notes[key] = order.count
                }
            }
            let state: UInt8 = piece.change == .inserted && piece.move == nil ? 1 : piece.change == .deleted && piece.move == nil ? 2 : 3
            for frame in piece.frames { states[frame.id] = (states[frame.id] ?? state) == state ? state : 3 }
        }
        self.notes = notes
        noteOrder = order
        whole = states.compactMapValues { $0 == 1 ? true : $0 == 2 ? false : nil }
    }

    /// A piece's commits: a word kept in a block moved here is credited to the move.
    static func sources(of piece: TypesetSection.Piece, moves: [Int: MoveLink]) -> [Int] {
        piece.move == .here && piece.change == .none ? moves[piece.block]?.sources ?? [] : piece.sources
    }

    // MARK: The redline

    /// How a run of pieces is marked.
    struct Mark: Equatable {
        var change: TypesetSection.Change
        var move: TypesetSection.Move?
        var sources: [Int]

        var isNone: Bool { change == .none && move == nil }
    }

    func html(_ view: View) -> String {
        var html = HTMLBuffer(capacity: typeset.pieces.reduce(256) { $0 + $1.text.utf8.count + 8 })
        var open: [TypesetSection.Frame] = []
        var mark = Mark(change: .none, move: nil, sources: [])
        var pendingMarks: [Int] = []
        var block = -1

        // Markers are links: never inside a link, they wait for it to close.
        func flushMarks() {
            guard !pendingMarks.isEmpty, !open.contains(where: { if case .link = $0.element { true } else { false } }) else { return }
            html.append("<sup class=\"marks\" data-note>")
            for (position, number) in pendingMarks.enumerated() {
                if position > 0 { html.append(",") }
                html.append("<a class=\"mark\" href=\"#n-\(anchor)-\(number)\">\(number)</a>")
            }
            html.append("</sup>")
            pendingMarks = []
        }
        var closedSources: [Int] = []
        func closeMark() {
            guard !mark.isNone else { return }
            closedSources = mark.sources
            html.append(Self.closing(mark))
            if !mark.isNone {
                for source in mark.sources {
                    if let number = notes[NoteKey(block: block, commit: source)], !pendingMarks.contains(number) { pendingMarks.append(number) }
                }
            }
            mark = Mark(change: .none, move: nil, sources: [])
        }
        // Markers wait past the end of inline elements (a change that runs on into bold text
        // has one marker), never past the end of a block.
        func close(to depth: Int) {
            closeMark()
            if open[depth...].contains(where: { !$0.element.isInline }) { flushMarks() }
            while open.count > depth {
                let frame = open.removeLast()
                if !frame.element.isInline { flushMarks() }
                html.append(closingTag(frame, in: open))
                if case .link = frame.element { flushMarks() }
            }
        }

        func moveLabel(_ move: MoveLink) {
            html.append("<span class=\"move-label\" id=\"\(move.id)\" data-note>moved ")
            if let other = move.other {
                html.append("<a href=\"#\(other)\">")
                html.escaped(move.words)
                html.append("</a>")
            } else {
                html.escaped(move.words)
            }
            html.append("</span> ")
        }

        for piece in typeset.pieces {
            switch view {
            case .both: break
            case .a: if piece.change == .inserted || piece.move == .here { continue }
            case .b: if piece.change == .deleted || piece.move == .away { continue }
            }
            var depth = 0
            while depth < open.count, depth < piece.frames.count, open[depth].id == piece.frames[depth].id { depth += 1 }
            var next = Mark(change: piece.change, move: piece.move, sources: Self.sources(of: piece, moves: moves))
            if view != .both { next = Mark(change: .none, move: nil, sources: []) }
            let verbatim = piece.frames.contains { if case .codeBlock = $0.element { true } else { false } }
            // The space before a piece: inside its mark when the mark goes on or the piece is
            // inserted or deleted (a reader who drops the change drops its space), else before
            // the elements and mark it opens; none where a new block starts.
            let sameBlock = !open[depth...].contains { !$0.element.isInline } && !piece.frames[depth...].contains { !$0.element.isInline }
                && piece.block == block
            let space = piece.space.isEmpty ? "" : verbatim ? piece.space : " "
            let deleting = view == .both && (next.change == .deleted || next.change == .inserted || next.move != nil)
            var inside = ""
            // A moved block starts with a label saying where it went or came from, inside its
            // block but outside any inline element (it holds a link).
            var label = piece.block != block && view == .both && piece.move != nil ? moves[piece.block] : nil
            if depth < open.count || depth < piece.frames.count || piece.block != block {
                close(to: depth)
                if next.isNone || next.sources != closedSources { flushMarks() }
                if sameBlock && !deleting { html.append(space) }
                for frame in piece.frames[depth...] {
                    if frame.element.isInline, let move = label {
                        moveLabel(move)
                        label = nil
                    }
                    html.append(openingTag(frame, in: open))
                    open.append(frame)
                }
                if (verbatim && !sameBlock) || (deleting && sameBlock) { inside = space }
            } else if next != mark {
                let previous = mark
                closeMark()
                if next.isNone || next.sources != previous.sources { flushMarks() }
                if deleting { inside = space } else { html.append(space) }
            } else {
                html.append(space)
            }
            block = piece.block
            if let move = label { moveLabel(move) }
            if next != mark {
                if !next.isNone { html.append(opening(next)) }
                mark = next
            }
            html.append(inside)
            if case .image(let url, _) = open.last?.element {
                // The page loads nothing: an image shows as its description (its text is an
                // attribute, as an image's is, so the words read are the draft's).
                html.append("<span class=\"image\" role=\"img\" aria-label=\"")
                html.escaped(piece.text.isEmpty ? "image" : piece.text)
                html.append("\" title=\"")
                html.escaped(url)
                html.append("\"></span>")
            } else {
                html.escaped(piece.text)
            }
        }
        close(to: 0)
        return html.string
    }

    func opening(_ mark: Mark) -> String {
        let commits = mark.sources.map(String.init).joined(separator: " ")
        let data = " tabindex=\"0\" data-commits=\"\(commits)\""
        switch (mark.change, mark.move) {
        case (.none, _): return "<ins class=\"change moved\"\(data)>"
        case (.inserted, _): return "<ins class=\"change\"\(data)>"
        case (.deleted, .away): return "<del class=\"change moved\"\(data)>"
        case (.deleted, .here): return "<ins class=\"moved\"><del class=\"change\"\(data)>"
        case (.deleted, nil): return "<del class=\"change\"\(data)>"
        case (.format(let what), _):
            return "<span class=\"change format\"\(data) data-format=\"\(HTMLEscaping.escape(what))\">"
        }
    }

    static func closing(_ mark: Mark) -> String {
        switch (mark.change, mark.move) {
        case (.none, _), (.inserted, _): "</ins>"
        case (.deleted, .here): "</del></ins>"
        case (.deleted, _): "</del>"
        case (.format, _): "</span>"
        }
    }

    /// Whether a paragraph is shown without its `<p>` (inside an item of a tight list, as cmark-gfm does).
    func isBare(_ frame: TypesetSection.Frame, in open: [TypesetSection.Frame]) -> Bool {
        guard frame.element == .paragraph, open.count >= 2, open[open.count - 1].element == .item,
              case .list(_, _, let tight) = open[open.count - 2].element
        else { return false }
        return tight
    }

    func openingTag(_ frame: TypesetSection.Frame, in open: [TypesetSection.Frame]) -> String {
        switch frame.element {
        case .paragraph: return isBare(frame, in: open) ? "" : "<p>"
        case .heading(let level): return "<h\(min(level + 1, 6))>"
        case .quote: return "<blockquote>"
        case .list(let ordered, let start, _):
            return ordered ? (start == 1 ? "<ol>" : "<ol start=\"\(start)\">") : "<ul>"
        case .item: return "<li>"
        case .checkbox(let checked): return checked ? "<input type=\"checkbox\" disabled checked> " : "<input type=\"checkbox\" disabled> "
        case .codeBlock: return "<pre><code>"
        case .thematicBreak: return "<hr>"
        case .table: return "<table>"
        case .tableHead: return "<thead>"
        case .tableBody: return "<tbody>"
        case .row:
            switch whole[frame.id] {
            case true?: return "<tr class=\"row-inserted\">"
            case false?: return "<tr class=\"row-deleted\">"
            case nil: return "<tr>"
            }
        case .cell(let header, let alignment):
            let tag = header ? "th" : "td"
            switch alignment {
            case .none: return "<\(tag)>"
            case .left: return "<\(tag) class=\"left\">"
            case .center: return "<\(tag) class=\"center\">"
            case .right: return "<\(tag) class=\"right\">"
            }
        case .footnotes: return "<div class=\"footnotes\"><ol>"
        case .footnote(let number): return "<li value=\"\(number)\">"
        case .emphasis: return "<em>"
        case .strong: return "<strong>"
        case .strikethrough: return "<s>"
        case .code: return "<code>"
        case .link(let url, let title):
            var tag = "<a"
            if let safe = Self.safeURL(url) { tag += " href=\"" + HTMLEscaping.escape(safe) + "\" rel=\"noreferrer\"" }
            if !title.isEmpty { tag += " title=\"" + HTMLEscaping.escape(title) + "\"" }
            return tag + ">"
        case .image: return ""
        case .footnoteReference: return "<sup class=\"fnref\">"
        case .lineBreak: return "<br>"
        }
    }

    func closingTag(_ frame: TypesetSection.Frame, in open: [TypesetSection.Frame]) -> String {
        switch frame.element {
        case .paragraph: return isBare(frame, in: open) ? "" : "</p>"
        case .heading(let level): return "</h\(min(level + 1, 6))>"
        case .quote: return "</blockquote>"
        case .list(let ordered, _, _): return ordered ? "</ol>" : "</ul>"
        case .item, .footnote: return "</li>"
        case .codeBlock: return "</code></pre>"
        case .table: return "</table>"
        case .tableHead: return "</thead>"
        case .tableBody: return "</tbody>"
        case .row: return "</tr>"
        case .cell(let header, _): return header ? "</th>" : "</td>"
        case .footnotes: return "</ol></div>"
        case .emphasis: return "</em>"
        case .strong: return "</strong>"
        case .strikethrough: return "</s>"
        case .code: return "</code>"
        case .link: return "</a>"
        case .footnoteReference: return "</sup>"
        case .checkbox, .thematicBreak, .image, .lineBreak: return ""
        }
    }

    /// A link's address when it may be followed from the page: web and mail addresses and
    /// places in the page. Others (`javascript:`, `data:`, files) show as text only.
    static func safeURL(_ url: String) -> String? {
        let lower = url.lowercased()
        for scheme in ["https://", "http://", "mailto:", "#"] where lower.hasPrefix(scheme) { return url }
        return nil
    }

    // MARK: Notes

    /// The section's notes, numbered as their markers.
    func notesHTML() -> String {
        guard !noteOrder.isEmpty else { return "" }
        var html = HTMLBuffer(capacity: noteOrder.count * 200)
        html.append("<aside class=\"notes\" data-note aria-label=\"Notes\"><ol>")
        for (index, key) in noteOrder.enumerated() {
            let commit = commits[key.commit]
            html.append("<li id=\"n-\(anchor)-\(index + 1)\" value=\"\(index + 1)\" data-commits=\"\(key.commit)\">")
            html.append("<span class=\"who\">")
            html.escaped(commit.author)
            html.append("</span> <span class=\"when\">")
            html.escaped(commit.day)
            html.append("</span> <a class=\"commit\" href=\"#commit-\(key.commit)\">")
            html.escaped(commit.shortID)
            html.append("</a> <span class=\"summary\">")
            html.escaped(commit.summary)
            html.append("</span>")
            for trailer in commit.trailers {
                html.append(" <span class=\"trailer\">")
                html.escaped(trailer.key)
                html.append(": ")
                if trailer.key.lowercased() == "addresses" {
                    for (position, id) in HTMLComparison.addressed(trailer.value).enumerated() {
                        if position > 0 { html.append(", ") }
                        html.append("<a href=\"#\(HTMLComparison.addressAnchor(id))\">")
                        html.escaped(id)
                        html.append("</a>")
                    }
                } else {
                    html.escaped(trailer.value)
                }
                html.append("</span>")
            }
            html.append("</li>")
        }
        html.append("</ol></aside>")
        return html.string
    }
}
