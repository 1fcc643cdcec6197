public import Foundation
public import ProseDiff
import ZipArchive

/// Typeset sections as a Word document (.docx, WordprocessingML), written by stet itself: the
/// typeset redline model (`TypesetSection`) maps onto paragraphs, runs, lists and tables one
/// element at a time, so every insertion and deletion becomes a tracked change (`w:ins`,
/// `w:del`) with the author and date of its commit, and each commit's changes in a block carry
/// one comment with its message. Accepting every change gives the later draft, rejecting every
/// change the earlier one.
///
/// Ids (`w:id`) are unique across changes and comments; an insertion never holds a deletion;
/// every text and attribute is escaped, and characters XML 1.0 cannot hold are replaced.
public struct WordDocument {
    /// One section: its typeset pieces, and what the notes on a moved block say.
    public struct Part {
        public var typeset: TypesetSection
        public var title: String
        /// For each block moved away or here: "moved to Housing", "moved from Principles".
        public var moves: [Int: String]
        /// For each block moved here: the commits that moved it.
        public var movers: [Int: [Int]]

        /// The section's file, from the repository's root: its images are found from there.
        public var path = ""

        public init(typeset: TypesetSection, title: String, moves: [Int: String] = [:], movers: [Int: [Int]] = [:], path: String = "") {
            self.typeset = typeset
            self.title = title
            self.moves = moves
            self.movers = movers
            self.path = path
        }
    }

    public var title: String
    /// Lines under the title: the drafts compared, their approval, their commits.
    public var subtitle: [String]
    public var commits: [SourceCommit]
    /// The author and date of changes no commit is credited with (the working tree's).
    public var fallbackAuthor = "stet"
    public var fallbackDate = "1970-01-01T00:00:00Z"
    /// A styles part that replaces the built-in one (a repository's `templates/styles.xml`).
    public var styles: String?
    /// Files the sections' images name, by path from the repository's root (PNG, JPEG and GIF
    /// are embedded; an image not found shows as its description).
    public var images: [String: [UInt8]] = [:]
    /// Footnotes as Word footnotes (for a draft); otherwise (a redline, whose footnotes may be
    /// inserted or deleted with their references) numbered paragraphs after their section.
    public var wordFootnotes = false
    /// The consultation comments the commits address, by id: each commit's Word comment quotes
    /// the ones it answers.
    public var addressed: [String: HTMLComparison.AddressedComment] = [:]

    public init(title: String, subtitle: [String], commits: [SourceCommit]) {
        self.title = title
        self.subtitle = subtitle
        self.commits = commits
    }

    /// The parts of a redline of the whole later draft: the changed `sections` typeset with
    /// their changes, the others (`document`, the later draft in order) as they are; a section
    /// removed stays where the comparison has it. A section that changed its place in the order
    /// (it is off the longest run of sections that kept theirs between `earlier`, the earlier
    /// draft in order, and `document`) is inserted whole where it is now and deleted whole where
    /// it was, so that rejecting every change gives the earlier order back.
    public static func redlineParts(_ sections: [SectionComparison], document: [DraftDocument.Part],
                                    earlier: [DraftDocument.Part] = []) -> [Part]
    {
        let moves = HTMLComparison.moveLinks(sections, anchors: HTMLComparison.anchors(sections))
        let bodies = Dictionary(document.map { ($0.id, $0.body) }, uniquingKeysWith: { first, _ in first })
        let changed = Parallel.map(sections.count, workers: ProcessInfo.processInfo.activeProcessorCount) { index -> Part in
            let section = sections[index]
            // A section whose text did not change has no blocks: its text as it is.
            let typeset = section.blocks.isEmpty ? TypesetSection.of(markdown: bodies[section.id] ?? "")
                : TypesetSection(section) ?? TypesetSection.of(markdown: section.rebuiltB)
            return Part(typeset: typeset, title: section.title, moves: (moves[index] ?? [:]).mapValues { "moved " + $0.words },
                        movers: (moves[index] ?? [:]).mapValues(\.sources), path: section.pathB ?? section.pathA ?? "")
        }
        var parts: [(id: String, part: Part)] = DocumentOrder.items(sections, document: document).map { item in
            switch item {
            case .changed(let index): (sections[index].id, changed[index])
            case .unchanged(let part): (part.id, Part(typeset: TypesetSection.of(markdown: part.body), title: part.title, path: part.path))
            }
        }
        guard !earlier.isEmpty else { return parts.map(\.part) }
        // The earlier draft's sections by their later ids (a rename may have changed one).
        let renamed = Dictionary(sections.compactMap { section in section.oldID.map { ($0, section.id) } }, uniquingKeysWith: { first, _ in first })
        let earlierIDs = earlier.map { renamed[$0.id] ?? $0.id }
        let laterIDs = Set(document.map(\.id))
        let moved = Self.offOrder(earlierIDs.filter { laterIDs.contains($0) }, document.map(\.id).filter { Set(earlierIDs).contains($0) })
        for (index, entry) in parts.enumerated() where moved.contains(entry.id) {
            parts[index].part = Part(typeset: whole(bodies[entry.id] ?? "", .inserted), title: entry.part.title, path: entry.part.path)
        }
        // Each moved section's earlier text, deleted, after the section it followed in the earlier draft.
        for (position, part) in earlier.enumerated() where moved.contains(earlierIDs[position]) {
            var after: Int?
            for previous in earlierIDs[..<position].reversed() where !moved.contains(previous) {
                if let found = parts.lastIndex(where: { $0.id == previous }) { after = found; break }
            }
            parts.insert(("\u{0}" + part.id, Part(typeset: whole(part.body, .deleted), title: part.title, path: part.path)), at: after.map { $0 + 1 } ?? 0)
        }
        return parts.map(\.part)
    }

