public import Foundation
public import ProseDiff
import ZipArchive

/// The disposition table a secretariat publishes for a round of comments: for each comment who
/// made it, where it points, what it says and proposes, what was decided and why, and the words
/// it changed (the redline of the spans its addressing commits made). Rendered as a
/// self-contained HTML page, an XLSX workbook or CSV; every value is text from the repository
/// and is escaped, and no cell can become a formula.
public struct CommentMatrix: Sendable {
    public struct Change: Sendable {
        public var section: String
        public var sectionTitle: String
        public var pieces: [Excerpt.Piece]
        public var commits: [SourceCommit]

        public init(section: String, sectionTitle: String, pieces: [Excerpt.Piece], commits: [SourceCommit]) {
            self.section = section
            self.sectionTitle = sectionTitle
            self.pieces = pieces
            self.commits = commits
        }
    }

    public struct Row: Sendable {
        public var id = ""
        public var round = ""
        public var row = ""
        public var commenter = ""
        public var organisation = ""
        public var group = ""
        public var country = ""
        /// The section at the draft read (id and title), and where the comment points.
        public var section = ""
        public var sectionTitle = ""
        public var quote = ""
        public var anchorState = ""
        public var anchorNote = ""
        /// The passage as the draft read has it (exact or changed).
        public var currentText = ""
        public var kind = ""
        public var comment = ""
        public var proposal = ""
        public var status = ""
        public var response = ""
        public var answeredBy = ""
        public var answeredAt = ""
        public var duplicateOf = ""
        public var addressedBy: [SourceCommit] = []
        public var changes: [Change] = []

        public init() {}

        var wordsDeleted: String { changes.map { Excerpt(pieces: $0.pieces).deleted }.filter { !$0.isEmpty }.joined(separator: " … ") }
        var wordsInserted: String { changes.map { Excerpt(pieces: $0.pieces).inserted }.filter { !$0.isEmpty }.joined(separator: " … ") }
    }

    public var title: String
    /// What the matrix covers: rounds, the draft read.
    public var subtitle: String
    public var version: String
    public var rows: [Row]
    /// Section ids in document order, for grouping.
    public var sectionOrder: [String]

    public init(title: String, subtitle: String, version: String, rows: [Row], sectionOrder: [String]) {
        self.title = title
        self.subtitle = subtitle
        self.version = version
        self.rows = rows
        self.sectionOrder = sectionOrder
    }

    static let statuses = ["open", "accepted", "partly", "rejected", "noted"]

