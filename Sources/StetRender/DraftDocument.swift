import Foundation
import Mustache
import ProseDiff

/// A whole draft for publication: a title page (title, milestone, date, approval, commit), a
/// table of contents and every section in order, as one self-contained HTML file (sections
/// through cmark-gfm in its safe mode, so raw HTML is not passed through) or as Markdown.
public struct DraftDocument {
    public struct Part: Sendable {
        public var id: String
        public var title: String
        /// The section's Markdown, without front matter.
        public var body: String
        /// The section's file, from the repository's root: links and images are read from there.
        public var path: String

        public init(id: String, title: String, body: String, path: String = "") {
            self.id = id
            self.title = title
            self.body = body
            self.path = path
        }
    }

    /// The page as HTML, and what a writer should know about it.
    public struct Page: Sendable {
        public var html: String
        /// Raw HTML left out, images not embedded: one line each, naming the section.
        public var warnings: [String]
    }

    public var title: String
    /// What was rendered: a milestone name, a tag, a commit.
    public var revision: String
    public var commit: String
    public var date: String
    /// For a milestone: the approval its tag records.
    public var approval: String?
    public var version: String
    public var parts: [Part]
    /// Templates by name that replace the built-in ones (`render`, `render-style`).
    public var templates: [String: String]
    /// Files the sections' images name, by path from the repository's root.
    public var images: [String: [UInt8]] = [:]

    public init(title: String, revision: String, commit: String, date: String, approval: String?, version: String,
                parts: [Part], templates: [String: String] = [:])
    {
        self.title = title
        self.revision = revision
        self.commit = commit
        self.date = date
        self.approval = approval
        self.version = version
        self.parts = parts
        self.templates = templates
    }

    public static let templateNames = ["render", "render-style"]

    /// The largest image a page embeds, in bytes.
    public static let imageLimit = EmbeddedImages.limit

    public func html() throws -> String { try page().html }

    /// The page, with links between sections made links within it and the repository's images
    /// embedded (`EmbeddedImages`).
    public func page() throws -> Page {
        HTMLEscaping.registered
        var library = MustacheLibrary()
        for name in Self.templateNames {
            do {
                try library.register(templates[name] ?? HTMLTemplates.builtIn[name]!, named: name)
            } catch {
                throw HTMLComparison.TemplateError(name: name, reason: "\(error)")
            }
        }
        var used = Set<String>()
        var anchors: [String: String] = [:]
        for part in parts {
            var anchor = "s-" + String(part.id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
            while used.contains(anchor) { anchor += "-" }
            used.insert(anchor)
            anchors[part.path] = anchor
        }
        var warnings: [String] = []
        var embedded = EmbeddedImages(files: images)
        let sections = parts.map { part -> [String: Any] in
            let options = HTMLOptions(
                link: { url in
                    MarkdownLinks.isRelativeFile(url) ? Self.target(of: url, from: part.path).flatMap { anchors[$0] }.map { "#" + $0 } : nil
                },
                image: { url in
                    guard MarkdownLinks.isRelativeFile(url), let path = Self.target(of: url, from: part.path) else { return nil }
                    return embedded.image(at: path)
                })
            let rendered = Markdown.html(part.body, options: options)
            if let rendered, rendered.rawHTML > 0 {
                warnings.append("\(part.path.isEmpty ? part.id : part.path): raw HTML is left out of the page "
                    + "(\(counted(rendered.rawHTML, "place"))); write it in Markdown")
            }
            return ["anchor": anchors[part.path] ?? "", "id": part.id, "title": part.title,
                    "html": rendered?.html ?? Self.asText(part.body)]
        }
        warnings += embedded.notes
        let context = HTMLComparison.leavingOutEmpty([
            "title": title, "revision": revision, "commit": commit, "short": String(commit.prefix(7)), "date": date,
            "approval": approval ?? "", "version": version, "nonce": HTMLComparison.nonce(), "sections": sections,
        ], ["approval"])
        return Page(html: library.render(context, withTemplate: "render") ?? "", warnings: warnings)
    }

    /// The file a relative link or image names, from the repository's root; its fragment dropped.
    static func target(of url: String, from path: String) -> String? {
        let file = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
        guard !file.isEmpty else { return nil }
        return MarkdownLinks.resolve(file, from: path)
    }

    /// The draft as one Markdown file: a title block, then the sections in order.
    public func markdown() -> String {
        var text = "# \(title)\n\n"
        text += "\(revision) — \(date) — commit \(commit)\n\n"
        if let approval, !approval.isEmpty { text += "> \(approval)\n\n" }
        for part in parts {
            var body = part.body
            while body.hasPrefix("\n") { body.removeFirst() }
            if !body.hasSuffix("\n") { body += "\n" }
            text += body + "\n"
        }
        return text
    }

    /// A section cmark-gfm is not given (over 1 MB, or built to make it slow): its text as it is.
    static func asText(_ body: String) -> String {
        "<p class=\"status\">This section is shown as plain text: it is too large or too irregular to typeset.</p>\n"
            + "<pre>" + HTMLEscaping.escape(body) + "</pre>\n"
    }
}

/// The later draft's sections in order, each a changed section of a comparison or one that did
/// not change; a section the later draft does not have (removed) stays where the comparison
/// has it. For the pages and files that show the whole draft.
enum DocumentOrder {
    enum Item {
        /// The changed section at this index of the comparison's sections.
        case changed(Int)
        case unchanged(DraftDocument.Part)
    }

    static func items(_ sections: [SectionComparison], document: [DraftDocument.Part]) -> [Item] {
        guard !document.isEmpty else { return sections.indices.map { .changed($0) } }
        let positions = Dictionary(sections.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [Item] = []
        var next = 0
        for part in document {
            guard let index = positions[part.id] else {
                items.append(.unchanged(part))
                continue
            }
            while next <= index {
                items.append(.changed(next))
                next += 1
            }
        }
        items += (next..<sections.count).map { .changed($0) }
        return items
    }
}
