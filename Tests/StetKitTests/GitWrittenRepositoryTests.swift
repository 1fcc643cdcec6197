import Foundation
import GitStore
import StetKit
import StetTestSupport
import Testing

/// stet reads any repository the git CLI wrote.
@Suite("Repositories written by the git CLI")
struct GitWrittenRepositoryTests {
    /// A history made only with git: nested parts, a rename, a writer's branch merged, a tag.
    func history(_ sandbox: Sandbox) throws {
        try sandbox.git("init", "-q", "-b", "main")
        try sandbox.git("config", "user.name", "Git Writer")
        try sandbox.git("config", "user.email", "git@example.org")
        let long = String(repeating: "Cities should publish how they use residents' data. ", count: 12)
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\n\(long)\n")
        try sandbox.write("repo/drafts/02-governance/01-data-privacy.md", "---\nid: privacy\ntitle: Privacy\n---\nText.\n")
        try sandbox.write("repo/drafts/figure.png", "not a section")
        try sandbox.git("add", "-A")
        try sandbox.git("commit", "-q", "-m", "Zero draft")
        try sandbox.git("tag", "-a", "-m", "Approved", "first")
        try sandbox.git("checkout", "-q", "-b", "writer")
        try sandbox.write("repo/drafts/02-governance/01-data-privacy.md", "---\nid: privacy\ntitle: Privacy\n---\nText, revised.\n")
        try sandbox.git("commit", "-q", "-am", "Revise privacy\n\nAddresses: OC-0042")
        try sandbox.git("checkout", "-q", "main")
        try sandbox.git("mv", "drafts/01-preamble.md", "drafts/00-preamble.md")
        try sandbox.git("commit", "-q", "-m", "Renumber the preamble")
        try sandbox.write("repo/drafts/00-preamble.md", "# Preamble\n\n\(long)\nAdded sentence.\n")
        try sandbox.git("commit", "-q", "-am", "Extend the preamble")
        try sandbox.git("merge", "-q", "--no-ff", "-m", "Merge the writer's branch", "writer")
    }

    @Test func readsDraftsAtRevisions() throws {
        let sandbox = try Sandbox()
        try history(sandbox)
        let repository = try DocumentRepository.open(at: sandbox.path + "/repo/drafts", environment: sandbox.environment)
        let first = try repository.draft(at: "first")
        #expect(first.sections.map(\.id) == ["preamble", "governance/data-privacy"].map { $0 == "governance/data-privacy" ? "privacy" : $0 })
        #expect(first.sections.map(\.path) == ["drafts/01-preamble.md", "drafts/02-governance/01-data-privacy.md"])
        let head = try repository.draft(at: "HEAD")
        #expect(head.sections.map(\.path) == ["drafts/00-preamble.md", "drafts/02-governance/01-data-privacy.md"])
        #expect(head.section(named: "privacy")?.body == "Text, revised.\n")
        #expect(try repository.draft(at: "HEAD~1").section(named: "privacy")?.body == "Text.\n")
        #expect(try repository.status().isClean)
    }

    @Test func sectionLogFollowsRenamesAndMerges() throws {
        let sandbox = try Sandbox()
        try history(sandbox)
        let repository = try DocumentRepository.open(at: sandbox.path + "/repo", environment: sandbox.environment)
        let preamble = try repository.log(section: "preamble").map(\.commit.summary)
        #expect(preamble == ["Extend the preamble", "Renumber the preamble", "Zero draft"])
        let privacy = try repository.log(section: "privacy")
        #expect(privacy.map(\.commit.summary) == ["Revise privacy", "Zero draft"])
        #expect(privacy[0].commit.trailers == [Trailer(key: "Addresses", value: "OC-0042")])
        let all = try repository.log(since: "first").map(\.commit.summary)
        #expect(all.count == 4 && all[0] == "Merge the writer's branch" && !all.contains("Zero draft"))
        let renumber = try #require(try repository.log().first { $0.commit.summary == "Renumber the preamble" })
        #expect(renumber.sections.map { "\($0.kind) \($0.id) \($0.oldPath ?? "")" } == ["renamed preamble drafts/01-preamble.md"])
    }

    @Test func statusSeesEditsMadeOutsideStet() throws {
        let sandbox = try Sandbox()
        try history(sandbox)
        try sandbox.write("repo/drafts/02-governance/01-data-privacy.md", "---\nid: privacy\ntitle: Privacy\n---\nChanged.\n")
        try sandbox.git("mv", "drafts/00-preamble.md", "drafts/05-preamble.md")
        try sandbox.write("repo/drafts/notes.txt", "scratch")
        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/drafts/figure.png")
        let repository = try DocumentRepository.open(at: sandbox.path + "/repo", environment: sandbox.environment)
        let status = try repository.status()
        #expect(status.changes.map { "\($0.kind) \($0.id) \($0.path)" }
            == ["modified privacy drafts/02-governance/01-data-privacy.md", "renamed preamble drafts/05-preamble.md"])
        #expect(status.otherFiles == ["drafts/notes.txt"])
    }
}
