import Foundation
import GitStore
import GitValues

/// The milestone log: the Markdown file named by `changelog` in stet.yml, one entry per
/// milestone tag, newest first. Each entry ends with a marker line that names the tag object and
/// commit, so `stet verify` can hold the log and the tags against each other:
///
///     <!-- stet:milestone name=second tag=HEX commit=HEX -->
///
/// Text that comes from a repository (the approval message) is written as a block quote, so no
/// line of it can start a marker.
enum MilestoneLog {
    /// The record an entry's marker carries.
    struct Entry: Sendable, Hashable {
        var name: String
        var tag: ObjectID
        var commit: ObjectID
    }

    static let markerPrefix = "<!-- stet:milestone "
    static let markerSuffix = " -->"

    /// The first text of a new log.
    static func initialText(title: String) -> String {
        "# Milestones of \(title)\n\nEach milestone that `stet tag` records is listed here, newest first.\n"
    }

    /// The entries of a log, in file order (newest first).
    static func entries(in text: String) -> [Entry] {
        var entries: [Entry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard line.hasPrefix(markerPrefix), line.hasSuffix(markerSuffix) else { continue }
            let body = line.dropFirst(markerPrefix.count).dropLast(markerSuffix.count)
            var fields: [Substring: Substring] = [:]
            for pair in body.split(separator: " ") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                fields[pair[..<equals]] = pair[pair.index(after: equals)...]
            }
            guard let name = fields["name"], let tag = fields["tag"].flatMap({ ObjectID(hex: String($0)) }),
                  let commit = fields["commit"].flatMap({ ObjectID(hex: String($0)) })
            else { continue }
            entries.append(Entry(name: String(name), tag: tag, commit: commit))
        }
        return entries
    }

    /// The Markdown of one entry.
    static func entry(for milestone: Milestone, previous: String?, sections: SectionSummary,
                      contributors: [Contributor], superseded: (ref: String, milestone: Milestone)?) -> String
    {
        func oneLine(_ text: String) -> String {
            text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        func list(_ ids: [String]) -> String {
            ids.isEmpty ? "" : " (" + ids.map { "`\(oneLine($0))`" }.joined(separator: ", ") + ")"
        }
        let day = Self.day(milestone.tagger)
        var lines: [String] = []
        lines.append("## \(milestone.name)\(superseded == nil ? "" : " (corrected)"): \(day)")
        lines.append("")
        let approval = milestone.message.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in
                ![Milestone.supersedesKey, Milestone.correctedFromKey].contains { line.hasPrefix($0 + ":") }
            }
        var quoted = approval.map { $0.isEmpty ? ">" : "> " + $0 }
        while quoted.last == ">" { quoted.removeLast() }
        lines += quoted
        lines.append("")
        lines.append("- Draft: commit `\(milestone.commit.hex)`, tag object `\(milestone.tag.hex)`"
            + (milestone.isSigned ? ", signed" : ""))
        lines.append("- Tagged by \(oneLine(milestone.tagger.name)) (\(oneLine(milestone.tagger.email))), "
            + timestamp(milestone.tagger))
        if let superseded {
            lines.append("- Replaces the milestone at commit `\(superseded.milestone.commit.hex)` (tag object "
                + "`\(superseded.milestone.tag.hex)`, kept as `\(superseded.ref)`)")
        }
        let since = previous.map { "since \($0)" } ?? "in this draft"
        var parts: [String] = []
        let listed = sections.count <= 40
        for (ids, verb) in [(sections.added, "added"), (sections.removed, "removed"), (sections.changed, "changed")]
        where !ids.isEmpty {
            parts.append("\(ids.count) \(verb)" + (listed ? list(ids) : ""))
        }
        if !sections.renamed.isEmpty {
            parts.append("\(sections.renamed.count) renamed" + (listed
                ? " (" + sections.renamed.map { "`\(oneLine($0.from))` to `\(oneLine($0.to))`" }.joined(separator: ", ") + ")"
                : ""))
        }
        let changes = "- Sections \(since): " + (parts.isEmpty ? "no section changed" : parts.joined(separator: "; "))
        lines.append(changes)
        if !contributors.isEmpty {
            lines.append("- Contributors: " + contributors.map { "\(oneLine($0.name)) (\($0.commits))" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append(markerPrefix + "name=\(milestone.name) tag=\(milestone.tag.hex) commit=\(milestone.commit.hex)"
            + markerSuffix)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The log with `entry` placed before the newest entry (after the file's introduction).
    static func inserting(_ entry: String, into text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let firstEntry = lines.firstIndex { $0.hasPrefix("## ") } ?? lines.count
        var before = Array(lines[..<firstEntry])
        while before.last?.isEmpty == true { before.removeLast() }
        let after = Array(lines[firstEntry...])
        var result = before.joined(separator: "\n")
        if !result.isEmpty { result += "\n\n" }
        result += entry
        if !after.isEmpty { result += "\n" + after.joined(separator: "\n") + "\n" }
        return result
    }

    /// A log read as its introduction and its entries, each entry from its `## ` heading to its
    /// marker line; nil when text stands outside that shape (after the last marker, or an entry
    /// without a marker), which stet then leaves to a person.
    struct Parts: Equatable {
        var introduction: String
        var entries: [(entry: Entry, text: String)]

        static func == (left: Parts, right: Parts) -> Bool {
            left.introduction == right.introduction && left.entries.map(\.text) == right.entries.map(\.text)
        }

        init?(_ text: String) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            let first = lines.firstIndex { $0.hasPrefix("## ") } ?? lines.count
            var introduction = lines[..<first]
            while introduction.last?.isEmpty == true { introduction.removeLast() }
            self.introduction = introduction.joined(separator: "\n")
            entries = []
            var current: [Substring] = []
            for line in lines[first...] {
                if current.isEmpty && line.isEmpty { continue }
                current.append(line)
                guard line.hasPrefix(markerPrefix) else { continue }
                let text = current.joined(separator: "\n") + "\n"
                guard let entry = MilestoneLog.entries(in: text).first else { return nil }
                entries.append((entry, text))
                current = []
            }
            guard current.isEmpty else { return nil }
        }

        var text: String {
            let body = entries.map(\.text).joined(separator: "\n")
            if introduction.isEmpty { return body }
            return introduction + "\n" + (body.isEmpty ? "" : "\n" + body)
        }
    }

    /// The log without the entries of the tag object `tag`; nil when it cannot be read as entries.
    static func removing(tag: ObjectID, from text: String) -> String? {
        guard var parts = Parts(text) else { return nil }
        parts.entries.removeAll { $0.entry.tag == tag }
        return parts.text
    }

    /// Merges two versions of a log that grew apart from `base`, entry by entry: an entry either
    /// side added is kept, one either side took out goes, and the entries are ordered newest
    /// first by `tag` (the tag's date, and the tag a correction replaced; entries whose tag cannot
    /// be read keep their place). Nil when the two
    /// sides changed one entry, or the introduction, in different ways, or when a version is not
    /// made of entries: then the log is a conflict for a person to settle.
    static func merge(base: String?, ours: String, theirs: String, tag: (Entry) -> (date: Date, supersedes: ObjectID?)?)
        -> String?
    {
        guard let ourParts = Parts(ours), let theirParts = Parts(theirs) else { return nil }
        let baseParts = base.map { Parts($0) } ?? Parts("")
        guard let baseParts else { return nil }
        let introduction: String
        if ourParts.introduction == theirParts.introduction || theirParts.introduction == baseParts.introduction {
            introduction = ourParts.introduction
        } else if ourParts.introduction == baseParts.introduction {
            introduction = theirParts.introduction
        } else {
            return nil
        }
        func texts(_ parts: Parts) -> [Entry: String] {
            Dictionary(parts.entries.map { ($0.entry, $0.text) }, uniquingKeysWith: { first, _ in first })
        }
        let baseTexts = texts(baseParts), ourTexts = texts(ourParts), theirTexts = texts(theirParts)
        var merged: [(entry: Entry, text: String)] = []
        var seen: Set<Entry> = []
        for (entry, text) in theirParts.entries + ourParts.entries where seen.insert(entry).inserted {
            let mine = ourTexts[entry], yours = theirTexts[entry], original = baseTexts[entry]
            switch (mine, yours) {
            case let (mine?, yours?):
                if mine == yours || yours == original { merged.append((entry, mine)) }
                else if mine == original { merged.append((entry, yours)) }
                else { return nil }
            case (let only?, nil), (nil, let only?):
                // Added on one side: kept. Taken out on one side: kept only if the other changed it.
                guard let original else { merged.append((entry, text)); continue }
                if only != original { return nil }
            case (nil, nil):
                continue
            }
        }
        // Newest first, a correction before the tag it replaced (made in the same second, its date
        // cannot tell); an entry whose tag cannot be read stays after the one before it.
        let dated = merged.enumerated().map { (position: $0.offset, item: $0.element, tag: tag($0.element.entry)) }
        let ordered = dated.sorted { left, right in
            if let leftTag = left.tag, let rightTag = right.tag {
                if leftTag.date != rightTag.date { return leftTag.date > rightTag.date }
                if leftTag.supersedes == right.item.entry.tag { return true }
                if rightTag.supersedes == left.item.entry.tag { return false }
            }
            return left.position < right.position
        }
        var result = Parts("")!
        result.introduction = introduction
        result.entries = ordered.map(\.item)
        return result.text
    }

    /// `2024-12-16`, in the tagger's own time zone.
    static func day(_ signature: Signature) -> String {
        ISODate.formatDay(signature.date, offsetMinutes: signature.timeZoneOffset)
    }

    /// `2024-12-16 10:00 +0100`, in the tagger's own time zone.
    static func timestamp(_ signature: Signature) -> String {
        ISODate.formatShort(signature.date, offsetMinutes: signature.timeZoneOffset)
    }
}

extension SectionSummary {
    /// How many sections the summary names.
    var count: Int { added.count + removed.count + changed.count + renamed.count }
}
