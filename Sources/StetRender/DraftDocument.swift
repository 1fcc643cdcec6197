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

        public init(id: String, title: String, body: String) {
            self.id = id
            self.title = title
            self.body = body
        }
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

    public func html() throws -> String {
        HTMLEscaping.registered
        var library = MustacheLibrary()
        for name in Self.templateNames {
            do {
                try library.register(templates[name] ?? HTMLTemplates.builtIn[name]!, named: name)
            } catch {
                throw HTMLComparison.TemplateError(name: name, reason: "\(error)")
            }
        }
        var anchors = Set<String>()
        let sections = parts.map { part -> [String: Any] in
            var anchor = "s-" + String(part.id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
            while anchors.contains(anchor) { anchor += "-" }
            anchors.insert(anchor)
            return ["anchor": anchor, "id": part.id, "title": part.title, "html": Markdown.html(part.body) ?? Self.asText(part.body)]
        }
        let context = HTMLComparison.leavingOutEmpty([
            "title": title, "revision": revision, "commit": commit, "short": String(commit.prefix(7)), "date": date,
            "approval": approval ?? "", "version": version, "nonce": HTMLComparison.nonce(), "sections": sections,
        ], ["approval"])
        return library.render(context, withTemplate: "render") ?? ""
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
            + "<pre>" + HTMLComparison.escape(body) + "</pre>\n"
    }
}
