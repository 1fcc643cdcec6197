import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// stet's own lock on a repository: one writing stet command at a time.
///
/// It is an `flock(2)` on `.git/stet.lock`, so the kernel frees it when its holder ends, however
/// it ends (a `kill -9` included): a dead holder never blocks anyone, and a live one's lock is
/// never taken from it. The file records the holder (process id, command, start) so that a
/// waiting command can name it, and `finished` once it is done: a record without that line was
/// left by a command that was killed while writing, which may have left git's own `*.lock` files.
final class WriteLock {
    static let fileName = "stet.lock"

    /// Who holds, or last held, the lock.
    struct Holder: Equatable {
        var pid: Int32
        var command: String
        var started: String
        var finished: Bool

        init(pid: Int32, command: String, started: String, finished: Bool) {
            self.pid = pid
            self.command = command
            self.started = started
            self.finished = finished
        }

        init?(record: String) {
            var fields: [String: String] = [:]
            for line in record.split(separator: "\n") {
                guard let space = line.firstIndex(of: " ") else { fields[String(line)] = ""; continue }
                fields[String(line[..<space])] = String(line[line.index(after: space)...])
            }
            guard let pid = fields["pid"].flatMap({ Int32($0) }) else { return nil }
            self.init(pid: pid, command: fields["command"] ?? "stet", started: fields["started"] ?? "?",
                      finished: fields["finished"] != nil)
        }

        var record: String {
            "pid \(pid)\ncommand \(command)\nstarted \(started)\n" + (finished ? "finished\n" : "")
        }
    }

    private let descriptor: Int32
    private var holder: Holder
    /// The record found when the lock was taken: the previous holder.
    let previous: Holder?
    /// Taken without a record of its own (see `tryAcquireBriefly`): the file is left as it was.
    private let keepsRecord: Bool

    private init(descriptor: Int32, holder: Holder, previous: Holder?, keepsRecord: Bool = true) {
        self.descriptor = descriptor
        self.holder = holder
        self.previous = previous
        self.keepsRecord = keepsRecord
    }

    deinit { release() }

    /// Takes the lock of the repository whose git folder is `gitDirectory` for `command`, waiting
    /// up to `wait` seconds while another stet command holds it; `.locked` naming the holder after
    /// that.
    static func acquire(gitDirectory: String, command: String, wait: Double) throws(StetError) -> WriteLock {
        let path = (gitDirectory.hasSuffix("/") ? gitDirectory : gitDirectory + "/") + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StetError(.failure, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(max(0, wait))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw StetError(.failure, "cannot lock \(path): \(reason)")
            }
            if Date() >= deadline {
                let holder = read(descriptor).flatMap(Holder.init(record:))
                close(descriptor)
                let who = holder.map { "`\($0.command)` (process \($0.pid), started \($0.started))" } ?? "another stet command"
                throw StetError(.locked, "the repository is busy: \(who) is writing it; try again when it has finished")
            }
            usleep(UInt32.random(in: 20_000...60_000))
        }
        let previous = read(descriptor).flatMap(Holder.init(record:))
        let holder = Holder(pid: getpid(), command: command, started: Date().ISO8601Format(), finished: false)
        let lock = WriteLock(descriptor: descriptor, holder: holder, previous: previous)
        lock.write(holder.record)
        return lock
    }

    /// Takes the lock if no stet command holds it, without waiting and without writing a record:
    /// for a reader that writes only what saves later work (a refreshed index), in milliseconds.
    /// The record of the last writer stays as it was, so a stopped writer is still named.
    static func tryAcquireBriefly(gitDirectory: String) -> WriteLock? {
        let path = (gitDirectory.hasSuffix("/") ? gitDirectory : gitDirectory + "/") + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        let previous = read(descriptor).flatMap(Holder.init(record:))
        let holder = Holder(pid: getpid(), command: "stet", started: "", finished: false)
        return WriteLock(descriptor: descriptor, holder: holder, previous: previous, keepsRecord: false)
    }

    /// Marks the work finished and lets the next command in.
    func release() { release(leaving: nil) }

    /// Lets the next command in with the previous holder's record put back: this command did
    /// nothing, and what the previous one left is still to be cleared.
    func releaseKeepingPrevious() { release(leaving: previous) }

    private func release(leaving record: Holder?) {
        guard holder.finished == false else { return }
        holder.finished = true
        if keepsRecord { write((record ?? holder).record) }
        close(descriptor)
    }

    /// Whether the previous holder was killed while writing (its record never says `finished`).
    var previousDied: Bool { previous.map { !$0.finished } ?? false }

    private static func read(_ descriptor: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    private func write(_ record: String) {
        let bytes = Array(record.utf8)
        _ = ftruncate(descriptor, 0)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
}

/// git's own lock files in a repository's git folder: left behind, they stop every later write.
enum GitLockFiles {
    /// The `*.lock` files under `gitDirectory` that git or libgit2 take while writing (the index,
    /// HEAD, the configuration, packed references and every reference), as paths relative to it.
    static func find(in gitDirectory: String) -> [String] {
        let base = gitDirectory.hasSuffix("/") ? gitDirectory : gitDirectory + "/"
        var found: [String] = []
        for name in ["index.lock", "HEAD.lock", "config.lock", "packed-refs.lock", "shallow.lock"]
        where FileManager.default.fileExists(atPath: base + name) {
            found.append(name)
        }
        if let walker = FileManager.default.enumerator(atPath: base + "refs") {
            while let name = walker.nextObject() as? String {
                if name.hasSuffix(".lock") { found.append("refs/" + name) }
            }
        }
        return found.sorted()
    }

    /// Seconds since the file was last written.
    static func age(_ path: String) -> Double {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return 0 }
        return Date().timeIntervalSince(date)
    }
}
