import Foundation
import GitStore
@testable import StetKit
import Testing

@Suite("The milestone log: entries and markers")
struct MilestoneLogTests {
    let tagID = ObjectID(hex: String(repeating: "a", count: 40))!
    let commitID = ObjectID(hex: String(repeating: "b", count: 40))!

    func milestone(_ message: String) throws -> Milestone {
        let tagger = Signature(name: "Secretariat", email: "s@example.org", date: Date(timeIntervalSince1970: 1_723_716_000),
                               timeZoneOffset: 180)
        return Milestone(name: "first", tag: tagID, commit: commitID, tagger: tagger, message: message, isSigned: false)
    }

    @Test func anEntryReadsBackFromItsMarker() throws {
        let entry = MilestoneLog.entry(for: try milestone("Approved\n"), previous: nil, sections: SectionSummary([], relativePath: { $0 }),
                                       contributors: [], superseded: nil)
        let text = MilestoneLog.inserting(entry, into: MilestoneLog.initialText(title: "Guidelines"))
        #expect(text.hasPrefix("# Milestones of Guidelines\n\nEach milestone"))
        #expect(text.contains("## first: 2024-08-15\n\n> Approved\n"))
        #expect(MilestoneLog.entries(in: text) == [.init(name: "first", tag: tagID, commit: commitID)])
    }

    @Test func newerEntriesComeFirst() throws {
        var text = MilestoneLog.initialText(title: "G")
        for name in ["first", "second"] {
            var item = try milestone("Approved")
            item.name = name
            text = MilestoneLog.inserting(MilestoneLog.entry(for: item, previous: nil, sections: .init([], relativePath: { $0 }),
                                                             contributors: [], superseded: nil), into: text)
        }
        #expect(MilestoneLog.entries(in: text).map(\.name) == ["second", "first"])
    }

    @Test func aMessageCannotForgeAnEntry() throws {
        let forged = "Approved\n<!-- stet:milestone name=final tag=\(tagID.hex) commit=\(commitID.hex) -->\n"
        let entry = MilestoneLog.entry(for: try milestone(forged), previous: nil, sections: .init([], relativePath: { $0 }),
                                       contributors: [], superseded: nil)
        #expect(MilestoneLog.entries(in: entry).map(\.name) == ["first"])
    }

    @Test func theApprovalTextLeavesCorrectionTrailersOut() {
        let message = "Approved by the EGM\n\nCorrected-from: abc\nSupersedes: def\nCorrection: typo\n"
        #expect(DocumentRepository.approvalText(message) == "Approved by the EGM")
        #expect(DocumentRepository.approvalText("Approved\n\nReviewed-by: X\n") == "Approved\n\nReviewed-by: X")
    }

    /// A log with an entry per (name, tag letter, hour), newest first, as `stet tag` writes them.
    func log(_ entries: [(String, Character, Int)]) throws -> (text: String, tags: [ObjectID: Date]) {
        var text = MilestoneLog.initialText(title: "G")
        var dates: [ObjectID: Date] = [:]
        for (name, letter, hour) in entries.reversed() {
            var item = try milestone("Approved \(letter)")
            item.name = name
            item.tag = ObjectID(hex: String(repeating: letter, count: 40))!
            item.tagger.date = Date(timeIntervalSince1970: 1_723_716_000 + Double(hour) * 3600)
            dates[item.tag] = item.tagger.date
            text = MilestoneLog.inserting(MilestoneLog.entry(for: item, previous: nil, sections: .init([], relativePath: { $0 }),
                                                             contributors: [], superseded: nil), into: text)
        }
        return (text, dates)
    }

    @Test func logsMergeEntryByEntryNewestFirst() throws {
        let base = try log([("first", "a", 1)])
        let ours = try log([("second", "c", 3), ("first", "a", 1)])
        let theirs = try log([("second", "d", 2), ("first", "a", 1)])
        let dates = ours.tags.merging(theirs.tags) { first, _ in first }
        let merged = try #require(MilestoneLog.merge(base: base.text, ours: ours.text, theirs: theirs.text) { entry in
            dates[entry.tag].map { ($0, nil) }
        })
        #expect(MilestoneLog.entries(in: merged).map { String($0.tag.hex.prefix(1)) } == ["c", "d", "a"])
        #expect(merged.hasPrefix(MilestoneLog.initialText(title: "G")))
        // What one side took out stays out; the other side's additions stay in.
        let removed = try #require(MilestoneLog.removing(tag: ObjectID(hex: String(repeating: "c", count: 40))!, from: ours.text))
        #expect(removed == base.text)
        let again = try #require(MilestoneLog.merge(base: ours.text, ours: removed, theirs: merged) { dates[$0.tag].map { ($0, nil) } })
        #expect(MilestoneLog.entries(in: again).map { String($0.tag.hex.prefix(1)) } == ["d", "a"])
    }

    @Test func logsEditedByHandAreLeftToAPerson() throws {
        let base = try log([("first", "a", 1)])
        let ours = base.text.replacingOccurrences(of: "> Approved a", with: "> Approved a, ours")
        let theirs = base.text.replacingOccurrences(of: "> Approved a", with: "> Approved a, theirs")
        #expect(MilestoneLog.merge(base: base.text, ours: ours, theirs: theirs) { _ in nil } == nil)
        #expect(MilestoneLog.merge(base: base.text, ours: ours, theirs: base.text) { _ in nil } == ours)
        #expect(MilestoneLog.merge(base: base.text, ours: base.text + "A note after the entries.\n", theirs: theirs) { _ in nil } == nil)
    }
}
