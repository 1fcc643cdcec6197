import Foundation
import GitStore
import GitValues
import StetTestSupport
import Testing

@Suite("GitStore: libgit2 through Swift values, read back by the git CLI")
struct RepositoryTests {
    let author = Signature(name: "Amina Diallo", email: "amina@example.org",
                           date: Date(timeIntervalSince1970: 1_722_500_000), timeZoneOffset: 120)

    /// A repository with one commit holding `files`.
    func repository(_ sandbox: Sandbox, files: [String: String]) throws -> (Repository, ObjectID) {
        let repository = try Repository.create(at: sandbox.path + "/repo")
        let updates = try files.map { path, text in
            TreeUpdate(path: path, action: .upsert(try repository.writeBlob(Array(text.utf8)), .regular))
        }
        let commit = try repository.createCommit(base: nil, updates: updates, parents: [], author: author,
                                                 committer: author, message: "First\n", updatingReference: "HEAD")
        return (repository, commit)
    }

    @Test func createStartsOnMainAndIsUnborn() throws {
        let sandbox = try Sandbox()
        let repository = try Repository.create(at: sandbox.path + "/repo")
        #expect(try repository.head() == nil)
        #expect(try repository.currentBranch() == "main")
        #expect(try sandbox.git("symbolic-ref", "HEAD") == "refs/heads/main\n")
    }

