import GitStore
public import GitValues

/// The ordered set of sections at a revision or in the working tree.
public struct Draft: Sendable {
    /// What was asked for (`second`, `HEAD~2`), or nil for the working tree.
    public var revision: String?
    /// The commit read, or nil for the working tree (or an unborn branch).
    public var commit: ObjectID?
    /// The sections in document order.
    public var sections: [Section]

    /// Problems met while reading, none of which stopped it.
    public var warnings: [String] { sections.flatMap(\.warnings) }

    init(revision: String?, commit: ObjectID?, sections: [Section], order: [String]?) {
        self.revision = revision
        self.commit = commit
        self.sections = Self.ordered(sections, by: order)
    }

    /// `order` ids first, in that order; then the rest by path.
    static func ordered(_ sections: [Section], by order: [String]?) -> [Section] {
        let byPath = sections.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        guard let order, !order.isEmpty else { return byPath }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let listed = byPath.filter { rank[$0.id] != nil }.sorted { rank[$0.id]! < rank[$1.id]! }
        return listed + byPath.filter { rank[$0.id] == nil }
    }

    /// The section named by id or path (from the root or under the drafts folder).
    public func section(named name: String) -> Section? {
        sections.first { $0.id == name } ?? sections.first { $0.path == name || $0.relativePath == name }
            ?? sections.first { $0.title == name }
    }

    /// The section named by id or path, or an error that names the draft and the nearest name.
    public func requireSection(named name: String) throws(StetError) -> Section {
        guard let section = section(named: name) else {
            let place = revision.map { " at \($0)" } ?? " in the working tree"
            throw StetError(.notFound, "unknown section '\(name)'\(place)" + DocumentRepository.sectionHint(for: name, in: sections))
        }
        return section
    }

}
