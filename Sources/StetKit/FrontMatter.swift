import Foundation

/// The YAML block at the top of a section file, between `---` lines.
public struct FrontMatter: Sendable, Hashable {
    /// The stable section id, if given.
    public var id: String?
    /// The section title, if given.
    public var title: String?
    /// Length in bytes of the block including its delimiter lines; the body starts there.
    public var length: Int

    /// Front matter beyond this size is refused (and is not a section's business anyway).
    public static let sizeLimit = 4096

    enum Problem: Error, Equatable {
        case notClosed
        case yaml(SafeYAML.Problem)
        case badField(String)
    }

    /// Reads the front matter at the start of `text`; nil when the text has none.
    static func parse(_ text: String) throws(Problem) -> FrontMatter? {
        let utf8 = text.utf8
        guard utf8.starts(with: "---\n".utf8) || utf8.starts(with: "---\r\n".utf8) else { return nil }
        let openLength = utf8.starts(with: "---\n".utf8) ? 4 : 5
        // Find the closing line `---` or `...` within the size limit.
        var lineStart = utf8.index(utf8.startIndex, offsetBy: openLength)
        var offset = openLength
        while lineStart < utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            var line = utf8[lineStart..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.elementsEqual("---".utf8) || line.elementsEqual("...".utf8) {
                let yaml = String(text[utf8.index(utf8.startIndex, offsetBy: openLength)..<lineStart])
                let end = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
                return try FrontMatter(yaml: yaml, length: utf8.distance(from: utf8.startIndex, to: end))
            }
            offset += utf8.distance(from: lineStart, to: lineEnd) + 1
            if offset > sizeLimit { throw .yaml(.tooLarge(limit: sizeLimit)) }
            lineStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
        }
        throw .notClosed
    }

    private init(yaml: String, length: Int) throws(Problem) {
        let fields: [String: SafeYAML.Value]
        do {
            fields = try SafeYAML.mapping(yaml, limit: Self.sizeLimit)
        } catch {
            if case .syntax = error, let (key, value) = Self.unquotedColon(in: yaml) {
                throw .badField("the value of '\(key)' holds ': ', which YAML reads as the start of another "
                    + "key; put the value in quotes: \(key): \(DocumentRepository.yamlScalar(value))")
            }
            throw .yaml(error)
        }
        self.length = length
        for key in ["id", "title"] where fields[key] != nil && fields[key]?.string == nil {
            throw .badField("'\(key)' must be a single line of text")
        }
        id = fields["id"]?.string
        title = fields["title"]?.string
        if let id, let problem = SectionID.problem(with: id) {
            throw .badField("id '\(id)' \(problem)")
        }
    }
}

extension FrontMatter {
    /// The first `key: value` line whose value holds `: ` without quotes (`title: Annex: Glossary`),
    /// the commonest slip in front matter written by hand.
    static func unquotedColon(in yaml: String) -> (key: String, value: String)? {
        for line in yaml.split(separator: "\n") {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            guard let colon = line.range(of: ": ") else { continue }
            let key = line[..<colon.lowerBound], value = line[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                  let first = value.first, first != "\"", first != "'", first != "[", first != "{", value.contains(": ")
            else { continue }
            return (String(key), value)
        }
        return nil
    }
}

extension FrontMatter.Problem {
    var explanation: String {
        switch self {
        case .notClosed: "front matter opened with '---' is never closed"
        case .yaml(let problem): "front matter \(problem.explanation)"
        case .badField(let detail): "front matter: \(detail)"
        }
    }
}
