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
    /// A consultation comment the page's commits address, as the store has it.
    public struct AddressedComment: Sendable {
        public var commenter: String
        public var status: String
        public var text: String
        public var response: String

        public init(commenter: String, status: String, text: String, response: String) {
            self.commenter = commenter
            self.status = status
            self.text = text
            self.response = response
        }
    }

    /// The comments of the repository's rounds, by id, for the list of comments addressed.
    public var comments: [String: AddressedComment] = [:]
    /// What part of the changes the page shows, when not all ("Only the changes that address
    /// OC-0231"), and the options that chose it, as the command line has them.
    public var scope = ""
    public var options = ""
    /// Templates by name that replace the built-in ones.
    public var templates: [String: String]
    /// The later draft's sections in order: those that did not change are shown collapsed to
    /// their titles, in their place (none when empty).
    public var document: [DraftDocument.Part] = []

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
        // are made on the others (and on that one, once the page is done).
        let splice = Splice(prefix: "stet-redline-\(Self.nonce())-")
        let context = context(sections, redline: { SplicedRedline(renderText: splice.marker(Self.fields.count * $0 + $1)) })
        nonisolated(unsafe) var page = ""
        nonisolated(unsafe) let values = context
        let mustache = library
        let redlines = redlines(sections, workers: ProcessInfo.processInfo.activeProcessorCount) {
            page = mustache.render(values, withTemplate: "compare") ?? ""
        }
        return splice.pieces(of: page, redlines: redlines.flatMap { $0 })
    }

    /// Whether the templates name the redline fields only in tags that print them as they are.
    /// Any other use (escaped, as a section, through a transform, with other delimiters) gets
    /// the HTML itself, as plain Mustache would.
    static func printsRedlinesOnlyAsIs(_ templates: [String]) -> Bool {
        let fields = Set(Self.fields.map { Substring($0) })
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

    // MARK: The context the templates see

    /// A section's fields that hold its redlines: the typeset redline (`inline`), the earlier
    /// and the later draft typeset with their changes (`left`, `right`), the Markdown source's
    /// redline (`source`), and the notes of its changes (`notes`).
    static let fields = ["inline", "left", "right", "source", "notes"]

    /// The page's values for the changed `sections`. `redline(section, field)` gives the value
    /// of a section's field, numbered as in `fields`.
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
        let anchors = Self.anchors(sections)
        // The comments the commits address, each with its commits.
        var addressedBy: [String: [Int]] = [:]
        for index in used.sorted() {
            for trailer in commits[index].trailers where trailer.key.lowercased() == "addresses" {
                for id in Self.addressed(trailer.value) where addressedBy[id]?.contains(index) != true { addressedBy[id, default: []].append(index) }
            }
        }
        let addressed = addressedBy.sorted { $0.key < $1.key }
        var sectionValues: [[String: Any]] = []
        var result: [String: Any] = scope.isEmpty ? [:] : ["scope": scope]
        result.merge([
            "title": title,
            "version": version,
            "options": options,
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
            "contributors": contributors.map { ["name": $0.key, "count": $0.value.count, "commits": $0.value.map(String.init).joined(separator: " ")] as [String: Any] },
            "hasAddressed": !addressed.isEmpty,
            "addressed": addressed.map { id, indices -> [String: Any] in
                var entry: [String: Any] = ["id": id, "anchor": Self.addressAnchor(id), "commits": indices.map(String.init).joined(separator: " "),
                                            "list": indices.map { ["index": $0, "short": commits[$0].shortID] as [String: Any] }]
                if let comment = comments[id] {
                    let text = comment.text.count > 300 ? String(comment.text.prefix(300)) + "…" : comment.text
                    entry["comment"] = Self.leavingOutEmpty(["commenter": comment.commenter, "status": comment.status, "text": text,
                                                             "response": comment.response], ["response"])
                }
                return entry
            },
            "authors": contributors.map { ["name": $0.key, "commits": $0.value.map(String.init).joined(separator: " ")] },
            "commits": used.sorted().map { index -> [String: Any] in
                let commit = commits[index]
                return ["index": MustacheText(String(index)), "id": MustacheText(commit.id), "short": MustacheText(commit.shortID), "author": MustacheText(commit.author),
                        "date": MustacheText(commit.day), "summary": MustacheText(commit.summary),
                        "trailers": commit.trailers.map { ["key": MustacheText($0.key), "value": MustacheText($0.value)] }]
            },
            "sections": [[String: Any]](),
        ]) { _, new in new }
        sectionValues = sections.enumerated().map { index, section -> [String: Any] in
                // The reading view says what became of the section; ids and files are the source view's.
                var facts: [String] = []
                if let oldTitle = section.oldTitle, oldTitle != section.title { facts.append("retitled from “\(oldTitle)”") }
                if section.status == .renamed, section.oldTitle == nil || section.oldTitle == section.title { facts.append("renamed") }
                if section.moved { facts.append("moved in the order of sections") }
                var files: [String] = []
                if let oldID = section.oldID { files.append("id was \(oldID)") }
                if let pathA = section.pathA, let pathB = section.pathB, pathA != pathB { files.append("\(pathA) → \(pathB)") }
                return Self.leavingOutEmpty([
                    "anchor": anchors[index], "id": section.id, "title": section.title, "status": section.status.rawValue,
                    "facts": facts.joined(separator: "; "), "files": files.joined(separator: "; "),
                    "inserted": section.wordsInserted, "deleted": section.wordsDeleted,
                    "moves": Self.movesLabel(section),
                    "inline": redline(index, 0), "left": redline(index, 1), "right": redline(index, 2),
                    "source": redline(index, 3), "notes": redline(index, 4), "changed": true,
                ], ["facts", "files", "moves"])
            }
        result["sections"] = sectionValues
        result["document"] = documentOrder(sections, sectionValues, anchors: anchors)
        result["hasUnchanged"] = document.count > sectionValues.count
        return result
    }

    /// Every section of the later draft in order: the changed ones (`values`), and the others
    /// collapsed to their titles, with their text typeset. A section the later draft does not
    /// have (removed) stays where the comparison puts it.
    func documentOrder(_ sections: [SectionComparison], _ values: [[String: Any]], anchors: [String]) -> [[String: Any]] {
        var used = Set(anchors)
        return DocumentOrder.items(sections, document: document).map { item in
            switch item {
            case .changed(let index):
                return values[index]
            case .unchanged(let part):
                var anchor = "s-" + String(part.id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
                while used.contains(anchor) { anchor += "-" }
                used.insert(anchor)
                let html = Markdown.html(part.body, options: HTMLOptions())?.html ?? DraftDocument.asText(part.body)
                return ["unchanged": true, "anchor": anchor, "id": part.id, "title": part.title, "html": html]
            }
        }
    }

    /// Each section's anchor in the page: its id made safe, unique.
    static func anchors(_ sections: [SectionComparison]) -> [String] {
        var used = Set<String>()
        return sections.map { section in
            var base = "s-" + String(section.id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
            while used.contains(base) { base += "-" }
            used.insert(base)
            return base
        }
    }

    func side(_ side: Side) -> [String: Any] {
        Self.leavingOutEmpty(["label": side.label, "short": side.commit.map { String($0.prefix(7)) } ?? "working tree",
                              "commit": side.commit ?? "none (the working tree)",
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
}
