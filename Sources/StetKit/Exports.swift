// The values of git that the command line and other clients of StetKit read (ids, signatures,
// commits, trailers, remotes) come with StetKit: no client needs GitStore, the module that holds
// the repository and calls libgit2.
@_exported public import GitValues
