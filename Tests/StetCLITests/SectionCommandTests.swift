import Foundation
import StetTestSupport
import Testing

/// Section files managed without editing YAML or renaming by hand: links between sections follow
/// every rename, and links that name no section are reported.
@Suite("stet section list, new, rename, move, delete; links between sections")
struct SectionCommandTests {
    static let alpha = """
        ---
        id: alpha
        title: Alpha
        ---

        # Alpha

        See [the beta section](02-beta.md), [its scope](./02-beta.md#scope) and [gamma][g].
        Code keeps its text: `[x](02-beta.md)`.

        ```
        [y](02-beta.md)
        ```

        [g]: 03-gamma.md "Gamma"

        """

    func started() throws -> Sandbox {
        try Sandbox.committed([
            "drafts/01-alpha.md": Self.alpha,
            "drafts/02-beta.md": "# Beta\n\nBeta text about data and the people it describes.\n",
            "drafts/03-gamma.md": "# Gamma\n\nGamma text.\n",
        ])
    }

    @Test func renumberingRewritesTheLinksToTheRenamedFiles() throws {
        let sandbox = try started()
        let created = try sandbox.stet("section", "new", "Scope", "--after", "alpha")
        #expect(created.status == 0, "\(created.error)")
        #expect(created.output.contains("links updated in drafts/01-alpha.md"))
        let text = try sandbox.read("repo/drafts/01-alpha.md")
        #expect(text.contains("[the beta section](03-beta.md), [its scope](./03-beta.md#scope)"), "\(text)")
        #expect(text.contains("[g]: 04-gamma.md \"Gamma\""))
        #expect(text.contains("`[x](02-beta.md)`") && text.contains("[y](02-beta.md)\n```"), "code is text, not links")
        let status = try sandbox.stet("status")
        #expect(!status.error.contains("names no section"), "\(status.error)")
        #expect(try sandbox.stet("commit", "-m", "Add scope").status == 0)
        #expect(try sandbox.git("show", "HEAD:drafts/01-alpha.md").contains("(03-beta.md)"))
        try sandbox.git("fsck", "--strict")
    }

    @Test func statusAndCommitNameLinksToNoSection() throws {
        let sandbox = try started()
        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/drafts/02-beta.md")
        let status = try sandbox.stet("status")
        #expect(status.error.contains("drafts/01-alpha.md, line 8: the link to 02-beta.md names no section"), "\(status.error)")
        #expect(!status.error.contains("line 9"), "the link in a code span is no link")
        try sandbox.write("repo/drafts/03-gamma.md", "# Gamma\n\nSee [beta](02-beta.md).\n")
        let commit = try sandbox.stet("commit", "-m", "Drop beta", "gamma")
        #expect(commit.status == 0)
        #expect(commit.error.contains("drafts/03-gamma.md, line 3: the link to 02-beta.md names no section"), "\(commit.error)")
    }

    @Test func listShowsOrderIdsTitlesPathsAndWords() throws {
        let sandbox = try started()
        let list = try sandbox.stet("section", "list")
        #expect(list.status == 0)
        let lines = list.output.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("  2  beta") && lines[1].contains("Beta") && lines[1].hasSuffix("drafts/02-beta.md  10 words"),
                "\(list.output)")
        #expect(lines[3].hasPrefix("3 sections, "))
    }

    @Test func renameChangesTheTitleAndTheFileButNotTheId() throws {
        let sandbox = try started()
        let renamed = try sandbox.stet("section", "rename", "beta", "Data: who holds it")
        #expect(renamed.status == 0, "\(renamed.error)")
        #expect(renamed.output.contains("renamed drafts/02-beta.md -> drafts/02-data-who-holds-it.md"))
        let text = try sandbox.read("repo/drafts/02-data-who-holds-it.md")
        #expect(text.hasPrefix("---\nid: beta\ntitle: \"Data: who holds it\"\n---\n# Data: who holds it\n"), "\(text)")
        #expect(try sandbox.read("repo/drafts/01-alpha.md").contains("(02-data-who-holds-it.md)"))
        #expect(try sandbox.stet("commit", "-m", "Retitle beta").status == 0)
        #expect(try sandbox.git("ls-tree", "--name-only", "HEAD", "drafts/") == "drafts/.gitkeep\ndrafts/01-alpha.md\ndrafts/02-data-who-holds-it.md\ndrafts/03-gamma.md\n")
        let log = try sandbox.stet("log", "beta")
        #expect(log.output.contains("Retitle beta") && log.output.contains("Zero draft"), "\(log.output)")
    }

    @Test func moveRenumbersAndKeepsIdsAndLinks() throws {
        let sandbox = try started()
        let moved = try sandbox.stet("section", "move", "gamma", "--before", "beta")
        #expect(moved.status == 0, "\(moved.error)")
        #expect(try sandbox.read("repo/drafts/01-alpha.md").contains("[g]: 02-gamma.md"))
        #expect(try sandbox.read("repo/drafts/01-alpha.md").contains("(03-beta.md)"))
        #expect(try sandbox.stet("commit", "-m", "Gamma before beta").status == 0)
        let draft = try sandbox.stet("show", "HEAD").output
        let places = ["# Alpha", "# Gamma", "# Beta"].compactMap { draft.range(of: $0)?.lowerBound }
        #expect(places.count == 3 && places == places.sorted(), "\(draft)")
        let status = try sandbox.stet("section", "move", "gamma", "--after", "alpha")
        #expect(status.status == 64 && status.error.contains("already after"))
        let nowhere = try sandbox.stet("section", "move", "gamma")
        #expect(nowhere.status == 64 && nowhere.error.contains("--after SECTION or --before SECTION"))
    }

    @Test func deleteKeepsWorkThatIsNotCommitted() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nAn edit not yet committed.\n")
        let refused = try sandbox.stet("section", "delete", "beta")
        #expect(refused.status == 65 && refused.error.contains("edits that are not committed"), "\(refused.error)")
        #expect(sandbox.exists("repo/drafts/02-beta.md"))
        #expect(try sandbox.stet("commit", "-m", "Edit beta").status == 0)
        let deleted = try sandbox.stet("section", "delete", "Beta")
        #expect(deleted.status == 0, "\(deleted.error)")
        #expect(deleted.error.contains("drafts/01-alpha.md, line 8: the link to 02-beta.md names no section"))
        #expect(!sandbox.exists("repo/drafts/02-beta.md"))
        #expect(try sandbox.stet("commit", "-m", "Drop beta").status == 0)
        #expect(try sandbox.git("show", "--name-status", "--format=", "HEAD") == "D\tdrafts/02-beta.md\n")
    }

    @Test func unknownSectionsAreSuggestedByTitleOrListed() throws {
        let sandbox = try started()
        let byTitle = try sandbox.stet("section", "rename", "Gama", "New")
        #expect(byTitle.status == 66 && byTitle.error.contains("did you mean 'gamma'"), "\(byTitle.error)")
        let nothing = try sandbox.stet("section", "delete", "zzzzzzzz")
        #expect(nothing.status == 66 && nothing.error.contains("the sections are: alpha, beta, gamma"), "\(nothing.error)")
    }
}