    /// Rows grouped by section in document order; general comments (no section) first.
    func groups() -> [(section: String, title: String, rows: [Row])] {
        let rank = Dictionary(sectionOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var bySection: [String: [Row]] = [:]
        for row in rows { bySection[row.section, default: []].append(row) }
        let keys = bySection.keys.sorted { (rank[$0] ?? ($0.isEmpty ? -1 : Int.max), $0) < (rank[$1] ?? ($1.isEmpty ? -1 : Int.max), $1) }
        return keys.map { key in (key, bySection[key]!.first { !$0.sectionTitle.isEmpty }?.sectionTitle ?? "", bySection[key]!) }
    }

    // MARK: Columns (XLSX and CSV)

    static let header = ["ID", "Round", "Row", "Commenter", "Organisation", "Stakeholder group", "Country", "Section",
                         "Quoted passage", "Anchor", "Passage now", "Type", "Comment", "Proposed change", "Status", "Response",
                         "Answered by", "Answered at", "Duplicate of", "Addressed by", "Words deleted", "Words inserted"]

    func cells(_ row: Row) -> [String] {
        [row.id, row.round, row.row, row.commenter, row.organisation, row.group, row.country,
         row.section.isEmpty ? "General" : row.section + (row.sectionTitle.isEmpty ? "" : " — " + row.sectionTitle),
         row.quote, row.anchorState + (row.anchorNote.isEmpty ? "" : " (" + row.anchorNote + ")"), row.currentText, row.kind,
         row.comment, row.proposal, row.status, row.response, row.answeredBy, row.answeredAt, row.duplicateOf,
         row.addressedBy.map { $0.shortID + " " + $0.summary }.joined(separator: "\n"), row.wordsDeleted, row.wordsInserted]
    }

    /// A cell a spreadsheet would take for a formula (OWASP's CSV injection: `=`, `+`, `-`, `@`,
    /// tab, carriage return) starts with an apostrophe, which shows it as text.
    static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first)
            || first == "\u{FF1D}" || first == "\u{FF0B}" || first == "\u{FF0D}" || first == "\u{FF20}"
        else { return text }
        return "'" + text
    }

    /// RFC 4180 CSV, UTF-8 with a byte order mark (so Excel reads it as UTF-8), every cell
    /// quoted and neutralized.
    public func csv() -> String {
        var text = "\u{FEFF}"
        for cells in [Self.header] + rows.map(cells) {
            text += cells.map { "\"" + Self.neutralized($0).replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                .joined(separator: ",") + "\r\n"
        }
        return text
    }

    // MARK: XLSX

    /// An XLSX workbook of one sheet: every cell an inline string marked as text (`quotePrefix`),
    /// so none is ever a formula, the header row frozen and filtered.
    public func xlsx() -> Data {
        func column(_ index: Int) -> String {
            var index = index + 1, name = ""
            while index > 0 {
                let remainder = (index - 1) % 26
                name = String(UnicodeScalar(UInt8(65 + remainder))) + name
                index = (index - 1) / 26
            }
            return name
        }
        let all = [Self.header] + rows.map(cells)
        var sheet = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            <cols>
            """
        let widths = [10, 14, 6, 22, 24, 18, 14, 24, 40, 18, 40, 11, 60, 40, 10, 50, 18, 20, 12, 30, 30, 30]
        for (index, width) in widths.enumerated() {
            sheet += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        sheet += "</cols><sheetData>"
        for (rowIndex, cells) in all.enumerated() {
            sheet += "<row r=\"\(rowIndex + 1)\">"
            for (columnIndex, cell) in cells.enumerated() {
                // Style 1: the header (bold); 2: text, wrapped, shown as typed.
                sheet += "<c r=\"\(column(columnIndex))\(rowIndex + 1)\" t=\"inlineStr\" s=\"\(rowIndex == 0 ? 1 : 2)\"><is><t xml:space=\"preserve\">"
                    + WordXML.escape(String(cell.prefix(32_767))) + "</t></is></c>"
            }
            sheet += "</row>"
        }
        sheet += "</sheetData><autoFilter ref=\"A1:\(column(Self.header.count - 1))\(all.count)\"/></worksheet>"
        var zip = ZipArchive()
        // First and stored as it is, so that stet knows a file it wrote (see OutputFile).
        zip.add("docProps/app.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>stet</Application></Properties>
            """.utf8), compressed: false)
        zip.add("[Content_Types].xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
            </Types>
            """.utf8))
        zip.add("_rels/.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
            </Relationships>
            """.utf8))
        zip.add("xl/workbook.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="Comments" sheetId="1" r:id="rId1"/></sheets>\
            <definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Comments!$A$1:$\(column(Self.header.count - 1))$\(all.count)</definedName></definedNames>\
            </workbook>
            """.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """.utf8))
        zip.add("xl/styles.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="0"/>\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1" quotePrefix="1"/>\
            <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1" quotePrefix="1">\
            <alignment vertical="top" wrapText="1"/></xf></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
            </styleSheet>
            """.utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(sheet.utf8))
        return Data(zip.data)
    }

    // MARK: Word

    /// A Word document on landscape pages: the counts, then a table per section with the
    /// comment, its disposition and the words it changed (struck through and underlined: a
    /// record of what was done, not changes to accept).
    public func docx() -> Data {
        func run(_ text: String, _ properties: String = "") -> String {
            "<w:r>" + (properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>") + WordXML.text(text) + "</w:r>"
        }
        func paragraph(_ runs: String, style: String? = nil) -> String {
            "<w:p>" + (style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? "") + runs + "</w:p>"
        }
        func cell(_ paragraphs: [String], width: Int, header: Bool = false) -> String {
            "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>" + (header ? "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>" : "")
                + "</w:tcPr>" + (paragraphs.isEmpty ? "<w:p/>" : paragraphs.joined()) + "</w:tc>"
        }
        func table(_ widths: [Int], _ rows: [[[String]]]) -> String {
            var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>"
                + "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
            for width in widths { xml += "<w:gridCol w:w=\"\(width)\"/>" }
            xml += "</w:tblGrid>"
            for (index, row) in rows.enumerated() {
                xml += "<w:tr>" + (index == 0 ? "<w:trPr><w:tblHeader/></w:trPr>" : "")
                for (column, paragraphs) in row.enumerated() { xml += cell(paragraphs, width: widths[column], header: index == 0) }
                xml += "</w:tr>"
            }
            return xml + "</w:tbl>"
        }
        func lines(_ text: String, _ properties: String = "") -> [String] {
            text.split(separator: "\n").map { line in
                // A paragraph whose first letter is of a right-to-left script reads right to left.
                let rightToLeft = line.unicodeScalars.first { $0.properties.isAlphabetic }.map(Self.isRightToLeft) ?? false
                let runs = run(String(line), properties + (rightToLeft ? "<w:rtl/>" : ""))
                return rightToLeft ? "<w:p><w:pPr><w:bidi/></w:pPr>" + runs + "</w:p>" : paragraph(runs)
            }
        }
        let bold = "<w:b/>"
        var body = ""
        // The counts by stakeholder group and status.
        var counts: [String: [String: Int]] = [:]
        for row in rows { counts[row.group.isEmpty ? "Not given" : row.group, default: [:]][row.status, default: 0] += 1 }
        var summary: [[[String]]] = [[[paragraph(run("Stakeholder group", bold))]]
            + (Self.statuses + ["total"]).map { [paragraph(run($0, bold))] }]
        for group in counts.keys.sorted() {
            let values = counts[group]!
            summary.append([[paragraph(run(group))]] + Self.statuses.map { [paragraph(run(String(values[$0] ?? 0)))] }
                + [[paragraph(run(String(values.values.reduce(0, +))))]])
        }
        body += paragraph(run("\(rows.count) comment\(rows.count == 1 ? "" : "s")"), style: "Heading1")
        body += table([3958] + Array(repeating: 1666, count: 6), summary)
        for group in groups() {
            let heading = group.section.isEmpty ? "General comments" : (group.title.isEmpty ? group.section : group.title)
            body += paragraph(run(heading), style: "Heading1")
            var rows: [[[String]]] = [[[paragraph(run("Comment", bold))], [paragraph(run("Disposition", bold))],
                                       [paragraph(run("Words it changed", bold))]]]
            for row in group.rows {
                var comment = [paragraph(run(row.id, bold) + run("  " + (row.commenter.isEmpty ? "Anonymous" : row.commenter), bold)
                    + run("  " + [row.organisation, row.group, row.country].filter { !$0.isEmpty }.joined(separator: ", "),
                          "<w:color w:val=\"595959\"/>"))]
                if !row.quote.isEmpty { comment += lines("“" + row.quote + "”", "<w:i/>") }
                comment.append(paragraph(run("Passage: " + row.anchorState + (row.anchorNote.isEmpty ? "" : " (\(row.anchorNote))"),
                                             "<w:color w:val=\"595959\"/><w:sz w:val=\"18\"/>")))
                comment += lines(row.comment)
                if !row.proposal.isEmpty { comment.append(paragraph(run("Proposed change: ", bold))) ; comment += lines(row.proposal) }
                var disposition = [paragraph(run(row.status.uppercased(), bold))]
                disposition += lines(row.response)
                if !row.answeredBy.isEmpty { disposition += lines(row.answeredBy + ", " + String(row.answeredAt.prefix(10)), "<w:color w:val=\"595959\"/>") }
                if !row.duplicateOf.isEmpty { disposition += lines("The same as " + row.duplicateOf) }
                var changed: [String] = []
                for change in row.changes.prefix(12) {
                    var runs = run((change.sectionTitle.isEmpty ? change.section : change.sectionTitle) + ": ", "<w:color w:val=\"595959\"/>")
                    for piece in change.pieces {
                        switch piece.kind {
                        case .inserted: runs += run(piece.text, "<w:color w:val=\"1A7F37\"/><w:u w:val=\"single\"/>")
                        case .deleted, .moved: runs += run(piece.text, "<w:color w:val=\"CF222E\"/><w:strike/>")
                        case .equal: runs += run(piece.text)
                        }
                    }
                    runs += run("  " + change.commits.map(\.shortID).joined(separator: " "), "<w:color w:val=\"595959\"/><w:sz w:val=\"16\"/>")
                    changed.append(paragraph(runs))
                }
                if row.changes.count > 12 { changed += lines("and \(row.changes.count - 12) more changes") }
                if changed.isEmpty, !row.addressedBy.isEmpty {
                    changed += row.addressedBy.map { paragraph(run("Addressed by \($0.shortID) \($0.summary)")) }
                }
                rows.append([comment, disposition, changed])
            }
            body += table([5600, 3400, 4958], rows)
        }
        let document = WordDocument(title: "Comments on " + title, subtitle: [subtitle, "Made with stet \(version)"], commits: [])
        return document.file(bodyXML: body, landscape: true)
    }

    /// Letters of the scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and
    /// their presentation forms).
    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: true
        default: false
        }
    }

    // MARK: HTML

    /// A self-contained page: a Content-Security-Policy that loads nothing and runs nothing, the
    /// counts by status and stakeholder group, then the comments grouped by section.
    public func html() -> String {
        func e(_ text: String) -> String { HTMLEscaping.escape(text) }
        let nonce = HTMLComparison.nonce()
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-\(nonce)'; script-src 'nonce-\(nonce)'; img-src 'none'; base-uri 'none'; form-action 'none'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="stet \(e(version))">
            <title>Comments on \(e(title))</title>
            <style nonce="\(nonce)">\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>Comments on \(e(title))</h1>
            <p class="subtitle">\(e(subtitle))</p>
            </header>

            """
        page += summary()
        page += filters()
        let commits = Dictionary(rows.flatMap { $0.addressedBy + $0.changes.flatMap(\.commits) }.map { ($0.id, $0) },
                                 uniquingKeysWith: { first, _ in first })
        page += "<main>\n"
        for group in groups() {
            let heading = group.section.isEmpty ? "General comments" : (group.title.isEmpty ? group.section : group.title)
            page += "<section class=\"group\" id=\"section-\(e(group.section.isEmpty ? "general" : group.section))\">\n"
            page += "<h2>\(e(heading)) <span class=\"count\">\(group.rows.count) comment\(group.rows.count == 1 ? "" : "s")</span></h2>\n"
            for row in group.rows { page += article(row) }
            page += "</section>\n"
        }
        page += "</main>\n"
        if !commits.isEmpty {
            page += "<section class=\"commits\"><h2>Commits that addressed comments</h2><dl>\n"
            for commit in commits.values.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) }) {
                page += "<dt id=\"commit-\(e(commit.id))\"><code>\(e(commit.shortID))</code> \(e(commit.summary))</dt>"
                page += "<dd>\(e(commit.author)), \(e(commit.day))"
                if !commit.trailers.isEmpty {
                    page += "<br>" + commit.trailers.map { e($0.key) + ": " + e($0.value) }.joined(separator: "<br>")
                }
                page += "<br><span class=\"full-id\">\(e(commit.id))</span></dd>\n"
            }
            page += "</dl></section>\n"
        }
        page += "<footer>Made with stet \(e(version)).</footer>\n<script nonce=\"\(nonce)\">\(Self.script)</script>\n</body>\n</html>\n"
        return page
    }

    /// Choices that show only some comments (by the page's script; a link can name them:
    /// `#status=accepted&group=Academia&round=online-2024&text=word`).
    private func filters() -> String {
        func e(_ text: String) -> String { HTMLEscaping.escape(text) }
        func select(_ name: String, _ label: String, _ values: [String]) -> String {
            "<label>\(label) <select data-filter=\"\(name)\"><option value=\"\">all</option>"
                + values.map { "<option value=\"\(e($0))\">\(e($0))</option>" }.joined() + "</select></label> "
        }
        let groups = Set(rows.map { $0.group.isEmpty ? "Not given" : $0.group }).sorted()
        let rounds = Set(rows.map(\.round)).sorted()
        return "<nav class=\"filters\" aria-label=\"Filters\">" + select("status", "Status", Self.statuses) + select("group", "Group", groups)
            + select("round", "Round", rounds)
            + "<label>Words <input type=\"search\" data-filter=\"text\"></label> <output class=\"shown\"></output></nav>\n"
    }

    /// Hides the comments the filters leave out, and the sections left empty.
    static let script = """
        (function () {
          var controls = document.querySelectorAll('[data-filter]');
          var shown = document.querySelector('.shown');
          function apply() {
            var wanted = {};
            controls.forEach(function (control) { wanted[control.dataset.filter] = control.value.trim().toLowerCase(); });
            var count = 0;
            document.querySelectorAll('article.comment').forEach(function (article) {
              var ok = ['status', 'group', 'round'].every(function (key) {
                return !wanted[key] || article.dataset[key].toLowerCase() === wanted[key];
              }) && (!wanted.text || article.textContent.toLowerCase().indexOf(wanted.text) >= 0);
              article.hidden = !ok;
              if (ok) count++;
            });
            document.querySelectorAll('section.group').forEach(function (group) {
              var visible = group.querySelectorAll('article.comment:not([hidden])').length;
              group.hidden = visible === 0;
              group.querySelector('.count').textContent = visible + (visible === 1 ? ' comment' : ' comments');
            });
            shown.textContent = count + ' shown';
          }
          var hash = new URLSearchParams(location.hash.slice(1));
          controls.forEach(function (control) {
            var given = hash.get(control.dataset.filter);
            if (given !== null) control.value = given;
            control.addEventListener('input', apply);
          });
          apply();
        })();
        """

    /// The counts by status, in all and by stakeholder group.
    private func summary() -> String {
        func e(_ text: String) -> String { HTMLEscaping.escape(text) }
        var counts: [String: [String: Int]] = [:]
        for row in rows { counts[row.group.isEmpty ? "Not given" : row.group, default: [:]][row.status, default: 0] += 1 }
        var html = "<section class=\"summary\"><h2>\(rows.count) comment\(rows.count == 1 ? "" : "s")</h2>\n<table>\n<thead><tr><th>Stakeholder group</th>"
        for status in Self.statuses { html += "<th class=\"status-\(status)\">\(status)</th>" }
        html += "<th>total</th></tr></thead>\n<tbody>\n"
        func line(_ label: String, _ values: [String: Int], total: Bool = false) -> String {
            var cells = "<tr\(total ? " class=\"total\"" : "")><th>\(e(label))</th>"
            for status in Self.statuses { cells += "<td>\(values[status] ?? 0)</td>" }
            return cells + "<td>\(values.values.reduce(0, +))</td></tr>\n"
        }
        for group in counts.keys.sorted() { html += line(group, counts[group]!) }
        var all: [String: Int] = [:]
        for values in counts.values { for (status, count) in values { all[status, default: 0] += count } }
        html += line("All", all, total: true)
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private func article(_ row: Row) -> String {
        func e(_ text: String) -> String { HTMLEscaping.escape(text) }
        func paragraphs(_ text: String) -> String {
            // Each paragraph takes its direction from its own text: Arabic reads right to left.
            text.split(separator: "\n", omittingEmptySubsequences: true).map { "<p dir=\"auto\">" + e(String($0)) + "</p>" }.joined()
        }
        var html = "<article class=\"comment status-\(e(row.status))\" id=\"\(e(row.id))\" data-status=\"\(e(row.status))\" "
            + "data-group=\"\(e(row.group.isEmpty ? "Not given" : row.group))\" data-round=\"\(e(row.round))\">\n<header><a class=\"id\" href=\"#\(e(row.id))\">\(e(row.id))</a>"
        html += " <span class=\"status\">\(e(row.status))</span>"
        if !row.kind.isEmpty { html += " <span class=\"kind\">\(e(row.kind))</span>" }
        html += " <span class=\"who\">\(e(row.commenter.isEmpty ? "Anonymous" : row.commenter))"
        let details = [row.organisation, row.group, row.country].filter { !$0.isEmpty }
        if !details.isEmpty { html += " <span class=\"org\">(\(e(details.joined(separator: ", "))))</span>" }
        html += "</span> <span class=\"round\">\(e(row.round))\(row.row.isEmpty ? "" : ", row " + e(row.row))</span></header>\n"
        if !row.duplicateOf.isEmpty {
            html += "<p class=\"duplicate\">The same as <a href=\"#\(e(row.duplicateOf))\">\(e(row.duplicateOf))</a>.</p>\n"
        }
        if !row.quote.isEmpty {
            html += "<blockquote class=\"quote\">\(paragraphs(row.quote))</blockquote>\n"
        }
        html += "<p class=\"anchor anchor-\(e(row.anchorState))\">Passage: \(e(row.anchorState))"
        if !row.anchorNote.isEmpty { html += " — \(e(row.anchorNote))" }
        if row.anchorState == "changed", !row.currentText.isEmpty { html += "; now reads “\(e(row.currentText))”" }
        html += "</p>\n"
        html += "<div class=\"body\"><h3>Comment</h3>\(paragraphs(row.comment))"
        if !row.proposal.isEmpty { html += "<h3>Proposed change</h3>\(paragraphs(row.proposal))" }
        html += "</div>\n<div class=\"disposition\"><h3>Response</h3>"
        html += row.response.isEmpty ? "<p class=\"none\">No response yet.</p>" : paragraphs(row.response)
        if !row.answeredBy.isEmpty { html += "<p class=\"answered\">\(e(row.answeredBy)), \(e(String(row.answeredAt.prefix(10))))</p>" }
        html += "</div>\n"
        if !row.changes.isEmpty {
            html += "<div class=\"changes\"><h3>Words it changed</h3>\n"
            let shown = 12
            for change in row.changes.prefix(shown) {
                html += "<p class=\"excerpt\"><span class=\"where\">\(e(change.sectionTitle.isEmpty ? change.section : change.sectionTitle))</span> "
                for piece in change.pieces {
                    switch piece.kind {
                    case .inserted: html += "<ins>\(e(piece.text))</ins>"
                    case .deleted, .moved: html += "<del>\(e(piece.text))</del>"
                    case .equal: html += e(piece.text)
                    }
                }
                html += " " + change.commits.map { "<a class=\"commit\" href=\"#commit-\(e($0.id))\">\(e($0.shortID))</a>" }.joined(separator: " ")
                html += "</p>\n"
            }
            if row.changes.count > shown {
                let sections = Set(row.changes.dropFirst(shown).map { $0.sectionTitle.isEmpty ? $0.section : $0.sectionTitle }).sorted()
                html += "<p class=\"more\">and \(row.changes.count - shown) more changes, in \(e(sections.joined(separator: ", ")))</p>\n"
            }
            html += "</div>\n"
        } else if !row.addressedBy.isEmpty {
            html += "<p class=\"addressed\">Addressed by "
                + row.addressedBy.map { "<a class=\"commit\" href=\"#commit-\(e($0.id))\">\(e($0.shortID))</a> \(e($0.summary))" }.joined(separator: "; ")
                + "</p>\n"
        }
        return html + "</article>\n"
    }

    static let style = """
        body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1.5rem; color: #111; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; }
        .subtitle { color: #555; margin-top: 0; }
        table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
        th, td { border: 1px solid #ccc; padding: .2rem .6rem; text-align: right; }
        th:first-child { text-align: left; }
        tr.total { font-weight: bold; }
        .group > h2 { border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
        .count { font-size: .9rem; font-weight: normal; color: #666; }
        .comment { border: 1px solid #ddd; border-left: 5px solid #999; border-radius: 4px; padding: .6rem 1rem; margin: 1rem 0; break-inside: avoid; }
        .comment > header { display: flex; flex-wrap: wrap; gap: .6rem; align-items: baseline; }
        .id { font-weight: bold; font-family: ui-monospace, monospace; color: inherit; }
        .status { text-transform: uppercase; font-size: .75rem; letter-spacing: .05em; padding: 0 .4rem; border-radius: 3px; background: #eee; }
        .status-accepted { border-left-color: #1a7f37; } .status-accepted .status { background: #dafbe1; }
        .status-partly { border-left-color: #9a6700; } .status-partly .status { background: #fff8c5; }
        .status-rejected { border-left-color: #cf222e; } .status-rejected .status { background: #ffebe9; }
        .status-noted { border-left-color: #0969da; } .status-noted .status { background: #ddf4ff; }
        .kind, .round, .org { color: #666; font-size: .85rem; }
        .who { font-weight: 600; }
        blockquote.quote { margin: .5rem 0; padding: .2rem .8rem; border-left: 3px solid #ccc; color: #333; font-style: italic; }
        .anchor { font-size: .85rem; color: #555; margin: .2rem 0; }
        .anchor-changed, .anchor-deleted { color: #9a6700; }
        .comment h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: #666; margin: .6rem 0 .1rem; }
        .comment p { margin: .2rem 0; }
        .none { color: #888; font-style: italic; }
        .answered { font-size: .85rem; color: #555; }
        .excerpt { font-family: Georgia, serif; }
        .where { font-family: system-ui, sans-serif; font-size: .8rem; color: #666; margin-right: .3rem; }
        ins { background: #dafbe1; text-decoration: underline; text-decoration-color: #1a7f37; }
        del { background: #ffebe9; text-decoration: line-through; text-decoration-color: #cf222e; }
        a.commit { font-family: ui-monospace, monospace; font-size: .8rem; }
        .commits dt { margin-top: .6rem; }
        .commits dd { margin-left: 1.5rem; color: #444; font-size: .9rem; }
        .full-id { font-family: ui-monospace, monospace; font-size: .75rem; color: #888; }
        .control { font-family: ui-monospace, monospace; color: #cf222e; }
        footer { margin-top: 3rem; color: #888; font-size: .8rem; }
        .filters { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #ddd; z-index: 1; }
        .filters label { margin-right: .8rem; font-size: .9rem; }
        .shown { color: #666; font-size: .9rem; }
        [hidden] { display: none !important; }
        @media print { body { max-width: none; font-size: 10pt; } a { color: inherit; text-decoration: none; } .filters { display: none; } }
        """
}
