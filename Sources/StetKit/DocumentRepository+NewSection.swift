import Foundation

extension DocumentRepository {
    /// Creates a section file with front matter, numbered to fit the order: at the end of the
    /// drafts folder, or right after the section `after` in its folder (renumbering the files that
    /// follow when there is no free number; their ids do not change). Nothing is committed.
    ///
    /// - Returns: the new file's path from the root, the files renamed to make room, and the
    ///   sections whose links to them were rewritten.
    public func newSection(title: String, id requestedID: String? = nil, after: String? = nil)
        throws(StetError) -> SectionEdit
    {
        try writing("stet section new") { () throws(StetError) in try newSectionHoldingLock(title: title, id: requestedID, after: after) }
    }

    private func newSectionHoldingLock(title: String, id requestedID: String?, after: String?)
        throws(StetError) -> SectionEdit
    {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, !title.contains("\n") else {
            throw StetError(.usage, "a section needs a one-line title")
        }
        let id = requestedID ?? SectionID.slug(title)
        if let problem = SectionID.problem(with: id) {
            throw StetError(.usage, "section id '\(id)' \(problem)")
        }
        let working = try workingDraft()
        if let existing = working.sections.first(where: { $0.id == id }) {
            throw StetError(.exists, "a section with id '\(id)' exists already: \(existing.path)")
        }

        var folder = draftsFolder
        var number: Int
        var width = 2
        var renames: [(from: String, to: String)] = []
        let manager = FileManager.default
        if let after {
            let anchor = try requireWorkingSection(after)
            let name = (anchor.path as NSString).lastPathComponent
            folder = (anchor.path as NSString).deletingLastPathComponent
            guard let anchorNumber = SectionID.number(of: name) else {
                throw StetError(.usage, "cannot place a section after '\(after)': \(anchor.path) has no number; "
                    + "list the order in stet.yml instead")
            }
            number = anchorNumber.value + 1
            width = anchorNumber.width
            let siblings = try numberedEntries(in: folder)
            if siblings.contains(where: { $0.number == number }) {
                for sibling in siblings.filter({ $0.number >= number }).sorted(by: { $0.number > $1.number }) {
                    let renamed = String(format: "%0\(max(width, sibling.width))d", sibling.number + 1)
                        + String(sibling.name.dropFirst(sibling.width))
                    renames.append((folder + "/" + sibling.name, folder + "/" + renamed))
                }
            }
        } else {
            let siblings = try numberedEntries(in: folder)
            number = (siblings.map(\.number).max() ?? 0) + 1
            width = max(2, siblings.map(\.width).max() ?? 2)
        }
        let fileName = String(format: "%0\(width)d", number) + "-" + SectionID.slug(id.split(separator: "/").last.map(String.init) ?? id) + ".md"
        let path = folder + "/" + fileName
        guard !manager.fileExists(atPath: root + "/" + path) else {
            throw StetError(.exists, "\(path) exists already")
        }
        // The id is written out even when the path would give the same one: the section keeps it
        // through later renames and renumbering.
        var text = "---\nid: \(Self.yamlScalar(id))\n"
        text += "title: \(Self.yamlScalar(title))\n---\n\n# \(title)\n\n"
        let relinked = try moveSectionFiles(renames)
        do {
            try manager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + path), options: .withoutOverwriting)
        } catch {
            throw StetError(.failure, "cannot write \(path): \(error.localizedDescription)")
        }
        return SectionEdit(path: path, renamed: renames, relinked: relinked)
    }

    /// A YAML scalar for a front matter value: plain when that reads back the same, else quoted.
    static func yamlScalar(_ value: String) -> String {
        if SafeYAML.simpleMapping("k: \(value)")?["k"] == .scalar(value) { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += String(format: "\\x%02X", scalar.value)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}
