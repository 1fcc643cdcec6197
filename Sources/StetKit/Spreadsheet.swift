import Foundation
import ZipArchive

/// A table read from a form's export: its header row and the rows below it, each with its row
/// number as a spreadsheet shows it (the header is row 1). Cells are text, as written; nothing is
/// evaluated.
struct Spreadsheet: Sendable {
    var header: [String]
    var rows: [(number: Int, cells: [String])]

    /// Reads CSV or tab-separated text (UTF-8 with or without a byte order mark, or UTF-16 as
    /// Excel's "Unicode text" writes it) or an XLSX workbook's first sheet; `path` names the file
    /// in errors.
    static func read(_ bytes: [UInt8], path: String) throws(StetError) -> Spreadsheet {
        let rows: [(Int, [String])]
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            rows = try XLSXSheet.rows(bytes, path: path)
        } else {
            rows = try DelimitedText.rows(try DelimitedText.decode(bytes, path: path), path: path)
        }
        let numbered = rows.filter { !$0.1.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
        guard !numbered.isEmpty else { throw StetError(.invalidContent, "\(path) has no rows") }
        return Spreadsheet(header: numbered[0].1.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) },
                           rows: numbered.dropFirst().map { (number: $0.0, cells: $0.1) })
    }

    /// The table from its header on, when the header is not the first row: the first of the
    /// first ten rows that `isHeader` accepts (a template's title and document lines above it are
    /// left out); itself when none does.
    func startingAtHeader(_ isHeader: ([String]) -> Bool) -> Spreadsheet {
        let all = [(number: 0, cells: header)] + rows
        guard let found = all.prefix(10).firstIndex(where: { isHeader($0.cells) }), found > 0 else { return self }
        return Spreadsheet(header: all[found].cells.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) },
                           rows: Array(all[(found + 1)...]))
    }
}

/// CSV as RFC 4180 has it (quoted cells hold separators, quotes doubled, line breaks), with the
/// separator found from the header line: a comma, a tab or a semicolon.
enum DelimitedText {
    static func decode(_ bytes: [UInt8], path: String) throws(StetError) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try utf8(Array(bytes.dropFirst(3)), path: path)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return try utf16(Array(bytes.dropFirst(2)), bigEndian: bytes[0] == 0xFE, path: path)
        }
        // UTF-16 without its mark: a zero byte beside every ASCII character.
        if bytes.count >= 4, bytes.count % 2 == 0 {
            let sample = bytes.prefix(512)
            let oddZeros = stride(from: 1, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
            let evenZeros = stride(from: 0, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
            if oddZeros > sample.count / 4, evenZeros == 0 { return try utf16(bytes, bigEndian: false, path: path) }
            if evenZeros > sample.count / 4, oddZeros == 0 { return try utf16(bytes, bigEndian: true, path: path) }
        }
        return try utf8(bytes, path: path)
    }

    private static func utf8(_ bytes: [UInt8], path: String) throws(StetError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StetError(.invalidContent, "\(path) is not UTF-8 or UTF-16 text; save it as \"CSV UTF-8\" or as an Excel workbook")
        }
        return text
    }

    private static func utf16(_ bytes: [UInt8], bigEndian: Bool, path: String) throws(StetError) -> String {
        guard bytes.count % 2 == 0 else { throw StetError(.invalidContent, "\(path) is cut short: UTF-16 text of an odd length") }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        for index in stride(from: 0, to: bytes.count, by: 2) {
            let (high, low) = bigEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
            units.append(UInt16(high) << 8 | UInt16(low))
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw StetError(.invalidContent, "\(path) is not valid UTF-16 text")
        }
        return text
    }

    /// The separator of the first line outside quotes: the most frequent of tab, comma and semicolon.
    static func separator(_ text: String) -> Character {
        var counts: [Character: Int] = ["\t": 0, ",": 0, ";": 0]
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            else if !quoted, character == "\n" || character == "\r\n" { break }
            else if !quoted, counts[character] != nil { counts[character]! += 1 }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != ",") }!
        return best.value > 0 ? best.key : ","
    }

    static func rows(_ text: String, path: String) throws(StetError) -> [(Int, [String])] {
        let separator = separator(text)
        var rows: [(Int, [String])] = []
        var cells: [String] = [], cell = ""
        var quoted = false, wasQuoted = false
        var row = 1, rowStart = 1, line = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            cells.append(cell)
            rows.append((row, cells))
            cells = []
            cell = ""
            wasQuoted = false
            row += 1
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                } else {
                    if character == "\n" || character == "\r\n" || character == "\r" { line += 1 }
                    cell.append(character == "\r\n" || character == "\r" ? "\n" : character)
                }
                continue
            }
            switch character {
            case "\"" where cell.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
                rowStart = line
            case separator:
                cells.append(cell)
                cell = ""
                wasQuoted = false
            case "\n", "\r\n", "\r":
                line += 1
                endRow()
            default:
                cell.append(character)
            }
        }
        if quoted {
            throw StetError(.invalidContent, "\(path): row \(row) (line \(rowStart)): a quoted cell is not closed")
        }
        if !cell.isEmpty || !cells.isEmpty { endRow() }
        return rows
    }
}

