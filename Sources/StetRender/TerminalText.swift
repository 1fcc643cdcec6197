/// Text for a terminal: content from a repository never carries control sequences through.
public enum TerminalText {
    /// Control characters (escape sequences, carriage returns, C1 controls) shown visibly as
    /// `^[`-style text, and the characters `isInvisible` names as `\u{...}`; new lines and tabs
    /// kept only when `multiline`.
    public static func safe(_ text: String, multiline: Bool = false) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where multiline, 0x09 where multiline:
                result.unicodeScalars.append(scalar)
            case 0x00..<0x20:
                result += "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                result += "^?"
            case _ where isInvisible(scalar):
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Characters that change what a reader sees without being seen: C1 controls, Unicode's
    /// format characters (bidirectional embeddings, overrides and isolates, marks such as
    /// U+200E and U+061C, zero-width spaces and joiners, the byte order mark, soft hyphens) and
    /// the line and paragraph separators. A redline shows each of them as its code.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        // Below U+0600 the only format character is the soft hyphen: a fast path for the
        // Latin text that is most of every redline (the category lookup is not free).
        case 0x80..<0xA0, 0xAD, 0x2028, 0x2029: return true
        case ..<0x600: return false
        default: return isFormat(scalar)
        }
    }

    /// Apart, never inlined: a caller that inlines a property lookup sets up room for its types
    /// on every call, the Latin fast path above too.
    @inline(never)
    static func isFormat(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format
    }
}
