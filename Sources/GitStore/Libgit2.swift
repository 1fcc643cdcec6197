internal import CGit2

/// libgit2 is initialised once per process and never shut down; fsync is switched on so that a
/// crash or power loss cannot leave a ref pointing at an object that never reached the disk.
private let libgit2Ready: Bool = {
    git_libgit2_init()
    _ = stet_git_enable_fsync_gitdir(1)
    return true
}()

func ensureLibgit2() {
    _ = libgit2Ready
}