    /// The ids of `later` off a longest common subsequence of the two orders (the sections that
    /// changed their place).
    static func offOrder(_ earlier: [String], _ later: [String]) -> Set<String> {
        let n = earlier.count, m = later.count
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = earlier[i] == later[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var kept = Set<String>()
        var i = 0, j = 0
        while i < n && j < m {
            if earlier[i] == later[j] {
                kept.insert(later[j])
                i += 1
                j += 1
            } else if lengths[i + 1][j] >= lengths[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return Set(later).subtracting(kept)
    }

    /// Markdown typeset, every piece of it inserted or deleted.
    static func whole(_ markdown: String, _ change: TypesetSection.Change) -> TypesetSection {
        var typeset = TypesetSection.of(markdown: markdown)
        for index in typeset.pieces.indices { typeset.pieces[index].change = change }
        return typeset
    }

    /// The .docx file's bytes; with `contents`, a table of contents (a field Word fills in when
    /// the document is opened, from the heading styles) after the title.
    public func file(_ parts: [Part], contents: Bool = false) -> Data {
        var body = WordBody(commits: commits, fallbackAuthor: fallbackAuthor, fallbackDate: fallbackDate)
        body.addressed = addressed
        body.files = images
        body.wordFootnotes = wordFootnotes
        body.paragraph(style: "Title", text: title)
        for line in subtitle { body.paragraph(style: "Subtitle", text: line) }
        if contents { body.contents() }
        for part in parts { body.section(part) }
        return package(body, landscape: false)
    }

    /// A document of the title page and then `xml`, WordprocessingML made by the caller (the
    /// comment matrix's tables), on landscape pages when `landscape`.
    func file(bodyXML xml: String, landscape: Bool) -> Data {
        var body = WordBody(commits: commits, fallbackAuthor: fallbackAuthor, fallbackDate: fallbackDate)
        body.paragraph(style: "Title", text: title)
        for line in subtitle { body.paragraph(style: "Subtitle", text: line) }
        body.append(xml)
        return package(body, landscape: landscape)
    }

    /// The .docx package of a body.
    private func package(_ body: WordBody, landscape: Bool) -> Data {
        let page = landscape ? "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>" : "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
        let document = WordXML.header + "<w:document \(WordXML.namespaces)><w:body>" + body.xml
            + "<w:sectPr>\(page)<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>"
            + "</w:body></w:document>"
        var archive = ZipArchive()
        // The core properties first and stored as they are: they say stet wrote the file.
        archive.add("docProps/core.xml", Array(WordXML.core(title: title).utf8), compressed: false)
        let files: [(String, String)] = [
            ("[Content_Types].xml", WordXML.contentTypes(images: body.images.images)),
            ("_rels/.rels", WordXML.packageRelationships),
            ("word/_rels/document.xml.rels", WordXML.documentRelationships(images: body.images.images)),
            ("word/document.xml", document),
            ("word/styles.xml", styles ?? WordXML.styles),
            ("word/numbering.xml", body.numberingXML),
            ("word/comments.xml", body.commentsXML),
            ("word/footnotes.xml", body.footnotesXML),
            ("word/settings.xml", WordXML.settings(tracking: !wordFootnotes)),
        ]
        for (path, text) in files { archive.add(path, Array(text.utf8)) }
        for image in body.images.images { archive.add("word/" + image.path, image.bytes, compressed: false) }
        return Data(archive.data)
    }
}

/// The body of the document, built piece by piece: paragraphs, tables, lists, runs, changes and
/// comments.
struct WordBody {
    let commits: [SourceCommit]
    let fallbackAuthor: String
    let fallbackDate: String
    var addressed: [String: HTMLComparison.AddressedComment] = [:]
    private(set) var xml = ""
    /// Every `w:id` of a change or comment comes from here.
    private var nextID = 1
    private var comments: [String] = []
    /// Numbering instances: (abstract list, start), one per list.
    private var lists: [(ordered: Bool, start: Int)] = []
    private var listIDs: [Int: Int] = [:]
    /// The commits' dates as Word wants them (UTC), by commit.
    private var dates: [Int: String] = [:]
    /// Image files by path, and the images embedded.
    var files: [String: [UInt8]] = [:]
    var images = WordImages()
    /// Whether footnotes are Word footnotes; their ids by (section, number) and their paragraphs.
    var wordFootnotes = false
    private var sections = 0
    private var footnoteIDs: [String: Int] = [:]
    private var footnotes: [(id: Int, xml: String)] = []

    mutating func footnoteID(section: Int, number: Int) -> Int {
        let key = "\(section) \(number)"
        if let known = footnoteIDs[key] { return known }
        let id = nextID
        nextID += 1
        footnoteIDs[key] = id
        footnotes.append((id, ""))
        return id
    }

    var footnotesXML: String {
        WordXML.header + "<w:footnotes \(WordXML.namespaces)>"
            + "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
            + "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
            + footnotes.map { "<w:footnote w:id=\"\($0.id)\">" + ($0.xml.isEmpty ? "<w:p/>" : $0.xml) + "</w:footnote>" }.joined()
            + "</w:footnotes>"
    }

    init(commits: [SourceCommit], fallbackAuthor: String, fallbackDate: String) {
        self.commits = commits
        self.fallbackAuthor = fallbackAuthor
        self.fallbackDate = fallbackDate
        // `2024-11-05T10:00:00+01:00` as `2024-11-05T09:00:00Z`.
        let parser = ISO8601DateFormatter(), formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for (index, commit) in commits.enumerated() {
            dates[index] = parser.date(from: commit.date).map { formatter.string(from: $0) } ?? fallbackDate
        }
    }

    /// A table of contents field, marked dirty so that Word fills it in on opening.
    mutating func contents() {
        xml += "<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>"
            + "<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r><w:t>Update the field to list the sections.</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
            + "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
    }

    /// WordprocessingML made elsewhere, as it is.
    mutating func append(_ made: String) { xml += made }

    mutating func paragraph(style: String, text: String) {
        xml += "<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/></w:pPr><w:r>" + WordXML.text(text) + "</w:r></w:p>"
    }

    // MARK: A section

    /// What the paragraph being built holds.
    private struct Paragraph {
        var holder: Int
        var properties: String
        /// For a paragraph of a Word footnote: its id.
        var footnote: Int?
        var runs = ""
        var inserted = 0, deleted = 0, kept = 0
        var sources: [Int] = []
    }

    private struct Table {
        var id: Int
        var rows: [String] = []
        var columns = 0
        var row: (id: Int, cells: [String], inserted: Int, deleted: Int, kept: Int, source: Int?)?
        var cell: (id: Int, xml: String)?
    }

    mutating func section(_ part: WordDocument.Part) {
        sections += 1
        let sectionNumber = sections
        var paragraph: Paragraph?
        var table: Table?
        var block = -1
        var commented = Set<String>()
        var openComments: [Int] = []

        var run: (key: RunKey, text: String)?
        func flushRun(_ body: inout WordBody) {
            guard let current = run, paragraph != nil else { return }
            run = nil
            let xml = "<w:r>" + current.key.properties + WordXML.runText(current.text, deleted: current.key.change == "del") + "</w:r>"
            switch current.key.change {
            case let kind?: paragraph!.runs += body.changeTag(kind, source: current.key.source) + xml + "</w:\(kind)>"
            case nil: paragraph!.runs += xml
            }
        }
        func finishParagraph(_ body: inout WordBody) {
            flushRun(&body)
            guard var current = paragraph else { return }
            for comment in openComments {
                current.runs += "<w:commentRangeEnd w:id=\"\(comment)\"/><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:commentReference w:id=\"\(comment)\"/></w:r>"
            }
            openComments = []
            // A paragraph all inserted or all deleted has its mark tracked too, so that
            // rejecting (or accepting) it leaves no empty paragraph behind.
            var mark = ""
            if current.kept == 0, current.inserted > 0 || current.deleted > 0 {
                let source = current.sources.first
                mark = "<w:rPr>" + body.changeTag(current.deleted > 0 && current.inserted == 0 ? "del" : "ins", source: source, empty: true) + "</w:rPr>"
            }
            let xml = "<w:p><w:pPr>" + current.properties + mark + "</w:pPr>" + current.runs + "</w:p>"
            if let footnote = current.footnote, let index = body.footnotes.firstIndex(where: { $0.id == footnote }) {
                // A footnote's first paragraph starts with its number.
                let number = body.footnotes[index].xml.isEmpty
                    ? "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>" : ""
                body.footnotes[index].xml += "<w:p><w:pPr>" + current.properties + "</w:pPr>" + number + current.runs + "</w:p>"
                paragraph = nil
                return
            }
            if table?.cell != nil { table!.cell!.xml += xml } else { body.xml += xml }
            if table?.row != nil {
                table!.row!.inserted += current.inserted
                table!.row!.deleted += current.deleted
                table!.row!.kept += current.kept
                table!.row!.source = table!.row!.source ?? current.sources.first
            }
            paragraph = nil
        }
        func finishCell() {
            guard let cell = table?.cell else { return }
            let content = cell.xml.isEmpty ? "<w:p/>" : cell.xml
            table!.row!.cells.append("<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>" + content + "</w:tc>")
            table!.cell = nil
        }
        func finishRow(_ body: inout WordBody) {
            finishCell()
            guard let row = table?.row else { return }
            var properties = ""
            if row.kept == 0, row.inserted > 0 || row.deleted > 0 {
                properties = "<w:trPr>" + body.changeTag(row.inserted > 0 ? "ins" : "del", source: row.source, empty: true) + "</w:trPr>"
            }
            table!.columns = max(table!.columns, row.cells.count)
            table!.rows.append("<w:tr>" + properties + row.cells.joined() + "</w:tr>")
            table!.row = nil
        }
        func finishTable(_ body: inout WordBody) {
            finishRow(&body)
            guard let current = table else { return }
            let grid = String(repeating: "<w:gridCol/>", count: max(current.columns, 1))
            body.xml += "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>"
                + grid + "</w:tblGrid>" + current.rows.joined() + "</w:tbl>"
            table = nil
        }

        for piece in part.typeset.pieces {
            // Words deleted on the way of a block moved here are in neither draft at this place.
            if piece.move == .here && piece.change == .deleted { continue }
            let holder = piece.frames.last { !$0.element.isInline }?.id ?? -1
            if holder != paragraph?.holder || piece.block != block { finishParagraph(&self) }
            let tableFrame = piece.frames.first { $0.element == .table }
            let rowFrame = piece.frames.first { $0.element == .row }
            let cellFrame = piece.frames.first { if case .cell = $0.element { true } else { false } }
            if tableFrame?.id != table?.id { finishTable(&self) }
            if let tableFrame, table == nil { table = Table(id: tableFrame.id) }
            if rowFrame?.id != table?.row?.id { finishRow(&self) }
            if let rowFrame, table != nil, table?.row == nil { table!.row = (rowFrame.id, [], 0, 0, 0, nil) }
            if cellFrame?.id != table?.cell?.id { finishCell() }
            if let cellFrame, table?.row != nil, table?.cell == nil { table!.cell = (cellFrame.id, "") }
            if paragraph == nil {
                var footnote: Int?
                if wordFootnotes, case .footnote(let number)? = piece.frames.first(where: { if case .footnote = $0.element { true } else { false } })?.element {
                    footnote = footnoteID(section: sectionNumber, number: number)
                }
                paragraph = Paragraph(holder: holder, properties: footnote == nil ? paragraphProperties(piece.frames) : "<w:pStyle w:val=\"FootnoteText\"/>",
                                      footnote: footnote)
            }
            // A reference to a Word footnote: Word numbers it.
            if wordFootnotes, case .footnoteReference(let number)? = piece.frames.last?.element {
                flushRun(&self)
                let id = footnoteID(section: sectionNumber, number: number)
                paragraph!.runs += "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"\(id)\"/></w:r>"
                paragraph!.kept += 1
                block = piece.block
                continue
            }
            block = piece.block
            let change: String? = switch (piece.change, piece.move) {
            case (.inserted, _), (_, .here): "ins"
            case (.deleted, _): "del"
            default: nil
            }
            let sources = piece.move == .here && piece.change == .none ? part.movers[piece.block] ?? [] : piece.sources
            let source = sources.first
            // One comment for each commit's changes in a block, on its first change there.
            if change != nil {
                for commit in sources where commented.insert("\(piece.block) \(commit)").inserted {
                    flushRun(&self)
                    let id = comment(commit, move: part.moves[piece.block])
                    paragraph!.runs += "<w:commentRangeStart w:id=\"\(id)\"/>"
                    openComments.append(id)
                }
                if sources.isEmpty, let move = part.moves[piece.block], commented.insert("\(piece.block) move").inserted {
                    flushRun(&self)
                    let id = comment(nil, move: move)
                    paragraph!.runs += "<w:commentRangeStart w:id=\"\(id)\"/>"
                    openComments.append(id)
                }
            }
            // An image of the repository is drawn in its own run; others show as their description.
            if case .image(let url, _)? = piece.frames.last?.element,
               let target = DraftDocument.target(of: url, from: part.path), let bytes = files[target]
            {
                flushRun(&self)
                let id = nextID
                nextID += 1
                if let drawing = images.drawing(path: target, bytes: bytes, description: piece.text, id: id) {
                    let xml = "<w:r>" + drawing + "</w:r>"
                    switch change {
                    case let kind?:
                        paragraph!.runs += changeTag(kind, source: source) + xml + "</w:\(kind)>"
                        if kind == "ins" { paragraph!.inserted += 1 } else { paragraph!.deleted += 1 }
                    case nil:
                        paragraph!.runs += xml
                        paragraph!.kept += 1
                    }
                    continue
                }
            }
            // Pieces of one change, commit and formatting are one run.
            let key = RunKey(change: change, source: source, properties: runProperties(piece.frames))
            if key != run?.key { flushRun(&self) }
            if run == nil { run = (key, "") }
            run!.text += piece.space + piece.text
            switch change {
            case "ins"?: paragraph!.inserted += 1
            case "del"?: paragraph!.deleted += 1
            default: paragraph!.kept += 1
            }
            if change != nil, let source, !paragraph!.sources.contains(source) { paragraph!.sources.append(source) }
        }
        finishParagraph(&self)
        finishTable(&self)
    }

    /// What makes pieces one run.
    struct RunKey: Equatable {
        var change: String?
        var source: Int?
        var properties: String
    }

    /// The opening of a tracked change (or, `empty`, the whole mark of a paragraph or row).
    mutating func changeTag(_ kind: String, source: Int?, empty: Bool = false) -> String {
        let id = nextID
        nextID += 1
        let author = source.map { commits[$0].author } ?? fallbackAuthor
        let date = source.flatMap { dates[$0] } ?? fallbackDate
        return "<w:\(kind) w:id=\"\(id)\" w:author=\"\(WordXML.escape(author))\" w:date=\"\(date)\"" + (empty ? "/>" : ">")
    }

    /// A comment: the commit's summary, message and trailers, and what a move says; its id.
    mutating func comment(_ commit: Int?, move: String?) -> Int {
        let id = nextID
        nextID += 1
        var paragraphs: [String] = []
        if let move { paragraphs.append(move) }
        var author = fallbackAuthor, date = fallbackDate
        if let commit {
            let source = commits[commit]
            author = source.author
            date = dates[commit] ?? fallbackDate
            paragraphs.append("\(source.shortID) \(source.day): \(source.summary)")
            let body = source.message.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !body.isEmpty { paragraphs += body.components(separatedBy: "\n\n") }
            for trailer in source.trailers where !body.contains("\(trailer.key): \(trailer.value)") {
                paragraphs.append("\(trailer.key): \(trailer.value)")
            }
            // The consultation comments it answers, as their rounds hold them.
            for trailer in source.trailers where trailer.key.lowercased() == "addresses" {
                for id in HTMLComparison.addressed(trailer.value) {
                    guard let comment = addressed[id] else { continue }
                    paragraphs.append("\(id), \(comment.commenter) (\(comment.status)): “\(comment.text.prefix(300))”"
                        + (comment.response.isEmpty ? "" : " Response: \(comment.response)"))
                }
            }
        }
        let initials = String(author.split(separator: " ").compactMap(\.first).prefix(3))
        comments.append("<w:comment w:id=\"\(id)\" w:author=\"\(WordXML.escape(author))\" w:date=\"\(date)\" w:initials=\"\(WordXML.escape(initials))\">"
            + paragraphs.map { "<w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr><w:r>" + WordXML.runText($0, deleted: false) + "</w:r></w:p>" }.joined()
            + "</w:comment>")
        return id
    }

    /// A paragraph's style and list from the elements it sits in.
    mutating func paragraphProperties(_ frames: [TypesetSection.Frame]) -> String {
        var style = "BodyText", alignment = "", numbering = ""
        var depth = 0
        for frame in frames {
            switch frame.element {
            case .heading(let level): style = "Heading\(min(level, 6))"
            case .quote: style = "Quote"
            case .codeBlock: style = "SourceCode"
            case .cell(let header, let align):
                style = header ? "TableHeading" : "TableContents"
                switch align {
                case .center: alignment = "<w:jc w:val=\"center\"/>"
                case .right: alignment = "<w:jc w:val=\"right\"/>"
                default: break
                }
            case .list(let ordered, let start, _):
                depth += 1
                numbering = "<w:numPr><w:ilvl w:val=\"\(min(depth - 1, 8))\"/><w:numId w:val=\"\(listID(frame.id, ordered: ordered, start: start))\"/></w:numPr>"
                style = "ListParagraph"
            case .footnotes:
                depth += 1
                numbering = "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"\(listID(frame.id, ordered: true, start: 1))\"/></w:numPr>"
                style = "FootnoteText"
            case .thematicBreak:
                style = "HorizontalLine"
            default: break
            }
        }
        return "<w:pStyle w:val=\"\(style)\"/>" + numbering + alignment
    }

    mutating func listID(_ frame: Int, ordered: Bool, start: Int) -> Int {
        if let known = listIDs[frame] { return known }
        lists.append((ordered, start))
        listIDs[frame] = lists.count
        return lists.count
    }

    /// A run's properties from the inline elements it sits in.
    func runProperties(_ frames: [TypesetSection.Frame]) -> String {
        var properties = ""
        for frame in frames {
            switch frame.element {
            case .strong: properties += "<w:b/>"
            case .emphasis: properties += "<w:i/>"
            case .strikethrough: properties += "<w:strike/>"
            case .code: properties = "<w:rStyle w:val=\"VerbatimChar\"/>" + properties
            case .link: properties = "<w:rStyle w:val=\"Hyperlink\"/>" + properties
            case .footnoteReference: properties += "<w:vertAlign w:val=\"superscript\"/>"
            default: break
            }
        }
        return properties.isEmpty ? "" : "<w:rPr>" + properties + "</w:rPr>"
    }

    var commentsXML: String {
        WordXML.header + "<w:comments \(WordXML.namespaces)>" + comments.joined() + "</w:comments>"
    }

    var numberingXML: String {
        var xml = WordXML.header + "<w:numbering \(WordXML.namespaces)>"
        for (abstract, ordered) in [(1, false), (2, true)] {
            xml += "<w:abstractNum w:abstractNumId=\"\(abstract)\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
            for level in 0..<9 {
                let text = ordered ? "%\(level + 1)." : ["•", "◦", "▪"][level % 3]
                xml += "<w:lvl w:ilvl=\"\(level)\"><w:start w:val=\"1\"/><w:numFmt w:val=\"\(ordered ? "decimal" : "bullet")\"/>"
                    + "<w:lvlText w:val=\"\(text)\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"\(720 * (level + 1))\" w:hanging=\"360\"/></w:pPr></w:lvl>"
            }
            xml += "</w:abstractNum>"
        }
        for (index, list) in lists.enumerated() {
            xml += "<w:num w:numId=\"\(index + 1)\"><w:abstractNumId w:val=\"\(list.ordered ? 2 : 1)\"/>"
            if list.ordered {
                xml += "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"\(max(list.start, 0))\"/></w:lvlOverride>"
            }
            xml += "</w:num>"
        }
        return xml + "</w:numbering>"
    }
}
