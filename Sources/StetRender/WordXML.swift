import Foundation

/// The fixed parts of a .docx package, and text as WordprocessingML holds it.
enum WordXML {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static let namespaces = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
        + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
        + "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""

    /// Text escaped for XML: the markup characters as entities, and the characters XML 1.0
    /// cannot hold (controls other than tab and line ends, U+FFFE, U+FFFF) as U+FFFD.
    static func escape(_ text: String) -> String {
        // Most text needs nothing done: no markup character, no control.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") || $0 == 0xEF })
        {
            return text
        }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A run's text: `w:t` (`w:delText` in a deletion), with line breaks as `w:br` and tabs as
    /// `w:tab`, spaces kept.
    static func runText(_ text: String, deleted: Bool) -> String {
        let tag = deleted ? "w:delText" : "w:t"
        var xml = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { xml += "<w:br/>" }
            for (position, part) in line.split(separator: "\t", omittingEmptySubsequences: false).enumerated() {
                if position > 0 { xml += "<w:tab/>" }
                if !part.isEmpty { xml += "<\(tag) xml:space=\"preserve\">" + escape(String(part)) + "</\(tag)>" }
            }
        }
        return xml
    }

    static func text(_ text: String) -> String { runText(text, deleted: false) }

    static func contentTypes(images: [WordImages.Image]) -> String {
        var types = contentTypes
        var extensions: [String: String] = [:]
        for image in images { extensions[String(image.path.split(separator: ".").last ?? "")] = image.contentType }
        for (name, type) in extensions.sorted(by: { $0.key < $1.key }) {
            types = types.replacingOccurrences(of: "<Default Extension=\"xml\"", with: "<Default Extension=\"\(name)\" ContentType=\"\(type)\"/><Default Extension=\"xml\"")
        }
        return types
    }

    static func documentRelationships(images: [WordImages.Image]) -> String {
        documentRelationships.replacingOccurrences(of: "</Relationships>", with: images.map {
            "<Relationship Id=\"\($0.relationship)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"\($0.path)\"/>"
        }.joined() + "</Relationships>")
    }

    static let contentTypes = header + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>\
        <Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>\
        <Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>\
        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """

    static let packageRelationships = header + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """

    static let documentRelationships = header + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>\
        <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
        <Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>\
        </Relationships>
        """

    /// With `tracking`, edits made in Word to the file are tracked (for a redline under review).
    static func settings(tracking: Bool) -> String {
        header + "<w:settings \(namespaces)>" + (tracking ? "<w:trackRevisions/>" : "") + "<w:defaultTabStop w:val=\"720\"/>"
            + "<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr></w:settings>"
    }

    static func core(title: String) -> String {
        header + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" + escape(title) + "</dc:title><dc:creator>stet</dc:creator></cp:coreProperties>"
    }

    /// Word's built-in styles by their built-in names (so Word's navigation pane and tables of
    /// contents find the headings), and a few of stet's own.
    static let styles: String = {
        func paragraph(_ id: String, _ name: String, basedOn: String? = "Normal", next: String? = nil, outline: Int? = nil,
                       pPr: String = "", rPr: String = "") -> String
        {
            "<w:style w:type=\"paragraph\" w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/>"
                + (basedOn.map { "<w:basedOn w:val=\"\($0)\"/>" } ?? "") + (next.map { "<w:next w:val=\"\($0)\"/>" } ?? "")
                + "<w:qFormat/><w:pPr>\(pPr)" + (outline.map { "<w:outlineLvl w:val=\"\($0)\"/>" } ?? "") + "</w:pPr><w:rPr>\(rPr)</w:rPr></w:style>"
        }
        var xml = header + "<w:styles \(namespaces)>"
        xml += "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Georgia\" w:hAnsi=\"Georgia\" w:cs=\"Georgia\" w:eastAsia=\"Georgia\"/>"
            + "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>"
            + "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        xml += "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
        xml += paragraph("BodyText", "Body Text")
        xml += paragraph("Title", "Title", next: "Subtitle", pPr: "<w:spacing w:after=\"240\"/>", rPr: "<w:b/><w:sz w:val=\"44\"/>")
        xml += paragraph("Subtitle", "Subtitle", pPr: "<w:spacing w:after=\"60\"/>", rPr: "<w:color w:val=\"555555\"/><w:sz w:val=\"24\"/>")
        let sizes = [36, 30, 26, 24, 22, 22]
        for level in 1...6 {
            xml += paragraph("Heading\(level)", "heading \(level)", next: "BodyText", outline: level - 1,
                             pPr: "<w:keepNext/><w:spacing w:before=\"\(level == 1 ? 360 : 240)\" w:after=\"120\"/>",
                             rPr: "<w:b/><w:sz w:val=\"\(sizes[level - 1])\"/>")
        }
        xml += paragraph("TOCHeading", "TOC Heading", pPr: "<w:spacing w:before=\"240\" w:after=\"120\"/>", rPr: "<w:b/><w:sz w:val=\"28\"/>")
        xml += paragraph("ListParagraph", "List Paragraph", pPr: "<w:spacing w:after=\"60\"/>")
        xml += paragraph("Quote", "Quote", pPr: "<w:ind w:left=\"720\"/>", rPr: "<w:i/><w:color w:val=\"444444\"/>")
        xml += paragraph("SourceCode", "Source Code", pPr: "<w:spacing w:after=\"0\"/><w:shd w:val=\"clear\" w:fill=\"F4F4F4\"/>",
                         rPr: "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/><w:sz w:val=\"19\"/>")
        xml += paragraph("TableContents", "Table Contents", pPr: "<w:spacing w:after=\"0\"/>")
        xml += paragraph("TableHeading", "Table Heading", basedOn: "TableContents", pPr: "<w:spacing w:after=\"0\"/>", rPr: "<w:b/>")
        xml += paragraph("FootnoteText", "footnote text", pPr: "<w:spacing w:after=\"0\"/>", rPr: "<w:sz w:val=\"18\"/>")
        xml += paragraph("HorizontalLine", "Horizontal Line",
                         pPr: "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"999999\"/></w:pBdr>")
        xml += paragraph("CommentText", "annotation text", rPr: "<w:sz w:val=\"20\"/>")
        xml += "<w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>"
        xml += "<w:style w:type=\"character\" w:styleId=\"CommentReference\"><w:name w:val=\"annotation reference\"/><w:rPr><w:sz w:val=\"16\"/></w:rPr></w:style>"
        xml += "<w:style w:type=\"character\" w:styleId=\"VerbatimChar\"><w:name w:val=\"Verbatim Char\"/><w:rPr><w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/></w:rPr></w:style>"
        xml += "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"1B5FC1\"/><w:u w:val=\"single\"/></w:rPr></w:style>"
        xml += "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:tblPr><w:tblBorders>"
            + ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" }.joined()
            + "</w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
        return xml + "</w:styles>"
    }()
}
