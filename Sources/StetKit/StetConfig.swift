import Foundation
/// The optional `stet.yml` at the repository root.
public struct StetConfig: Sendable, Hashable {
    /// The document's title.
    public var title: String?
    /// The folder holding the sections, relative to the root.
    public var drafts: String = "drafts"
    /// The milestone sequence, in order.
    public var milestones: [String] = ["first", "second", "final"]
    /// An explicit section order by id; sections not listed follow, by path.
    public var order: [String]?
    /// The milestone log file.
    public var changelog: String = "CHANGELOG.md"
    /// The folder of consultation comments, one file per round.
    public var comments: String = "comments"
    /// Whether `stet tag` refuses (rather than warns) while comments made on the previous
    /// milestone are open.
    public var refuseOpenComments = false

    public static let fileName = "stet.yml"
    static let sizeLimit = 64 * 1024

    public init() {}

    /// Reads `stet.yml` text; `path` names the file in errors.
    public init(yaml: String, path: String) throws(StetError) {
        let fields: [String: SafeYAML.Value]
        do {
            fields = try SafeYAML.mapping(yaml, limit: Self.sizeLimit)
        } catch {
            throw StetError(.invalidContent, "\(path) \(error.explanation)")
        }
        func string(_ key: String) throws(StetError) -> String? {
            guard let value = fields[key] else { return nil }
            guard let text = value.string, !text.isEmpty else {
                throw StetError(.invalidContent, "\(path): '\(key)' must be a single line of text")
            }
            return text
        }
        func list(_ key: String) throws(StetError) -> [String]? {
            guard let value = fields[key] else { return nil }
            guard case .list(let items) = value, !items.isEmpty else {
                throw StetError(.invalidContent, "\(path): '\(key)' must be a list, like [first, second, final]")
            }
            return items
        }
        title = try string("title")
        func folder(_ key: String) throws(StetError) -> String? {
            guard let value = try string(key) else { return nil }
            let trimmed = value.hasSuffix("/") ? String(value.dropLast()) : value
            if trimmed.isEmpty || trimmed.hasPrefix("/") || trimmed.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
                throw StetError(.invalidContent, "\(path): '\(key)' must be a folder inside the repository, not '\(value)'")
            }
            return trimmed
        }
        if let drafts = try folder("drafts") { self.drafts = drafts }
        if let comments = try folder("comments") { self.comments = comments }
        if comments == drafts || comments.hasPrefix(drafts + "/") || drafts.hasPrefix(comments + "/") {
            throw StetError(.invalidContent, "\(path): 'comments' and 'drafts' must be separate folders")
        }
        if let open = try string("open-comments") {
            guard open == "warn" || open == "refuse" else {
                throw StetError(.invalidContent, "\(path): 'open-comments' must be warn or refuse, not '\(open)'")
            }
            refuseOpenComments = open == "refuse"
        }
        if let milestones = try list("milestones") {
            if let bad = milestones.first(where: { !Self.isValidMilestoneName($0) }) {
                throw StetError(.invalidContent, "\(path): milestone name '\(bad)' must be letters, digits, '-' or '_'")
            }
            if Set(milestones).count != milestones.count {
                throw StetError(.invalidContent, "\(path): the milestone sequence names a milestone twice")
            }
            self.milestones = milestones
        }
        order = try list("order")
        if let changelog = try string("changelog") { self.changelog = changelog }
    }

    static func isValidMilestoneName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            && name.first!.isLetter
    }

    /// The text `stet init` writes.
    static func initialText(title: String) -> String {
        let quoted = "\"" + title.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return """
            # A stet document repository (see `stet --help`).
            title: \(quoted)
            # The folder of section files, one Markdown file per section.
            drafts: drafts
            # The milestone sequence, in order; for example [zero, first, second, third, final].
            milestones: [first, second, final]
            # The milestone log that `stet tag` appends to.
            changelog: CHANGELOG.md
            # The folder of consultation comments, one file per round (stet comments import).
            comments: comments
            # stet tag warns while comments made on the previous milestone are open; 'refuse' stops it.
            open-comments: warn
            # An explicit section order by id (optional; otherwise sections are ordered by path):
            # order: [preamble, scope, principles]

            """
    }
}
