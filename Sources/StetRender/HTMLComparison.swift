import Foundation
import Mustache
public import ProseDiff

/// The annotated comparison as one self-contained HTML file: inline and side-by-side redlines,
/// each change with its commits in a note (shown on hover and focus, printed in the margin),
/// filters by author and commit, keyboard navigation, a print stylesheet. No external resource:
/// a Content-Security-Policy forbids them, and the style and script carry a per-file nonce.
public struct HTMLComparison {
    public struct Side: Sendable {
        public var label: String
        public var commit: String?
        public var date: String?
        /// For a milestone: the approval its tag records.
        public var approval: String?

        public init(label: String, commit: String?, date: String?, approval: String? = nil) {
            self.label = label
            self.commit = commit
            self.date = date
            self.approval = approval
        }
    }

    public var title: String
    public var a: Side
    public var b: Side
    public var version: String
    public var commits: [SourceCommit]
    /// Templates by name that replace the built-in ones.
    public var templates: [String: String]

    public init(title: String, a: Side, b: Side, version: String, commits: [SourceCommit], templates: [String: String] = [:]) {
        self.title = title
        self.a = a
        self.b = b
        self.version = version
        self.commits = commits
        self.templates = templates
    }

    /// A template that does not parse, named.
    public struct TemplateError: Error, CustomStringConvertible {
        public var name: String
        public var reason: String
        public var description: String { "template '\(name)' does not parse: \(reason)" }
    }

    public func render(_ comparison: Comparison) throws -> String {
        try renderPieces(comparison).joined()
    }

