internal import CGit2
public import GitValues

/// An open git repository. The handle is the only long-lived libgit2 object in stet: every other
/// libgit2 object is looked up, copied into Swift values and freed within one method.
///
/// libgit2 objects are not thread-safe: use one `Repository` from one thread at a time.
public final class Repository {
    let pointer: OpaquePointer
    /// The raw entries of the trees read last (see `rawTree`).
    var recentTrees: [(id: ObjectID, bytes: [UInt8])] = []

    /// The working directory, with a trailing slash; nil for a bare repository.
    public let workdir: String?
    /// The `.git` directory, with a trailing slash.
    public let gitDirectory: String

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        workdir = git_repository_workdir(pointer).map { String(cString: $0) }
        gitDirectory = String(cString: git_repository_path(pointer))
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository at `path` exactly (no search upwards).
    public convenience init(openingAt path: String) throws(GitError) {
        ensureLibgit2()
        var repository: OpaquePointer?
        try Self.checkOpen(git_repository_open_ext(&repository, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                           "git_repository_open_ext")
        self.init(pointer: repository!)
    }

    /// Finds the repository that holds `path`, searching upwards as git does.
    public static func discover(from path: String) throws(GitError) -> Repository {
        ensureLibgit2()
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_repository_discover(&buffer, path, 0, nil), "git_repository_discover")
        var repository: OpaquePointer?
        try checkOpen(git_repository_open(&repository, buffer.ptr), "git_repository_open")
        return Repository(pointer: repository!)
    }

    /// libgit2 1.5 refuses a repository owned by another user with GIT_ENOTFOUND and "config value
    /// 'safe.directory' was not found"; report it as what it is.
    private static func checkOpen(_ result: Int32, _ function: StaticString) throws(GitError) {
        do {
            try check(result, function)
        } catch where error.code == .notFound && error.message.contains("safe.directory") {
            throw GitError(code: .notOwned, message: "the repository is owned by another user", function: "\(function)")
        }
    }

    /// Creates a repository at `path` (creating folders as needed) whose first branch is
    /// `initialBranch`.
    public static func create(at path: String, initialBranch: String = "main", bare: Bool = false)
        throws(GitError) -> Repository
    {
        ensureLibgit2()
        var options = git_repository_init_options()
        try check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                  "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        var repository: OpaquePointer?
        let result = initialBranch.withCString { branch in
            options.initial_head = branch
            return git_repository_init_ext(&repository, path, &options)
        }
        try check(result, "git_repository_init_ext")
        return Repository(pointer: repository!)
    }

    /// The id HEAD points to; nil while the first branch has no commit yet.
    public func head() throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, "HEAD")
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EUNBORNBRANCH.rawValue { return nil }
        try check(result, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// The branch HEAD names (`main`), also while it is unborn; nil when HEAD is detached.
    public func currentBranch() throws(GitError) -> String? {
        var reference: OpaquePointer?
        try check(git_reference_lookup(&reference, pointer, "HEAD"), "git_reference_lookup")
        defer { git_reference_free(reference) }
        guard git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC,
              let target = git_reference_symbolic_target(reference) else { return nil }
        let name = String(cString: target)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
    }

    /// Makes HEAD name the branch `name` (which need not exist yet). The working files and the
    /// index are the caller's to bring in step.
    public func setHead(branch name: String) throws(GitError) {
        try check(git_repository_set_head(pointer, "refs/heads/" + name), "git_repository_set_head")
    }

    /// A string from the repository's configuration (repository, global and system files).
    public func configString(_ key: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, pointer) == 0 else { return nil }
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, key) == 0, let value else { return nil }
        return String(cString: value)
    }

    /// Sets a string in the repository's own configuration file.
    public func setConfigString(_ key: String, _ value: String) throws(GitError) {
        var config: OpaquePointer?
        try check(git_repository_config(&config, pointer), "git_repository_config")
        defer { git_config_free(config) }
        try check(git_config_set_string(config, key, value), "git_config_set_string")
    }

    /// Whether git's ignore rules exclude `path` (relative to the working directory).
    public func isIgnored(_ path: String) -> Bool {
        var ignored: Int32 = 0
        guard git_ignore_path_is_ignored(&ignored, pointer, path) == 0 else { return false }
        return ignored != 0
    }
}