    @Test func commitsAreReadByGit() throws {
        let sandbox = try Sandbox()
        let (repository, first) = try repository(sandbox, files: ["drafts/a.md": "Alpha\n", "drafts/part/b.md": "Beta\n"])
        let second = try repository.createCommit(
            base: try repository.treeID(ofCommit: first),
            updates: [TreeUpdate(path: "drafts/a.md", action: .remove)], parents: [first], author: author,
            committer: author, message: "Drop a\n\nAddresses: OC-0007\n", updatingReference: "HEAD")
        #expect(try repository.head() == second)
        let log = try sandbox.git("log", "--format=%H|%an <%ae>|%ad|%s", "--date=iso")
        #expect(log == "\(second.hex)|Amina Diallo <amina@example.org>|2024-08-01 10:13:20 +0200|Drop a\n"
            + "\(first.hex)|Amina Diallo <amina@example.org>|2024-08-01 10:13:20 +0200|First\n")
        #expect(try sandbox.git("log", "-1", "--format=%(trailers:key=Addresses,valueonly)") == "OC-0007\n\n")
        #expect(try sandbox.git("ls-tree", "-r", "--name-only", "HEAD") == "drafts/part/b.md\n")
        try sandbox.git("fsck", "--strict")
        #expect(try repository.commit(second).trailers == [Trailer(key: "Addresses", value: "OC-0007")])
    }

    @Test func referenceUpdateIsCompareAndSwap() throws {
        let sandbox = try Sandbox()
        let (repository, first) = try repository(sandbox, files: ["a.md": "A\n"])
        _ = try repository.createCommit(base: nil, updates: [], parents: [first], author: author, committer: author,
                                        message: "Second\n", updatingReference: "HEAD")
        // A writer that still believes HEAD is `first` must not overwrite the second commit.
        #expect {
            try repository.createCommit(base: nil, updates: [], parents: [first], author: author, committer: author,
                                        message: "Stale\n", updatingReference: "HEAD")
        } throws: { ($0 as? GitError)?.code == .modified }
        #expect(try sandbox.git("log", "--format=%s") == "Second\nFirst\n")
    }

    @Test func blobIDsMatchGitHashObject() throws {
        let sandbox = try Sandbox()
        let bytes: [UInt8] = Array("Données\u{0}binaire\n".utf8)
        try sandbox.write("repo/x.bin", bytes: bytes)
        _ = try Repository.create(at: sandbox.path + "/repo")
        #expect(ObjectID.forBlob(bytes).hex + "\n" == (try sandbox.git("hash-object", "x.bin")))
    }

    @Test func resolvesRevisionsAsGitDoes() throws {
        let sandbox = try Sandbox()
        let (repository, first) = try repository(sandbox, files: ["a.md": "A\n"])
        let second = try repository.createCommit(base: nil, updates: [], parents: [first], author: author,
                                                 committer: author, message: "Second\n", updatingReference: "HEAD")
        try sandbox.git("tag", "-a", "-m", "Approved", "first", first.hex)
        try sandbox.git("branch", "writer", first.hex)
        #expect(try repository.resolveCommit("HEAD") == second)
        #expect(try repository.resolveCommit("HEAD~1") == first)
        #expect(try repository.resolveCommit("first") == first)
        #expect(try repository.resolveCommit("writer") == first)
        #expect(try repository.resolveCommit(String(second.hex.prefix(10))) == second)
        #expect { try repository.resolveCommit("nothing-here") } throws: { ($0 as? GitError)?.code == .notFound }
    }

    @Test func annotatedTagsAreWrittenOnceAndReadByGit() throws {
        let sandbox = try Sandbox()
        let (repository, first) = try repository(sandbox, files: ["a.md": "A\n"])
        let tag = try repository.createAnnotatedTag(name: "first", target: first, tagger: author,
                                                    message: "Approved by the Expert Group Meeting\n")
        #expect {
            try repository.createAnnotatedTag(name: "first", target: first, tagger: author, message: "Again\n")
        } throws: { ($0 as? GitError)?.code == .exists }
        #expect(try sandbox.git("for-each-ref", "--format=%(objecttype) %(taggername) %(subject)", "refs/tags")
            == "tag Amina Diallo Approved by the Expert Group Meeting\n")
        #expect(try sandbox.git("describe") == "first\n")
        let read = try #require(try repository.tag(named: "first"))
        #expect(read.isAnnotated && read.referenceTarget == tag && read.commit == first)
        #expect(read.tagger == author)
        try sandbox.git("fsck", "--strict")
    }

    @Test func workdirChangesFindUntrackedRenames() throws {
        let sandbox = try Sandbox()
        let text = String(repeating: "A paragraph of guideline text that stays the same.\n", count: 20)
        let (repository, first) = try repository(sandbox, files: ["drafts/01-a.md": text, "drafts/02-b.md": "B\n"])
        try sandbox.write("repo/drafts/01-a.md", text)
        try sandbox.write("repo/drafts/02-b.md", "B\n")
        try repository.resetIndex(toTree: try repository.treeID(ofCommit: first))
        try FileManager.default.moveItem(atPath: sandbox.path + "/repo/drafts/01-a.md", toPath: sandbox.path + "/repo/drafts/03-a.md")
        try sandbox.write("repo/drafts/02-b.md", "B changed\n")
        try sandbox.write("repo/drafts/new.md", "New\n")
        try sandbox.write("repo/outside.md", "Not under drafts\n")
        let changes = try repository.changesToWorkdir(from: try repository.treeID(ofCommit: first), under: "drafts")
        let summary = changes.map { "\($0.kind) \($0.oldPath) \($0.newPath)" }.sorted()
        #expect(summary == ["modified drafts/02-b.md drafts/02-b.md", "renamed drafts/01-a.md drafts/03-a.md",
                            "untracked drafts/new.md drafts/new.md"])
    }

    /// The changed files of a commit that only edits, read from the trees' entries in place: the
    /// paths and ids git's own diff reports, and nil whenever a file is added, deleted, renamed or
    /// turned into a folder (then a full diff has to say how).
    @Test func modifiedFilesAreThoseGitReports() throws {
        let sandbox = try Sandbox()
        let files = ["drafts/a.md": "A\n", "drafts/b.md": "B\n", "drafts/part/c.md": "C\n", "drafts/part/d.md": "D\n",
                     "drafts/z.md": "Z\n", "other/x.md": "X\n"]
        let (repository, first) = try repository(sandbox, files: files)
        var parent = first
        func commit(_ updates: [TreeUpdate]) throws -> (ObjectID, ObjectID) {
            let base = try repository.treeID(ofCommit: parent)
            let next = try repository.createCommit(base: base, updates: updates, parents: [parent], author: author,
                                                   committer: author, message: "Edit\n", updatingReference: "HEAD")
            defer { parent = next }
            return (base, try repository.treeID(ofCommit: next))
        }
        func blob(_ text: String) throws -> ObjectID { try repository.writeBlob(Array(text.utf8)) }
        func gitReports(_ trees: (ObjectID, ObjectID)) throws -> [String] {
            try sandbox.git("diff-tree", "-r", "--no-renames", "--format=", trees.0.hex, trees.1.hex, "--", "drafts")
                .split(separator: "\n").map { line in
                    let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    return "\(fields[5]) \(fields[2])>\(fields[3]) \(fields[4])"
                }
        }
        func reported(_ changes: [FileChange]?) -> [String]? {
            changes?.map { "\($0.newPath) \($0.oldID.hex)>\($0.newID.hex) \($0.kind == .modified ? "M" : "T")" }
        }

        // Edits, in the folder and below it, in git's order.
        let edits = try commit([TreeUpdate(path: "drafts/z.md", action: .upsert(try blob("Z2\n"), .regular)),
                                TreeUpdate(path: "drafts/a.md", action: .upsert(try blob("A2\n"), .regular)),
                                TreeUpdate(path: "drafts/part/c.md", action: .upsert(try blob("C2\n"), .regular))])
        let found = reported(try repository.modifiedFiles(from: edits.0, to: edits.1, under: "drafts"))
        #expect(found == (try gitReports(edits)))
        #expect(found?.count == 3)
        // A change of mode alone is no change of content; with new content it is a type change.
        let mode = try commit([TreeUpdate(path: "drafts/b.md", action: .upsert(try blob("B\n"), .executable))])
        #expect(try repository.modifiedFiles(from: mode.0, to: mode.1, under: "drafts") == [])
        let both = try commit([TreeUpdate(path: "drafts/b.md", action: .upsert(try blob("B2\n"), .regular))])
        #expect(reported(try repository.modifiedFiles(from: both.0, to: both.1, under: "drafts")) == (try gitReports(both)))
        // Outside the folder: nothing.
        let outside = try commit([TreeUpdate(path: "other/x.md", action: .upsert(try blob("X2\n"), .regular))])
        #expect(try repository.modifiedFiles(from: outside.0, to: outside.1, under: "drafts") == [])
        // Added, deleted, renamed, a file made a folder: a full diff must tell.
        let added = try commit([TreeUpdate(path: "drafts/part/e.md", action: .upsert(try blob("E\n"), .regular))])
        #expect(try repository.modifiedFiles(from: added.0, to: added.1, under: "drafts") == nil)
        let deleted = try commit([TreeUpdate(path: "drafts/part/e.md", action: .remove)])
        #expect(try repository.modifiedFiles(from: deleted.0, to: deleted.1, under: "drafts") == nil)
        let renamed = try commit([TreeUpdate(path: "drafts/a.md", action: .remove),
                                  TreeUpdate(path: "drafts/y.md", action: .upsert(try blob("A2\n"), .regular))])
        #expect(try repository.modifiedFiles(from: renamed.0, to: renamed.1, under: "drafts") == nil)
        // A file made a folder of the same name (libgit2 will not write that in one update; git's index will).
        try sandbox.git("read-tree", parent.hex)
        try sandbox.git("rm", "-q", "--cached", "drafts/b.md")
        try sandbox.git("update-index", "--add", "--cacheinfo", "100644,\(try blob("B3\n").hex),drafts/b.md/inner.md")
        let folderTree = try sandbox.git("write-tree").trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = (try repository.treeID(ofCommit: parent), ObjectID(hex: folderTree)!)
        #expect(try repository.modifiedFiles(from: folder.0, to: folder.1, under: "drafts") == nil)
        #expect(try repository.modifiedFiles(from: folder.1, to: folder.0, under: "drafts") == nil)
        // A file made a symbolic link is a change of type.
        let link = try commit([TreeUpdate(path: "drafts/b.md", action: .upsert(try blob("b-target.md"), .symlink))])
        #expect(reported(try repository.modifiedFiles(from: link.0, to: link.1, under: "drafts")) == (try gitReports(link)))
        // The folder only on one side.
        let gone = try commit(["drafts/b.md", "drafts/part/c.md", "drafts/part/d.md", "drafts/y.md", "drafts/z.md"]
            .map { TreeUpdate(path: $0, action: .remove) })
        #expect(try repository.modifiedFiles(from: gone.0, to: gone.1, under: "drafts") == nil)
    }

    @Test func discoverFindsTheRepositoryFromASubfolder() throws {
        let sandbox = try Sandbox()
        _ = try repository(sandbox, files: ["drafts/part/a.md": "A\n"])
        try FileManager.default.createDirectory(atPath: sandbox.path + "/repo/drafts/part", withIntermediateDirectories: true)
        let found = try Repository.discover(from: sandbox.path + "/repo/drafts/part")
        #expect(found.workdir == sandbox.path + "/repo/")
        #expect { try Repository.discover(from: sandbox.home) } throws: { ($0 as? GitError)?.code == .notFound }
    }
}
