internal import CGit2
public import GitValues
internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// A configured remote: a name and where it points.

/// The public key an ssh server presented, in the wire format `known_hosts` stores in base64.
public struct HostKey: Sendable, Hashable {
    /// The host as the URL names it.
    public var host: String
    public var blob: [UInt8]
}

/// How to reach remotes: which credentials to offer and how to judge a server's host key.
/// GitStore only offers what it is given; reading the environment is the caller's business.
public struct RemoteAccess: Sendable {
    /// The ssh user when the URL names none.
    public var userName: String
    /// Private key files to offer over ssh, in order (each with its `.pub` beside it if present).
    public var sshKeys: [String]
    /// Whether to ask the ssh agent first.
    public var useAgent: Bool
    /// The token for https remotes; offered as the password, never stored.
    public var token: String?
    /// Decides whether an ssh server's key is the one expected; nil accepts none.
    public var verifyHostKey: (@Sendable (HostKey) -> Bool)?
    /// The certificate authorities https servers are checked against: a file of PEM
    /// certificates and a folder of them (either may be nil; both nil: libgit2's default).
    public var authorityFile: String?
    public var authorityFolder: String?

    public init(userName: String, sshKeys: [String] = [], useAgent: Bool = false, token: String? = nil,
                verifyHostKey: (@Sendable (HostKey) -> Bool)? = nil, authorityFile: String? = nil,
                authorityFolder: String? = nil)
    {
        self.userName = userName
        self.sshKeys = sshKeys
        self.useAgent = useAgent
        self.token = token
        self.verifyHostKey = verifyHostKey
        self.authorityFile = authorityFile
        self.authorityFolder = authorityFolder
    }

    /// For local remotes, which need no credentials.
    public static let local = RemoteAccess(userName: "")
}

/// One reference to create or move on a remote: `source` (a local reference name) to
/// `destination`, which must be at `expected` on the remote (nil: must not exist). Every update
/// is leased: it is sent only if the remote's reference is at `expected` when the push begins.
public struct RefUpdate: Sendable, Hashable {
    public var source: String
    public var destination: String
    public var expected: ObjectID?
    /// Whether the new target need not descend from `expected`: a tag replaced by a
    /// correction. The update is still sent only from `expected` (git's --force-with-lease).
    public var replaces: Bool

    public init(source: String, destination: String, expected: ObjectID?, replaces: Bool = false) {
        self.source = source
        self.destination = destination
        self.expected = expected
        self.replaces = replaces
    }
}

/// A reference the remote did not take, with its reason.
public struct PushRejection: Sendable, Hashable {
    public var reference: String
    public var reason: String
}

extension Repository {
    /// The namespace where a remote's tags are mirrored, so that fetching never touches
    /// `refs/tags`: a moved tag on a remote must be noticed, not adopted.
    public static func remoteTagNamespace(_ remote: String) -> String { remoteMirror(remote, of: "refs/tags/") }

    /// Where `fetch` mirrors the remote's references under `prefix` (`refs/X/` becomes
    /// `refs/stet/remotes/NAME/X/`).
    public static func remoteMirror(_ remote: String, of prefix: String) -> String {
        "refs/stet/remotes/\(remote)/" + prefix.dropFirst("refs/".count)
    }

