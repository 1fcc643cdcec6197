import Foundation

// Writes a Swift file that holds files as string literals:
//     EmbedFiles OUTPUT ROOT RELATIVE-PATH...
// The result declares `enum EmbeddedDemo { static let files: [(path: String, text: String)] }`.
// Files must be UTF-8 text; anything else stops the build, naming the file.

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: EmbedFiles OUTPUT ROOT [RELATIVE-PATH ...]\n".utf8))
    exit(64)
}
let output = arguments[1], root = arguments[2]

/// A Swift string literal holding `text` exactly.
func literal(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.properties.generalCategory == .format) {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

var source = "// Made by the EmbedDemo build plugin from demo/steps and drafts/; not kept in git.\n\n"
source += "enum EmbeddedDemo {\n    static let files: [(path: String, text: String)] = [\n"
for path in arguments.dropFirst(3) {
    guard let data = FileManager.default.contents(atPath: root + "/" + path),
          let text = String(data: data, encoding: .utf8)
    else {
        FileHandle.standardError.write(Data("EmbedFiles: \(path) cannot be read as UTF-8 text\n".utf8))
        exit(65)
    }
    source += "        (\(literal(path)), \(literal(text))),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("EmbedFiles: cannot write \(output): \(error)\n".utf8))
    exit(73)
}
