import Foundation

/// The `stet` executable built beside the tests (or `STET_BINARY`).
public enum StetBinary {
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["STET_BINARY"] { return explicit }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stet").path,
            Bundle.main.bundleURL.appendingPathComponent("stet").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("stet").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}

extension Sandbox {
    /// Runs `stet` with the sandbox's environment in `directory`.
    @discardableResult
    public func stet(_ arguments: String..., in directory: String = "repo", author: String? = "Amina Diallo <amina@example.org>",
                     environment extra: [String: String] = [:]) throws -> CommandResult
    {
        try stet(arguments, in: directory, author: author, environment: extra)
    }

    /// Runs `stet` with an argument list built at run time.
    @discardableResult
    public func stet(_ arguments: [String], in directory: String = "repo", author: String? = "Amina Diallo <amina@example.org>",
                     environment extra: [String: String] = [:]) throws -> CommandResult
    {
        var environment = extra
        if let author, environment["STET_AUTHOR"] == nil { environment["STET_AUTHOR"] = author }
        return try run(StetBinary.path, arguments, in: directory, environment: environment)
    }
}
