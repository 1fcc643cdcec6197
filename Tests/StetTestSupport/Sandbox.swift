import Foundation

/// A temporary folder with a private HOME, removed when the value is released. Every command run
/// from it sees only this HOME, so no git configuration of the machine leaks into a test.
public final class Sandbox: @unchecked Sendable {
    /// The folder, without a trailing slash.
    public let path: String
    /// HOME for commands run here (inside `path`).
    public let home: String

    public init(_ function: String = #function) throws {
        let name = "stet-" + function.filter { $0.isLetter || $0.isNumber } + "-" + UUID().uuidString.prefix(8)
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(String(name)).path
        try FileManager.default.createDirectory(atPath: base + "/home", withIntermediateDirectories: true)
        path = base
        home = base + "/home"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Variables every command run here gets (set before commands run, as the https tests do
    /// for the token and the test's certificate authority).
    public var settings: [String: String] = [:]

    /// The environment for commands: a private HOME, no system git config, fixed identity, no
    /// ssh agent or stet settings from outside.
    public var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["XDG_CONFIG_HOME"] = home + "/.config"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["NO_COLOR"] = "1"
        environment["TZ"] = "UTC"
        for key in environment.keys where key.hasPrefix("STET_") || key.hasPrefix("SSL_CERT_") || key == "SSH_AUTH_SOCK" {
            environment.removeValue(forKey: key)
        }
        for key in environment.keys where key.hasPrefix("GIT_") && key != "GIT_CONFIG_NOSYSTEM" {
            environment.removeValue(forKey: key)
        }
        return environment.merging(settings) { _, setting in setting }
    }

    /// Writes a text file (creating folders), relative to `path` unless absolute.
    public func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    public func write(_ relative: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: relative.hasPrefix("/") ? relative : path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relative)
    }

    /// Runs the git CLI in `directory` (relative to `path`), failing the caller on a non-zero exit.
    @discardableResult
    public func git(_ arguments: String..., in directory: String = "repo", allowFailure: Bool = false) throws -> String {
        try git(arguments, in: directory, allowFailure: allowFailure)
    }

    public func git(_ arguments: [String], in directory: String = "repo", allowFailure: Bool = false) throws -> String {
        // The git CLI gets an identity of its own; stet never sees it (it reads no GIT_ variables).
        let identity = ["GIT_AUTHOR_NAME": "Git CLI", "GIT_AUTHOR_EMAIL": "git@example.org",
                        "GIT_COMMITTER_NAME": "Git CLI", "GIT_COMMITTER_EMAIL": "git@example.org"]
        let result = try run("/usr/bin/git", arguments, in: directory, environment: identity)
        if result.status != 0, !allowFailure {
            throw CommandFailure(command: "git " + arguments.joined(separator: " "), result: result)
        }
        return result.output
    }

    /// Runs a program and collects its output.
    public func run(_ program: String, _ arguments: [String], in directory: String = "repo",
                    environment extra: [String: String] = [:], input: String? = nil) throws -> CommandResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let folder = directory.hasPrefix("/") ? directory : path + "/" + directory
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = environment.merging(extra) { $1 }
        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             output: String(decoding: outputData, as: UTF8.self),
                             error: String(decoding: errorData, as: UTF8.self))
    }

    /// A fingerprint of what a refused command must not change: HEAD, every ref, and the index's
    /// entries (what is staged: mode, blob, stage and path of each file; not the stat data it
    /// caches, which `git status` and `stet status` refresh). `patterns` narrows the references
    /// compared (for example to `refs/heads` and `refs/tags`, leaving out what a fetch updates).
    public func repositoryState(_ directory: String = "repo", refs patterns: [String] = []) throws -> String {
        let refs = try git(["for-each-ref", "--format=%(refname) %(objectname)"] + patterns, in: directory)
        let head = try git("rev-parse", "--verify", "-q", "HEAD", in: directory, allowFailure: true)
        let index = try git("ls-files", "--stage", in: directory)
        return head + refs + index
    }
}

public struct CommandResult: Sendable {
    public var status: Int32
    public var output: String
    public var error: String
}

public struct CommandFailure: Error, CustomStringConvertible {
    public var command: String
    public var result: CommandResult
    public var description: String { "\(command) exited \(result.status): \(result.error)" }
}

extension Sandbox {
    /// A new sandbox with a stet repository in `repo` holding `files` (paths inside `repo`) in
    /// one first commit.
    public static func committed(_ files: KeyValuePairs<String, String>, message: String = "Zero draft",
                                 _ function: String = #function) throws -> Sandbox
    {
        let sandbox = try Sandbox(function)
        let created = try sandbox.stet("init", "repo", in: ".")
        guard created.status == 0 else { throw CommandFailure(command: "stet init repo", result: created) }
        for (path, text) in files { try sandbox.write("repo/" + path, text) }
        let committed = try sandbox.stet("commit", "-m", message)
        guard committed.status == 0 else { throw CommandFailure(command: "stet commit", result: committed) }
        return sandbox
    }
}
