import Foundation
import StetTestSupport
import Testing

/// A shared repository made by `stet init --shared`, filled from the secretariat's repository
/// (`repo`), which syncs with it as `origin`.
private func team(sections: Int = 3, url: (Sandbox) throws -> String = { $0.path + "/shared.git" }) throws -> (Sandbox, String) {
    let sandbox = try Sandbox()
    let shared = try sandbox.stet("init", "--shared", "shared.git", in: ".")
    #expect(shared.status == 0, "\(shared.error)")
    #expect(try sandbox.stet("init", "repo", "--title", "Smart Cities", in: ".").status == 0)
    for number in 1...sections {
        try sandbox.write("repo/drafts/0\(number)-part\(number).md",
                          "# Part \(number)\n\nThe first paragraph of part \(number) says what it covers.\n\n"
                              + "The second paragraph of part \(number) adds a detail.\n")
    }
    let committed = try sandbox.stet("commit", "-m", "Zero draft")
    #expect(committed.status == 0, "\(committed.error)")
    let location = try url(sandbox)
    #expect(try sandbox.stet("remote", "add", "origin", location).status == 0)
    let synced = try sandbox.stet("sync")
    #expect(synced.status == 0, "\(synced.error)")
    return (sandbox, location)
}

/// The secretariat corrects milestone `first` in `writer`: an edit committed, then
/// `stet tag first --correct` at HEAD.
private func correctFirst(_ sandbox: Sandbox, in writer: String) throws {
    let path = writer + "/drafts/01-part1.md"
    try sandbox.write(path, try sandbox.read(path) + "\nA sentence the approved draft had.\n")
    #expect(try sandbox.stet("commit", "-m", "The sentence the group approved", in: writer).status == 0)
    let corrected = try sandbox.stet("tag", "first", "--correct", "-m", "The approved draft had this sentence", in: writer)
    #expect(corrected.status == 0, "\(corrected.error)")
}

/// Commit subjects on the shared repository's main branch, as the git CLI reads them.
private func sharedSubjects(_ sandbox: Sandbox) throws -> [String] {
    try sandbox.git("log", "--format=%s", "main", in: "shared.git").split(separator: "\n").map(String.init)
}

/// One writer's round: append a line to their own section, commit, sync.
private func writerRound(_ sandbox: Sandbox, writer: String, section: String, round: Int) throws -> Int32 {
    let file = sandbox.path + "/\(writer)/drafts/\(section)"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try sandbox.write(file, text + "\nRound \(round) of \(writer) adds a sentence.\n")
    let committed = try sandbox.stet("commit", "-m", "\(writer) round \(round)", in: writer,
                                     author: "\(writer.capitalized) Writer <\(writer)@example.org>")
    guard committed.status == 0 else { throw ServerFailure(message: "commit: \(committed.error)") }
    let synced = try sandbox.stet("sync", in: writer, author: "\(writer.capitalized) Writer <\(writer)@example.org>")
    guard synced.status == 0 || synced.status == 75 else { throw ServerFailure(message: "sync: \(synced.error)") }
    return synced.status
}

/// Syncs until nothing is left to send (a sync may give up on a remote that kept moving).
private func settle(_ sandbox: Sandbox, _ writers: [String]) throws {
    for _ in 0..<4 {
        var clean = true
        for writer in writers {
            let synced = try sandbox.stet("sync", in: writer, author: "\(writer.capitalized) Writer <\(writer)@example.org>")
            #expect(synced.status == 0 || synced.status == 75, "\(synced.error)")
            if synced.status != 0 || !synced.output.contains("Already in step") { clean = false }
        }
        if clean { return }
    }
}

