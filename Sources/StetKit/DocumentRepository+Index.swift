import Foundation
import GitStore
import GitValues

extension DocumentRepository {
    /// Records in git's index the files a write of stet's put in HEAD's tree (and drops those it
    /// removed), so that the git CLI sees a clean state. Another program may hold the index for a
    /// moment (an editor's git integration, a background `git status`): the update is tried again
    /// for about a second and a half. Returns why it could not be made, or nil.
    ///
    /// An index left behind is never a danger to the record: stet compares the working files
    /// with HEAD's tree (see `Repository.changesToWorkdir`), and its next status or commit brings
    /// the index up to date.
    func recordInIndex(_ entries: [IndexEntry], removing: [String] = []) -> GitError? {
        var attempt = 0
        while true {
            do {
                try git.updateIndex(setting: entries, removing: removing)
                return nil
            } catch where error.code == .locked && attempt < 10 {
                attempt += 1
                usleep(UInt32.random(in: 100_000...200_000))
            } catch {
                return error
            }
        }
    }
}