/// The first sheet of an XLSX workbook, read as text: shared strings, inline strings, numbers as
/// written, formulas as their cached values (never evaluated).
enum XLSXSheet {
    static func rows(_ bytes: [UInt8], path: String) throws(StetError) -> [(Int, [String])] {
        do {
            let zip = try ZipReader(bytes)
            let sheetPath = try firstSheet(zip, path: path)
            let strings = try zip.read("xl/sharedStrings.xml").map { try sharedStrings($0) } ?? []
            guard let sheet = try zip.read(sheetPath) else {
                throw StetError(.invalidContent, "\(path): the workbook names a sheet it does not hold (\(sheetPath))")
            }
            return try cells(sheet, strings: strings, path: path)
        } catch let error as ZipReader.Failure {
            throw StetError(.invalidContent, "\(path) is not a readable Excel workbook (\(error))")
        } catch let error as StetError {
            throw error
        } catch {
            throw StetError(.invalidContent, "\(path) is not a readable Excel workbook")
        }
    }

    /// The part of the workbook's first sheet.
    private static func firstSheet(_ zip: ZipReader, path: String) throws -> String {
        guard let workbook = try zip.read("xl/workbook.xml") else {
            throw StetError(.invalidContent, "\(path) is a ZIP file but not an Excel workbook (no xl/workbook.xml)")
        }
        var relation: String?
        XMLScanner.scan(workbook) { event in
            if case .start(let name, let attributes) = event, name == "sheet", relation == nil {
                relation = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value
            }
        }
        var target: String?
        if let relation, let rels = try zip.read("xl/_rels/workbook.xml.rels") {
            XMLScanner.scan(rels) { event in
                if case .start("Relationship", let attributes) = event, attributes["Id"] == relation { target = attributes["Target"] }
            }
        }
        guard let target else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    private static func sharedStrings(_ xml: [UInt8]) throws -> [String] {
        var strings: [String] = []
        var current = "", inText = false, inPhonetic = false
        XMLScanner.scan(xml) { event in
            switch event {
            case .start("si", _): current = ""
            case .end("si"): strings.append(current)
            case .start("rPh", _): inPhonetic = true
            case .end("rPh"): inPhonetic = false
            case .start("t", _): inText = !inPhonetic
            case .end("t"): inText = false
            case .text(let text) where inText: current += text
            default: break
            }
        }
        return strings
    }

    /// "BC12" → column 54 (0-based) and row 12.
    static func reference(_ text: String) -> (column: Int, row: Int)? {
        var column = 0, digits = ""
        for scalar in text.unicodeScalars {
            if ("A"..."Z").contains(scalar), digits.isEmpty { column = column * 26 + Int(scalar.value) - 64 }
            else if ("0"..."9").contains(scalar) { digits.unicodeScalars.append(scalar) }
            else { return nil }
        }
        guard column > 0, let row = Int(digits) else { return nil }
        return (column - 1, row)
    }

    private static func cells(_ xml: [UInt8], strings: [String], path: String) throws -> [(Int, [String])] {
        var rows: [(Int, [String])] = []
        var row: [String] = [], rowNumber = 0
        var column = 0, type = "", value = "", inValue = false, inInline = false
        var failure: StetError?
        XMLScanner.scan(xml) { event in
            switch event {
            case .start("row", let attributes):
                rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                row = []
            case .end("row"):
                rows.append((rowNumber, row))
            case .start("c", let attributes):
                column = attributes["r"].flatMap { reference($0)?.column } ?? row.count
                type = attributes["t"] ?? "n"
                value = ""
            case .end("c"):
                var text = value
                if type == "s" {
                    guard let index = Int(value), strings.indices.contains(index) else {
                        failure = failure ?? StetError(.invalidContent, "\(path): row \(rowNumber): a cell names a shared string the workbook lacks")
                        return
                    }
                    text = strings[index]
                } else if type == "b" {
                    text = value == "1" ? "TRUE" : "FALSE"
                }
                while row.count < column { row.append("") }
                if row.count == column { row.append(text) } else if column < row.count { row[column] = text }
            case .start("v", _): inValue = true
            case .end("v"): inValue = false
            case .start("is", _): inInline = true
            case .end("is"): inInline = false
            case .text(let text) where inValue || inInline: value += text
            default: break
            }
        }
        if let failure { throw failure }
        return rows
    }
}

/// Just enough XML for the parts of an Office file: elements with attributes, text with the
/// predefined and numeric entities, CDATA; declarations, comments and processing instructions
/// skipped. Element and attribute names keep their prefixes except on the common `main`
/// namespace's elements (`x:row` reads as `row`).
enum XMLScanner {
    enum Event {
        case start(String, [String: String])
        case end(String)
        case text(String)
    }

