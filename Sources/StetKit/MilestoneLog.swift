import Foundation
import GitStore

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

    /// `2024-12-16`, in the tagger's own time zone.
    static func day(_ signature: Signature) -> String {
        format(signature, "yyyy-MM-dd")
    }

    /// `2024-12-16 10:00 +0100`, in the tagger's own time zone.
    static func timestamp(_ signature: Signature) -> String {
        format(signature, "yyyy-MM-dd HH:mm Z")
    }

    private static func format(_ signature: Signature, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: signature.timeZoneOffset * 60)
        formatter.dateFormat = pattern
        return formatter.string(from: signature.date)
    }
}

extension SectionSummary {
    /// How many sections the summary names.
    var count: Int { added.count + removed.count + changed.count + renamed.count }
}