@Suite("stet clone, remote and sync")
struct SyncTests {
    @Test func cloneBringsDraftsMilestonesAndAGitCleanWorkingCopy() throws {
        let (sandbox, url) = try team()
        for (round, milestone) in ["first", "second", "final"].enumerated() {
            try sandbox.write("repo/drafts/01-part1.md", "# Part 1\n\nRound \(round).\n")
            #expect(try sandbox.stet("commit", "-m", "Round \(round)").status == 0)
            #expect(try sandbox.stet("tag", milestone, "-m", "Approved by the EWG").status == 0)
        }
        // Milestones are named in the sequence of stet.yml.
        #expect(try sandbox.stet("sync").output.contains("sent milestones: first, second, final"))

        let cloned = try sandbox.stet("clone", url, "ben", in: ".")
        #expect(cloned.status == 0, "\(cloned.error)")
        #expect(cloned.output.contains("milestones first, second, final"))
        #expect(try sandbox.read("ben/drafts/02-part2.md") == sandbox.read("repo/drafts/02-part2.md"))
        #expect(try sandbox.git("rev-parse", "first", in: "ben") == sandbox.git("rev-parse", "first"))
        #expect(try sandbox.git("status", "--porcelain", in: "ben") == "")
        #expect(try sandbox.git("rev-parse", "--abbrev-ref", "main@{upstream}", in: "ben") == "origin/main\n")
        try sandbox.git("fsck", "--strict", in: "ben")
        #expect(try sandbox.stet("verify", in: "ben").status == 0)
        // The remote's tags are mirrored in stet's namespace; git's own fetch would not copy tags.
        #expect(try sandbox.git("config", "remote.origin.tagOpt", in: "ben") == "--no-tags\n")

        let again = try sandbox.stet("clone", url, "ben", in: ".")
        #expect(again.status == 73 && again.error.contains("ben already exists and is not empty"))
        let missing = try sandbox.stet("clone", sandbox.path + "/nowhere.git", "carla", in: ".")
        #expect(missing.status == 66, "\(missing.error)")
        #expect(missing.error.contains("there is no repository at \(sandbox.path)/nowhere.git"))
        #expect(!sandbox.exists("carla"))
    }

    @Test func remoteListAndAddRefuseTokensInURLs() throws {
        let (sandbox, url) = try team()
        #expect(try sandbox.stet("remote").output == "origin\t\(url)\n")
        let token = try sandbox.stet("remote", "add", "mirror", "https://writer:s3cret@git.example.org/cities.git")
        #expect(token.status == 64 && token.error.contains("STET_TOKEN"))
        #expect(!(try sandbox.read("repo/.git/config")).contains("s3cret"))
        #expect(try sandbox.stet("remote", "add", "origin", url).status == 73)
    }