    /// The remotes of this repository, by name.
    public func remotes() throws(GitError) -> [Remote] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "git_remote_list")
        defer { git_strarray_dispose(&names) }
        var remotes: [Remote] = []
        for index in 0..<names.count {
            guard let raw = names.strings[index] else { continue }
            let name = String(cString: raw)
            if let remote = try remote(named: name) { remotes.append(remote) }
        }
        return remotes.sorted { $0.name < $1.name }
    }

    /// The remote called `name`; nil if there is none.
    public func remote(named name: String) throws(GitError) -> Remote? {
        var handle: OpaquePointer?
        let result = git_remote_lookup(&handle, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "git_remote_lookup")
        defer { git_remote_free(handle) }
        return Remote(name: name, url: git_remote_url(handle).map { String(cString: $0) } ?? "")
    }

    /// Adds a remote whose branches are tracked under `refs/remotes/NAME/` and whose tags are
    /// mirrored under `refs/stet/remotes/NAME/tags/`; git's own fetch is told not to copy tags
    /// into `refs/tags` either.
    public func addRemote(name: String, url: String) throws(GitError) {
        var handle: OpaquePointer?
        try check(git_remote_create(&handle, pointer, name, url), "git_remote_create")
        git_remote_free(handle)
        try check(git_remote_add_fetch(pointer, name, "+refs/tags/*:\(Self.remoteTagNamespace(name))*"),
                  "git_remote_add_fetch")
        try check(git_remote_set_autotag(pointer, name, GIT_REMOTE_DOWNLOAD_TAGS_NONE), "git_remote_set_autotag")
    }

    /// Fetches the remote's branches into `refs/remotes/NAME/`, and its references under each
    /// of `mirrored` (tags by default) into their `remoteMirror`, pruning what the remote no
    /// longer has; `refs/tags` is never written.
    public func fetch(remote name: String, access: RemoteAccess, mirrored: [String] = ["refs/tags/"]) throws(GitError) {
        var handle: OpaquePointer?
        try check(git_remote_lookup(&handle, pointer, name), "git_remote_lookup")
        defer { git_remote_free(handle) }
        var options = git_fetch_options()
        try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.prune = GIT_FETCH_PRUNE
        options.update_fetchhead = 0
        let specs = ["+refs/heads/*:refs/remotes/\(name)/*"] + mirrored.map { "+\($0)*:\(Self.remoteMirror(name, of: $0))*" }
        let session = RemoteSession(access: access, url: git_remote_url(handle).map { String(cString: $0) } ?? "")
        try withStrings(specs) { (array) throws(GitError) in
            try session.run { callbacks throws(GitError) in
                options.callbacks = callbacks
                try check(git_remote_fetch(handle, &array, &options, "fetch"), "git_remote_fetch")
            }
        }
    }

    /// Sends `updates` to the remote, never forced: each reference moves only from the value
    /// given as expected. Returns the references the remote refused and why; transport failures
    /// throw.
    ///
    /// A remote that is a folder on this machine is written here directly (objects as one pack,
    /// then each reference by compare-and-swap under its lock): libgit2's own local push replaces
    /// references without comparing, which loses commits when writers push at the same moment.
    public func push(remote name: String, updates: [RefUpdate], access: RemoteAccess) throws(GitError) -> [PushRejection] {
        guard !updates.isEmpty, let remote = try remote(named: name) else {
            if updates.isEmpty { return [] }
            throw GitError(code: .notFound, message: "no remote named '\(name)'", function: "git_remote_lookup")
        }
        if let path = Self.localPath(remote.url) {
            return try pushLocally(to: path, updates: updates)
        }
        var handle: OpaquePointer?
        try check(git_remote_lookup(&handle, pointer, name), "git_remote_lookup")
        defer { git_remote_free(handle) }
        var options = git_push_options()
        try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
        let session = RemoteSession(access: access, url: remote.url)
        session.leases = Dictionary(updates.map { ($0.destination, $0.expected) }) { first, _ in first }
        let specs = updates.map { ($0.replaces ? "+" : "") + "\($0.source):\($0.destination)" }
        do {
            try withStrings(specs) { (array) throws(GitError) in
                try session.run { callbacks throws(GitError) in
                    options.callbacks = callbacks
                    try check(git_remote_push(handle, &array, &options), "git_remote_push")
                }
            }
        } catch where session.leaseBroken || error.message.contains("non-fastforwardable")
            || error.message.contains("not present locally")
        {
            // The remote moved since it was last fetched: nothing was sent.
            return updates.map { PushRejection(reference: $0.destination, reason: "the remote has changed") }
        }
        return session.rejections
    }

    /// The folder a remote URL names, for plain paths and `file://` URLs; nil for network URLs.
    public static func localPath(_ url: String) -> String? {
        if url.hasPrefix("file://") {
            return URL(string: url)?.path ?? String(url.dropFirst("file://".count))
        }
        if url.contains("://") { return nil }
        // scp-like `host:path` (no slash before the colon) is ssh.
        if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return nil }
        return url
    }

    /// The start of a rejection's reason when another process held the remote's reference lock;
    /// the lock file's path follows.
    public static let lockedReason = "locked by another process: "

    private func pushLocally(to path: String, updates: [RefUpdate]) throws(GitError) -> [PushRejection] {
        let target = try Repository(openingAt: path)
        guard target.workdir == nil else {
            throw GitError(code: .bareRepository, message: "\(path) has a working folder; push to a shared (bare) repository",
                           function: "push")
        }
        var sources: [ObjectID] = []
        for update in updates {
            guard let id = try referenceTarget(update.source) else {
                throw GitError(code: .notFound, message: "no reference \(update.source)", function: "push")
            }
            sources.append(id)
        }
        try sendObjects(sources, hiding: updates.compactMap(\.expected), to: target)
        var rejections: [PushRejection] = []
        for (update, source) in zip(updates, sources) {
            do {
                try target.setReference(update.destination, to: source, expecting: update.expected,
                                        logMessage: "push: stet sync")
            } catch where error.code == .locked {
                let lockFile = (target.gitDirectory.hasSuffix("/") ? target.gitDirectory : target.gitDirectory + "/")
                    + update.destination + ".lock"
                rejections.append(PushRejection(reference: update.destination, reason: Self.lockedReason + lockFile))
            } catch where [.exists, .modified].contains(error.code) {
                rejections.append(PushRejection(reference: update.destination, reason: "the remote has changed"))
            }
        }
        return rejections
    }

    /// Writes one pack into `target` holding everything reachable from `sources` that is not
    /// reachable from `hiding` (what the remote is known to have).
    private func sendObjects(_ sources: [ObjectID], hiding: [ObjectID], to target: Repository) throws(GitError) {
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, pointer), "git_packbuilder_new")
        defer { git_packbuilder_free(builder) }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        for id in sources {
            // A tag may name another tag (a settlement record names the tag it set aside): every
            // tag object of the chain goes, the walk takes the commit at its end.
            var oid = id.oid
            while try objectType(ObjectID(oid)) == "tag" {
                try check(git_packbuilder_insert(builder, &oid, nil), "git_packbuilder_insert")
                var tag: OpaquePointer?
                try check(git_tag_lookup(&tag, pointer, &oid), "git_tag_lookup")
                oid = git_tag_target_id(tag).pointee
                git_tag_free(tag)
            }
            try check(git_revwalk_push(walk, &oid), "git_revwalk_push")
        }
        for id in hiding where hasObject(id) {
            var oid = id.oid
            try check(git_revwalk_hide(walk, &oid), "git_revwalk_hide")
        }
        try check(git_packbuilder_insert_walk(builder, walk), "git_packbuilder_insert_walk")
        guard git_packbuilder_object_count(builder) > 0 else { return }
        let packFolder = target.gitDirectory + "objects/pack"
        try check(git_packbuilder_write(builder, packFolder, 0, nil, nil), "git_packbuilder_write")
    }

    /// The objects a commit id's history shares with another, for deciding fast-forwards.
    public func mergeBase(_ one: ObjectID, _ other: ObjectID) throws(GitError) -> ObjectID? {
        var out = git_oid()
        var a = one.oid, b = other.oid
        let result = git_merge_base(&out, pointer, &a, &b)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_merge_base")
        return ObjectID(out)
    }
}

