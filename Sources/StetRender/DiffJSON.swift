public import ProseDiff
import Foundation

/// One side of a comparison as the output names it.
public struct RevisionLabel: Sendable {
    /// What was asked for (`first`, `HEAD~2`), or `working tree`.
    public var revision: String
    /// The commit id, or nil for the working tree.
    public var commit: String?

    public init(revision: String, commit: String?) {
        self.revision = revision
        self.commit = commit
    }
}

/// `stet diff --format json` and `stet compare --format json`: schema version 1, documented in
/// docs/json.md. The schema is written here only, field by field, straight from the comparison
/// (the sections on all cores).
public struct DiffDocument {
    static let schemaVersion = 1
    var a: RevisionLabel
    var b: RevisionLabel
    /// The sections that differ in any way.
    var sections: [SectionComparison]
    /// In an annotated comparison: the commits that spans name (`Span.sources` indexes it).
    var commits: [SourceCommit]?

    public init(_ comparison: Comparison, a: RevisionLabel, b: RevisionLabel, commits: [SourceCommit]? = nil) {
        self.a = a
        self.b = b
        self.commits = commits
        sections = comparison.changedSections
    }

    /// Whether the spans name their commits (an annotated comparison).
    public var hasCommits: Bool { commits != nil }

    /// The document as JSON.
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
            json.member("schemaVersion", Self.schemaVersion)
            json.key("a")
            a.write(to: &json)
            json.key("b")
            b.write(to: &json)
            json.array("sections") { json in
                let depth = json.depth, already = json.openCount
                let parts = Parallel.map(sections.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index in
                    var part = JSONBuffer(depth: depth, written: already + index, capacity: sizes[index] + sizes[index] / 8)
                    write(sections[index], to: &part)
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

extension DiffDocument {
    /// A section as JSON: its facts, its blocks and their spans.
    private func write(_ section: SectionComparison, to json: inout JSONBuffer) {
        json.elementObject { json in
            json.member("id", section.id)
            json.member("oldId", section.oldID)
            json.member("title", section.title)
            json.member("oldTitle", section.oldTitle)
            json.member("status", section.status.rawValue)
            json.member("moved", section.moved)
            json.member("pathA", section.pathA)
            json.member("pathB", section.pathB)
            json.member("wordsInserted", section.wordsInserted)
            json.member("wordsDeleted", section.wordsDeleted)
            json.array("blocks") { json in
                for block in section.blocks {
                    json.elementObject { json in
                        json.member("kind", block.kind.name)
                        json.member("status", block.status.rawValue)
                        json.member("moveSection", block.moveSection)
                        json.array("spans") { json in
                            for span in block.spans { write(span, to: &json) }
                        }
                    }
                }
            }
        }
    }

    private func write(_ span: Span, to json: inout JSONBuffer) {
        json.elementObject { json in
            json.member("kind", span.kind.rawValue)
            json.member("text", span.text)
            // For an equal span whose A text differs (white space of a reflowed line).
            json.member("a", span.kind == .equal && span.a != span.b ? span.a : nil)
            if !span.sources.isEmpty, let commits {
                json.array("commits") { json in
                    for source in span.sources {
                        json.element()
                        json.string(commits[source].id)
                    }
                }
            }
        }
    }
}
