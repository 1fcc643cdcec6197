internal import CGit2

/// libgit2 is initialised once per process and never shut down; fsync is switched on so that a
/// crash or power loss cannot leave a ref pointing at an object that never reached the disk.
///
/// Objects are not re-hashed on every read, as git does not re-hash them (`git fsck` checks
/// them): the check was a sixth of a walk through 4,500 commits.
private let libgit2Ready: Bool = {
    git_libgit2_init()
    _ = stet_git_enable_fsync_gitdir(1)
    _ = stet_git_enable_strict_hash_verification(0)
    return true
}()

func ensureLibgit2() {
    _ = libgit2Ready
}
