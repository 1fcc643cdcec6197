import Foundation
import StetTestSupport
import Testing

@Suite("git's index: held, stale or staged, it never changes what stet records")
struct IndexTests {
    /// A repository with three committed sections.
    func started() throws -> Sandbox {
        let sandbox = try Sandbox.committed([
            "drafts/01-alpha.md": "# Alpha\n\nAlpha text.\n",
            "drafts/02-beta.md": "# Beta\n\nBeta text.\n",
            "drafts/03-delta.md": "# Delta\n\nDelta text.\n",
        ])
        return sandbox
    }

    /// One kind of change, committed while another program holds `.git/index.lock`, then an
    /// unrelated edit: each commit records exactly its own change, as the git CLI reads them.
    @Test(arguments: ["added", "edited", "renamed", "deleted"])
    func aCommitMadeWhileTheIndexIsHeldLosesNothing(kind: String) throws {
        let sandbox = try started()
        let expected: String
        switch kind {
        case "added":
            try sandbox.write("repo/drafts/04-gamma.md", "# Gamma\n\nGamma text.\n")
            expected = "A\tdrafts/04-gamma.md\n"
        case "edited":
            try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nBeta text, edited.\n")
            expected = "M\tdrafts/02-beta.md\n"
        case "renamed":
            try FileManager.default.moveItem(atPath: sandbox.path + "/repo/drafts/02-beta.md",
                                             toPath: sandbox.path + "/repo/drafts/05-beta.md")
            expected = "R100\tdrafts/02-beta.md\tdrafts/05-beta.md\n"
        default:
            try FileManager.default.removeItem(atPath: sandbox.path + "/repo/drafts/02-beta.md")
            expected = "D\tdrafts/02-beta.md\n"
        }
        try sandbox.write("repo/.git/index.lock", "")
        let held = try sandbox.stet("commit", "-m", "The \(kind) section")
        #expect(held.status == 0, "\(held.error)")
        #expect(held.error.contains("git's index could not be updated"))
        #expect(try sandbox.git("show", "--name-status", "--format=", "HEAD") == expected)
        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/.git/index.lock")

        let status = try sandbox.stet("status")
        #expect(status.status == 0 && status.output.hasPrefix("No section changed"), "\(status.output)")
        // stet's status brought the index up to date: the git CLI agrees nothing changed.
        #expect(try sandbox.git("status", "--porcelain") == "")

        try sandbox.write("repo/drafts/01-alpha.md", "# Alpha\n\nAlpha text, edited.\n")
        let next = try sandbox.stet("commit", "-m", "Edit alpha")
        #expect(next.status == 0, "\(next.error)")
        #expect(next.output.contains("alpha modified") && !next.output.contains(","), "\(next.output)")
        #expect(try sandbox.git("show", "--name-status", "--format=", "HEAD") == "M\tdrafts/01-alpha.md\n")
        let files = try sandbox.git("ls-tree", "--name-only", "HEAD", "drafts/")
        #expect(files.contains("04-gamma.md") == (kind == "added"))
        #expect(files.contains("02-beta.md") == (kind == "added" || kind == "edited"))
        try sandbox.git("fsck", "--strict")
    }

    /// The index left behind by a held lock is a trap for status too, not only for commit: an
    /// edited section whose commit could not update the index shows no change, and commit says
    /// there is nothing to commit instead of making an empty commit.
    @Test func aStaleIndexMakesNoEmptyCommit() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nBeta text, edited.\n")
        try sandbox.write("repo/.git/index.lock", "")
        #expect(try sandbox.stet("commit", "-m", "Edit beta").status == 0)
        let commits = try sandbox.git("rev-list", "--count", "HEAD")
        // Still held: status reads the working files against HEAD and cannot repair the index.
        let status = try sandbox.stet("status")
        #expect(status.output.hasPrefix("No section changed"), "\(status.output)")
        let again = try sandbox.stet("commit", "-m", "Nothing")
        #expect(again.status == 2)
        #expect(try sandbox.git("rev-list", "--count", "HEAD") == commits)
        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/.git/index.lock")
    }

    /// Changes staged with `git add` are the git user's: stet neither counts them as committed
    /// nor throws them away.
    @Test func changesStagedWithGitAreNeitherTrustedNorDropped() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nStaged text.\n")
        try sandbox.git("add", "drafts/02-beta.md")
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nStaged, then edited again.\n")
        let status = try sandbox.stet("status")
        #expect(status.output.contains("modified   Beta (beta)  drafts/02-beta.md"), "\(status.output)")
        #expect(try sandbox.git("diff", "--cached", "--name-only") == "drafts/02-beta.md\n")
    }

    /// A copied repository (every timestamp new) has a stale stat cache: the first status
    /// hashes the files and writes the refreshed index, which git's plumbing then trusts.
    @Test func statusRefreshesAStaleStatCacheOnce() throws {
        let sandbox = try started()
        let copy = sandbox.path + "/copy"
        #expect(try sandbox.run("/bin/cp", ["-r", sandbox.path + "/repo", copy], in: ".").status == 0)
        // diff-files never refreshes: it names every file whose stat data differ from the index.
        #expect(try sandbox.git("diff-files", "--name-only", in: "copy").contains("drafts/01-alpha.md"))
        let status = try sandbox.stet("status", in: "copy")
        #expect(status.output.hasPrefix("No section changed"))
        #expect(try sandbox.git("diff-files", "--name-only", "--", "drafts", in: "copy") == "")
    }

    /// Another stet command writing, or the index held: status answers at once, right, and
    /// leaves the index alone.
    @Test func statusUnderAHeldIndexIsRightAndWritesNothing() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/03-delta.md", "# Delta\n\nDelta text, edited.\n")
        try sandbox.write("repo/.git/index.lock", "")
        let index = sandbox.path + "/repo/.git/index"
        let before = try #require(FileManager.default.contents(atPath: index))
        let status = try sandbox.stet("status")
        #expect(status.status == 0)
        #expect(status.output.contains("modified   Delta (delta)  drafts/03-delta.md"))
        #expect(FileManager.default.contents(atPath: index) == before)
    }
}
