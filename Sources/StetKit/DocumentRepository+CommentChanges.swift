import GitStore
public import GitValues
public import ProseDiff

/// The words a comment changed in one block: the redline of the spans the commits that address
/// it made.
public struct CommentChange: Sendable {
    public var section: String
    public var sectionTitle: String
    public var excerpt: Excerpt
    /// The addressing commits credited with these spans, oldest first.
    public var commits: [CommitInfo]
}

extension DocumentRepository {
    /// For each comment addressed by commits, the words those commits changed between the draft
    /// the comment was made on and `revision`, block by block, by comment id.
    public func commentChanges(_ places: [CommentPlace], at revision: String) throws(StetError) -> [String: [CommentChange]] {
        let end = try resolve(revision)
        var byDraft: [String: [CommentPlace]] = [:]
        for place in places where !place.addressedBy.isEmpty { byDraft[place.comment.commit, default: []].append(place) }
        var changes: [String: [CommentChange]] = [:]
        for (hex, group) in byDraft.sorted(by: { $0.key < $1.key }) {
            guard let start = ObjectID(hex: hex), start != end, try isAncestor(start, of: end) else { continue }
            let annotated = try annotatedCompare(from: hex, to: end.hex)
            let index = Dictionary(annotated.commits.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            for place in group {
                let sources = Set(place.addressedBy.compactMap { index[$0.id] })
                guard !sources.isEmpty else { continue }
                var found: [CommentChange] = []
                for section in annotated.draft.comparison.sections where section.textChanged {
                    // A section added or deleted whole by these commits is said in a line.
                    let credited = Set(section.blocks.flatMap { $0.spans.flatMap(\.sources) })
                    if section.status == .added || section.status == .removed, !credited.isEmpty, credited.isSubset(of: sources) {
                        let words = section.status == .added ? section.wordsInserted : section.wordsDeleted
                        let piece = Excerpt.Piece(kind: section.status == .added ? .inserted : .deleted,
                                                  text: "the whole section (\(words) words)")
                        found.append(CommentChange(section: section.id, sectionTitle: section.title, excerpt: Excerpt(pieces: [piece]),
                                                   commits: credited.sorted().map { annotated.commits[$0] }))
                        continue
                    }
                    for block in section.blocks where block.isChange {
                        guard let excerpt = block.excerpt(credited: sources) else { continue }
                        let credited = Set(block.spans.flatMap(\.sources)).intersection(sources).sorted()
                        found.append(CommentChange(section: section.id, sectionTitle: section.title, excerpt: excerpt.readable,
                                                   commits: credited.map { annotated.commits[$0] }))
                    }
                }
                changes[place.comment.id] = found
            }
        }
        return changes
    }
}
