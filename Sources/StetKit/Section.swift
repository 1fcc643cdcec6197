import GitStore
public import GitValues
import ProseDiff

/// One section of a draft: a Markdown file under the drafts folder, at a revision or in the
/// working tree.
public struct Section: Sendable, Hashable {
    /// Path from the repository root (`drafts/03-data-governance.md`).
    public var path: String
    /// Path under the drafts folder (`03-data-governance.md`).
    public var relativePath: String
    /// The stable identity: front matter `id`, else derived from the path.
    public var id: String
    /// The whole file as text.
    public var text: String
    /// The git blob id of the file's bytes.
    public var blob: ObjectID
    /// The blob id of the text as stet reads it, with LF line ends: two versions with equal keys
    /// hold the same text. `blob` unless the file has CRLF line ends.
    public var contentKey: ObjectID
    /// Whether the file has CRLF line ends (the text has them as LF).
    public var hasCRLF: Bool { contentKey != blob }
    /// Where the body starts in `text` (after the front matter), in UTF-8 bytes.
    public var bodyOffset: Int
    /// The front matter title, if any.
    public var declaredTitle: String?
    /// Problems that did not stop the section from being read (stet reads leniently).
    public var warnings: [String]

    /// The text after the front matter.
    public var body: Substring {
        let utf8 = text.utf8
        return Substring(text[utf8.index(utf8.startIndex, offsetBy: bodyOffset)...])
    }

    /// Front matter `title`, else the first heading, else the id.
    public private(set) var title: String = ""

    /// Reads a section leniently: what stet cannot parse becomes a warning, never a failure.
    public init(path: String, relativePath: String, bytes: [UInt8], blob: ObjectID? = nil) {
        self = bytes.withUnsafeBufferPointer { Section(path: path, relativePath: relativePath, bytes: $0, blob: blob) }
    }

    /// `init(path:relativePath:bytes:blob:)` of bytes read in place (a blob libgit2 holds): the
    /// text is their only copy.
    public init(path: String, relativePath: String, bytes: UnsafeBufferPointer<UInt8>, blob: ObjectID? = nil) {
        let blob = blob ?? ObjectID.forBlob(Array(bytes))
        if let normalized = LineEndings.normalized(bytes) {
            self = normalized.withUnsafeBufferPointer { Section(path: path, relativePath: relativePath, text: $0, blob: blob) }
            contentKey = ObjectID.forBlob(normalized)
        } else {
            self.init(path: path, relativePath: relativePath, text: bytes, blob: blob)
        }
    }

    /// A section whose text is `bytes` (LF line ends) and whose file is the blob `blob`.
    private init(path: String, relativePath: String, text bytes: UnsafeBufferPointer<UInt8>, blob: ObjectID) {
        self.path = path
        self.relativePath = relativePath
        self.blob = blob
        contentKey = blob
        var warnings: [String] = []
        if !bytes.contains(0), let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
        } else {
            let problem = ContentCheck.encodingProblem(Array(bytes)) ?? "not UTF-8 text"
            warnings.append("\(path): \(problem); shown as text with replacement characters")
            text = String(decoding: bytes, as: UTF8.self)
        }
        id = SectionID.derived(fromRelativePath: relativePath)
        bodyOffset = 0
        do {
            if let frontMatter = try FrontMatter.parse(text) {
                bodyOffset = frontMatter.length
                declaredTitle = frontMatter.title
                if let declared = frontMatter.id { id = declared }
            }
        } catch {
            warnings.append("\(path): \(error.explanation); read as plain text")
            // The block that failed to parse is no heading: the title comes from after it.
            if let close = text.firstRange(of: "\n---\n") ?? text.firstRange(of: "\n...\n") {
                title = Markdown.firstHeading(in: text[close.upperBound...]) ?? id
            }
        }
        self.warnings = warnings
        if title.isEmpty { title = declaredTitle ?? Markdown.firstHeading(in: body) ?? id }
    }
}

/// The checks a section must pass before stet writes it (read leniently, write strictly).
enum ContentCheck {
    /// Why these bytes are not UTF-8 text, or nil.
    static func encodingProblem(_ bytes: [UInt8]) -> String? {
        if let nul = bytes.firstIndex(of: 0) {
            return "binary content (a NUL byte at byte \(nul))"
        }
        // The standard library validates quickly; the scan below only locates an error.
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1 }
            case .emptyInput:
                return nil
            case .error:
                return "invalid UTF-8 at line \(line) (byte \(offset))"
            }
        }
    }

    /// The line of the first conflict marker git leaves in a file, if any.
    static func conflictMarkerLine(_ text: String) -> Int? {
        var line = 1
        for content in text.split(separator: "\n", omittingEmptySubsequences: false) {
            for marker in ["<<<<<<<", ">>>>>>>", "|||||||"] where content.hasPrefix(marker) {
                let rest = content.dropFirst(marker.count)
                if rest.isEmpty || rest.first == " " || rest == "\r" { return line }
            }
            line += 1
        }
        return nil
    }

    /// Refuses bytes that must not be committed as the section at `path`.
    static func validate(path: String, bytes: [UInt8]) throws(StetError) {
        if bytes.count > Comparer.wholeSectionLimit {
            let size = (Double(bytes.count) / 1_048_576 * 10).rounded(.down) / 10
            throw StetError(.invalidContent, "\(path) is \(size) MB; a section may be at most "
                + "\(Comparer.wholeSectionLimit / 1_048_576) MB, so split it into several sections")
        }
        if let problem = encodingProblem(bytes) {
            throw StetError(.invalidContent, "\(path): \(problem); a section must be UTF-8 text")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            _ = try FrontMatter.parse(text)
        } catch {
            throw StetError(.invalidContent, "\(path): \(error.explanation)")
        }
        if let line = conflictMarkerLine(text) {
            throw StetError(.invalidContent,
                            "\(path): unresolved conflict marker at line \(line); edit the section to one text first")
        }
    }
}
