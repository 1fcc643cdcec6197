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
}
