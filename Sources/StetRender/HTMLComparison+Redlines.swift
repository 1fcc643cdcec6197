import Foundation
import ProseDiff

/// The sections' redlines as HTML, built from escaped text in byte buffers.
extension HTMLComparison {
    /// "2 blocks moved out, 1 block moved in" for a section whose blocks moved to or from another place
    /// (their words are not counted as added or removed); empty otherwise.
    static func movesLabel(_ section: SectionComparison) -> String {
        let away = section.blocks.filter { $0.status == .movedAway }.count
        let here = section.blocks.filter { $0.status == .movedHere }.count
        var parts: [String] = []
        if away > 0 { parts.append("\(counted(away, "block")) moved out") }
        if here > 0 { parts.append("\(counted(here, "block")) moved in") }
        return parts.joined(separator: ", ")
    }

    /// Front matter is the section's metadata (its id and title, which the heading shows): in a
    /// redline it appears only when it changed.
    static func shown(_ block: BlockChange) -> Bool {
        block.isChange || block.kind != .frontMatter
    }

    /// Each section's fields (`fields`), made on `workers` threads: the typeset redline in
    /// both drafts and in each, the Markdown source's redline, the notes.
    /// `alongside` runs on one of the workers before it takes sections. Fields no template
    /// names are left empty (the built-in page makes its side-by-side view from the typeset one).
    func redlines(_ sections: [SectionComparison], workers: Int, alongside: () -> Void = {}) -> [[String]] {
        let texts = HTMLTemplates.names.map { templates[$0] ?? HTMLTemplates.builtIn[$0]! }
        let named = Self.namesInTags(texts)
        let wanted = Self.fields.map { named.contains($0) }
        let notes = commits.map(Self.note)
        let anchors = Self.anchors(sections)
        let moves = Self.moveLinks(sections, anchors: anchors)
        let bodies = Dictionary(document.map { ($0.id, $0.body) }, uniquingKeysWith: { first, _ in first })
        return Parallel.map(sections.count, workers: workers, alongside: alongside) { index in
            let section = sections[index]
            let source = inline(section, notes: notes)
            // A section whose text did not change (it moved in the order) has no blocks: its text as it is.
            let typeset = section.blocks.isEmpty ? bodies[section.id].map { TypesetSection.of(markdown: $0) } : TypesetSection(section)
            guard let typeset else {
                // Too large or too irregular to typeset: the source redline stands for it.
                let text = "<p class=\"status\">This section is shown as its Markdown: it is too large or too irregular to typeset.</p>"
                return [text + source, wanted[1] ? sideHTML(section, left: true, notes: notes) : "",
                        wanted[2] ? sideHTML(section, left: false, notes: notes) : "", source, ""]
            }
            let page = TypesetHTML(section: section, typeset: typeset, anchor: anchors[index], commits: commits, moves: moves[index] ?? [:])
            return [page.html(.both), wanted[1] ? page.html(.a) : "", wanted[2] ? page.html(.b) : "", wanted[3] ? source : "",
                    page.notesHTML()]
        }
    }

