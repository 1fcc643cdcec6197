public import Foundation
import GitStore
public import GitValues

extension DocumentRepository {
    /// Makes `name` the branch that commits go to, creating it at HEAD when it does not exist,
    /// and brings the working files to its last commit. Refused, with nothing changed, when a
    /// file that differs between the two branches has uncommitted edits.
    public func switchBranch(to name: String) throws(StetError) {
        try writing("stet demo") { () throws(StetError) in try switchBranchHoldingLock(to: name) }
    }

    private func switchBranchHoldingLock(to name: String) throws(StetError) {
        let current = try gitCall("read HEAD's branch") { () throws(GitError) in try git.currentBranch() }
        if current == name { return }
        guard let here = try head() else {
            throw StetError(.refused, "cannot start the branch '\(name)' before the first commit")
        }
        let reference = "refs/heads/" + name
        var target = try gitCall("read the branch '\(name)'") { () throws(GitError) in try git.referenceTarget(reference) }
        if target == nil {
            try gitCall("create the branch '\(name)'") { () throws(GitError) in
                try git.setReference(reference, to: here, expecting: nil, logMessage: "stet: branch from HEAD")
            }
            target = here
        }
        guard let target else { return }
        let trees = try gitCall("read the branches' trees") { () throws(GitError) in
            (try git.treeID(ofCommit: here), try git.treeID(ofCommit: target))
        }
        _ = try updateWorkingFolder(from: trees.0, to: trees.1, remote: "the branch '\(name)'")
        try gitCall("switch to the branch '\(name)'") { () throws(GitError) in try git.setHead(branch: name) }
    }

    /// Merges the branch `name` into the current one in a merge commit (even when a fast-forward
    /// would do, so that the branch stays visible in the history), through the same merge as
    /// `stet sync`. Conflicts refuse the merge with nothing written.
    public func mergeLocalBranch(_ name: String, message: String, author: String?, date: Date?) throws(StetError) -> ObjectID {
        try writing("stet demo") { () throws(StetError) in try mergeLocalBranchHoldingLock(name, message: message, author: author, date: date) }
    }

    private func mergeLocalBranchHoldingLock(_ name: String, message: String, author: String?, date: Date?) throws(StetError) -> ObjectID {
        let reference = "refs/heads/" + name
        guard let theirs = try gitCall("read the branch '\(name)'", { () throws(GitError) in try git.referenceTarget(reference) }) else {
            throw StetError(.notFound, "no branch named '\(name)'")
        }
        guard let branch = try gitCall("read HEAD's branch", { () throws(GitError) in try git.currentBranch() }),
              let ours = try head()
        else {
            throw StetError(.refused, "cannot merge '\(name)': HEAD is not on a branch with commits")
        }
        let contained = try isAncestor(theirs, of: ours)
        if ours == theirs || contained {
            throw StetError(.refused, "the branch '\(name)' has nothing that '\(branch)' lacks")
        }
        var result = SyncResult(remote: name, url: "")
        let request = SyncRequest(remote: name, author: author, date: date)
        if let conflicts = try mergeBranch(ours: ours, theirs: theirs, remote: "the branch '\(name)'", branch: branch,
                                           request: request, message: message, result: &result)
        {
            let names = conflicts.map { "'\($0.section)'" }.joined(separator: ", ")
            throw StetError(.conflict, "cannot merge '\(name)': the same passage changed on both branches in \(names)")
        }
        guard let merge = result.merge else { throw StetError(.failure, "the merge of '\(name)' wrote no commit") }
        return merge
    }
}
