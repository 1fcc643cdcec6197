import Foundation

/// Runs `body` for each index on its own thread, all at once; the first failure is thrown after
/// every one has finished.
public func together(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: count) { index in
        do { try body(index) } catch { failures.add("\(index): \(error)") }
    }
    if let first = failures.all.first { throw ServerFailure(message: first) }
}

/// Failures collected from several threads.
public final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    public init() {}
    public func add(_ failure: String) { lock.withLock { list.append(failure) } }
    public var all: [String] { lock.withLock { list } }
}