/// Calls `body` with a `git_strarray` over `strings`, valid for the call only.
func withStrings<T>(_ strings: [String], _ body: (inout git_strarray) throws(GitError) -> T) throws(GitError) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers: [UnsafeMutablePointer<CChar>?] = copies
    return try pointers.withUnsafeMutableBufferPointer { (buffer) throws(GitError) in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}

/// The state of one conversation with a remote, reached from libgit2's C callbacks through
/// their payload pointer: which credentials were offered already (libgit2 asks again after each
/// refusal, and would ask forever), and what the remote said about each pushed reference.
final class RemoteSession {
    let access: RemoteAccess
    var agentTried = false
    var nextKey = 0
    var tokenTried = false
    var rejections: [PushRejection] = []
    /// For a push: where each destination reference must be on the remote (nil: absent).
    var leases: [String: ObjectID?] = [:]
    /// Whether a push stopped because a reference was not where its lease said.
    var leaseBroken = false
    /// Why the conversation was stopped from a callback; libgit2 itself only says "user".
    var stopReason: String?

    /// Whether the conversation is over TLS, the only one that needs certificate authorities.
    let secure: Bool

    init(access: RemoteAccess, url: String) {
        self.access = access
        secure = url.lowercased().hasPrefix("https://")
    }

    func run(_ body: (git_remote_callbacks) throws(GitError) -> Void) throws(GitError) {
        if secure && (access.authorityFile != nil || access.authorityFolder != nil) {
            // A process-wide setting in libgit2; stet reaches one remote at a time. Loading a
            // system bundle costs tens of milliseconds, so only https pays for it.
            try check(stet_git_set_ssl_cert_locations(access.authorityFile, access.authorityFolder),
                      "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)")
        }
        var callbacks = git_remote_callbacks()
        try check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        callbacks.credentials = remoteCredentials
        callbacks.certificate_check = remoteCertificateCheck
        callbacks.push_update_reference = remotePushStatus
        callbacks.push_negotiation = remotePushNegotiation
        let unmanaged = Unmanaged.passRetained(self)
        defer { unmanaged.release() }
        callbacks.payload = unmanaged.toOpaque()
        do {
            try body(callbacks)
        } catch {
            if let stopReason {
                throw GitError(code: error.code == .user ? .authentication : error.code, message: stopReason,
                               function: error.function)
            }
            if error.message.lowercased().contains("authentication") || error.message.contains("Username/PublicKey") {
                throw GitError(code: .authentication, message: error.message, function: error.function)
            }
            throw error
        }
    }

