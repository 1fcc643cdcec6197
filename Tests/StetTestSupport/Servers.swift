import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server process on a loopback port, started for a test and stopped when released.
///
/// The server is spawned directly rather than through `Process`: Foundation learns that a
/// `Process` ended when a socket the child inherited closes, and the server must close every
/// inherited descriptor (tests run in parallel, and a server holding another command's pipe
/// keeps that command's reader waiting until the server exits).
public final class LoopbackServer: @unchecked Sendable {
    public let port: UInt16
    private let processIdentifier: pid_t
    private let log: String

    /// Starts `program` with `arguments(port)` on a free port and waits until the port accepts
    /// connections.
    public init(_ program: String, log: String, arguments: (UInt16) -> [String]) throws {
        var lastError = ""
        for _ in 0..<5 {
            let port = try Self.freePort()
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let script = #"exec >"$1" 2>&1; shift; for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null; exec "$@""#
            let processIdentifier = try Self.spawn(["/bin/bash", "-c", script, "server", log, program] + arguments(port))
            if Self.waitForListener(port, while: processIdentifier) {
                self.port = port
                self.processIdentifier = processIdentifier
                self.log = log
                return
            }
            Self.stop(processIdentifier)
            lastError = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        throw ServerFailure(message: "\(program) did not start: \(lastError)")
    }

    deinit {
        Self.stop(processIdentifier)
    }

    /// What the server wrote so far.
    public var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// A port nothing listens on at this moment (the kernel's choice for port 0).
    public static func freePort() throws -> UInt16 {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw ServerFailure(message: "socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(socketDescriptor, socketAddress, length) == 0 && getsockname(socketDescriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw ServerFailure(message: "bind() failed") }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var processIdentifier: pid_t = 0
        let pointers = arguments.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        // Test threads block most signals; the server starts with none blocked and default
        // handlers, so that SIGTERM stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let status = posix_spawn(&processIdentifier, arguments[0], nil, &attributes, pointers, environ)
        guard status == 0 else { throw ServerFailure(message: "\(arguments[0]) could not start: \(String(cString: strerror(status)))") }
        return processIdentifier
    }

    private static func isRunning(_ processIdentifier: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(processIdentifier, &status, WNOHANG) == 0
    }

    private static func stop(_ processIdentifier: pid_t) {
        var status: Int32 = 0
        guard waitpid(processIdentifier, &status, WNOHANG) == 0 else { return }
        kill(processIdentifier, SIGTERM)
        waitpid(processIdentifier, &status, 0)
    }

    private static func waitForListener(_ port: UInt16, while processIdentifier: pid_t) -> Bool {
        for _ in 0..<200 {
            guard isRunning(processIdentifier) else { return false }
            if canConnect(port) { return true }
            usleep(25_000)
        }
        return false
    }

    private static func canConnect(_ port: UInt16) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

public struct ServerFailure: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension Sandbox {
    /// `git daemon` serving every repository under `base` (relative to the sandbox), pushes
    /// included, on 127.0.0.1.
    public func gitDaemon(base: String) throws -> LoopbackServer {
        let folder = path + "/" + base
        return try LoopbackServer("/usr/bin/git", log: path + "/git-daemon.log") { port in
            ["daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--export-all", "--enable=receive-pack",
             "--base-path=\(folder)", folder]
        }
    }

    /// An sshd on 127.0.0.1 with a host key made here, letting in the key it writes to this
    /// sandbox's `~/.ssh/id_ed25519`; `~/.ssh/known_hosts` gets the host key unless
    /// `trustHostKey` is false.
    public func sshServer(trustHostKey: Bool = true) throws -> LoopbackServer {
        let folder = path + "/sshd"
        let ssh = home + "/.ssh"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        for (file, comment) in [(folder + "/host_ed25519", "host"), (ssh + "/id_ed25519", "writer")] {
            let made = try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], in: ".")
            guard made.status == 0 else { throw ServerFailure(message: "ssh-keygen: \(made.error)") }
        }
        try FileManager.default.copyItem(atPath: ssh + "/id_ed25519.pub", toPath: folder + "/authorized_keys")
        // sshd insists on its privilege separation folder, even when not started as root.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let config = """
            ListenAddress 127.0.0.1
            HostKey \(folder)/host_ed25519
            AuthorizedKeysFile \(folder)/authorized_keys
            PidFile \(folder)/sshd.pid
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            LogLevel VERBOSE

            """
        try write(folder + "/sshd_config", config)
        let server = try LoopbackServer("/usr/sbin/sshd", log: folder + "/sshd.log") { port in
            ["-D", "-e", "-f", folder + "/sshd_config", "-p", String(port)]
        }
        if trustHostKey {
            let hostKey = try String(contentsOfFile: folder + "/host_ed25519.pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            try write(ssh + "/known_hosts", "[127.0.0.1]:\(server.port) \(hostKey)\n")
        }
        return server
    }
}

extension Sandbox {
    /// An https git server (`Tests/Servers/https-git.py`: git http-backend behind TLS and Basic
    /// authentication) serving every repository under `base` on 127.0.0.1. Its certificate is
    /// signed by an authority made here, whose certificate is at `https/authority.pem`; every
    /// request must carry `token` as its password.
    public func httpsServer(base: String, token: String) throws -> LoopbackServer {
        let folder = path + "/https"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try write(folder + "/names", "subjectAltName=DNS:127.0.0.1,IP:127.0.0.1\n")
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["req", "-x509"] + curve + ["-subj", "/CN=stet test authority", "-days", "2",
                                        "-keyout", "authority.key", "-out", "authority.pem"],
            ["req"] + curve + ["-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"],
            ["x509", "-req", "-in", "server.csr", "-CA", "authority.pem", "-CAkey", "authority.key",
             "-CAcreateserial", "-days", "2", "-extfile", "names", "-out", "server.pem"],
        ]
        for step in steps {
            let made = try run("/usr/bin/openssl", step, in: "https")
            guard made.status == 0 else { throw ServerFailure(message: "openssl \(step[0]): \(made.error)") }
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Servers/https-git.py").path
        return try LoopbackServer("/usr/bin/python3", log: folder + "/server.log") { port in
            [script, String(port), path + "/" + base, folder + "/server.pem", folder + "/server.key", token]
        }
    }
}
