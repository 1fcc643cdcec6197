import Foundation
import GitStore
import GitValues

extension RemoteAccess {
    /// Credentials and host-key policy for `url`, from the environment as ssh and git users set
    /// it up: keys from the ssh-agent (`SSH_AUTH_SOCK`) and `~/.ssh` (or only `STET_SSH_KEY`),
    /// host keys checked against `~/.ssh/known_hosts` and `/etc/ssh/ssh_known_hosts`, an https
    /// token from `STET_TOKEN`. Nothing here is written anywhere.
    static func forRemote(_ url: String, environment: [String: String]) -> RemoteAccess {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let keys: [String]
        if let key = environment["STET_SSH_KEY"], !key.isEmpty {
            keys = [key]
        } else {
            keys = ["id_ed25519", "id_ecdsa", "id_rsa"].map { home + "/.ssh/" + $0 }
        }
        let user = environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        let knownHosts = [environment["STET_KNOWN_HOSTS"] ?? home + "/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts"]
        let port = SSHLocation(url)?.port
        let authorities = certificateAuthorities(environment)
        return RemoteAccess(
            userName: user, sshKeys: keys,
            useAgent: !(environment["SSH_AUTH_SOCK"] ?? "").isEmpty && environment["STET_SSH_KEY"] == nil,
            token: environment["STET_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
            verifyHostKey: { key in KnownHosts.contains(key, port: port, files: knownHosts) },
            authorityFile: authorities.file, authorityFolder: authorities.folder)
    }
}

/// Where https servers' certificates are checked: `SSL_CERT_FILE` and `SSL_CERT_DIR` as OpenSSL
/// reads them (an institution's own authority), else the system's bundle, which libgit2 built
/// on mbedTLS does not find by itself.
private func certificateAuthorities(_ environment: [String: String]) -> (file: String?, folder: String?) {
    let file = environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    let folder = environment["SSL_CERT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    if file != nil || folder != nil { return (file, folder) }
    let bundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]
    return (bundles.first { FileManager.default.isReadableFile(atPath: $0) }, nil)
}

/// The host and port of an ssh URL (`ssh://user@host:port/path` or `user@host:path`).
struct SSHLocation {
    var host: String
    var port: Int?

    init?(_ url: String) {
        if url.hasPrefix("ssh://") || url.hasPrefix("git+ssh://") || url.hasPrefix("ssh+git://") {
            guard let components = URLComponents(string: url), let host = components.host else { return nil }
            self.host = host
            port = components.port
        } else if !url.contains("://"), let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") {
            let authority = url[..<colon]
            host = String(authority.split(separator: "@").last ?? authority)
            port = nil
        } else {
            return nil
        }
    }
}

/// Host keys as OpenSSH records them; lookups go through `ssh-keygen -F`, which understands
/// hashed host names and `[host]:port` entries.
enum KnownHosts {
    static func contains(_ key: HostKey, port: Int?, files: [String]) -> Bool {
        let name = port.map { $0 == 22 ? key.host : "[\(key.host)]:\($0)" } ?? key.host
        let encoded = Data(key.blob).base64EncodedString()
        for file in files where FileManager.default.isReadableFile(atPath: file) {
            guard let result = try? SSHSignature.run(["-F", name, "-f", file], input: Data()), result.status == 0 else {
                continue
            }
            for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ")
                // host keytype key [comment]; markers (@revoked, @cert-authority) never vouch.
                guard !line.hasPrefix("#"), !line.hasPrefix("@"), fields.count >= 3 else { continue }
                if fields[2] == encoded { return true }
            }
        }
        return false
    }
}
