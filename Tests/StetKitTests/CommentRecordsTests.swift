import Foundation
import StetTestSupport
import ZipArchive
@testable import StetKit
import Testing

/// The round file and the readers of form exports, on hostile and random text.
@Suite("Comment records and spreadsheets")
struct CommentRecordsTests {
    /// Text a form lets through: line breaks of every kind, a line that starts like a field or a
    /// continuation, colons, control characters, scripts, emoji.
    static let pieces = ["Id: OC-9", "+ plus", "+", "%rec: X", "# hash", "a: b", "\r\n", "\n", "\r", "\t", "\u{0}", "\u{7}", "\u{1B}[31m",
                         "\u{2028}", "\u{85}", " ", "  lead", "trail  ", "\"", "'", "=1+1", "<script>", "مرحبا", "数据", "Ωμέγα", "🙂", "e\u{301}", ""]

    func random(_ random: inout SeededRandom) -> String {
        (0..<Int(random.next() % 8)).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }.joined()
    }

    @Test(arguments: 0..<40)
    func aRoundReadsBackAsItWasWritten(seed: Int) throws {
        var generator = SeededRandom(state: UInt64(seed))
        var comments: [StetKit.Comment] = []
        for index in 0..<5 {
            var comment = StetKit.Comment(id: "OC-\(index + 1)", round: "r")
            comment.row = index + 2
            comment.commenter = StetKit.Comment.Commenter(name: random(&generator), organisation: random(&generator), group: random(&generator))
            comment.quote = random(&generator)
            comment.text = random(&generator)
            comment.proposal = random(&generator)
            comment.response = random(&generator)
            comment.status = StetKit.Comment.Status.allCases[index % 5]
            if index == 2 { comment.anchor = StetKit.Comment.Anchor(exact: random(&generator), prefix: random(&generator), suffix: random(&generator), start: 3, end: 9) }
            comments.append(comment)
        }
        let text = CommentRecords.text(comments)
        let read = try CommentRecords.parse(text, path: "r.rec")
        #expect(read.count == comments.count)
        for (written, back) in zip(comments, read) {
            #expect(back.text == CommentRecords.clean(written.text), "\(written.text.debugDescription)")
            #expect(back.commenter.name == CommentRecords.clean(written.commenter.name))
            #expect(back.response == CommentRecords.clean(written.response))
            #expect(back.quote == CommentRecords.clean(written.quote))
            #expect(back.status == written.status)
            let exact: String? = written.anchor.map { CommentRecords.clean($0.exact) }
            #expect(back.anchor?.exact == exact)
        }
        // Written again, the text is the same: a round file is stable.
        #expect(CommentRecords.text(read) == text)
        // No control character but line breaks and tabs reaches the file.
        #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) })
    }

    @Test(arguments: 0..<40)
    func csvWrittenByPythonsRulesReadsBack(seed: Int) throws {
        var generator = SeededRandom(state: UInt64(seed) + 1000)
        var rows: [[String]] = []
        for _ in 0..<4 {
            var row: [String] = []
            for _ in 0..<3 { row.append(random(&generator).replacingOccurrences(of: "\r", with: "")) }
            rows.append(row)
        }
        // Quoted as RFC 4180 says: every cell in quotes, quotes doubled.
        func quoted(_ cell: String) -> String { "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = ["A,B,C"]
        for row in rows { lines.append(row.map(quoted).joined(separator: ",")) }
        let csv = lines.joined(separator: "\r\n") + "\r\n"
        let read = try DelimitedText.rows(csv, path: "x.csv")
        #expect(read.count == rows.count + 1)
        for (written, back) in zip(rows, read.dropFirst()) { #expect(back.1 == written, "\(written)") }
    }

    @Test func aBrokenRoundFileIsNamedWithItsLine() {
        #expect(throws: StetError.self) { try CommentRecords.parse("Id: OC-1\nStatus: maybe\n", path: "r.rec") }
        do {
            _ = try CommentRecords.parse("%rec: Comment\n\nId: OC-1\nStatus: open\n\nId: OC-1\n", path: "comments/r.rec")
            Issue.record("a repeated id was read")
        } catch {
            #expect(error.message == "comments/r.rec:6: the id OC-1 is given twice")
        }
        do {
            _ = try CommentRecords.parse("Id: OC-1\nnot a field\n", path: "r.rec")
            Issue.record("a line that is no field was read")
        } catch {
            #expect(error.message.hasPrefix("r.rec:2: expected 'Field: value'"))
        }
    }

    @Test func twoSidesAnsweringDifferentCommentsMerge() throws {
        var base = [StetKit.Comment(id: "OC-1", round: "r"), StetKit.Comment(id: "OC-2", round: "r")]
        base[0].text = "One"
        base[1].text = "Two"
        var ours = base, theirs = base
        ours[0].status = .accepted
        theirs[1].status = .rejected
        theirs.append(StetKit.Comment(id: "OC-3", round: "r"))
        let merged = try CommentRecords.merge(base: CommentRecords.text(base), ours: CommentRecords.text(ours),
                                              theirs: CommentRecords.text(theirs), path: "r.rec")
        let read = try CommentRecords.parse(try #require(merged), path: "r.rec")
        #expect(read.map(\.status) == [.accepted, .rejected, .open])
        // The same comment answered differently on both sides does not merge.
        var other = base
        other[0].status = .noted
        #expect(try CommentRecords.merge(base: CommentRecords.text(base), ours: CommentRecords.text(ours),
                                         theirs: CommentRecords.text(other), path: "r.rec") == nil)
    }
}

/// Damaged workbooks and text files: read or refused with the file named, never a crash.
@Suite("Spreadsheets that are damaged")
struct DamagedSpreadsheetTests {
    /// A small XLSX: shared strings, an inline string, a number, a formula's cached value.
    static func workbook() -> [UInt8] {
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", Array("<Types/>".utf8))
        zip.add("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8))
        zip.add("xl/sharedStrings.xml", Array("<sst><si><t>Name</t></si><si><t>Comment</t></si><si><r><t>Ama</t></r><r><t>ra &amp; Co</t></r></si></sst>".utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(("<worksheet><sheetData>"
            + #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#
            + #"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>Fine &lt;3</t></is></c></row>"#
            + #"<row r="4"><c r="A4"><v>42</v></c><c r="B4" t="str"><f>A4*2</f><v>84</v></c></row>"#
            + "</sheetData></worksheet>").utf8))
        return zip.data
    }

    @Test func aWorkbookReadsAsText() throws {
        let sheet = try Spreadsheet.read(Self.workbook(), path: "w.xlsx")
        #expect(sheet.header == ["Name", "Comment"])
        #expect(sheet.rows.map(\.number) == [2, 4])
        #expect(sheet.rows.map(\.cells) == [["Amara & Co", "Fine <3"], ["42", "84"]])
    }

    @Test(arguments: 0..<200)
    func aDamagedFileIsReadOrRefusedNeverACrash(seed: Int) {
        var random = SeededRandom(state: UInt64(seed) &+ 77)
        var bytes = Self.workbook()
        if seed % 3 == 0 {
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
        } else {
            for _ in 0..<(1 + Int(random.next() % 8)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
        }
        do {
            _ = try Spreadsheet.read(bytes, path: "damaged.xlsx")
        } catch {
            #expect(error.message.contains("damaged.xlsx"), "\(error.message)")
        }
    }
}
