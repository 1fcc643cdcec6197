import Foundation
import StetTestSupport
import Testing

/// `stet tag`, `stet milestones` and `stet verify` on real repositories, read back by the git CLI.
@Suite("Milestones: tag, correct, sign, list, verify")
struct MilestoneTests {
    /// A repository with a zero draft of two sections.
    func started(milestones: String? = nil) throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", "Smart Cities", in: ".").status == 0)
        if let milestones {
            let config = try sandbox.read("repo/stet.yml")
                .replacingOccurrences(of: "milestones: [first, second, final]", with: "milestones: \(milestones)")
            try sandbox.write("repo/stet.yml", config)
            try sandbox.git("commit", "-q", "-am", "Milestone sequence")
        }
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for people.\n")
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data\n---\n# Data\n\nData stays with residents.\n")
        #expect(try sandbox.stet("commit", "-m", "Zero draft", "--date", "2024-06-01T09:00:00Z").status == 0)
        return sandbox
    }

    /// Edits a section and commits it as `author`.
    func edit(_ sandbox: Sandbox, _ text: String, author: String = "Bo Chen <bo@example.org>", date: String) throws {
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\n\(text)\n")
        let result = try sandbox.stet("commit", "-m", "Revise the preamble", "--addresses", "OC-0123", "--date", date,
                                      author: author)
        #expect(result.status == 0, "\(result.error)")
    }

    func tag(_ sandbox: Sandbox, _ arguments: String..., tagger: String = "Secretariat <secretariat@example.org>")
        throws -> CommandResult
    {
        try sandbox.stet(["tag"] + arguments, author: tagger)
    }

    /// Runs a refused command and checks its one-line message, exit status, and that no ref,
    /// no tag and no file of the repository changed.
    func expectRefusal(_ sandbox: Sandbox, _ arguments: [String], status: Int32, mentions: [String],
                       author: String? = "Secretariat <secretariat@example.org>",
                       sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let before = try sandbox.repositoryState()
        let tags = try sandbox.git("for-each-ref", "refs/tags")
        let log = try sandbox.read("repo/CHANGELOG.md")
        let result = try sandbox.stet(arguments, author: author)
        #expect(result.status == status, "\(result.error)", sourceLocation: sourceLocation)
        #expect(result.error.hasPrefix("stet: error: "), sourceLocation: sourceLocation)
        #expect(result.error.filter { $0 == "\n" }.count == 1, "not one line: \(result.error)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(result.error.contains(text), "\(result.error) lacks \(text)", sourceLocation: sourceLocation)
        }
        #expect(try sandbox.git("for-each-ref", "refs/tags") == tags, sourceLocation: sourceLocation)
        #expect(try sandbox.repositoryState() == before, "the repository changed", sourceLocation: sourceLocation)
        #expect(try sandbox.read("repo/CHANGELOG.md") == log, sourceLocation: sourceLocation)
    }

    @Test func theFullSequenceIsReadableByGit() throws {
        let sandbox = try started()
        var result = try tag(sandbox, "first", "-m", "Approved by the Expert Working Group, Nairobi, August 2024",
                             "--date", "2024-08-15T10:00:00+03:00")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Tagged milestone first at "))
        try edit(sandbox, "Cities are for the people who live in them.", date: "2024-10-01T12:00:00Z")
        result = try tag(sandbox, "second", "-m", "Approved by the Expert Group Meeting, December 2024",
                         "--date", "2024-12-16T15:00:00Z")
        #expect(result.status == 0, "\(result.error)")
        try edit(sandbox, "Cities belong to the people who live in them.", author: "Carmen Ruiz <carmen@example.org>",
                 date: "2025-03-01T08:00:00Z")
        result = try tag(sandbox, "final", "-m", "Approved for the UN-Habitat Assembly", "--date", "2025-06-02T09:00:00Z")
        #expect(result.status == 0, "\(result.error)")

        let listed = try sandbox.git("for-each-ref", "--format=%(objecttype) %(taggername) %(subject)", "refs/tags")
        #expect(listed == """
            tag Secretariat Approved for the UN-Habitat Assembly
            tag Secretariat Approved by the Expert Working Group, Nairobi, August 2024
            tag Secretariat Approved by the Expert Group Meeting, December 2024

            """)
        #expect(try sandbox.git("for-each-ref", "--format=%(taggerdate:iso-strict)", "refs/tags/first")
            == "2024-08-15T10:00:00+03:00\n")
        let described = try sandbox.git("describe", "--tags", "HEAD")
        #expect(described.hasPrefix("final-1-g"), "\(described)")
        #expect(try sandbox.git("describe", "HEAD~1") == "final\n")
        try sandbox.git("fsck", "--strict")
        // The tagged commits are the drafts, not the log commits after them.
        #expect(try sandbox.git("log", "-1", "--format=%s", "first") == "Zero draft\n")
        #expect(try sandbox.git("log", "-1", "--format=%s", "final") == "Revise the preamble\n")
        #expect(try sandbox.git("log", "-1", "--format=%s%n%(trailers:key=Milestone,valueonly)", "HEAD")
            == "Record milestone final in CHANGELOG.md\nfinal\n\n")
        #expect(try sandbox.git("status", "--porcelain") == "")

        let log = try sandbox.read("repo/CHANGELOG.md")
        let headings = log.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings == ["## final: 2025-06-02", "## second: 2024-12-16", "## first: 2024-08-15"])
        #expect(log.contains("> Approved by the Expert Group Meeting, December 2024"))
        #expect(log.contains("- Sections since second: 1 changed (`preamble`)"))
        #expect(log.contains("- Contributors: Carmen Ruiz (1)"))

        let verified = try sandbox.stet("verify")
        #expect(verified.status == 0, "\(verified.error)")
        #expect(verified.output.contains("The milestone record is sound."))
    }

    /// The approval (the tag's date) is the milestone's date in the comparison's header, the
    /// milestone list and the rendered title page alike, and each says which date is the draft's.
    @Test func milestoneDatesAgreeAndSayWhichIsWhich() throws {
        let sandbox = try started()
        try edit(sandbox, "The approved text.", date: "2024-08-01T09:00:00Z")
        #expect(try tag(sandbox, "first", "-m", "Approved", "--date", "2024-08-15T10:00:00Z").status == 0)
        try edit(sandbox, "A later text.", date: "2024-09-01T09:00:00Z")
        let approved = "approved 2024-08-15 10:00 +0000", drafted = "draft committed 2024-08-01 09:00 +0000"
        let list = try sandbox.stet("milestones").output
        #expect(list.contains("first   \(approved)") && list.contains(drafted), "\(list)")
        #expect(try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/compare.html").status == 0)
        let header = try sandbox.read("compare.html")
        #expect(header.contains("<dt>first</dt><dd>\(approved) (\(drafted)). Approved<br>"), "\(header.prefix(3000))")
        #expect(header.contains("commit <code>\(try sandbox.git("rev-parse", "first^{commit}").trimmingCharacters(in: .newlines))</code>"))
        #expect(try sandbox.stet("render", "first", "-o", sandbox.path + "/first.html").status == 0)
        #expect(try sandbox.read("first.html").contains("<p class=\"date\">Approved 2024-08-15 10:00 +0000 (\(drafted))</p>"))
    }

    @Test func milestonesListsEachStepWithItsChanges() throws {
        let sandbox = try started()
        #expect(try tag(sandbox, "first", "-m", "Approved", "--date", "2024-08-15T10:00:00Z").status == 0)
        try edit(sandbox, "Changed once.", date: "2024-09-01T10:00:00Z")
        try edit(sandbox, "Changed twice.", author: "Carmen Ruiz <carmen@example.org>", date: "2024-09-02T10:00:00Z")
        try sandbox.write("repo/drafts/03-inclusion.md", "# Digital inclusion\n\nNo one left behind.\n")
        #expect(try sandbox.stet("commit", "-m", "Add inclusion", author: "Bo Chen <bo@example.org>").status == 0)
        #expect(try tag(sandbox, "second", "-m", "Approved again\n\nWith a longer body.").status == 0)

        let text = try sandbox.stet("milestones")
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("first   approved 2024-08-15 10:00 +0000"), "\(text.output)")
        #expect(text.output.contains("        draft committed "), "\(text.output)")
        #expect(text.output.contains("since first: 1 added, 1 changed"))
        #expect(text.output.contains("contributors: Bo Chen (2), Carmen Ruiz (1)"))
        #expect(text.output.contains("final   pending"))

        let json = try sandbox.stet("milestones", "--format", "json")
        struct Document: Decodable {
            struct Step: Decodable {
                struct Sections: Decodable { var added: [String]; var removed: [String]; var changed: [String] }
                struct Person: Decodable { var name: String; var commits: Int }
                var name: String
                var state: String
                var commit: String?
                var summary: String?
                var signed: Bool?
                var previous: String?
                var sections: Sections?
                var contributors: [Person]
            }
            var schemaVersion: Int
            var milestones: [Step]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(json.output.utf8))
        #expect(document.schemaVersion == 1)
        #expect(document.milestones.map(\.name) == ["first", "second", "final"])
        #expect(document.milestones.map(\.state) == ["tagged", "tagged", "pending"])
        let second = document.milestones[1]
        #expect(second.commit == (try sandbox.git("rev-parse", "second^{commit}")).trimmingCharacters(in: .newlines))
        #expect(second.summary == "Approved again")
        #expect(second.signed == false)
        #expect(second.previous == "first")
        #expect(second.sections?.added == ["inclusion"])
        #expect(second.sections?.changed == ["preamble"])
        #expect(second.contributors.map(\.name) == ["Bo Chen", "Carmen Ruiz"])
        #expect(document.milestones[0].sections?.added == ["preamble", "data"].sorted() || document.milestones[0].sections?.added == ["preamble", "data"])
    }

    @Test func everyRefusalLeavesTheTagsAsTheyWere() throws {
        let sandbox = try started()
        try expectRefusal(sandbox, ["tag", "frist", "-m", "x"], status: 64,
                          mentions: ["'frist' is not a milestone", "first, second, final", "did you mean 'first'"])
        try expectRefusal(sandbox, ["tag", "second", "-m", "x"], status: 65,
                          mentions: ["the previous milestone 'first' is not tagged yet"])
        try expectRefusal(sandbox, ["tag", "first", "-m", "  \n"], status: 64, mentions: ["empty message"])
        try expectRefusal(sandbox, ["tag", "first", "-m", "x"], status: 64, mentions: ["no identity", "--tagger"],
                          author: nil)
        try expectRefusal(sandbox, ["tag", "first", "-m", "x", "--tagger", "nobody"], status: 64,
                          mentions: ["--tagger 'nobody' is not of the form 'Name <email>'"])
        try expectRefusal(sandbox, ["tag", "first", "nowhere", "-m", "x"], status: 66,
                          mentions: ["revision 'nowhere' names no commit"])
        try expectRefusal(sandbox, ["tag", "first", "--correct", "-m", "x"], status: 66,
                          mentions: ["there is no milestone 'first' to correct"])

        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nUncommitted.\n")
        try expectRefusal(sandbox, ["tag", "first", "-m", "x"], status: 65,
                          mentions: ["uncommitted edits (drafts/01-preamble.md)"])
        // Naming the commit tags what is committed, whatever the working folder holds.
        #expect(try tag(sandbox, "first", "HEAD~0", "-m", "Approved").status == 0)
        try sandbox.git("checkout", "--", "drafts/01-preamble.md")
        try expectRefusal(sandbox, ["tag", "first", "-m", "Again"], status: 73,
                          mentions: ["milestone 'first' exists", "milestones never move", "--correct"])

        try edit(sandbox, "Later text.", date: "2024-07-01T00:00:00Z")
        try sandbox.write("repo/CHANGELOG.md", "# Edited by hand\n")
        try expectRefusal(sandbox, ["tag", "second", "-m", "x"], status: 65,
                          mentions: ["CHANGELOG.md has uncommitted edits"])
        try sandbox.git("checkout", "--", "CHANGELOG.md")
        // The previous milestone must be contained in what is tagged: HEAD~3 is the first commit.
        try expectRefusal(sandbox, ["tag", "second", "HEAD~3", "-m", "x"], status: 65,
                          mentions: ["does not contain the previous milestone 'first'"])
        #expect(try tag(sandbox, "second", "-m", "Approved").status == 0)
        #expect(try tag(sandbox, "final", "-m", "Approved").status == 0)
        try expectRefusal(sandbox, ["tag", "second", "--correct", "-m", "Typo"], status: 65,
                          mentions: ["the later milestone 'final' is tagged already", "only before the next one"])
        try sandbox.git("fsck", "--strict")
    }

    @Test func aCorrectionKeepsTheOldTagAndNamesIt() throws {
        let sandbox = try started()
        #expect(try tag(sandbox, "first", "-m", "Approved by the EWG").status == 0)
        let old = try sandbox.git("rev-parse", "first").trimmingCharacters(in: .newlines)
        let oldCommit = try sandbox.git("rev-parse", "first^{commit}").trimmingCharacters(in: .newlines)
        try edit(sandbox, "Fixed a typo the meeting approved.", date: "2024-08-20T10:00:00Z")
        let result = try tag(sandbox, "first", "--correct", "-m", "A typo approved in the meeting was left out")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("The replaced tag is kept as refs/stet/superseded/first/1"))
        #expect(try sandbox.git("rev-parse", "refs/stet/superseded/first/1").trimmingCharacters(in: .newlines) == old)
        let message = try sandbox.git("tag", "-l", "--format=%(contents)", "first")
        #expect(message.hasPrefix("Approved by the EWG\n\n"))
        #expect(message.contains("Corrected-from: \(oldCommit)\n"))
        #expect(message.contains("Supersedes: \(old)\n"))
        #expect(message.contains("Correction: A typo approved in the meeting was left out\n"))
        let log = try sandbox.read("repo/CHANGELOG.md")
        #expect(log.contains("## first (corrected):"))
        #expect(log.contains("kept as `refs/stet/superseded/first/1`"))
        #expect(try sandbox.stet("verify").status == 0)
        try sandbox.git("fsck", "--strict")

        // A second correction chains to the first.
        try edit(sandbox, "Another fix.", date: "2024-08-21T10:00:00Z")
        #expect(try tag(sandbox, "first", "--correct", "-m", "One more").status == 0)
        #expect(try sandbox.git("for-each-ref", "--format=%(refname)", "refs/stet/")
            == "refs/stet/superseded/first/1\nrefs/stet/superseded/first/2\n")
        let verified = try sandbox.stet("verify")
        #expect(verified.status == 0, "\(verified.output)\(verified.error)")
    }

    @Test func signedMilestonesVerifyAndTamperedOnesDoNot() throws {
        let sandbox = try started()
        let key = sandbox.path + "/signing-key"
        let keygen = try sandbox.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "secretariat", "-f", key], in: ".")
        #expect(keygen.status == 0, "\(keygen.error)")
        let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try sandbox.write("allowed-signers", "secretariat@example.org \(publicKey)\n")
        let allowed = sandbox.path + "/allowed-signers"

        let result = try tag(sandbox, "first", "-m", "Approved by the EWG", "--sign", key)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains(", signed)"))
        let checked = try sandbox.run("/usr/bin/git", ["-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowed)",
                                                       "tag", "-v", "first"])
        #expect(checked.status == 0, "\(checked.error)")
        #expect(checked.error.contains("Good \"git\" signature for secretariat@example.org"), "\(checked.error)")
        let verified = try sandbox.stet("verify", "--allowed-signers", allowed)
        #expect(verified.status == 0, "\(verified.error)")
        #expect(verified.output.contains("good signature by secretariat@example.org"))
        try sandbox.git("fsck", "--strict")

        // Tamper: the same tag with one word of the approval changed, put in place with git.
        let original = try sandbox.git("rev-parse", "refs/tags/first").trimmingCharacters(in: .newlines)
        let raw = try sandbox.git("cat-file", "tag", "first")
        let forged = try sandbox.run("/usr/bin/git", ["mktag"], input: raw.replacingOccurrences(of: "Approved", with: "Rejected"))
        #expect(forged.status == 0, "\(forged.error)")
        try sandbox.git("update-ref", "refs/tags/first", forged.output.trimmingCharacters(in: .newlines))
        let rejected = try sandbox.run("/usr/bin/git", ["-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowed)",
                                                        "tag", "-v", "first"])
        #expect(rejected.status != 0)
        let caught = try sandbox.stet("verify", "--allowed-signers", allowed)
        #expect(caught.status == 1)
        #expect(caught.error.contains("milestone 'first': bad signature"), "\(caught.error)")

        // The genuine tag, checked against a file that does not list its key, is no good either.
        try sandbox.git("update-ref", "refs/tags/first", original)
        #expect(try sandbox.stet("verify", "--allowed-signers", allowed).status == 0)
        let other = sandbox.path + "/other-key"
        _ = try sandbox.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other], in: ".")
        let otherKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try sandbox.write("allowed-signers", "secretariat@example.org \(otherKey)\n")
        let unknown = try sandbox.stet("verify", "--allowed-signers", allowed)
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("milestone 'first': bad signature"), "\(unknown.error)")
    }

    @Test func verifyCatchesTagsMovedOrDeletedWithGit() throws {
        let sandbox = try started()
        #expect(try tag(sandbox, "first", "-m", "Approved").status == 0)
        try edit(sandbox, "Second draft text.", date: "2024-11-01T00:00:00Z")
        #expect(try tag(sandbox, "second", "-m", "Approved").status == 0)
        #expect(try sandbox.stet("verify").status == 0)

        try sandbox.git("tag", "-f", "-a", "second", "-m", "Moved", "HEAD~2")
        var result = try sandbox.stet("verify")
        #expect(result.status == 1)
        #expect(result.error.contains("milestone 'second' now points to"), "\(result.error)")
        #expect(result.error.contains("moved outside stet (git tag -f?)"))

        try sandbox.git("tag", "-d", "second")
        result = try sandbox.stet("verify")
        #expect(result.status == 1)
        #expect(result.error.contains("milestone 'second' is recorded in CHANGELOG.md"), "\(result.error)")
        #expect(result.error.contains("deleted outside stet (git tag -d?)"))
        #expect(result.error.contains("git update-ref refs/tags/second "))

        // The restore command it suggests brings the record back.
        let restore = result.error.components(separatedBy: "restore it with: ").last!.prefix { $0 != "\n" }
        let words = restore.split(separator: " ").map(String.init)
        #expect(try sandbox.run("/usr/bin/git", Array(words.dropFirst())).status == 0)
        #expect(try sandbox.stet("verify").status == 0)

        try sandbox.git("tag", "-f", "first", "HEAD")
        result = try sandbox.stet("verify")
        #expect(result.status == 1)
        #expect(result.error.contains("milestone 'first' is a lightweight tag"))
    }

    @Test func runningTheSameCommandAgainWritesAMissingLogEntry() throws {
        let sandbox = try started()
        #expect(try tag(sandbox, "first", "-m", "Approved by the EWG").status == 0)
        // As if the process died after the tag and before its log commit.
        try sandbox.git("reset", "-q", "--hard", "HEAD~1")
        var result = try sandbox.stet("verify")
        #expect(result.status == 1)
        #expect(result.error.contains("milestone 'first' (tag "), "\(result.error)")
        #expect(result.error.contains("has no entry in CHANGELOG.md"))

        result = try tag(sandbox, "first", "-m", "Approved by the EWG")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("was tagged already"))
        #expect(try sandbox.stet("verify").status == 0)
        #expect(try sandbox.git("status", "--porcelain") == "")
        // Once written, the same command is a plain refusal again.
        #expect(try tag(sandbox, "first", "-m", "Approved by the EWG").status == 73)
    }

    @Test func racingTaggersLeaveExactlyOneWinner() throws {
        let rounds = 25
        let sequence = "[" + (1...rounds).map { "m\($0)" }.joined(separator: ", ") + "]"
        let sandbox = try started(milestones: sequence)
        for round in 1...rounds {
            let processes = (0..<2).map { contender -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: StetBinary.path)
                process.arguments = ["tag", "m\(round)", "HEAD~0", "-m", "Approval \(round) by contender \(contender)"]
                process.currentDirectoryURL = URL(fileURLWithPath: sandbox.path + "/repo")
                process.environment = sandbox.environment.merging(["STET_AUTHOR": "Contender \(contender) <c\(contender)@example.org>"]) { $1 }
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            let statuses = processes.map(\.terminationStatus).sorted()
            #expect(statuses == [0, 73], "round \(round): \(statuses)")
            let winner = processes.firstIndex { $0.terminationStatus == 0 }!
            #expect(try sandbox.git("tag", "-l", "--format=%(subject)", "m\(round)")
                == "Approval \(round) by contender \(winner)\n")
        }
        try sandbox.git("fsck", "--strict")
        let verified = try sandbox.stet("verify")
        #expect(verified.status == 0, "\(verified.error)")
        let entries = try sandbox.read("repo/CHANGELOG.md").components(separatedBy: "<!-- stet:milestone ").count - 1
        #expect(entries == rounds)
    }
}
