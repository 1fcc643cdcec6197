import Foundation
import GitStore
import GitValues
import ProseDiff

/// A section as `stet section list` shows it.
public struct SectionListing: Sendable {
    /// Its place in the document, from 1.
    public var position: Int
    public var id: String
    public var title: String
    public var path: String
    /// Words, numbers and other word-like tokens of its body.
    public var words: Int
}

/// A link from one section to a file under the drafts folder that is not there.
public struct BrokenLink: Sendable, Hashable {
    /// The section file the link is in.
    public var path: String
    public var line: Int
    /// The destination as written.
    public var destination: String

    /// One line a writer can act on.
    public var message: String {
        "\(path), line \(line): the link to \(destination) names no section; point it at the section's file "
            + "(stet section list shows them)"
    }
}

/// What a change to the sections' files did, for the writer to review before committing.
public struct SectionEdit: Sendable {
    /// The section's path after the change (before it, for a deletion).
    public var path: String
    /// Files renamed, from and to.
    public var renamed: [(from: String, to: String)] = []
    /// Sections whose links were rewritten to follow the renames.
    public var relinked: [String] = []
    /// Links that now name no section (after a deletion).
    public var brokenLinks: [BrokenLink] = []
}

extension DocumentRepository {
    /// The sections of the working tree in document order, with their words.
    public func sectionList() throws(StetError) -> [SectionListing] {
        try workingDraft().sections.enumerated().map { index, section in
            let words = TokenTable.tokens(of: String(section.body)).reduce(0) { $0 + ($1.kind.isWordLike ? 1 : 0) }
            return SectionListing(position: index + 1, id: section.id, title: section.title, path: section.path, words: words)
        }
    }

