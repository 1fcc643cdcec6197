import Foundation
import StetTestSupport
import Testing

/// A shared repository, the secretariat's clone (`repo`) and Ben's (`ben`), each of which tagged
/// milestone `first` on a commit of its own before either synced; the secretariat synced first,
/// so the shared repository has its tag. Returns the two tags.
private func twoFirsts() throws -> (Sandbox, secretariat: String, ben: String) {
    let sandbox = try Sandbox()
    #expect(try sandbox.stet("init", "--shared", "shared.git", in: ".").status == 0)
    #expect(try sandbox.stet("init", "repo", "--title", "Smart Cities", in: ".").status == 0)
    try sandbox.write("repo/drafts/01-part1.md", "# Part 1\n\nThe first paragraph of part 1.\n")
    #expect(try sandbox.stet("commit", "-m", "Zero draft").status == 0)
    #expect(try sandbox.stet("remote", "add", "origin", sandbox.path + "/shared.git").status == 0)
    #expect(try sandbox.stet("sync").status == 0)
    #expect(try sandbox.stet("clone", sandbox.path + "/shared.git", "ben", in: ".").status == 0)

    try sandbox.write("repo/drafts/01-part1.md", "# Part 1\n\nThe first paragraph of part 1, approved.\n")
    #expect(try sandbox.stet("commit", "-m", "As approved").status == 0)
    #expect(try sandbox.stet("tag", "first", "-m", "Approved by the Expert Working Group",
                             "--date", "2024-08-15T17:00:00+03:00").status == 0)
    #expect(try sandbox.stet("sync").status == 0)
    let ben = "Ben Okafor <ben@example.org>"
    #expect(try sandbox.stet("tag", "first", "-m", "Approved, as Ben heard it", "--date", "2024-08-15T18:00:00+03:00",
                             in: "ben", author: ben).status == 0)
    return (sandbox, try sandbox.git("rev-parse", "first").trimmed, try sandbox.git("rev-parse", "first", in: "ben").trimmed)
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

@Suite("stet settle: one milestone tagged in two places")
struct SettleTests {
    let ben = "Ben Okafor <ben@example.org>"

    @Test func theSyncAlarmNamesTheCommandsThatSettleIt() throws {
        let (sandbox, _, _) = try twoFirsts()
        let before = try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags", "refs/stet/superseded"])
        let alarm = try sandbox.stet("sync", in: "ben", author: ben)
        #expect(alarm.status == 65)
        #expect(alarm.error.contains("milestone 'first' differs"))
        #expect(alarm.error.contains("stet settle first --theirs -m WHY takes origin's"), "\(alarm.error)")
        #expect(alarm.error.contains("stet settle first --ours -m WHY keeps this one"))
        #expect(try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags", "refs/stet/superseded"]) == before)
    }

    @Test func takingTheirsSetsThisTagAsideAndTheTeamAgrees() throws {
        let (sandbox, secretariat, bens) = try twoFirsts()
        let settled = try sandbox.stet("settle", "first", "--theirs", "-m", "The secretariat's tag was sent first",
                                       in: "ben", author: ben)
        #expect(settled.status == 0, "\(settled.error)")
        #expect(settled.output.contains("Set aside tag \(bens.prefix(7)) of first, kept as refs/stet/settled/first/1"))
        #expect(try sandbox.git("rev-parse", "first", in: "ben").trimmed == secretariat)
        // The record is a tag on the tag set aside, readable by any git client.
        let record = try sandbox.git("cat-file", "-p", "refs/stet/settled/first/1", in: "ben")
        #expect(record.hasPrefix("object \(bens)\ntype tag\ntag first\ntagger Ben Okafor <ben@example.org>"))
        #expect(record.contains("The secretariat's tag was sent first") && record.contains("Kept: \(secretariat)")
            && record.contains("Discarded: \(bens)"))

