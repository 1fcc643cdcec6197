import Foundation

/// Signing and checking tag objects with `ssh-keygen -Y`, in git's `gpg.format=ssh` way: the
/// namespace is `git`, the signature is appended to the tag message.
enum SSHSignature {
    static let namespace = "git"

    /// The armoured signature of `payload` made with the private key in `keyFile` (or the agent's
    /// key for a public `keyFile`).
    static func sign(_ payload: String, keyFile: String) throws(StetError) -> String {
        guard FileManager.default.isReadableFile(atPath: keyFile) else {
            throw StetError(.notFound, "signing key \(keyFile) does not exist or cannot be read")
        }
        let result = try run(["-Y", "sign", "-n", namespace, "-f", keyFile], input: Data(payload.utf8))
        let signature = String(decoding: result.output, as: UTF8.self)
        guard result.status == 0, signature.hasPrefix("-----BEGIN SSH SIGNATURE-----"),
              signature.allSatisfy({ $0.isASCII && $0 != "\r" })
        else {
            let reason = firstLine(result.error) ?? "exit status \(result.status)"
            throw StetError(.failure, "cannot sign with \(keyFile): ssh-keygen says: \(reason)")
        }
        return signature.hasSuffix("\n") ? signature : signature + "\n"
    }

    /// The outcome of checking one signature.
    enum Verdict: Equatable {
        /// Good, by the principal (as named in the allowed-signers file).
        case good(principal: String)
        case bad(reason: String)
    }

    /// Checks `signature` over `payload` against an allowed-signers file, as `git tag -v` does.
    static func verify(payload: [UInt8], signature: String, allowedSigners: String) throws(StetError) -> Verdict {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stet-verify-" + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw StetError(.failure, "cannot make a temporary folder to check signatures: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let signatureFile = folder.appendingPathComponent("tag.sig").path
        do {
            try Data(signature.utf8).write(to: URL(fileURLWithPath: signatureFile))
        } catch {
            throw StetError(.failure, "cannot write a temporary signature file: \(error.localizedDescription)")
        }
        let found = try run(["-Y", "find-principals", "-s", signatureFile, "-f", allowedSigners], input: Data())
        let principals = String(decoding: found.output, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        guard found.status == 0, let principal = principals.first else {
            return .bad(reason: "no key of \(allowedSigners) made this signature")
        }
        let checked = try run(["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", namespace, "-s", signatureFile],
                              input: Data(payload))
        guard checked.status == 0 else {
            return .bad(reason: firstLine(checked.error) ?? firstLine(String(decoding: checked.output, as: UTF8.self))
                ?? "ssh-keygen rejects it")
        }
        return .good(principal: principal)
    }

    private static func firstLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).first.map(String.init)
    }

    struct Result {
        var status: Int32
        var output: Data
        var error: String
    }

    static func run(_ arguments: [String], input: Data) throws(StetError) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = arguments
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        do {
            try process.run()
        } catch {
            throw StetError(.failure, "cannot run ssh-keygen (install openssh-client): \(error.localizedDescription)")
        }
        // Feed stdin and drain both pipes at once, so no pipe fills and blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            try? standardInput.fileHandleForWriting.write(contentsOf: input)
            try? standardInput.fileHandleForWriting.close()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: outputData, error: String(decoding: errorData, as: UTF8.self))
    }
}
