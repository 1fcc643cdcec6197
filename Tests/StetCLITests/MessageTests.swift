import Foundation
import StetTestSupport
import Testing

/// Messages a writer can act on: each names the file, section or revision and says what to do.
@Suite("Messages a writer can act on")
struct MessageTests {
    func started() throws -> Sandbox {
        try Sandbox.committed([
            "drafts/01-preamble.md": "# Preamble\n\nCities are for people.\n",
            "drafts/02-data.md": "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays with residents.\n",
        ])
    }

    @Test func aTitleWithAColonIsToBeQuoted() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/03-annex.md", "---\ntitle: Annex: Glossary\n---\n\n# Annex\n")
        let words = "drafts/03-annex.md: front matter: the value of 'title' holds ': ', which YAML reads as the start of "
            + "another key; put the value in quotes: title: \"Annex: Glossary\""
        let status = try sandbox.stet("status")
        #expect(status.error.contains("stet commit will refuse this: " + words), "\(status.error)")
        #expect(status.output.contains("added      Annex (annex)"), "the broken block is no title: \(status.output)")
        let commit = try sandbox.stet("commit", "-m", "Annex")
        #expect(commit.status == 65 && commit.error == "stet: error: " + words + "\n", "\(commit.error)")
    }

    @Test func statusWarnsInCommitsWordsAboutWhatCommitRefuses() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\n<<<<<<< HEAD\nOurs.\n=======\nTheirs.\n>>>>>>> origin/main\n")
        try sandbox.write("repo/drafts/04-copy.md", "---\nid: data-governance\n---\n\nA copy.\n")
        let status = try sandbox.stet("status")
        #expect(status.error.contains("stet commit will refuse this: drafts/01-preamble.md: unresolved conflict marker at line 3"))
        #expect(status.error.contains("stet commit will refuse this: two sections share the id 'data-governance': "
            + "drafts/02-data.md and drafts/04-copy.md; give one a different id in its front matter, or delete it if it is a copy"),
                "\(status.error)")
        let commit = try sandbox.stet("commit", "-m", "Both")
        #expect(commit.status == 65)
        let refusal = commit.error.replacingOccurrences(of: "stet: error: ", with: "").trimmingCharacters(in: .newlines)
        #expect(status.error.contains("stet commit will refuse this: " + refusal), "\(commit.error)")
    }

    @Test func aMistypedSharedRepositoryIsSaidToBeMissing() throws {
        let sandbox = try started()
        let clone = try sandbox.stet("clone", sandbox.path + "/shraed.git", "ben", in: ".")
        #expect(clone.status == 66 && clone.error.contains("there is no repository at \(sandbox.path)/shraed.git"), "\(clone.error)")
        #expect(!sandbox.exists("ben"))
        let remote = try sandbox.stet("remote", "add", "origin", "../shraed.git")
        #expect(remote.status == 66 && remote.error.contains("there is no repository at \(sandbox.path)/shraed.git"), "\(remote.error)")
        try FileManager.default.createDirectory(atPath: sandbox.path + "/empty", withIntermediateDirectories: true)
        let folder = try sandbox.stet("remote", "add", "origin", sandbox.path + "/empty")
        #expect(folder.status == 66 && folder.error.contains("the folder holds no git repository"))
        #expect(try sandbox.git("remote") == "")
    }

    @Test func sectionsAreFoundAndSuggestedByTitle() throws {
        let sandbox = try started()
        let byTitle = try sandbox.stet("show", "HEAD", "Data governance")
        #expect(byTitle.status == 0 && byTitle.output.contains("Data stays with residents."))
        try sandbox.write("repo/drafts/03-s7.md", "---\nid: s7\ntitle: Urban resilience\n---\n\nText.\n")
        #expect(try sandbox.stet("commit", "-m", "Resilience").status == 0)
        let near = try sandbox.stet("log", "Urban resilence")
        #expect(near.status == 66 && near.error.contains("did you mean 's7', titled \"Urban resilience\"?"), "\(near.error)")
        let far = try sandbox.stet("diff", "--section", "zzzzzzzzzz")
        #expect(far.status == 66 && far.error.contains("the sections are: preamble, data-governance, s7"), "\(far.error)")
    }

    @Test func aRenamedFileSaysWhyItsIdStays() throws {
        let sandbox = try started()
        try FileManager.default.moveItem(atPath: sandbox.path + "/repo/drafts/02-data.md", toPath: sandbox.path + "/repo/drafts/02-privacy.md")
        let status = try sandbox.stet("status")
        #expect(status.output.contains("drafts/02-data.md -> drafts/02-privacy.md  (id stays data-governance: its front matter names it)"),
                "\(status.output)")
    }

    @Test func commandsWrittenAsInGitWork() throws {
        let sandbox = try started()
        let file = try sandbox.stet("diff", "drafts/02-data.md")
        #expect(file.status == 64 && file.error.contains("name it with --section"), "\(file.error)")
        let message = try sandbox.stet("commit")
        #expect(message.status == 64 && message.error.contains("with -m \"...\""), "\(message.error)")
        let newest = try sandbox.stet("log", "-n1")
        #expect(newest.status == 0 && newest.output.components(separatedBy: "Amina Diallo").count == 2, "\(newest.output)\(newest.error)")
        let elsewhere = try sandbox.stet("-C", "repo", "status", in: ".")
        #expect(elsewhere.status == 0 && elsewhere.output.hasPrefix("No section changed"), "\(elsewhere.error)")
    }

    /// The history of a section that is gone: the deletion first, then its edits, as git has them.
    @Test func theLogOfADeletedSectionEndsWithItsDeletion() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays local.\n")
        #expect(try sandbox.stet("commit", "-m", "Localise data").status == 0)
        #expect(try sandbox.stet("section", "delete", "data-governance").status == 0)
        #expect(try sandbox.stet("commit", "-m", "Drop data governance").status == 0)
        let log = try sandbox.stet("log", "data-governance")
        #expect(log.status == 0, "\(log.error)")
        let summaries = log.output.split(separator: "\n").filter { $0.hasPrefix("    ") && !$0.contains(":") && !$0.contains("sections") }
        #expect(summaries == ["    Drop data governance", "    Localise data", "    Zero draft"], "\(log.output)")
        #expect(log.output.contains("data-governance (deleted)"))
        let git = try sandbox.git("log", "--format=%s", "--", "drafts/02-data.md")
        #expect(git == "Drop data governance\nLocalise data\nZero draft\n")
    }

    @Test func aRefusedInitLeavesNothingBehind() throws {
        let sandbox = try Sandbox()
        let refused = try sandbox.stet("init", "guidelines", in: ".", author: nil)
        #expect(refused.status == 64 && refused.error.contains("no identity"))
        #expect(!sandbox.exists("guidelines"))
        try FileManager.default.createDirectory(atPath: sandbox.path + "/existing", withIntermediateDirectories: true)
        #expect(try sandbox.stet("init", "existing", in: ".", author: nil).status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path + "/existing").isEmpty)
    }
}
