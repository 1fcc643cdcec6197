import Foundation

/// Work spread over threads, results in the order of the work (for the modules of this package).
package enum Parallel {
    /// `transform` of each index below `count`, on up to `workers` threads. `transform` must only
    /// read what it shares with other calls.
    package static func map<T>(_ count: Int, workers: Int, _ transform: (Int) -> T) -> [T] {
        let workers = min(count, max(1, workers))
        guard workers > 1 else { return (0..<count).map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        return withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let shared = results
            nonisolated(unsafe) let work = transform
            forEachWorker(workers) { worker in
                for index in stride(from: worker, to: count, by: workers) { shared[index] = work(index) }
            }
            return results.map { $0! }
        }
    }

    /// `body(worker)` for each worker below `workers`, each on a thread of its own, returning
    /// when all have returned. The one place stet starts threads: `body` must only read what
    /// it shares with the other workers, and write what is its own.
    /// `map`, with `alongside` run first on one of the workers, and the indices handed out one
    /// at a time to whichever worker is free (for work of uneven sizes).
    package static func map<T>(_ count: Int, workers: Int, alongside: () -> Void, _ transform: (Int) -> T) -> [T] {
        let workers = max(1, workers)
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        return withoutActuallyEscaping(transform) { transform in
            withoutActuallyEscaping(alongside) { alongside in
                nonisolated(unsafe) let shared = results
                nonisolated(unsafe) let work = transform, first = alongside
                forEachWorker(workers) { worker in
                    if worker == 0 { first() }
                    while true {
                        lock.lock()
                        let index = next
                        next += 1
                        lock.unlock()
                        guard index < count else { break }
                        shared[index] = work(index)
                    }
                }
            }
            return results.map { $0! }
        }
    }

    package static func forEachWorker(_ workers: Int, _ body: (Int) -> Void) {
        guard workers > 1 else {
            if workers == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: workers) { work($0) }
        }
    }
}

/// Steps of a budget handed out to threads that work ahead: each takes a share, gives back what
/// it did not use, and never more is taken than the budget holds.
final class StepPool: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int
    private let share: Int

    init(budget: Int, workers: Int) {
        left = budget
        share = max(1, budget / max(1, 2 * workers))
    }

    /// Steps for one piece of work; zero when the budget is spent.
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let taken = min(left, share)
        left -= taken
        return taken
    }

    func giveBack(_ steps: Int) {
        lock.lock()
        defer { lock.unlock() }
        left += max(0, steps)
    }
}
