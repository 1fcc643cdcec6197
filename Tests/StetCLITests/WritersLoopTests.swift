import Foundation
import StetTestSupport
import Testing

@Suite("stet init, section new, status, commit, log, show")
struct WritersLoopTests {
    /// A new stet repository with two committed sections.
    func started() throws -> Sandbox {
        let sandbox = try Sandbox()
        let created = try sandbox.stet("init", "repo", "--title", "People-Centred Smart Cities", in: ".")
        #expect(created.status == 0, "\(created.error)")
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for people.\n")
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays with residents.\n")
        let committed = try sandbox.stet("commit", "-m", "Zero draft")
        #expect(committed.status == 0, "\(committed.error)")
        return sandbox
    }

    @Test func initMakesACleanRepositoryOnMain() throws {
        let sandbox = try started()
        #expect(try sandbox.git("symbolic-ref", "HEAD") == "refs/heads/main\n")
        #expect(try sandbox.git("ls-tree", "-r", "--name-only", "HEAD~1")
            == "CHANGELOG.md\ndrafts/.gitkeep\nstet.yml\ntemplates/.gitkeep\n")
        #expect(try sandbox.read("repo/stet.yml").contains("title: \"People-Centred Smart Cities\""))
        #expect(try sandbox.git("status", "--porcelain") == "")
        try sandbox.git("fsck", "--strict")