    static func scan(_ bytes: [UInt8], _ body: (Event) -> Void) {
        var index = 0
        let count = bytes.count
        func name(_ raw: String) -> String {
            // Elements of SpreadsheetML's main namespace sometimes come prefixed.
            if let colon = raw.firstIndex(of: ":"), raw.hasPrefix("x:") || raw.hasPrefix("main:") || raw.hasPrefix("s:") {
                return String(raw[raw.index(after: colon)...])
            }
            return raw
        }
        while index < count {
            if bytes[index] == UInt8(ascii: "<") {
                if bytes[index...].starts(with: Array("<![CDATA[".utf8)) {
                    let start = index + 9
                    var end = start
                    while end + 2 < count, !(bytes[end] == 0x5D && bytes[end + 1] == 0x5D && bytes[end + 2] == 0x3E) { end += 1 }
                    body(.text(String(decoding: bytes[start..<min(end, count)], as: UTF8.self)))
                    index = end + 3
                    continue
                }
                if bytes[index...].starts(with: Array("<!--".utf8)) {
                    var end = index + 4
                    while end + 2 < count, !(bytes[end] == 0x2D && bytes[end + 1] == 0x2D && bytes[end + 2] == 0x3E) { end += 1 }
                    index = end + 3
                    continue
                }
                var end = index + 1
                var quote: UInt8 = 0
                while end < count {
                    let byte = bytes[end]
                    if quote != 0 { if byte == quote { quote = 0 } }
                    else if byte == 0x22 || byte == 0x27 { quote = byte }
                    else if byte == 0x3E { break }
                    end += 1
                }
                let tag = bytes[(index + 1)..<min(end, count)]
                index = end + 1
                guard let first = tag.first, first != UInt8(ascii: "?"), first != UInt8(ascii: "!") else { continue }
                if first == UInt8(ascii: "/") {
                    body(.end(name(String(decoding: tag.dropFirst(), as: UTF8.self).trimmingCharacters(in: .whitespaces))))
                    continue
                }
                let selfClosing = tag.last == UInt8(ascii: "/")
                let content = selfClosing ? tag.dropLast() : tag
                let (element, attributes) = parseTag(content)
                body(.start(name(element), attributes))
                if selfClosing { body(.end(name(element))) }
            } else {
                var end = index
                while end < count, bytes[end] != UInt8(ascii: "<") { end += 1 }
                body(.text(unescape(bytes[index..<end])))
                index = end
            }
        }
    }

    private static func parseTag(_ tag: ArraySlice<UInt8>) -> (String, [String: String]) {
        var index = tag.startIndex
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while index < tag.endIndex, !isSpace(tag[index]) { index += 1 }
        let element = String(decoding: tag[tag.startIndex..<index], as: UTF8.self)
        var attributes: [String: String] = [:]
        while index < tag.endIndex {
            while index < tag.endIndex, isSpace(tag[index]) { index += 1 }
            let nameStart = index
            while index < tag.endIndex, tag[index] != UInt8(ascii: "="), !isSpace(tag[index]) { index += 1 }
            let key = String(decoding: tag[nameStart..<index], as: UTF8.self)
            while index < tag.endIndex, tag[index] != 0x22, tag[index] != 0x27 { index += 1 }
            guard index < tag.endIndex else { break }
            let quote = tag[index]
            index += 1
            let valueStart = index
            while index < tag.endIndex, tag[index] != quote { index += 1 }
            if !key.isEmpty { attributes[key] = unescape(tag[valueStart..<index]) }
            index += 1
        }
        return (element, attributes)
    }

    /// Text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#n;` and `&#xh;` replaced.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var result = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number = entity.hasPrefix("#x") || entity.hasPrefix("#X") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { result.unicodeScalars.append(scalar) }
                else { result += "&" + entity + ";" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
