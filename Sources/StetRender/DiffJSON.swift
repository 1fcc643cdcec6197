public import ProseDiff
import Foundation

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
        let changed = comparison.changedSections
        sections = Parallel.map(changed.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
            let section = changed[index]
            return SectionRecord(
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

    /// The document as JSON: what `JSONWriter.encode(self)` writes, byte for byte (a test holds
    /// them together), without the cost of `Encodable` on every span.
    public func encoded() -> String {
        var bytes: [UInt8] = []
        write { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `encoded()` handed to `sink` in pieces, in order: the sections are written on all cores,
    /// each into its own buffer, and handed on as they are, never joined into one.
    public func write(to sink: ([UInt8]) -> Void) {
        // About what each span takes: its text, and some sixty bytes of keys and indentation.
        let sizes = sections.map { section in
            section.blocks.reduce(256) { sum, block in block.spans.reduce(sum + 64) { $0 + $1.text.utf8.count + 64 } }
        }
        var json = JSONBuffer()
        json.object { json in
            json.member("schemaVersion", schemaVersion)
            json.key("a")
            a.write(to: &json)
            json.key("b")
            b.write(to: &json)
            json.array("sections") { json in
                let depth = json.depth, already = json.openCount
                let parts = Parallel.map(sections.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
                    var part = JSONBuffer(depth: depth, written: already + index, capacity: sizes[index] + sizes[index] / 8)
                    sections[index].write(to: &part)
                    return part.bytes
                }
                json.flush(to: sink)
                parts.forEach(sink)
                json.written(elements: parts.count)
            }
            if let commits {
                json.array("commits") { json in
                    for commit in commits { commit.write(to: &json) }
                }
            }
        }
        json.bytes.append(0x0A)
        json.flush(to: sink)
    }
}

extension RevisionLabel {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.member("revision", revision)
            json.member("commit", commit)
        }
    }
}

extension SourceCommit {
    func write(to json: inout JSONBuffer) {
        json.elementObject { json in
            json.member("id", id)
            json.member("author", author)
            json.member("email", email)
            json.member("date", date)
            json.member("summary", summary)
            json.array("trailers") { json in
                for trailer in trailers {
                    json.elementObject { json in
                        json.member("key", trailer.key)
                        json.member("value", trailer.value)
                    }
                }
            }
        }
    }
}

extension DiffDocument.SectionRecord {
    func write(to json: inout JSONBuffer) {
        json.elementObject { json in
            json.member("id", id)
            json.member("oldId", oldId)
            json.member("title", title)
            json.member("oldTitle", oldTitle)
            json.member("status", status.rawValue)
            json.member("moved", moved)
            json.member("pathA", pathA)
            json.member("pathB", pathB)
            json.member("wordsInserted", wordsInserted)
            json.member("wordsDeleted", wordsDeleted)
            json.array("blocks") { json in
                for block in blocks {
                    json.elementObject { json in
                        json.member("kind", block.kind)
                        json.member("status", block.status.rawValue)
                        json.member("moveSection", block.moveSection)
                        json.array("spans") { json in
                            for span in block.spans { span.write(to: &json) }
                        }
                    }
                }
            }
        }
    }
}

extension DiffDocument.SpanRecord {
    func write(to json: inout JSONBuffer) {
        json.elementObject { json in
            json.member("kind", kind.rawValue)
            json.member("text", text)
            json.member("a", a)
            if let commits {
                json.array("commits") { json in
                    for commit in commits {
                        json.element()
                        json.string(commit)
                    }
                }
            }
        }
    }
}