    @Test func writersInTurnAndAtOnceLoseNothing() throws {
        let (sandbox, url) = try team()
        let writers = ["ana", "ben", "carla"]
        for writer in writers {
            #expect(try sandbox.stet("clone", url, writer, in: ".").status == 0)
        }
        // In turn: each edits a different section and syncs.
        for (index, writer) in writers.enumerated() {
            #expect(try writerRound(sandbox, writer: writer, section: "0\(index + 1)-part\(index + 1).md", round: 1) == 0)
        }
        // At once: all three sync together, twice.
        for round in 2...3 {
            try together(writers.count) { index in
                _ = try writerRound(sandbox, writer: writers[index], section: "0\(index + 1)-part\(index + 1).md",
                                    round: round)
            }
        }
        try settle(sandbox, writers)
        let subjects = try sharedSubjects(sandbox)
        for writer in writers {
            for round in 1...3 { #expect(subjects.contains("\(writer) round \(round)")) }
        }
        try sandbox.git("fsck", "--strict", in: "shared.git")
        // Every clone ends with every writer's sentences, and nothing uncommitted.
        for writer in writers {
            #expect(try sandbox.git("status", "--porcelain", in: writer) == "")
            #expect(try sandbox.git("rev-parse", "HEAD", in: writer) == sandbox.git("rev-parse", "main", in: "shared.git"))
            let text = try sandbox.read("\(writer)/drafts/03-part3.md")
            #expect(text.contains("Round 3 of carla"))
        }
    }

    @Test func fourWritersTwentyFiveCommitsEachAtOnce() throws {
        let (sandbox, url) = try team(sections: 4)
        let writers = ["ana", "ben", "carla", "dawit"]
        for writer in writers {
            #expect(try sandbox.stet("clone", url, writer, in: ".").status == 0)
        }
        let gaveUp = Failures()
        try together(writers.count) { index in
            for round in 1...25 {
                let status = try writerRound(sandbox, writer: writers[index], section: "0\(index + 1)-part\(index + 1).md",
                                             round: round)
                if status != 0 { gaveUp.add("\(writers[index]) \(round)") }
            }
        }
        try settle(sandbox, writers)
        let subjects = Set(try sharedSubjects(sandbox))
        let expected = Set(writers.flatMap { writer in (1...25).map { "\(writer) round \($0)" } })
        #expect(expected.subtracting(subjects).isEmpty, "missing: \(expected.subtracting(subjects).sorted())")
        #expect(expected.count == 100)
        try sandbox.git("fsck", "--strict", in: "shared.git")
    }

    @Test func aConflictShowsBothTextsCommitsNothingAndIsSettled() throws {
        let (sandbox, url) = try team()
        #expect(try sandbox.stet("clone", url, "ben", in: ".").status == 0)
        let original = try sandbox.read("repo/drafts/02-part2.md")
        try sandbox.write("repo/drafts/02-part2.md",
                          original.replacingOccurrences(of: "adds a detail", with: "adds a detail on transport"))
        #expect(try sandbox.stet("commit", "-m", "Transport").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        let bens = original.replacingOccurrences(of: "adds a detail", with: "adds a detail on housing")
        try sandbox.write("ben/drafts/02-part2.md", bens)
        #expect(try sandbox.stet("commit", "-m", "Housing", in: "ben", author: "Ben Okafor <ben@example.org>").status == 0)
        // An uncommitted edit elsewhere must survive whatever happens.
        try sandbox.write("ben/drafts/01-part1.md", "# Part 1\n\nBen's unfinished thought.\n")

        let before = try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags"])
        let conflict = try sandbox.stet("sync", in: "ben", author: "Ben Okafor <ben@example.org>")
        #expect(conflict.status == 3, "\(conflict.error)")
        #expect(conflict.output.contains("Conflict in 'part2' (drafts/02-part2.md)"))
        #expect(conflict.output.contains("== Part 2 (part2): modified"))
        #expect(conflict.output.contains("[-housing-]{+transport+}"))
        #expect(conflict.output.contains("stet sync --theirs part2"))
        #expect(try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags"]) == before)
        #expect(try sandbox.read("ben/drafts/02-part2.md") == bens)
        #expect(try sandbox.read("ben/drafts/01-part1.md") == "# Part 1\n\nBen's unfinished thought.\n")

        // Ben combines both in the file and finishes.
        let combined = original.replacingOccurrences(of: "adds a detail", with: "adds a detail on transport and housing")
        try sandbox.write("ben/drafts/02-part2.md", combined)
        let settled = try sandbox.stet("sync", "--edited", "part2", in: "ben", author: "Ben Okafor <ben@example.org>")
        #expect(settled.status == 0, "\(settled.error)")
        #expect(try sandbox.git("log", "-1", "--format=%P", in: "ben").split(separator: " ").count == 2)
        #expect(try sandbox.git("log", "-1", "--format=%B", in: "ben").contains("Resolved: part2 (edited)"))
        #expect(try sandbox.git("show", "main:drafts/02-part2.md", in: "shared.git") == combined)
        #expect(try sandbox.read("ben/drafts/01-part1.md") == "# Part 1\n\nBen's unfinished thought.\n")
        #expect(try sandbox.git("status", "--porcelain", in: "ben") == " M drafts/01-part1.md\n")

        // The other side: --theirs takes the remote's text.
        try sandbox.write("repo/drafts/03-part3.md", "# Part 3\n\nThe secretariat's text.\n")
        #expect(try sandbox.stet("commit", "-m", "Secretariat").status == 0)
        try sandbox.write("ben/drafts/03-part3.md", "# Part 3\n\nBen's text.\n")
        #expect(try sandbox.stet("commit", "-m", "Ben", "part3", in: "ben").status == 0)
        #expect(try sandbox.stet("sync", in: "ben").status == 0)
        #expect(try sandbox.stet("sync").status == 3)
        #expect(try sandbox.stet("sync", "--theirs", "part3").status == 0)
        #expect(try sandbox.read("repo/drafts/03-part3.md") == "# Part 3\n\nBen's text.\n")
        try sandbox.git("fsck", "--strict", in: "shared.git")
    }

    /// A sync sends commits; edits not committed stay here, and the writer is told so.
    @Test func editsNotCommittedAreSaidNotToBeSent() throws {
        let (sandbox, _) = try team()
        try sandbox.write("repo/drafts/02-part2.md", "# Part 2\n\nTyped, not committed.\n")
        let synced = try sandbox.stet("sync")
        #expect(synced.status == 0, "\(synced.error)")
        #expect(synced.output.contains("Already in step with origin"))
        #expect(synced.output.contains("Not sent: 1 section has edits that are not committed:\n"
            + "  modified   Part 2 (part2)  drafts/02-part2.md\n"
            + "Send them with: stet commit -m \"why they changed\", then stet sync\n"), "\(synced.output)")
        #expect(try sandbox.stet("commit", "-m", "Part 2").status == 0)
        let sent = try sandbox.stet("sync")
        #expect(sent.output.contains("sent 1 commit") && !sent.output.contains("Not sent"), "\(sent.output)")
    }

    /// `--ours`, `--theirs` and `--edited` that name no section in conflict are refused with the
    /// nearest name, and nothing changes.
    @Test func settlementsThatNameNoConflictAreRefused() throws {
        let (sandbox, url) = try team()
        let idle = try sandbox.stet("sync", "--theirs", "part2")
        #expect(idle.status == 64)
        #expect(idle.error.contains("nothing to settle: no section conflicts between here and origin (--theirs part2 names none)"),
                "\(idle.error)")
        let milestone = try sandbox.stet("sync", "--theirs", "second")
        #expect(milestone.status == 64 && milestone.error.contains("'second' is a milestone")
            && milestone.error.contains("stet settle second --ours|--theirs -m WHY"), "\(milestone.error)")

        #expect(try sandbox.stet("clone", url, "ben", in: ".").status == 0)
        try sandbox.write("repo/drafts/02-part2.md", "# Part 2\n\nThe secretariat's text.\n")
        #expect(try sandbox.stet("commit", "-m", "Secretariat").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        try sandbox.write("ben/drafts/02-part2.md", "# Part 2\n\nBen's text.\n")
        #expect(try sandbox.stet("commit", "-m", "Ben", in: "ben").status == 0)
        let before = try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags"])
        let mistyped = try sandbox.stet("sync", "--theirs", "prat2", in: "ben")
        #expect(mistyped.status == 64)
        #expect(mistyped.error.contains("'prat2' is not in conflict with origin (did you mean 'part2'?) (--theirs prat2); "
            + "the sections in conflict: part2"), "\(mistyped.error)")
        #expect(try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags"]) == before)
        #expect(try sandbox.stet("sync", "--theirs", "part2", in: "ben").status == 0)
    }

    @Test func aLockLeftInTheSharedRepositoryIsNamed() throws {
        let (sandbox, _) = try team()
        try sandbox.write("repo/drafts/01-part1.md", try sandbox.read("repo/drafts/01-part1.md") + "\nOne more line.\n")
        #expect(try sandbox.stet("commit", "-m", "One more line").status == 0)
        // What a command killed while writing into the shared folder leaves behind.
        try sandbox.write("shared.git/refs/heads/main.lock", "")
        let blocked = try sandbox.stet("sync")
        #expect(blocked.status == 75)
        #expect(blocked.error.contains("origin stayed locked through") && blocked.error.contains("shared.git/refs/heads/main.lock exists"),
                "\(blocked.error)")
        try FileManager.default.removeItem(atPath: sandbox.path + "/shared.git/refs/heads/main.lock")
        let synced = try sandbox.stet("sync")
        #expect(synced.status == 0 && synced.output.contains("sent 1 commit"), "\(synced.output)\(synced.error)")
    }

    @Test func uncommittedEditsInAnIncomingSectionRefuseTheSync() throws {
        let (sandbox, url) = try team()
        #expect(try sandbox.stet("clone", url, "ben", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-part1.md", "# Part 1\n\nRevised by the secretariat.\n")
        #expect(try sandbox.stet("commit", "-m", "Revise part 1").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        try sandbox.write("ben/drafts/01-part1.md", "# Part 1\n\nBen typing, not committed.\n")
        let before = try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags"])
        let refused = try sandbox.stet("sync", in: "ben")
        #expect(refused.status == 65)
        #expect(refused.error.contains("'part1' (drafts/01-part1.md) has uncommitted edits"))
        #expect(try sandbox.read("ben/drafts/01-part1.md") == "# Part 1\n\nBen typing, not committed.\n")
        #expect(try sandbox.repositoryState("ben", refs: ["refs/heads", "refs/tags"]) == before)
        // Committed, the edit merges or conflicts like any other; nothing was lost.
        #expect(try sandbox.stet("commit", "-m", "Ben's part 1", in: "ben").status == 0)
        #expect(try sandbox.stet("sync", in: "ben").status == 3)
    }

    @Test func aMovedMilestoneOnTheRemoteRaisesTheAlarm() throws {
        let (sandbox, _) = try team()
        // A plain bare repository (git's own, without stet's hook) where someone moves a tag.
        try sandbox.git("clone", "-q", "--bare", "shared.git", "plain.git", in: ".")
        #expect(try sandbox.stet("remote", "add", "plain", sandbox.path + "/plain.git").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved").status == 0)
        #expect(try sandbox.stet("sync", "--remote", "plain").status == 0)
        let ours = try sandbox.git("rev-parse", "first")
        try sandbox.git("tag", "-f", "-a", "first", "-m", "Moved", "main~2", in: "plain.git")
        let moved = try sandbox.git("rev-parse", "first", in: "plain.git")

        let alarm = try sandbox.stet("sync", "--remote", "plain")
        #expect(alarm.status == 65)
        #expect(alarm.error.contains("milestone 'first' differs: here tag \(ours.prefix(7))"))
        #expect(alarm.error.contains("on plain tag \(moved.prefix(7))"))
        #expect(try sandbox.git("rev-parse", "first") == ours)
        #expect(try sandbox.git("rev-parse", "first", in: "plain.git") == moved)
    }

    @Test func aCorrectedMilestoneTravelsWithTheRecordOfWhatItReplaced() throws {
        let (sandbox, url) = try team()
        #expect(try sandbox.stet("tag", "first", "-m", "Approved").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        #expect(try sandbox.stet("clone", url, "ben", in: ".").status == 0)
        let approved = try sandbox.git("rev-parse", "first")
        try correctFirst(sandbox, in: "repo")
        let corrected = try sandbox.git("rev-parse", "first")

        let sent = try sandbox.stet("sync")
        #expect(sent.status == 0, "\(sent.error)")
        #expect(sent.output.contains("sent milestone corrections: first"))
        #expect(try sandbox.git("rev-parse", "first", in: "shared.git") == corrected)
        #expect(try sandbox.git("rev-parse", "refs/stet/superseded/first/1", in: "shared.git") == approved)
        let adopted = try sandbox.stet("sync", in: "ben")
        #expect(adopted.status == 0, "\(adopted.error)")
        #expect(adopted.output.contains("corrected milestones adopted: first"))
        #expect(try sandbox.git("rev-parse", "first", in: "ben") == corrected)
        #expect(try sandbox.git("rev-parse", "refs/stet/superseded/first/1", in: "ben") == approved)
        #expect(try sandbox.stet("verify", in: "ben").status == 0)
        #expect(try sandbox.stet("sync", in: "ben").output.contains("Already in step"))
    }

    @Test func theSharedRepositoryRefusesRewritesFromTheGitCLI() throws {
        let (sandbox, url) = try team()
        #expect(try sandbox.stet("tag", "first", "-m", "Approved").status == 0)
        #expect(try sandbox.stet("sync").status == 0)
        let first = try sandbox.git("rev-parse", "first", in: "shared.git")
        let main = try sandbox.git("rev-parse", "main", in: "shared.git")
        try sandbox.git("clone", "-q", url, "gitcli", in: ".")
        try sandbox.git("tag", "-f", "-a", "first", "-m", "Moved", "HEAD~1", in: "gitcli")

        let forced = try sandbox.run("/usr/bin/git", ["push", "-f", "origin", "refs/tags/first"], in: "gitcli")
        #expect(forced.status != 0 && forced.error.contains("refusing to move the tag first"))
        // A tag that claims to supersede the milestone, without the record a correction keeps.
        try sandbox.git("tag", "-f", "-a", "first", "-m", "Forged\n\nSupersedes: \(first.dropLast())", "HEAD~1", in: "gitcli")
        let forged = try sandbox.run("/usr/bin/git", ["push", "-f", "origin", "refs/tags/first"], in: "gitcli")
        #expect(forged.status != 0 && forged.error.contains("refusing to move the tag first"), "\(forged.error)")
        let deleted = try sandbox.run("/usr/bin/git", ["push", "origin", ":refs/tags/first"], in: "gitcli")
        #expect(deleted.status != 0)
        let rewound = try sandbox.run("/usr/bin/git", ["push", "-f", "origin", "HEAD~1:main"], in: "gitcli")
        #expect(rewound.status != 0)
        let dropped = try sandbox.run("/usr/bin/git", ["push", "origin", ":main"], in: "gitcli")
        #expect(dropped.status != 0)
        #expect(try sandbox.git("rev-parse", "first", in: "shared.git") == first)
        #expect(try sandbox.git("rev-parse", "main", in: "shared.git") == main)
        // New tags and fast-forwards still go through.
        try sandbox.git("tag", "-a", "note", "-m", "A note", in: "gitcli")
        #expect(try sandbox.run("/usr/bin/git", ["push", "origin", "refs/tags/note"], in: "gitcli").status == 0)
    }

    /// A writer sends a first draft and a milestone to `url`, a second clones it, both write
    /// three rounds at once; everything is on the shared repository (at `shared`) at the end.
    private func twoWritersShare(_ sandbox: Sandbox, url: String, shared: String, server: LoopbackServer) throws {
        #expect(try sandbox.stet("init", "repo", in: ".").status == 0)
        try sandbox.write("repo/drafts/01-part1.md", "# Part 1\n\nText.\n")
        try sandbox.write("repo/drafts/02-part2.md", "# Part 2\n\nText.\n")
        #expect(try sandbox.stet("commit", "-m", "Zero draft").status == 0)
        #expect(try sandbox.stet("tag", "first", "-m", "Approved").status == 0)
        #expect(try sandbox.stet("remote", "add", "origin", url).status == 0)
        let sent = try sandbox.stet("sync")
        #expect(sent.status == 0, "\(sent.error)\n\(server.output)")

        let cloned = try sandbox.stet("clone", url, "ben", in: ".")
        #expect(cloned.status == 0, "\(cloned.error)")
        #expect(try sandbox.git("rev-parse", "first", in: "ben") == sandbox.git("rev-parse", "first"))
        try together(2) { index in
            let (writer, section) = index == 0 ? ("repo", "01-part1.md") : ("ben", "02-part2.md")
            for round in 1...3 { _ = try writerRound(sandbox, writer: writer, section: section, round: round) }
        }
        try settle(sandbox, ["repo", "ben"])
        let subjects = try sandbox.git("log", "--format=%s", "main", in: shared)
        for writer in ["repo", "ben"] {
            for round in 1...3 { #expect(subjects.contains("\(writer) round \(round)")) }
        }
        try sandbox.git("fsck", "--strict", in: shared)
    }

    @Test func writersSyncOverGitDaemon() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "--shared", "served/shared.git", in: ".").status == 0)
        let daemon = try sandbox.gitDaemon(base: "served")
        let url = "git://127.0.0.1:\(daemon.port)/shared.git"
        try twoWritersShare(sandbox, url: url, shared: "served/shared.git", server: daemon)
        // A correction passes the hook, with the record of what it replaced.
        try correctFirst(sandbox, in: "repo")
        let corrected = try sandbox.stet("sync")
        #expect(corrected.status == 0 && corrected.output.contains("sent milestone corrections: first"), "\(corrected.error)")
        #expect(try sandbox.stet("sync", in: "ben").output.contains("corrected milestones adopted: first"))
        #expect(try sandbox.git("rev-parse", "first", in: "served/shared.git") == sandbox.git("rev-parse", "first", in: "ben"))
        #expect(try sandbox.stet("verify", in: "ben").status == 0)
        // The hook guards pushes over the daemon too.
        try sandbox.git("clone", "-q", url, "gitcli", in: ".")
        try sandbox.git("tag", "-f", "-a", "first", "-m", "Moved", "HEAD~1", in: "gitcli")
        let forced = try sandbox.run("/usr/bin/git", ["push", "-f", "origin", "refs/tags/first"], in: "gitcli")
        #expect(forced.status != 0 && forced.error.contains("refusing to move the tag first"))
    }

    @Test func writersSyncOverHTTPSWithATokenNeverStored() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "--shared", "served/shared.git", in: ".").status == 0)
        let token = "tok-7f3a9c1e5b"
        let server = try sandbox.httpsServer(base: "served", token: token)
        let url = "https://127.0.0.1:\(server.port)/shared.git"
        let authority = sandbox.path + "/https/authority.pem"
        sandbox.settings = ["SSL_CERT_FILE": authority, "STET_TOKEN": token]
        try twoWritersShare(sandbox, url: url, shared: "served/shared.git", server: server)
        let quiet = try sandbox.stet("sync")
        #expect(quiet.status == 0 && !(quiet.output + quiet.error).contains(token))

        // The token is never written into either working copy.
        for writer in ["repo", "ben"] {
            let files = FileManager.default.enumerator(atPath: sandbox.path + "/" + writer)?.allObjects as? [String] ?? []
            #expect(!files.isEmpty)
            for file in files {
                let bytes = FileManager.default.contents(atPath: sandbox.path + "/" + writer + "/" + file) ?? Data()
                #expect(bytes.range(of: Data(token.utf8)) == nil, "\(writer)/\(file) holds the token")
            }
        }
        // Without the token, with a wrong one, or without the authority: refused, and said why.
        sandbox.settings = ["SSL_CERT_FILE": authority]
        let anonymous = try sandbox.stet("sync")
        #expect(anonymous.status == 69 && anonymous.error.contains("asks for a login; set STET_TOKEN"), "\(anonymous.error)")
        sandbox.settings = ["SSL_CERT_FILE": authority, "STET_TOKEN": "wrong"]
        let wrong = try sandbox.stet("sync")
        #expect(wrong.status == 69 && wrong.error.contains("refused the token in STET_TOKEN"), "\(wrong.error)")
        sandbox.settings = ["STET_TOKEN": token]
        let untrusted = try sandbox.stet("sync")
        #expect(untrusted.status == 69 && untrusted.error.contains("TLS certificate of 127.0.0.1 is not valid"))
        #expect(!(untrusted.output + untrusted.error + wrong.error).contains(token))
    }

    @Test func writersSyncOverSSH() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "--shared", "shared.git", in: ".").status == 0)
        let server = try sandbox.sshServer()
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        let url = "ssh://\(user)@127.0.0.1:\(server.port)\(sandbox.path)/shared.git"
        try twoWritersShare(sandbox, url: url, shared: "shared.git", server: server)

        // A host key that is not in known_hosts stops stet before any login.
        let knownHosts = try String(contentsOfFile: sandbox.home + "/.ssh/known_hosts", encoding: .utf8)
        try sandbox.write(sandbox.home + "/.ssh/known_hosts", "")
        let unknown = try sandbox.stet("sync")
        #expect(unknown.status == 69)
        #expect(unknown.error.contains("host key of 127.0.0.1 is not in known_hosts"))
        // A key the server does not know is refused, and said so.
        try sandbox.write(sandbox.home + "/.ssh/known_hosts", knownHosts)
        let stranger = try sandbox.stet("clone", url, "carla", in: ".",
                                        environment: ["STET_SSH_KEY": sandbox.path + "/sshd/host_ed25519"])
        #expect(stranger.status == 69, "\(stranger.error)")
        #expect(stranger.error.contains("refused every ssh key offered (host_ed25519)"), "\(stranger.error)")
        #expect(!sandbox.exists("carla"))
    }
}
