/// Text for a terminal: content from a repository never carries control sequences through.
public enum TerminalText {
    /// Control characters (escape sequences, carriage returns, C1 controls) and bidirectional
    /// overrides shown visibly as `^[`-style or `\u{...}` text; new lines and tabs kept only
    /// when `multiline`.
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
            case 0x80..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
