import Foundation
import StetTestSupport
import Testing

/// Every refusal: one line naming the file, section or revision; its exit status; and a
/// repository exactly as it was (HEAD, every ref, the index).
@Suite("Refusals leave the repository as it was")
struct RefusalTests {
    func started() throws -> Sandbox {
        try Sandbox.committed(["drafts/01-preamble.md": "# Preamble\n\nCities are for people.\n",
                               "drafts/02-data.md": "---\nid: data\n---\nData.\n"])
    }

    /// Runs `stet ARGS` and checks the refusal.
    func expectRefusal(_ sandbox: Sandbox, _ arguments: [String], status: Int32, mentions: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let before = try sandbox.repositoryState()
        let result = try sandbox.run(StetBinary.path, arguments, environment: ["STET_AUTHOR": "Amina Diallo <amina@example.org>"])
        #expect(result.status == status, "\(result.error)", sourceLocation: sourceLocation)
        #expect(result.error.hasPrefix("stet: error: "), sourceLocation: sourceLocation)
        #expect(result.error.filter { $0 == "\n" }.count == 1, "not one line: \(result.error)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(result.error.contains(text), "\(result.error) lacks \(text)", sourceLocation: sourceLocation)
        }
        #expect(try sandbox.repositoryState() == before, "the repository changed", sourceLocation: sourceLocation)
        try sandbox.git("fsck", "--strict")
    }

    @Test(arguments: [
        ("---\nid: data\ntitle: [broken\n---\nData.\n", "drafts/02-data.md: front matter is not valid YAML"),
        ("---\nid: data\n" + String(repeating: "note: padding text\n", count: 250) + "---\nData.\n", "drafts/02-data.md: front matter is larger than 4 KiB"),
        ("---\nid: &a data\ntitle: *a\n---\nData.\n", "drafts/02-data.md: front matter uses a YAML anchor or alias"),
        ("---\nid: data\nData.\n", "drafts/02-data.md: front matter opened with '---' is never closed"),
        ("---\nid: data\n---\n<<<<<<< HEAD\nOurs.\n=======\nTheirs.\n>>>>>>> origin/main\n", "drafts/02-data.md: unresolved conflict marker at line 4"),
    ])
    func malformedSectionsAreRefused(text: String, message: String) throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-data.md", text)
        try expectRefusal(sandbox, ["commit", "-m", "Edit"], status: 65, mentions: [message])
    }

    @Test func aSectionOverFiveMegabytesIsRefused() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data\n---\n" + String(repeating: "word ", count: 1_200_000))
        try expectRefusal(sandbox, ["commit", "-m", "Huge"], status: 65,
                          mentions: ["drafts/02-data.md is 5.7 MB; a section may be at most 5 MB, so split it"])
    }

    @Test func invalidUTF8AndBinaryAreRefused() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/02-data.md", bytes: Array("Donn".utf8) + [0xE9, 0x65, 0x73, 0x0A])
        try expectRefusal(sandbox, ["commit", "-m", "Edit"], status: 65,
                          mentions: ["drafts/02-data.md: invalid UTF-8 at line 1 (byte 4)"])
        try sandbox.write("repo/drafts/02-data.md", bytes: Array("Data\n".utf8) + [0, 1, 2])
        try expectRefusal(sandbox, ["commit", "-m", "Edit"], status: 65,
                          mentions: ["drafts/02-data.md: binary content (a NUL byte at byte 5)"])
    }

    @Test func duplicateIdsAreRefused() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/03-copy.md", "---\nid: data\n---\nAnother.\n")
        try expectRefusal(sandbox, ["commit", "-m", "Add"], status: 65,
                          mentions: ["two sections share the id 'data': drafts/02-data.md and drafts/03-copy.md"])
    }

    @Test func symlinksAreRefused() throws {
        let sandbox = try started()
        try sandbox.write("secret.md", "outside\n")
        try FileManager.default.createSymbolicLink(atPath: sandbox.path + "/repo/drafts/03-link.md",
                                                   withDestinationPath: sandbox.path + "/secret.md")
        try expectRefusal(sandbox, ["commit", "-m", "Add"], status: 65,
                          mentions: ["drafts/03-link.md is a symbolic link to", "outside the repository"])
    }

    @Test func emptyMessagesAndNothingToCommitAreRefused() throws {
        let sandbox = try started()
        try expectRefusal(sandbox, ["commit", "-m", "Edit"], status: 2, mentions: ["nothing to commit"])
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nEdited.\n")
        try expectRefusal(sandbox, ["commit", "-m", "  \n "], status: 64, mentions: ["empty commit message"])
        try expectRefusal(sandbox, ["commit", "-m", "Edit", "data"], status: 2, mentions: ["'data' unchanged"])
    }

    @Test func unknownNamesGetSuggestions() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nEdited.\n")
        try expectRefusal(sandbox, ["commit", "-m", "Edit", "preambel"], status: 66,
                          mentions: ["unknown section 'preambel' (did you mean 'preamble'?)"])
        try sandbox.git("tag", "-a", "-m", "Approved", "first")
        try expectRefusal(sandbox, ["show", "frist"], status: 66,
                          mentions: ["revision 'frist' names no commit (did you mean 'first'?)"])
        try expectRefusal(sandbox, ["show", "second"], status: 66,
                          mentions: ["milestone 'second' is not tagged yet"])
        try expectRefusal(sandbox, ["log", "dat"], status: 66, mentions: ["unknown section 'dat'"])
        try expectRefusal(sandbox, ["show", "HEAD", "premable"], status: 66,
                          mentions: ["unknown section 'premable' at HEAD (did you mean 'preamble'?)"])
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nEdited.\n")
        try expectRefusal(sandbox, ["commit", "-m", "Edit", "--author", "nobody"], status: 64,
                          mentions: ["--author 'nobody' is not of the form 'Name <email>'"])
        try expectRefusal(sandbox, ["commit", "-m", "Edit", "--trailer", "Bad Key=1"], status: 64,
                          mentions: ["trailer key 'Bad Key'"])
        let date = try sandbox.stet("commit", "-m", "Edit", "--date", "yesterday")
        #expect(date.status == 64 && date.error.contains("--date 'yesterday' is not an ISO 8601 date"))
    }

    @Test func outsideARepositoryIsNotFound() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.stet("status", in: "empty")
        #expect(result.status == 66)
        #expect(result.error.contains("is not in a stet repository"))
    }

    @Test func aRepositoryOfAnotherUserIsExplained() throws {
        // Ownership can only be tested by a user who can give files away.
        guard getuid() == 0 else { return }
        let sandbox = try started()
        let repository = sandbox.path + "/repo"
        #expect(chown(repository, 65534, 65534) == 0)
        #expect(chown(repository + "/.git", 65534, 65534) == 0)
        let result = try sandbox.stet("status")
        #expect(result.status == 77, "\(result.error)")
        #expect(result.error.contains("belongs to") && result.error.contains("git config --global --add safe.directory \(repository)"))
    }
}

@Suite("Sections that already share an id")
struct ExistingDuplicateTests {
    @Test func anUnrelatedEditIsCommittedWithAWarning() throws {
        let sandbox = try Sandbox()
        try sandbox.git("init", "-q", "-b", "main")
        try sandbox.write("repo/drafts/01-population.md", "One.\n")
        try sandbox.write("repo/drafts/07-population.md", "Two.\n")
        try sandbox.write("repo/drafts/08-scope.md", "Scope.\n")
        try sandbox.git("add", "-A")
        try sandbox.git("commit", "-q", "-m", "Written with git")
        try sandbox.write("repo/drafts/08-scope.md", "Scope, edited.\n")
        let result = try sandbox.stet("commit", "-m", "Edit scope")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("warning: already at HEAD, sections share the id 'population'"))
        try sandbox.write("repo/drafts/07-population.md", "Two, edited.\n")
        let touched = try sandbox.stet("commit", "-m", "Edit population")
        #expect(touched.status == 65 && touched.error.contains("two sections share the id 'population'"))
    }
}