    /// Gives a section a new title: in its front matter, in its first heading when that is the
    /// old title, and in its file name (its number kept). Its id does not change (it is written
    /// into the front matter when it came from the file name), and links to it follow the file.
    public func retitleSection(_ name: String, to title: String) throws(StetError) -> SectionEdit {
        try writing("stet section rename") { () throws(StetError) in
            let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !title.isEmpty, !title.contains("\n") else { throw StetError(.usage, "a section needs a one-line title") }
            let section = try requireWorkingSection(name)
            var text = try rawText(section.path)
            let heading = Markdown.firstHeading(in: section.body)
            text = FrontMatterEdit.setting(["id": section.id, "title": title], in: text)
            if heading == section.title { text = FrontMatterEdit.replacingFirstHeading(section.title, with: title, in: text) }
            try Self.replaceFile(at: root + "/" + section.path, with: Array(text.utf8), displayPath: section.path)
            let fileName = (section.path as NSString).lastPathComponent
            var edit = SectionEdit(path: section.path)
            if let number = SectionID.number(of: fileName) {
                let newName = String(fileName.prefix(number.width)) + "-" + SectionID.slug(title) + ".md"
                let newPath = ((section.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(newName)
                if newPath != section.path {
                    guard !FileManager.default.fileExists(atPath: root + "/" + newPath) else {
                        throw StetError(.exists, "\(newPath) exists already; the title is changed, the file name is not")
                    }
                    edit.relinked = try moveSectionFiles([(section.path, newPath)])
                    edit.renamed = [(section.path, newPath)]
                    edit.path = newPath
                }
            }
            return edit
        }
    }

    /// Places a section right after (or before) another, renumbering files as needed; links to
    /// every renamed file follow it. A section moved into another folder keeps its id (written
    /// into its front matter when it came from the file name).
    public func moveSection(_ name: String, after: String? = nil, before: String? = nil) throws(StetError) -> SectionEdit {
        try writing("stet section move") { () throws(StetError) in
            guard config.order == nil else {
                throw StetError(.usage, "\(StetConfig.fileName) lists the order of the sections (order:); "
                    + "change the order there")
            }
            guard let anchorName = after ?? before else { throw StetError(.usage, "say where: --after SECTION or --before SECTION") }
            let section = try requireWorkingSection(name)
            let anchor = try requireWorkingSection(anchorName)
            guard anchor.path != section.path else { throw StetError(.usage, "a section cannot move next to itself") }
            let folder = (anchor.path as NSString).deletingLastPathComponent
            let anchorFile = (anchor.path as NSString).lastPathComponent
            guard let anchorNumber = SectionID.number(of: anchorFile) else {
                throw StetError(.usage, "cannot place a section next to '\(anchorName)': \(anchor.path) has no number; "
                    + "list the order in \(StetConfig.fileName) instead")
            }
            let fileName = (section.path as NSString).lastPathComponent
            let rest = SectionID.number(of: fileName).map { String(fileName.dropFirst($0.width)) } ?? "-" + fileName
            let target = after != nil ? anchorNumber.value + 1 : anchorNumber.value
            let siblings = try numberedEntries(in: folder).filter { folder + "/" + $0.name != section.path }
            let width = max(anchorNumber.width, 2)
            var moves: [(from: String, to: String)] = []
            if siblings.contains(where: { $0.number == target }) {
                for sibling in siblings where sibling.number >= target {
                    let renamed = String(format: "%0\(max(width, sibling.width))d", sibling.number + 1)
                        + String(sibling.name.dropFirst(sibling.width))
                    moves.append((folder + "/" + sibling.name, folder + "/" + renamed))
                }
            }
            let newPath = folder + "/" + String(format: "%0\(width)d", target) + rest
            if newPath == section.path && moves.isEmpty {
                throw StetError(.usage, "'\(section.id)' is already \(after != nil ? "after" : "before") '\(anchor.id)'")
            }
            if newPath != section.path { moves.append((section.path, newPath)) }
            if (newPath as NSString).deletingLastPathComponent != (section.path as NSString).deletingLastPathComponent {
                let text = FrontMatterEdit.setting(["id": section.id], in: try rawText(section.path))
                try Self.replaceFile(at: root + "/" + section.path, with: Array(text.utf8), displayPath: section.path)
            }
            var edit = SectionEdit(path: newPath, renamed: moves)
            edit.relinked = try moveSectionFiles(moves)
            return edit
        }
    }

    /// Deletes a section's file (a working-tree change that `stet commit` records). Refused when
    /// the file holds edits that are not committed: deleted, they would be lost.
    public func deleteSection(_ name: String) throws(StetError) -> SectionEdit {
        try writing("stet section delete") { () throws(StetError) in
            let section = try requireWorkingSection(name)
            let status = try status(checking: false)
            if let change = status.changes.first(where: { $0.path == section.path }), change.kind != .deleted,
               try !committedAsIs(section, was: change.oldPath)
            {
                throw StetError(.refused, "\(section.path) has \(change.kind == .added ? "never been committed" : "edits that are not committed"); "
                    + "deleting it would lose them: commit it first (the history then keeps it), or delete the file yourself")
            }
            guard unlink(root + "/" + section.path) == 0 else {
                throw StetError(.failure, "cannot delete \(section.path): \(String(cString: strerror(errno)))")
            }
            var edit = SectionEdit(path: section.path)
            edit.brokenLinks = try brokenLinks().filter { MarkdownLinks.resolve($0.destination, from: $0.path) == section.path }
            return edit
        }
    }

    /// Whether HEAD has this section's text at `path` (a renumbered file is committed as it is).
    private func committedAsIs(_ section: Section, was path: String?) throws(StetError) -> Bool {
        guard let path, let head = try head() else { return false }
        return try gitCall("read \(path) at HEAD") { () throws(GitError) in
            guard let file = try git.file(atPath: path, inTree: try git.treeID(ofCommit: head)) else { return false }
            let bytes = try git.blob(file.id)
            return Section(path: path, relativePath: relativePath(path), bytes: bytes, blob: file.id).contentKey == section.contentKey
        }
    }

    /// The working section that `name` (id, path or title) names, or an error that suggests one.
    func requireWorkingSection(_ name: String) throws(StetError) -> Section {
        let draft = try workingDraft()
        if let section = draft.section(named: name) ?? draft.sections.first(where: { $0.title == name }) { return section }
        throw StetError(.notFound, "unknown section '\(name)'" + Self.sectionHint(for: name, in: draft.sections))
    }

    /// " (did you mean 'x'?)" by id, path or title; else the list of sections, when short.
    static func sectionHint(for name: String, in sections: [Section]) -> String {
        let byTitle = Dictionary(sections.map { ($0.title, $0.id) }, uniquingKeysWith: { first, _ in first })
        if let near = Suggestion.nearest(to: name, in: sections.flatMap { [$0.id, $0.path, $0.relativePath] }) {
            return " (did you mean '\(near)'?)"
        }
        if let title = Suggestion.nearest(to: name, in: byTitle.keys.sorted()), let id = byTitle[title] {
            return " (did you mean '\(id)', titled \"\(title)\"?)"
        }
        let lowered = name.lowercased()
        if let section = sections.first(where: { $0.title.lowercased().contains(lowered) || $0.id.contains(lowered) }) {
            return " (did you mean '\(section.id)', titled \"\(section.title)\"?)"
        }
        guard !sections.isEmpty else { return "; there are no sections yet (stet section new \"Title\")" }
        let listed = sections.prefix(12).map(\.id).joined(separator: ", ")
        return "; the sections are: " + listed + (sections.count > 12 ? ", ... (stet section list shows all)" : "")
    }

    /// The file's text as it is on disk (line ends and all), for an edit in place.
    private func rawText(_ path: String) throws(StetError) -> String {
        guard case .regular(let bytes) = WorkingFile.read(root: root, path: path) else {
            throw StetError(.failure, "\(path) cannot be read")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StetError(.invalidContent, "\(path) is not UTF-8 text; stet edits only text")
        }
        return text
    }

    /// Renames section files (through temporary names, so any order of renames works) and
    /// rewrites the relative links of every working section that point at a renamed file (or,
    /// in a file that changed folder, at any file), so no link breaks. Returns the sections
    /// whose links were rewritten, by their new paths.
    func moveSectionFiles(_ moves: [(from: String, to: String)]) throws(StetError) -> [String] {
        guard !moves.isEmpty else { return [] }
        let destination = Dictionary(moves.map { ($0.from, $0.to) }, uniquingKeysWith: { _, last in last })
        var rewritten: [(path: String, text: String)] = []
        for path in try workingSectionPaths() {
            guard case .regular(let bytes) = WorkingFile.read(root: root, path: path),
                  let text = String(validating: bytes, as: UTF8.self) else { continue }
            let newPath = destination[path] ?? path
            let movedFolder = (newPath as NSString).deletingLastPathComponent != (path as NSString).deletingLastPathComponent
            var replacements: [(range: Range<Int>, path: String)] = []
            for link in MarkdownLinks.destinations(in: text) {
                guard let target = MarkdownLinks.resolve(link.path, from: path) else { continue }
                let newTarget = destination[target] ?? target
                guard newTarget != target || movedFolder,
                      destination[target] != nil || FileManager.default.fileExists(atPath: root + "/" + target)
                else { continue }
                var written = MarkdownLinks.relative(to: newTarget, from: newPath)
                if link.path.hasPrefix("./"), !written.hasPrefix("../") { written = "./" + written }
                if written != link.path { replacements.append((link.range, written)) }
            }
            if !replacements.isEmpty { rewritten.append((newPath, MarkdownLinks.rewriting(text, replacements))) }
        }
        let manager = FileManager.default
        do {
            let temporary = moves.enumerated().map { ($0.element.from + ".stet-move-\(getpid())-\($0.offset)", $0.element.to) }
            for (move, (parked, _)) in zip(moves, temporary) {
                try manager.moveItem(atPath: root + "/" + move.from, toPath: root + "/" + parked)
            }
            for (parked, to) in temporary {
                try manager.createDirectory(atPath: root + "/" + (to as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
                try manager.moveItem(atPath: root + "/" + parked, toPath: root + "/" + to)
            }
        } catch {
            throw StetError(.failure, "cannot rename the section files: \(error.localizedDescription)")
        }
        for (path, text) in rewritten {
            try Self.replaceFile(at: root + "/" + path, with: Array(text.utf8), displayPath: path)
        }
        return rewritten.map(\.path)
    }

    /// Links in `sections` (all working sections when nil) to a `.md` file under the drafts
    /// folder that is no section of the working tree.
    func brokenLinks(in sections: [Section]? = nil) throws(StetError) -> [BrokenLink] {
        let paths = Set(try workingSectionPaths())
        let scanned: [Section]
        if let sections { scanned = sections } else { scanned = try workingDraft().sections }
        var found: [BrokenLink] = []
        for section in scanned {
            for link in MarkdownLinks.destinations(in: section.text) {
                guard let target = MarkdownLinks.resolve(link.path, from: section.path),
                      target.hasPrefix(draftsFolder + "/"), target.lowercased().hasSuffix(".md"),
                      !paths.contains(target)
                else { continue }
                let line = section.text.utf8.prefix(link.range.lowerBound).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                found.append(BrokenLink(path: section.path, line: line, destination: link.path))
            }
        }
        return found
    }


    func numberedEntries(in folder: String) throws(StetError) -> [(name: String, number: Int, width: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
        return names.compactMap { name in
            SectionID.number(of: name).map { (name, $0.value, $0.width) }
        }
    }
}

/// Edits of a section's front matter and first heading, as text: the rest of the file stays as
/// the writer wrote it, line ends included.
enum FrontMatterEdit {
    /// The text with `fields` set in its front matter (added, or replaced where present), a front
    /// matter block made when it has none.
    static func setting(_ fields: KeyValuePairs<String, String>, in text: String) -> String {
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        let hasFrontMatter = lines.first == "---" && (try? FrontMatter.parse(text)) != nil
        if !hasFrontMatter {
            let block = ["---"] + fields.map { "\($0.key): \(DocumentRepository.yamlScalar($0.value))" } + ["---", ""]
            return block.joined(separator: newline) + text
        }
        var close = lines.dropFirst().firstIndex { $0 == "---" || $0 == "..." } ?? lines.count
        for (key, value) in fields {
            let line = "\(key): \(DocumentRepository.yamlScalar(value))"
            if let index = lines[1..<close].firstIndex(where: { $0.hasPrefix(key + ":") }) {
                lines[index] = line
            } else {
                lines.insert(line, at: close)
                close += 1
            }
        }
        return lines.joined(separator: newline)
    }

    /// The text with the first ATX heading that reads `old` made to read `new`.
    static func replacingFirstHeading(_ old: String, with new: String, in text: String) -> String {
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        for index in lines.indices {
            let line = lines[index]
            let hashes = line.prefix { $0 == "#" }
            guard (1...6).contains(hashes.count), line.dropFirst(hashes.count).first == " " else { continue }
            if line.dropFirst(hashes.count).trimmingCharacters(in: .whitespaces) == old {
                lines[index] = hashes + " " + new
                return lines.joined(separator: newline)
            }
        }
        return text
    }
}