        let synced = try sandbox.stet("sync", in: "ben", author: ben)
        #expect(synced.status == 0, "\(synced.error)")
        #expect(synced.output.contains("sent milestone settlements: first"))
        let adopted = try sandbox.stet("sync")
        #expect(adopted.output.contains("milestone settlements received: first"), "\(adopted.output)")
        for clone in ["repo", "ben"] {
            let verified = try sandbox.stet("verify", in: clone)
            #expect(verified.status == 0, "\(clone): \(verified.output)\(verified.error)")
            #expect(verified.output.contains("tag \(bens.prefix(7)) set aside for \(secretariat.prefix(7))"))
            let log = try sandbox.read(clone + "/CHANGELOG.md")
            #expect(log.components(separatedBy: "<!-- stet:milestone name=first").count == 2)
            #expect(log.contains("tag=\(secretariat)"))
        }
        #expect(try sandbox.git("rev-parse", "refs/stet/settled/first/1", in: "shared.git")
            == (try sandbox.git("rev-parse", "refs/stet/settled/first/1", in: "ben")))
        try sandbox.git("fsck", "--strict", in: "shared.git")
        try sandbox.git("fsck", "--strict", in: "repo")
    }

    @Test func keepingOursCorrectsTheSharedMilestoneWithTheRecordOfBoth() throws {
        let (sandbox, secretariat, bens) = try twoFirsts()
        let settled = try sandbox.stet("settle", "first", "--ours", "-m", "The group approved Ben's draft",
                                       in: "ben", author: ben)
        #expect(settled.status == 0, "\(settled.error)")
        #expect(settled.output.contains("origin's tag is kept as refs/stet/superseded/first/1"))
        let corrected = try sandbox.git("rev-parse", "first", in: "ben").trimmed
        let message = try sandbox.git("cat-file", "-p", corrected, in: "ben")
        #expect(message.contains("Approved, as Ben heard it") && message.contains("Supersedes: \(secretariat)")
            && message.contains("Correction: The group approved Ben's draft"), "\(message)")
        #expect(try sandbox.git("rev-parse", "first^{commit}", in: "ben") == (try sandbox.git("rev-parse", "\(bens)^{commit}", in: "ben")))

        #expect(try sandbox.stet("sync", in: "ben", author: ben).status == 0)
        let adopted = try sandbox.stet("sync")
        #expect(adopted.status == 0 && adopted.output.contains("corrected milestones adopted: first"), "\(adopted.output)")
        #expect(try sandbox.git("rev-parse", "first", in: "shared.git").trimmed == corrected)
        #expect(try sandbox.git("rev-parse", "refs/stet/superseded/first/1", in: "shared.git").trimmed == secretariat)
        for clone in ["repo", "ben"] {
            let verified = try sandbox.stet("verify", in: clone)
            #expect(verified.status == 0, "\(clone): \(verified.output)\(verified.error)")
            // The merged log lists the correction first, then the tag it replaced.
            let markers = try sandbox.read(clone + "/CHANGELOG.md").split(separator: "\n").filter { $0.hasPrefix("<!-- stet:milestone") }
            #expect(markers.count == 2 && markers[0].contains(corrected) && markers[1].contains(secretariat), "\(markers)")
        }
        try sandbox.git("fsck", "--strict", in: "shared.git")
    }

    /// A record put under refs/stet/superseded/ by hand (with git), which the shared repository
    /// will never let anyone delete: verify says how to settle it, and stet settle does.
    @Test func aRecordMadeByHandIsSettledWithAReason() throws {
        let (sandbox, _, bens) = try twoFirsts()
        try sandbox.git("update-ref", "refs/stet/superseded/first/1", bens, in: "ben")
        try sandbox.git("push", "-q", "origin", "refs/stet/superseded/first/1", in: "ben")
        #expect(try sandbox.stet("sync").status == 0)
        let broken = try sandbox.stet("verify")
        #expect(broken.status == 1)
        #expect(broken.error.contains("no correction names it") && broken.error.contains("stet settle first -m WHY"),
                "\(broken.error)")
        let settled = try sandbox.stet("settle", "first", "-m", "Ben's tag, kept by hand while settling a conflict")
        #expect(settled.status == 0, "\(settled.error)")
        #expect(try sandbox.stet("verify").status == 0)
        #expect(try sandbox.stet("sync").output.contains("sent milestone settlements: first"))
        let again = try sandbox.stet("settle", "first", "-m", "Again")
        #expect(again.status == 65 && again.error.contains("nothing to settle"))
    }

    @Test func settlingIsRefusedWithAReason() throws {
        let (sandbox, _, _) = try twoFirsts()
        let both = try sandbox.stet("settle", "first", "--ours", "--theirs", "-m", "Both", in: "ben")
        #expect(both.status == 64 && both.error.contains("--ours and --theirs exclude each other"))
        let unknown = try sandbox.stet("settle", "frist", "--theirs", "-m", "Typo", in: "ben")
        #expect(unknown.status == 64 && unknown.error.contains("did you mean 'first'"))
        let same = try sandbox.stet("settle", "first", "--theirs", "-m", "Nothing differs")
        #expect(same.status == 65 && same.error.contains("is the same here and on origin"), "\(same.error)")
        let empty = try sandbox.stet("settle", "first", "--theirs", "-m", " ", in: "ben")
        #expect(empty.status == 64 && empty.error.contains("empty reason"))
        #expect(try sandbox.stet("tag", "second", "-m", "Second", in: "ben").status == 0)
        let later = try sandbox.stet("settle", "first", "--theirs", "-m", "Too late", in: "ben")
        #expect(later.status == 65 && later.error.contains("the later milestone 'second' is tagged here"), "\(later.error)")
    }
}
