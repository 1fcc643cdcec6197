/// Section ids: derived from file paths, checked when given in front matter, made from titles.
public enum SectionID {
    /// The id of a section without an `id` in its front matter: its path under the drafts folder
    /// without extension and without the numeric prefix of each part
    /// (`02-governance/03-data-privacy.md` -> `governance/data-privacy`).
    public static func derived(fromRelativePath path: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        if let last = parts.last, let dot = last.lastIndex(of: "."), dot != last.startIndex {
            parts[parts.count - 1] = String(last[..<dot])
        }
        return parts.map(strippingNumber).joined(separator: "/")
    }

    /// `03-data` -> `data`; `2024` stays (a bare number is a name, not a prefix).
    static func strippingNumber(_ part: String) -> String {
        let digits = part.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return part }
        let rest = part.dropFirst(digits.count)
        let separators: Set<Character> = ["-", "_", ".", " "]
        let name = rest.drop { separators.contains($0) }
        guard name.count < rest.count, !name.isEmpty else { return part }
        return String(name)
    }

    /// The leading number of a file or folder name (`03-data.md` -> (3, width 2)).
    static func number(of name: String) -> (value: Int, width: Int)? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, strippingNumber(name) != name, let value = Int(digits) else { return nil }
        return (value, digits.count)
    }

    /// A section's id from its path and the start of its file: front matter `id` when readable,
    /// else the id derived from the path. Reads nothing past the front matter.
    static func of(relativePath: String, start bytes: [UInt8]) -> String {
        guard bytes.starts(with: Array("---".utf8)),
              let frontMatter = try? FrontMatter.parse(String(decoding: bytes, as: UTF8.self)),
              let id = frontMatter.id
        else { return derived(fromRelativePath: relativePath) }
        return id
    }

    /// Why `id` cannot be a section id, or nil when it can.
    public static func problem(with id: String) -> String? {
        if id.isEmpty { return "is empty" }
        if id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            return "contains white space or control characters"
        }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "has an empty, '.' or '..' part"
        }
        if id.contains("\\") || id.contains(":") { return "contains '\\' or ':'" }
        return nil
    }

    /// An id made from a title: lower case letters and digits joined by hyphens.
    public static func slug(_ title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.last == "-" { slug.removeLast() }
        return slug.isEmpty ? "section" : slug
    }
}