    /// The next credential to offer for `allowed` kinds, or nil when every one was tried.
    func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, url: String, user: String?,
                    allowed: UInt32) -> Int32
    {
        let userName = user.flatMap { $0.isEmpty ? nil : $0 } ?? access.userName
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, userName)
        }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if access.useAgent && !agentTried {
                agentTried = true
                return git_credential_ssh_key_from_agent(out, userName)
            }
            while nextKey < access.sshKeys.count {
                let key = access.sshKeys[nextKey]
                nextKey += 1
                guard FileManager.default.isReadableFile(atPath: key) else { continue }
                let publicKey = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
                return git_credential_ssh_key_new(out, userName, publicKey, key, nil)
            }
            stopReason = access.sshKeys.isEmpty && !access.useAgent
                ? "no ssh key to offer to \(url) (none in ~/.ssh and no ssh-agent)"
                : "\(url) refused every ssh key offered (\(access.useAgent ? "the ssh-agent's, " : "")"
                    + access.sshKeys.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + ")"
            return GIT_EUSER.rawValue
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            guard let token = access.token, !tokenTried else {
                stopReason = access.token == nil
                    ? "\(url) asks for a login; set STET_TOKEN to an access token for it"
                    : "\(url) refused the token in STET_TOKEN"
                return GIT_EUSER.rawValue
            }
            tokenTried = true
            return git_credential_userpass_plaintext_new(out, user ?? "stet", token)
        }
        stopReason = "\(url) asks for a kind of login stet does not offer"
        return GIT_EUSER.rawValue
    }

    func certificate(_ cert: UnsafeMutablePointer<git_cert>?, valid: Int32, host: String) -> Int32 {
        guard let cert else { return GIT_EUSER.rawValue }
        if cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 {
            let hostKey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
            guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
                stopReason = "\(host) did not present a host key stet can check"
                return GIT_EUSER.rawValue
            }
            let blob = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
            if access.verifyHostKey?(HostKey(host: host, blob: blob)) == true { return 0 }
            stopReason = "the host key of \(host) is not in known_hosts (or differs from it); "
                + "check it and add it with ssh-keyscan or by connecting once with ssh"
            return GIT_EUSER.rawValue
        }
        // TLS: libgit2 has checked the chain against the system's authorities.
        if valid != 0 { return 0 }
        stopReason = "the TLS certificate of \(host) is not valid (not signed by a known authority, "
            + "expired, or made for another host)"
        return GIT_EUSER.rawValue
    }
}

private func session(_ payload: UnsafeMutableRawPointer?) -> RemoteSession? {
    payload.map { Unmanaged<RemoteSession>.fromOpaque($0).takeUnretainedValue() }
}

private let remoteCredentials: git_credential_acquire_cb = { out, url, user, allowed, payload in
    guard let session = session(payload) else { return GIT_EUSER.rawValue }
    return session.credential(out, url: url.map { String(cString: $0) } ?? "the remote",
                              user: user.map { String(cString: $0) }, allowed: allowed)
}

private let remoteCertificateCheck: git_transport_certificate_check_cb = { cert, valid, host, payload in
    guard let session = session(payload) else { return GIT_EUSER.rawValue }
    return session.certificate(cert, valid: valid, host: host.map { String(cString: $0) } ?? "the remote")
}

/// Called once the remote has said where its references are, before anything is sent: a
/// reference that is not where its lease expects stops the push.
private let remotePushNegotiation: git_push_negotiation = { updates, count, payload in
    guard let session = session(payload), let updates else { return GIT_EUSER.rawValue }
    for index in 0..<count {
        guard let update = updates[index]?.pointee, let name = update.dst_refname else { continue }
        guard let lease = session.leases[String(cString: name)] else { continue }
        let current = ObjectID(update.src)
        let matches = lease.map { current == $0 } ?? current.isZero
        if !matches {
            session.leaseBroken = true
            return GIT_EUSER.rawValue
        }
    }
    return 0
}

private let remotePushStatus: git_push_update_reference_cb = { reference, status, payload in
    guard let session = session(payload), let reference, let status else { return 0 }
    session.rejections.append(PushRejection(reference: String(cString: reference), reason: String(cString: status)))
    return 0
}