    /// The page as pieces to be written one after another (`render` joins them). Where the
    /// templates print the sections' redlines only as they are (`{{{inline}}}`, `{{&left}}`),
    /// Mustache is given a short marker for each and the redline is set in its place here: the
    /// redlines are nearly all of the page, and Mustache copied them each time its output grew.
    public func renderPieces(_ comparison: Comparison) throws -> [String] {
        HTMLEscaping.registered
        var library = MustacheLibrary()
        var texts: [String] = []
        for name in HTMLTemplates.names {
            let text = templates[name] ?? HTMLTemplates.builtIn[name]!
            do {
                try library.register(text, named: name)
            } catch {
                throw TemplateError(name: name, reason: "\(error)")
            }
            texts.append(text)
        }
        let sections = comparison.changedSections
        guard Self.printsRedlinesOnlyAsIs(texts) else {
            let redlines = redlines(sections, workers: ProcessInfo.processInfo.activeProcessorCount)
            return [library.render(context(sections, redline: { redlines[$0][$1] }), withTemplate: "compare") ?? ""]
        }
        // Mustache sees only markers, so the page is rendered on one core while the redlines
        // are made on the others.
        let splice = Splice(prefix: "stet-redline-\(Self.nonce())-")
        let context = context(sections, redline: { SplicedRedline(renderText: splice.marker(3 * $0 + $1)) })
        // Each part reads only what it shares, and writes its own result.
        nonisolated(unsafe) var page = "", redlines: [[String]] = []
        nonisolated(unsafe) let values = context, document = self
        let mustache = library
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                page = mustache.render(values, withTemplate: "compare") ?? ""
            } else {
                redlines = document.redlines(sections, workers: max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
            }
        }
        return splice.pieces(of: page, redlines: redlines.flatMap { $0 })
    }

    /// Whether the templates name the redline fields only in tags that print them as they are.
    /// Any other use (escaped, as a section, through a transform, with other delimiters) gets
    /// the HTML itself, as plain Mustache would.
    static func printsRedlinesOnlyAsIs(_ templates: [String]) -> Bool {
        let fields: Set<Substring> = ["inline", "left", "right"]
        for template in templates {
            if template.contains("{{=") { return false }
            var rest = template[...]
            while let open = rest.range(of: "{{") {
                guard let close = rest[open.upperBound...].range(of: "}}") else { break }
                var tag = rest[open.upperBound..<close.lowerBound]
                var asIs = false
                if tag.hasPrefix("{") { tag = tag.dropFirst(); asIs = true } else if tag.hasPrefix("&") { tag = tag.dropFirst(); asIs = true }
                let name = tag.trimmingCharacters(in: .whitespaces)
                let mentions = name.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).contains { fields.contains($0) }
                if mentions, !(asIs && fields.contains(Substring(name))) { return false }
                rest = rest[close.upperBound...]
            }
        }
        return true
    }

    /// Markers for redlines set into the page after Mustache: a per-page random prefix (text
    /// from the repository cannot hold it) and the redline's number.
    struct Splice {
        let prefix: String

        func marker(_ index: Int) -> String { prefix + String(index) + "." }

        /// The page cut at each marker, with the redline it names in its place.
        func pieces(of page: String, redlines: [String]) -> [String] {
            var pieces: [String] = []
            pieces.reserveCapacity(redlines.count * 2 + 1)
            var page = page
            page.withUTF8 { bytes in
                let marker = Array(prefix.utf8)
                var start = 0, index = 0
                while let found = Self.find(marker, in: bytes, from: index) {
                    var end = found + marker.count, number = 0
                    while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 {
                        number = number * 10 + Int(bytes[end] - 0x30)
                        end += 1
                    }
                    guard end < bytes.count, bytes[end] == UInt8(ascii: "."), number < redlines.count else {
                        index = found + 1
                        continue
                    }
                    pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<found]), as: UTF8.self))
                    pieces.append(redlines[number])
                    start = end + 1
                    index = start
                }
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
            return pieces
        }

        static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
            guard let first = needle.first, needle.count <= bytes.count else { return nil }
            var index = start
            while index + needle.count <= bytes.count {
                if bytes[index] == first, needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) { return index }
                index += 1
            }
            return nil
        }
    }

    /// A redline field: Mustache prints its marker (in `{{{ }}}`, the only use a splice is made
    /// for), and the page gets the HTML there.
    struct SplicedRedline: MustacheCustomRenderable {
        let renderText: String
        var isNull: Bool { false }
    }

    // MARK: The context the templates see

    /// The page's values for the changed `sections`. `redline(section, field)` gives the value
    /// of a section's inline (field 0), left (1) and right (2) redline.
    func context(_ sections: [SectionComparison], redline: (Int, Int) -> Any) -> [String: Any] {
        var used = Set<Int>()
        var changes = 0
        for section in sections {
            for block in section.blocks {
                for span in block.spans {
                    used.formUnion(span.sources)
                    if span.kind != .equal { changes += 1 }
                }
            }
        }
        let modified = sections.filter { $0.status == .modified }.count
        let inserted = sections.reduce(0) { $0 + $1.wordsInserted }, deleted = sections.reduce(0) { $0 + $1.wordsDeleted }
        var byAuthor: [String: [Int]] = [:]
        for index in used.sorted() { byAuthor[commits[index].author, default: []].append(index) }
        let contributors = byAuthor.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
        var anchors = Set<String>()
        func anchor(_ id: String) -> String {
            var base = "s-" + String(id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
            while anchors.contains(base) { base += "-" }
            anchors.insert(base)
            return base
        }
        return [
            "title": title,
            "version": version,
            "nonce": Self.nonce(),
            "a": side(a),
            "b": side(b),
            "summary": [
                "modified": modified,
                "added": sections.filter { $0.status == .added }.count,
                "removed": sections.filter { $0.status == .removed }.count,
                "moved": sections.filter { $0.moved || $0.status == .renamed }.count,
                "inserted": inserted,
                "deleted": deleted,
                "changes": changes,
                "commits": used.count,
                // The same counts with their nouns, singular for one.
                "modifiedSections": counted(modified, "section"),
                "insertedWords": counted(inserted, "word"),
                "deletedWords": counted(deleted, "word"),
                "changeCount": counted(changes, "change"),
                "commitCount": counted(used.count, "commit"),
            ] as [String: Any],
            "hasContributors": !contributors.isEmpty,
            "contributors": contributors.map { ["name": $0.key, "count": $0.value.count] as [String: Any] },
            "authors": contributors.map { ["name": $0.key, "commits": $0.value.map(String.init).joined(separator: " ")] },
            "commits": used.sorted().map { index -> [String: Any] in
                let commit = commits[index]
                return ["index": MustacheText(String(index)), "id": MustacheText(commit.id), "short": MustacheText(commit.shortID), "author": MustacheText(commit.author),
                        "date": MustacheText(commit.day), "summary": MustacheText(commit.summary),
                        "trailers": commit.trailers.map { ["key": MustacheText($0.key), "value": MustacheText($0.value)] }]
            },
            "sections": sections.enumerated().map { index, section -> [String: Any] in
                var facts: [String] = []
                if let oldID = section.oldID { facts.append("was \(oldID)") }
                if let pathA = section.pathA, let pathB = section.pathB, pathA != pathB { facts.append("\(pathA) → \(pathB)") }
                if section.moved { facts.append("moved in the order of sections") }
                return Self.leavingOutEmpty([
                    "anchor": anchor(section.id), "id": section.id, "title": section.title, "status": section.status.rawValue,
                    "facts": facts.joined(separator: "; "), "inserted": section.wordsInserted, "deleted": section.wordsDeleted,
                    "moves": Self.movesLabel(section),
                    "inline": redline(index, 0), "left": redline(index, 1), "right": redline(index, 2),
                ], ["facts", "moves"])
            },
        ]
    }

    func side(_ side: Side) -> [String: Any] {
        Self.leavingOutEmpty(["label": side.label, "short": side.commit.map { String($0.prefix(7)) } ?? "working tree",
                              "date": side.date ?? "", "approval": side.approval ?? ""], ["approval"])
    }

    /// `fields` without those of `optional` that are empty strings. Mustache shows a section
    /// `{{#field}}` for any string, the empty one too ("final~1: " and nothing after it, an empty
    /// paragraph): a field left out shows nothing.
    static func leavingOutEmpty(_ fields: [String: Any], _ optional: [String]) -> [String: Any] {
        fields.filter { key, value in !(optional.contains(key) && (value as? String)?.isEmpty == true) }
    }

    /// 128 random bits, for the Content-Security-Policy.
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt32, radix: 16) }.joined()
    }

    // MARK: Redlines, as HTML built from escaped text

    /// "2 blocks moved out, 1 block moved in" for a section whose blocks moved to or from another place
    /// (their words are not counted as added or removed); empty otherwise.
    static func movesLabel(_ section: SectionComparison) -> String {
        let away = section.blocks.filter { $0.status == .movedAway }.count
        let here = section.blocks.filter { $0.status == .movedHere }.count
        var parts: [String] = []
        if away > 0 { parts.append("\(away) block\(away == 1 ? "" : "s") moved out") }
        if here > 0 { parts.append("\(here) block\(here == 1 ? "" : "s") moved in") }
        return parts.joined(separator: ", ")
    }

    /// Front matter is the section's metadata (its id and title, which the heading shows): in a
    /// redline it appears only when it changed.
    static func shown(_ block: BlockChange) -> Bool {
        block.isChange || block.kind != .frontMatter
    }

    /// Each section's inline, left and right redlines, made on `workers` threads.
    func redlines(_ sections: [SectionComparison], workers: Int) -> [[String]] {
        let notes = commits.map(Self.note)
        return Parallel.map(sections.count, workers: workers) { index in
            let section = sections[index]
            return [inline(section, notes: notes), sideHTML(section, left: true, notes: notes), sideHTML(section, left: false, notes: notes)]
        }
    }

    /// What a change's note says of one commit, escaped.
    static func note(_ commit: SourceCommit) -> String {
        var text = "\(commit.author), \(commit.day), \(commit.shortID): \(commit.summary)"
        let trailers = commit.trailers.map { "\($0.key): \($0.value)" }
        if !trailers.isEmpty { text += " (" + trailers.joined(separator: "; ") + ")" }
        return escape(text)
    }

    func inline(_ section: SectionComparison, notes: [String]) -> String {
        var html = HTMLBuffer(capacity: Self.estimatedSize(section))
        for block in section.blocks where Self.shown(block) {
            html.append(block.isChange ? "<div class=\"block\">" : "<div class=\"block same\">")
            if block.status == .movedHere, let from = block.moveSection {
                html.append("<span class=\"status\">moved from ")
                html.escaped(from)
                html.append("</span> ")
            }
            for span in block.spans {
                spanHTML(span, moved: block.status == .movedAway ? block.moveSection : nil, notes: notes, into: &html)
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
                    if left { spanHTML(span, moved: block.status == .movedAway ? block.moveSection : nil, notes: notes, into: &html) }
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
                html.append("moved to ")
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

    /// Printable ASCII but the markup characters, tabs and line ends.
    @inline(__always)
    static func isShownAsIs(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte < 0x7F && HTMLEscaping.entity(byte) == nil) || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Text as HTML: the five markup characters escaped; bidirectional controls and zero-width
    /// characters shown as visible codes, so a reviewer sees them.
    static func escape(_ text: String) -> String {
        var output: [UInt8] = []
        escape(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `escape(text)` appended to `output`.
    static func escape(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(output.count + bytes.count + bytes.count / 8)
            func control(_ value: UInt32) {
                output.append(contentsOf: "<span class=\"control\">\\u{".utf8)
                output.append(contentsOf: String(value, radix: 16, uppercase: true).utf8)
                output.append(contentsOf: "}</span>".utf8)
            }
            var index = 0
            while index < bytes.count {
                // A run of bytes shown as they are is copied at once.
                var end = index
                while end < bytes.count, Self.isShownAsIs(bytes[end]) { end += 1 }
                if end > index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    continue
                }
                let byte = bytes[index]
                guard byte >= 0x80 else {
                    if let entity = HTMLEscaping.entity(byte) {
                        entity.withUTF8Buffer { output.append(contentsOf: $0) }
                        index += 1
                        continue
                    }
                    switch byte {
                    case 0x09, 0x0A, 0x0D: output.append(byte)
                    case 0..<0x20, 0x7F: control(UInt32(byte))
                    default: output.append(byte)
                    }
                    index += 1
                    continue
                }
                // A scalar of two to four bytes (the text is valid UTF-8): shown as its code when invisible.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                if let scalar = Unicode.Scalar(value), TerminalText.isInvisible(scalar) {
                    control(value)
                } else {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                }
                index += length
            }
        }
    }
}

/// HTML built in one byte buffer: markup as written, text escaped into it.
struct HTMLBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Markup, or text already escaped.
    mutating func append(_ html: String) {
        bytes.append(contentsOf: html.utf8)
    }

    mutating func append(_ html: StaticString) {
        html.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text, escaped (`HTMLComparison.escape`).
    mutating func escaped(_ text: String) {
        HTMLComparison.escape(text, into: &bytes)
    }

    /// Text as a span shows it: escaped; a span of more than 256 KiB (a section compared whole)
    /// by its beginning, with the size of the rest, so a page stays readable and small.
    mutating func shown(_ text: String) {
        let limit = 256 * 1024
        guard text.utf8.count > limit else { return escaped(text) }
        escaped(String(decoding: text.utf8.prefix(limit), as: UTF8.self))
        append("<span class=\"status\"> … ")
        append(String((text.utf8.count - limit) / 1024))
        append(" KiB more not shown</span>")
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// A text field of the templates' context that Mustache prints without finding out what it is:
/// a plain `String` is first tried as a template, a renderable and a lambda, then printed through
/// `String(describing:)`, a fifth of the time the two lists of some thousands of commits took.
/// Escaped by `{{ }}` as any text; a string's transforms (`{{uppercased(author)}}`) apply.
struct MustacheText: MustacheCustomRenderable, MustacheTransformable {
    let renderText: String
    var isNull: Bool { false }
    init(_ text: String) { renderText = text }

    func transform(_ name: String) -> Any? { renderText.transform(name) }
}
