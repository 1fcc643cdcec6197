import Foundation
import StetTestSupport
import Testing

/// A repository with six committed sections, each edited and not yet committed.
private func editedRepository() throws -> Sandbox {
    let sandbox = try Sandbox()
    #expect(try sandbox.stet("init", "repo", in: ".").status == 0)
    for number in 1...6 {
        try sandbox.write("repo/drafts/0\(number)-part\(number).md", "# Part \(number)\n\nThe text of part \(number).\n")
    }
    #expect(try sandbox.stet("commit", "-m", "Zero draft").status == 0)
    for number in 1...6 {
        try sandbox.write("repo/drafts/0\(number)-part\(number).md", "# Part \(number)\n\nThe edited text of part \(number).\n")
    }
    return sandbox
}

/// Holds `.git/stet.lock` with flock(1) (which becomes `sleep`), as a stet command does, until the returned process is
/// terminated; the lock file first gets `record`.
private func holdLock(_ sandbox: Sandbox, record: String) throws -> Process {
    let lockFile = sandbox.path + "/repo/.git/stet.lock"
    try sandbox.write(lockFile, record)
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
    holder.arguments = ["--exclusive", "--no-fork", lockFile, "sleep", "60"]
    try holder.run()
    // Wait until it holds the lock: a non-blocking attempt then fails.
    for _ in 0..<200 {
        let probe = try sandbox.run("/usr/bin/flock", ["--nonblock", lockFile, "true"])
        if probe.status != 0 { return holder }
        usleep(20_000)
    }
    kill(holder.processIdentifier, SIGKILL)
    throw ServerFailure(message: "flock never held \(lockFile)")
}

/// The id of a process that has ended.
private func deadProcessID(_ sandbox: Sandbox) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

@Suite("One writer at a time: stet's lock, and the lock files a killed command leaves")
struct LockTests {
    @Test func aLiveHolderMakesAWriterWaitThenSayTheRepositoryIsBusy() throws {
        let sandbox = try editedRepository()
        let before = try sandbox.repositoryState()
        let holder = try holdLock(sandbox, record: "pid 4242\ncommand stet sync\nstarted 2026-11-23T10:04:11Z\n")
        // SIGKILL: test threads block SIGTERM, and children inherit that.
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }

        let waited = Date()
        let busy = try sandbox.stet("commit", "-m", "Edits", environment: ["STET_LOCK_WAIT": "0.5"])
        #expect(Date().timeIntervalSince(waited) >= 0.5, "it did not wait")
        #expect(busy.status == 75)
        #expect(busy.error == "stet: error: the repository is busy: `stet sync` (process 4242, started "
            + "2026-11-23T10:04:11Z) is writing it; try again when it has finished\n", "\(busy.error)")
        #expect(try sandbox.repositoryState() == before)
        // stet unlock never takes a live holder's lock.
        let unlock = try sandbox.stet("unlock", environment: ["STET_LOCK_WAIT": "0.2"])
        #expect(unlock.status == 75 && unlock.error.contains("the repository is busy"))

        // Once the holder ends, however it ends, the next writer goes ahead.
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let committed = try sandbox.stet("commit", "-m", "Edits")
        #expect(committed.status == 0, "\(committed.error)")
        let record = try sandbox.read("repo/.git/stet.lock")
        #expect(record.contains("command stet commit\n") && record.hasSuffix("finished\n"), "\(record)")
    }

    @Test func writersCommittingAtOnceAllLand() throws {
        let sandbox = try editedRepository()
        try together(6) { index in
            let number = index + 1
            let result = try sandbox.stet("commit", "-m", "Edit part \(number)", "drafts/0\(number)-part\(number).md")
            if result.status != 0 { throw ServerFailure(message: "stet commit of part \(number): \(result.error)") }
        }
        let subjects = try sandbox.git("log", "--format=%s").split(separator: "\n")
        #expect(Set(subjects.prefix(6)) == Set((1...6).map { "Edit part \($0)"[...] }))
        #expect(try sandbox.git("status", "--porcelain").isEmpty, "the index disagrees with what was committed")
        try sandbox.git("fsck", "--full", "--strict")
    }

    @Test func aLockFileLeftByAKilledCommandIsNamedAndStetUnlockClearsIt() throws {
        let sandbox = try editedRepository()
        let dead = try deadProcessID(sandbox)
        try sandbox.write("repo/.git/stet.lock", "pid \(dead)\ncommand stet commit\nstarted 2026-11-23T10:00:00Z\n")
        let head = try sandbox.git("rev-parse", "HEAD")
        try sandbox.write("repo/.git/refs/heads/main.lock", head)
        let before = try sandbox.repositoryState()

        let refused = try sandbox.stet("commit", "-m", "Edits")
        #expect(refused.status == 75)
        #expect(refused.error == "stet: error: `stet commit` (process \(dead), started 2026-11-23T10:00:00Z) was stopped "
            + "while writing and left .git/refs/heads/main.lock; no stet command is running now, so if no git "
            + "command is either, clear it with: stet unlock\n", "\(refused.error)")
        #expect(try sandbox.repositoryState() == before)

        let unlock = try sandbox.stet("unlock")
        #expect(unlock.status == 0 && unlock.output == "removed .git/refs/heads/main.lock\n", "\(unlock.output)\(unlock.error)")
        #expect(!sandbox.exists("repo/.git/refs/heads/main.lock"))
        let committed = try sandbox.stet("commit", "-m", "Edits")
        #expect(committed.status == 0, "\(committed.error)")
        #expect(try sandbox.stet("unlock").output == "No lock files to clear.\n")
    }

    @Test func aLockFileOfAGitCommandIsClearedOnlyWhenOld() throws {
        let sandbox = try editedRepository()
        #expect(try sandbox.stet("commit", "-m", "Edits", "drafts/01-part1.md").status == 0)
        try sandbox.write("repo/.git/index.lock", "")
        // Fresh: a git command may be writing; stet unlock leaves it.
        let fresh = try sandbox.stet("unlock")
        #expect(fresh.status == 0 && fresh.error.contains(".git/index.lock is less than ten seconds old"), "\(fresh.error)")
        #expect(sandbox.exists("repo/.git/index.lock"))
        // A minute old, with no stet command killed: left by a git command that did not finish.
        #expect(try sandbox.run("/usr/bin/touch", ["-d", "1 minute ago", ".git/index.lock"]).status == 0)
        let refused = try sandbox.stet("commit", "-m", "More edits")
        #expect(refused.status == 75)
        #expect(refused.error.contains(".git/index.lock was left by a git command that did not finish; "
            + "if no git command is running, clear it with: stet unlock"), "\(refused.error)")
        #expect(try sandbox.stet("unlock").output == "removed .git/index.lock\n")
        #expect(try sandbox.stet("commit", "-m", "More edits").status == 0)
    }
}
