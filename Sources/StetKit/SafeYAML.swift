import Foundation
import Yams

/// YAML from writers, read without giving an attacker (or an accident) the parser's worst case:
/// the text is capped in size and anchors and aliases are refused before Yams sees it (a 1 KB
/// alias bomb takes Yams about 29 s and 243 MB).
enum SafeYAML {
    enum Problem: Error, Equatable {
        case tooLarge(limit: Int)
        case anchorOrAlias(line: Int)
        case syntax(String)
        case notAMapping
    }

    /// Parses a YAML mapping of scalars and sequences of scalars; nested mappings are kept as text.
    static func mapping(_ text: String, limit: Int) throws(Problem) -> [String: Value] {
        guard text.utf8.count <= limit else { throw .tooLarge(limit: limit) }
        if let simple = simpleMapping(text) { return simple }
        if let line = anchorOrAliasLine(text) { throw .anchorOrAlias(line: line) }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .syntax(describe(error))
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw .notAMapping }
        var result: [String: Value] = [:]
        for (key, value) in mapping {
            guard let key = key.scalar?.string else { continue }
            if let scalar = value.scalar {
                result[key] = .scalar(scalar.string)
            } else if let sequence = value.sequence {
                result[key] = .list(sequence.compactMap { $0.scalar?.string })
            } else {
                result[key] = .other
            }
        }
        return result
    }

    enum Value: Equatable {
        case scalar(String)
        case list([String])
        case other

        var string: String? {
            if case .scalar(let value) = self { return value }
            return nil
        }
    }

    /// The common case, `key: plain value` lines only, read without a YAML parser. Returns nil
    /// for anything else, which then goes to Yams.
    static func simpleMapping(_ text: String) -> [String: Value]? {
        var result: [String: Value] = [:]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = line[..<colon]
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }),
                  result[String(key)] == nil
            else { return nil }
            let rest = line[line.index(after: colon)...]
            guard rest.isEmpty || rest.first == " " else { return nil }
            let value = rest.drop(while: { $0 == " " })
            guard let scalar = plainScalar(value) else { return nil }
            result[String(key)] = .scalar(scalar)
        }
        return result
    }

    /// A value YAML reads as the same plain string: no indicator first, no `: ` or ` #` inside,
    /// no trailing space, nothing YAML would turn into a number, boolean or null.
    private static func plainScalar(_ value: Substring) -> String? {
        guard let first = value.first else { return nil }
        if first == "\"" {
            guard value.count >= 2, value.last == "\"" else { return nil }
            let inner = value.dropFirst().dropLast()
            guard !inner.contains("\""), !inner.contains("\\") else { return nil }
            return String(inner)
        }
        guard !"-?:,[]{}#&*!|>'\"%@`".contains(first),
              !value.contains(": "), !value.contains(" #"), !value.hasSuffix(":"),
              value.last != " ", value.last != "\t",
              value.allSatisfy({ $0 != "\t" && !$0.isNewline })
        else { return nil }
        let lowered = value.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lowered) { return nil }
        if value.first!.isNumber || value.first == "." || value.first == "+" { return nil }
        return String(value)
    }

    /// The line of the first anchor (`&name`) or alias (`*name`) outside quotes, if any.
    static func anchorOrAliasLine(_ text: String) -> Int? {
        var lineNumber = 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var quote: Character?
            var previous: Character = " "
            for character in line {
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    if previous == " " || previous == ":" || previous == "[" || previous == "," || previous == "{" || previous == "-" {
                        quote = character
                    }
                } else if character == "#" && (previous == " " || previous == "\t") {
                    break
                } else if (character == "&" || character == "*") && " \t[{,:-".contains(previous) {
                    return lineNumber
                }
                previous = character
            }
            lineNumber += 1
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        return text.trimmingCharacters(in: .whitespaces)
    }
}

extension SafeYAML.Problem {
    var explanation: String {
        switch self {
        case .tooLarge(let limit): "is larger than \(limit / 1024) KiB"
        case .anchorOrAlias(let line): "uses a YAML anchor or alias (line \(line)), which stet does not accept"
        case .syntax(let detail): "is not valid YAML: \(detail)"
        case .notAMapping: "is not a YAML mapping of keys to values"
        }
    }
}
