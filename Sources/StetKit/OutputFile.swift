public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writing a rendered output file whole or not at all, and never over a file stet did not write.
public enum OutputFile {
    /// What a file holds, and so how stet knows it wrote an existing one: a mark near its start.
    public enum Kind: Sendable {
        case html, json, docx, xlsx, csv, other

        var mark: String? {
            switch self {
            case .html: "<meta name=\"generator\" content=\"stet "
            case .json: "\"schemaVersion\""
            // A Word file stet writes starts with its core properties, stored as they are.
            case .docx: "<dc:creator>stet</dc:creator>"
            // A comment matrix: its first part, stored as it is, names stet; its CSV header is stet's.
            case .xlsx: "<Application>stet</Application>"
            case .csv: "\"ID\",\"Round\",\"Row\",\"Commenter\""
            case .other: nil
            }
        }
    }

    /// Writes the text, given in pieces one after another, to `path` through a temporary file
    /// and a rename. An existing file is replaced only with `force`, or when it holds the mark
    /// of `kind` near its start (stet wrote it).
    ///
    /// No fsync: the file is made from the repository and can be made again, and the rename
    /// already keeps a failed or interrupted run from leaving half of it (an fsync was two
    /// thirds of the time taken to write an 18 MB comparison).
    public static func write(_ pieces: [String], to path: String, force: Bool, kind: Kind) throws(StetError) {
        try write(to: path, force: force, kind: kind) { descriptor in
            var failure: Int32?
            for piece in pieces where failure == nil {
                var piece = piece
                failure = piece.withUTF8 { SystemIO.writeAll(descriptor, $0) }
            }
            return failure
        }
    }

    /// `write`, of bytes.
    public static func write(_ data: Data, to path: String, force: Bool, kind: Kind) throws(StetError) {
        try write(to: path, force: force, kind: kind) { descriptor in
            data.withUnsafeBytes { SystemIO.writeAll(descriptor, $0.bindMemory(to: UInt8.self)) }
        }
    }

    /// Writes through a temporary file that `body` fills (returning an errno on failure).
    private static func write(to path: String, force: Bool, kind: Kind, _ body: (Int32) -> Int32?) throws(StetError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: path), !force {
            let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 4096) } ?? Data()
            guard let mark = kind.mark, String(decoding: head, as: UTF8.self).contains(mark) else {
                throw StetError(.exists, "\(path) exists and stet did not write it; pass --force to replace it")
            }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).stet-\(getpid())").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw StetError(.failure, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var failure = body(descriptor)
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw StetError(.failure, "cannot write \(path): \(String(cString: strerror(failure)))")
        }
    }

    /// A revision's name as it may stand in a file name (`first`, `HEAD_2`).
    public static func fileSafe(_ revision: String) -> String {
        String(revision.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}