    /// Every name the templates' tags mention, each part of a dotted name or a transform apart
    /// (`{{{inline}}}`, `{{#sections}}`, `{{lowercased(left)}}` name `inline`, `sections`,
    /// `lowercased` and `left`). A template that changes its delimiters names every field.
    static func namesInTags(_ templates: [String]) -> Set<String> {
        var names = Set<String>()
        for template in templates {
            if template.contains("{{=") { return Set(fields) }
            var rest = template[...]
            while let open = rest.range(of: "{{") {
                guard let close = rest[open.upperBound...].range(of: "}}") else { break }
                for part in rest[open.upperBound..<close.lowerBound].split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                    names.insert(String(part))
                }
                rest = rest[close.upperBound...]
            }
        }
        return names
    }

    /// The two ends of every moved block: each end's id, and the words that say where the
    /// other is. A block moved away and one moved here are paired when they name each other's
    /// sections and hold the same text, else in order.
    static func moveLinks(_ sections: [SectionComparison], anchors: [String]) -> [Int: [Int: TypesetHTML.MoveLink]] {
        let titles = Dictionary(sections.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        var result: [Int: [Int: TypesetHTML.MoveLink]] = [:]
        var unpaired: [String: [(section: Int, block: Int, text: String)]] = [:]
        for (sectionIndex, section) in sections.enumerated() {
            for (blockIndex, block) in section.blocks.enumerated() where block.status == .movedHere {
                let key = (block.moveSection ?? "") + "\u{0}" + section.id
                unpaired[key, default: []].append((sectionIndex, blockIndex, block.spans.filter { $0.kind != .inserted }.map(\.a).joined()))
            }
        }
        func words(_ other: String?, _ section: SectionComparison, away: Bool) -> String {
            guard let other, other != section.id else { return "within this section" }
            let title = titles[other] ?? other
            return (away ? "to " : "from ") + title
        }
        for (sectionIndex, section) in sections.enumerated() {
            for (blockIndex, block) in section.blocks.enumerated() where block.status == .movedAway {
                let id = "mv-\(anchors[sectionIndex])-\(blockIndex)"
                let movers = Array(Set(block.spans.flatMap(\.sources))).sorted()
                var link = TypesetHTML.MoveLink(id: id, other: nil, words: words(block.moveSection, section, away: true), sources: movers)
                let key = section.id + "\u{0}" + (block.moveSection ?? "")
                if var candidates = unpaired[key], !candidates.isEmpty {
                    let text = block.aText
                    let chosen = candidates.firstIndex { $0.text == text } ?? 0
                    let here = candidates.remove(at: chosen)
                    unpaired[key] = candidates
                    let hereID = "mv-\(anchors[here.section])-\(here.block)"
                    link.other = hereID
                    result[here.section, default: [:]][here.block] = TypesetHTML.MoveLink(
                        id: hereID, other: id, words: words(section.id, sections[here.section], away: false), sources: link.sources)
                }
                result[sectionIndex, default: [:]][blockIndex] = link
            }
        }
        for candidates in unpaired.values {
            for here in candidates {
                let section = sections[here.section]
                result[here.section, default: [:]][here.block] = TypesetHTML.MoveLink(
                    id: "mv-\(anchors[here.section])-\(here.block)", other: nil,
                    words: words(section.blocks[here.block].moveSection, section, away: false))
            }
        }
        return result
    }

    /// The comment ids an `Addresses:` trailer names (comma or space separated).
    static func addressed(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init).filter { !$0.isEmpty }
    }

    /// The anchor of an addressed comment in the page's list of them.
    static func addressAnchor(_ id: String) -> String {
        "addr-" + String(id.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }

    /// What a change's note says of one commit, escaped.
    static func note(_ commit: SourceCommit) -> String {
        var text = "\(commit.author), \(commit.day), \(commit.shortID): \(commit.summary)"
        let trailers = commit.trailers.map { "\($0.key): \($0.value)" }
        if !trailers.isEmpty { text += " (" + trailers.joined(separator: "; ") + ")" }
        return HTMLEscaping.escape(text)
    }

    func inline(_ section: SectionComparison, notes: [String]) -> String {
        var html = HTMLBuffer(capacity: Self.estimatedSize(section))
        for block in section.blocks where Self.shown(block) {
            html.append(block.isChange ? "<div class=\"block\">" : "<div class=\"block same\">")
            if let from = MoveWords.here(block, in: section) {
                html.append("<span class=\"status\">moved ")
                html.escaped(from)
                html.append("</span> ")
            }
            for span in block.spans {
                spanHTML(span, moved: MoveWords.away(block, in: section), notes: notes, into: &html)
            }
            html.append("</div>")
        }
        return html.string
    }

    func sideHTML(_ section: SectionComparison, left: Bool, notes: [String]) -> String {
        var html = HTMLBuffer(capacity: Self.estimatedSize(section))
        for block in section.blocks where Self.shown(block) {
            if left && (block.status == .inserted || block.status == .movedHere) { continue }
            if !left && (block.status == .deleted || block.status == .movedAway) { continue }
            html.append(block.isChange ? "<div class=\"block\">" : "<div class=\"block same\">")
            for span in block.spans {
                switch span.kind {
                case .equal: html.shown(left ? span.a : span.b)
                case .inserted: if !left { spanHTML(span, moved: nil, notes: notes, into: &html) }
                case .deleted, .moved:
                    if left { spanHTML(span, moved: MoveWords.away(block, in: section), notes: notes, into: &html) }
                }
            }
            html.append("</div>")
        }
        return html.string
    }

    /// Room for a section's HTML: its text and about 200 bytes of markup and notes per change.
    static func estimatedSize(_ section: SectionComparison) -> Int {
        section.blocks.reduce(0) { sum, block in block.spans.reduce(sum + 32) { $0 + $1.text.utf8.count + ($1.kind == .equal ? 0 : 200) } }
    }

    /// A change as HTML; `notes` holds each commit's note, escaped (see `note`).
    /// A change's markup; `moved` is where a block moved away went (`MoveWords.away`).
    func spanHTML(_ span: Span, moved: String?, notes: [String], into html: inout HTMLBuffer) {
        switch span.kind {
        case .equal:
            html.shown(span.b)
        case .inserted, .deleted, .moved:
            html.append(span.kind == .inserted ? "<ins" : "<del")
            html.append(span.kind == .moved ? " class=\"change moved\" tabindex=\"0\" data-c=\"" : " class=\"change\" tabindex=\"0\" data-c=\"")
            for (position, source) in span.sources.enumerated() {
                if position > 0 { html.append(" ") }
                html.append(String(source))
            }
            html.append("\">")
            html.shown(span.text)
            html.append("<span class=\"note\" role=\"note\">")
            var wrote = false
            if let moved {
                html.append("moved ")
                html.escaped(moved)
                wrote = true
            }
            for source in span.sources {
                if wrote { html.append(" · ") }
                html.append(notes[source])
                wrote = true
            }
            if !wrote { html.append(span.kind == .inserted ? "added" : "removed") }
            html.append(span.kind == .inserted ? "</span></ins>" : "</span></del>")
        }
    }
}