        let again = try sandbox.stet("init", "repo", in: ".")
        #expect(again.status == 73)
        #expect(again.error.contains("is a stet repository already"))
    }

    @Test func initAdoptsAGitRepository() throws {
        let sandbox = try Sandbox()
        try sandbox.git("init", "-q", "-b", "trunk")
        try sandbox.write("repo/README.md", "Existing\n")
        try sandbox.git("add", "README.md")
        try sandbox.git("commit", "-q", "-m", "Existing work")
        let result = try sandbox.stet("init")
        #expect(result.status == 0, "\(result.error)")
        #expect(try sandbox.git("log", "--format=%s", "trunk") == "Start the document repository of repo\nExisting work\n")
    }

    @Test func commitRecordsAuthorMessageAndTrailers() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays with residents and their councils.\n")
        let result = try sandbox.stet("commit", "-m", "Name councils\n\nThe consultation asked who holds data.",
                                      "data-governance", "--author", "Ben Okafor <ben@example.org>",
                                      "--addresses", "OC-0123", "--addresses", "OC-0124", "--trailer", "Reviewed-by=EWG",
                                      "--date", "2024-08-15T10:30:00+02:00")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("Committed ") && result.output.contains("data-governance modified"))
        #expect(try sandbox.git("log", "-1", "--format=%an <%ae>|%ad|%cn", "--date=iso")
            == "Ben Okafor <ben@example.org>|2024-08-15 10:30:00 +0200|Ben Okafor\n")
        let message = try sandbox.git("log", "-1", "--format=%B")
        #expect(message == "Name councils\n\nThe consultation asked who holds data.\n\nAddresses: OC-0123\nAddresses: OC-0124\nReviewed-by: EWG\n\n")
        let parsed = try sandbox.run("/usr/bin/git", ["interpret-trailers", "--parse"], input: message)
        #expect(parsed.output == "Addresses: OC-0123\nAddresses: OC-0124\nReviewed-by: EWG\n")
        #expect(try sandbox.git("status", "--porcelain") == "")
        try sandbox.git("fsck", "--strict")
    }

    @Test func identityComesFromEnvironmentThenGitConfig() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for all people.\n")
        let none = try sandbox.stet("commit", "-m", "Edit", author: nil)
        #expect(none.status == 64)
        #expect(none.error.contains("no identity") && none.error.contains("--author"))
        try sandbox.git("config", "user.name", "Chen Wei")
        try sandbox.git("config", "user.email", "chen@example.org")
        #expect(try sandbox.stet("commit", "-m", "Edit", author: nil).status == 0)
        #expect(try sandbox.git("log", "-1", "--format=%an") == "Chen Wei\n")
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for everyone.\n")
        #expect(try sandbox.stet("commit", "-m", "Edit", author: "Dana Ruiz <dana@example.org>").status == 0)
        #expect(try sandbox.git("log", "-1", "--format=%an") == "Dana Ruiz\n")
    }

    @Test func statusNamesEveryKindOfChange() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nChanged.\n")
        try FileManager.default.moveItem(atPath: sandbox.path + "/repo/drafts/01-preamble.md",
                                         toPath: sandbox.path + "/repo/drafts/00-preamble.md")
        try sandbox.write("repo/drafts/03-glossary.md", "# Glossary\n\nTerms.\n")
        try sandbox.write("repo/drafts/notes.txt", "A note to self")
        let status = try sandbox.stet("status", in: "repo/drafts")
        #expect(status.status == 0, "\(status.error)")
        #expect(status.output.contains("3 sections changed since the last commit"))
        #expect(status.output.contains("renamed    Preamble (preamble)  drafts/01-preamble.md -> drafts/00-preamble.md"))
        #expect(status.output.contains("modified   Data governance (data-governance)  drafts/02-data.md"))
        #expect(status.output.contains("added      Glossary (glossary)  drafts/03-glossary.md"))
        #expect(status.output.contains("not sections") && status.output.contains("  drafts/notes.txt"))

        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/drafts/03-glossary.md")
        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/drafts/02-data.md")
        #expect(try sandbox.stet("status").output.contains("deleted    Data governance (data-governance)  drafts/02-data.md"))
        #expect(try sandbox.stet("commit", "-m", "Drop data, renumber").status == 0)
        #expect(try sandbox.git("show", "--name-status", "--format=", "HEAD")
            == "R100\tdrafts/01-preamble.md\tdrafts/00-preamble.md\nD\tdrafts/02-data.md\n")
        #expect(try sandbox.stet("status").output.hasPrefix("No section changed"))
    }

    @Test func commitTakesOnlyTheNamedSections() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nEdited.\n")
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\n---\nEdited too.\n")
        #expect(try sandbox.stet("commit", "-m", "Only the preamble", "drafts/01-preamble.md").status == 0)
        #expect(try sandbox.git("show", "--name-only", "--format=", "HEAD") == "drafts/01-preamble.md\n")
        #expect(try sandbox.git("status", "--porcelain") == " M drafts/02-data.md\n")
    }

    @Test func sectionNewNumbersAndRenumbers() throws {
        let sandbox = try started()
        let end = try sandbox.stet("section", "new", "Financing: who pays?")
        #expect(end.status == 0, "\(end.error)")
        #expect(end.output == "Created drafts/03-financing-who-pays.md\n")
        #expect(try sandbox.read("repo/drafts/03-financing-who-pays.md")
            == "---\nid: financing-who-pays\ntitle: \"Financing: who pays?\"\n---\n\n# Financing: who pays?\n\n")
        let middle = try sandbox.stet("section", "new", "Scope", "--after", "preamble", "--id", "scope")
        #expect(middle.status == 0, "\(middle.error)")
        #expect(middle.output.contains("renumbered drafts/02-data.md -> drafts/03-data.md"))
        #expect(middle.output.contains("renumbered drafts/03-financing-who-pays.md -> drafts/04-financing-who-pays.md"))
        #expect(middle.output.hasSuffix("Created drafts/02-scope.md\n"))
        let status = try sandbox.stet("status").output
        #expect(status.contains("renamed    Data governance (data-governance)  drafts/02-data.md -> drafts/03-data.md"))
        let duplicate = try sandbox.stet("section", "new", "Scope again", "--id", "scope")
        #expect(duplicate.status == 73 && duplicate.error.contains("'scope' exists already: drafts/02-scope.md"))
        #expect(try sandbox.stet("commit", "-m", "Add scope and financing").status == 0)
        let show = try sandbox.stet("show", "HEAD").output
        #expect(show.hasPrefix("# Preamble\n\nCities are for people.\n\n# Scope\n"))
    }

    @Test func logShowsHistoryFollowingRenames() throws {
        let sandbox = try started()
        try FileManager.default.moveItem(atPath: sandbox.path + "/repo/drafts/02-data.md",
                                         toPath: sandbox.path + "/repo/drafts/05-data-and-privacy.md")
        #expect(try sandbox.stet("commit", "-m", "Move data governance", "--addresses", "OC-0009").status == 0)
        try sandbox.write("repo/drafts/05-data-and-privacy.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays local.\n")
        #expect(try sandbox.stet("commit", "-m", "Localise data").status == 0)

        let log = try sandbox.stet("log", "data-governance")
        #expect(log.status == 0, "\(log.error)")
        let summaries = log.output.split(separator: "\n").filter { $0.hasPrefix("    ") && !$0.contains(":") }
        #expect(summaries == ["    Localise data", "    Move data governance", "    Zero draft"])
        #expect(log.output.contains("data-governance (renamed from drafts/02-data.md)"))
        #expect(log.output.contains("    Addresses: OC-0009"))

        let newest = try sandbox.stet("log", "-n", "1")
        #expect(newest.status == 0 && newest.output.contains("    Localise data") && !newest.output.contains("Zero draft"))

        let json = try sandbox.stet("log", "--format", "json", "--since", "HEAD~2")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(document["schemaVersion"] as? Int == 1)
        let commits = try #require(document["commits"] as? [[String: Any]])
        #expect(commits.map { $0["summary"] as? String } == ["Localise data", "Move data governance"])
        let trailers = try #require(commits[1]["trailers"] as? [[String: String]])
        #expect(trailers == [["key": "Addresses", "value": "OC-0009"]])
        #expect(commits[0]["id"] as? String == (try sandbox.git("rev-parse", "HEAD")).trimmingCharacters(in: .newlines))
    }

    @Test func showPrintsASectionExactlyOrTheDraftInOrder() throws {
        let sandbox = try started()
        try sandbox.write("repo/stet.yml", "order: [data-governance, preamble]\n")
        let section = try sandbox.stet("show", "HEAD", "data-governance")
        #expect(section.output == "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays with residents.\n")
        let draft = try sandbox.stet("show", "HEAD")
        #expect(draft.output == "Data stays with residents.\n\n# Preamble\n\nCities are for people.\n")
    }

    @Test func controlSequencesFromTheRepositoryAreShownNotObeyed() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nEdited.\n")
        let author = "Eve \u{1B}[2J\u{1B}]0;pwned\u{07} Ruiz <eve@example.org>"
        #expect(try sandbox.stet("commit", "-m", "Clear\u{1B}[31m screen", author: author).status == 0)
        let log = try sandbox.stet("log", "-n", "1").output
        #expect(!log.contains("\u{1B}") && !log.contains("\u{07}"))
        #expect(log.contains("Eve ^[[2J^[]0;pwned^G Ruiz <eve@example.org>") && log.contains("Clear^[[31m screen"))
    }
}
