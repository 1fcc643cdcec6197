public import ProseDiff

/// One side of a comparison as the output names it.
public struct RevisionLabel: Sendable, Codable {
    /// What was asked for (`first`, `HEAD~2`), or `working tree`.
    public var revision: String
    /// The commit id, or nil for the working tree.
    public var commit: String?

    public init(revision: String, commit: String?) {
        self.revision = revision
        self.commit = commit
    }
}

/// `stet diff --format json`: schema version 1, documented in docs/json.md.
public struct DiffDocument: Encodable {
    struct SpanRecord: Encodable {
        var kind: Span.Kind
        var text: String
        /// For an equal span whose A text differs (white space of a reflowed line).
        var a: String?
        /// In an annotated comparison: the commits behind the change.
        var commits: [String]?
    }

    struct BlockRecord: Encodable {
        var kind: String
        var status: BlockChange.Status
        var moveSection: String?
        var spans: [SpanRecord]
    }

    struct SectionRecord: Encodable {
        var id: String
        var oldId: String?
        var title: String
        var oldTitle: String?
        var status: SectionComparison.Status
        var moved: Bool
        var pathA: String?
        var pathB: String?
        var wordsInserted: Int
        var wordsDeleted: Int
        var blocks: [BlockRecord]
    }

    var schemaVersion = 1
    var a: RevisionLabel
    var b: RevisionLabel
    var sections: [SectionRecord]
    /// In an annotated comparison: the commits that spans name.
    var commits: [SourceCommit]?

    public init(_ comparison: Comparison, a: RevisionLabel, b: RevisionLabel, commits: [SourceCommit]? = nil) {
        self.a = a
        self.b = b
        self.commits = commits
        sections = comparison.changedSections.map { section in
            SectionRecord(
                id: section.id, oldId: section.oldID, title: section.title, oldTitle: section.oldTitle,
                status: section.status, moved: section.moved, pathA: section.pathA, pathB: section.pathB,
                wordsInserted: section.wordsInserted, wordsDeleted: section.wordsDeleted,
                blocks: section.blocks.map { block in
                    BlockRecord(kind: block.kind.name, status: block.status, moveSection: block.moveSection,
                                spans: block.spans.map { span in
                                    SpanRecord(kind: span.kind, text: span.text,
                                               a: span.kind == .equal && span.a != span.b ? span.a : nil,
                                               commits: span.sources.isEmpty ? nil : commits.map { table in span.sources.map { table[$0].id } })
                                })
                })
        }
    }

    public func encoded() throws -> String {
        try JSONWriter.encode(self)
    }
}
