import Foundation
import ProseDiff

/// Which column of a form's export holds which field of a comment: by the column's name, as the
/// common forms and the ISO commenting template name them, or as `--map` says.
struct CommentColumns {
    enum Field: String, CaseIterable {
        case id, name, firstName = "first-name", lastName = "last-name", organisation, group, country, email
        case section, quote, type, comment, proposal, status, response
    }

    /// Column names (lower case, letters and digits only) each field is recognised by.
    static let names: [Field: [String]] = [
        .id: ["id", "commentid", "commentno", "commentnumber", "commentref"],
        .name: ["name", "fullname", "yourname", "commenter", "commentername", "respondent", "reviewer", "submittedby", "author"],
        .firstName: ["firstname", "givenname"],
        .lastName: ["lastname", "surname", "familyname"],
        .organisation: ["organisation", "organization", "yourorganisation", "yourorganization", "institution", "affiliation",
                        "entity", "agency", "mbnc", "memberbody"],
        .group: ["stakeholdergroup", "stakeholder", "stakeholdercategory", "stakeholdertype", "group", "sector", "constituency"],
        .country: ["country", "countryterritory", "countryorterritory", "memberstate"],
        .email: ["email", "emailaddress", "mail"],
        .section: ["section", "chapter", "clause", "clausesubclause", "sectionnumber", "sectiontitle", "part"],
        .quote: ["quote", "quotedtext", "quotation", "passage", "text", "excerpt", "selectedtext", "textcommentedon",
                 "originaltext", "currenttext", "existingtext"],
        .type: ["type", "typeofcomment", "commenttype", "kind"],
        .comment: ["comment", "comments", "yourcomment", "feedback", "observation", "remarks"],
        .proposal: ["proposedchange", "proposedchanges", "suggestedchange", "proposal", "proposedtext", "suggestedtext",
                    "suggestion", "recommendation", "proposedrevision"],
        .status: ["status", "decision", "disposition"],
        .response: ["response", "observationsofthesecretariat", "secretariatresponse", "reply", "responsetocomment",
                    "secretariatobservations"],
    ]

    static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            .map(Character.init))
    }

    /// Column index of each field found.
    private(set) var columns: [Field: Int] = [:]

    init(header: [String], mappings: [(column: String, field: String)], path: String, needs: [Field] = []) throws(StetError) {
        for (index, name) in header.enumerated() {
            let key = Self.key(name)
            guard let field = Field.allCases.first(where: { Self.names[$0]!.contains(key) }), columns[field] == nil else { continue }
            columns[field] = index
        }
        for (column, fieldName) in mappings {
            guard let field = Field(rawValue: fieldName.lowercased()) ?? Field.allCases.first(where: { Self.key($0.rawValue) == Self.key(fieldName) }) else {
                throw StetError(.usage, "--map \"\(column)=\(fieldName)\": unknown field '\(fieldName)'; fields are "
                    + Field.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let index = header.firstIndex(where: { $0 == column }) ?? header.firstIndex(where: { Self.key($0) == Self.key(column) }) else {
                throw StetError(.usage, "--map \"\(column)=\(fieldName)\": \(path) has no column '\(column)'; its columns are "
                    + header.map { "'\($0)'" }.joined(separator: ", "))
            }
            for (other, otherIndex) in columns where otherIndex == index { columns[other] = nil }
            columns[field] = index
        }
        if !needs.isEmpty {
            for field in needs where columns[field] == nil {
                throw StetError(.invalidContent, "\(path): no column holds the comments' \(field.rawValue) (its columns are "
                    + header.map { "'\($0)'" }.joined(separator: ", ") + ")")
            }
            return
        }
        guard columns[.comment] != nil || columns[.proposal] != nil else {
            throw StetError(.invalidContent, "\(path): no column holds the comments (its columns are "
                + header.map { "'\($0)'" }.joined(separator: ", ") + "); name it with --map \"COLUMN=comment\"")
        }
    }

    /// The fields of one row.
    func fields(of cells: [String]) -> [Field: String] {
        var fields: [Field: String] = [:]
        for (field, index) in columns where index < cells.count { fields[field] = cells[index] }
        return fields
    }
}

/// Places comments in a draft: the section a row names (a number, a title, "Section 4", an id,
/// or none), and the passage it quotes found in that section's source (or in the whole draft
/// when no section is named). A passage found nowhere, or found twice, is not anchored, and
/// `anchorNote` says why.
final class QuoteAnchors {
    private let draft: Draft
    private var words: [[QuoteFinder.Word]?]
    /// Every section's words by key: (section, position), built when a quote names no section.
    private var index: [String: [(Int32, Int32)]]?

    init(draft: Draft) {
        self.draft = draft
        words = Array(repeating: nil, count: draft.sections.count)
    }

    /// A section's words, after its front matter.
    private func words(_ section: Int) -> [QuoteFinder.Word] {
        if let cached = words[section] { return cached }
        let body = draft.sections[section].bodyOffset
        let made = QuoteFinder.words(of: draft.sections[section].text).filter { $0.range.lowerBound >= body }
        words[section] = made
        return made
    }

    /// Sections by their title's key (`titleKey`), built on first use.
    private lazy var titles: [String: [Int]] = {
        var titles: [String: [Int]] = [:]
        for (index, section) in draft.sections.enumerated() { titles[Self.titleKey(section.title), default: []].append(index) }
        return titles
    }()

    /// Sections by the keys of the headings inside them ("Participation" in the guiding
    /// principles), built on first use.
    private lazy var headings: [String: [Int]] = {
        var headings: [String: [Int]] = [:]
        for (index, section) in draft.sections.enumerated() {
            for line in section.body.split(separator: "\n") where line.hasPrefix("#") {
                let text = line.drop { $0 == "#" }
                guard text.first == " " || text.first == "\t" else { continue }
                let key = Self.titleKey(String(text))
                if !key.isEmpty, headings[key]?.last != index { headings[key, default: []].append(index) }
            }
        }
        return headings
    }()

    /// The sections a row's reference names: none for none ("General", empty) or an unknown
    /// one (with a note), several when sections share the title it names.
    func sections(_ reference: String) -> ([Int], note: String) {
        var text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        if text.isEmpty || ["general", "all", "n/a", "na", "-", "none", "whole document", "overall"].contains(lower) { return ([], "") }
        let sections = draft.sections
        if let exact = sections.firstIndex(where: { $0.id == text || $0.relativePath == text || $0.path == text }) { return ([exact], "") }
        for prefix in ["section", "sec.", "sec", "chapter", "clause", "§"] where lower.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        let digits = text.prefix(while: \.isNumber)
        if !digits.isEmpty, let number = Int(digits), text.dropFirst(digits.count).first.map({ !$0.isLetter }) ?? true {
            if (1...sections.count).contains(number) { return ([number - 1], "") }
            return ([], "the draft has no section \(number)")
        }
        let key = Self.titleKey(text)
        if let titled = titles[key] ?? headings[key] {
            return (titled, titled.count > 1 ? "\(titled.count) sections are titled '\(reference.prefix(60))'" : "")
        }
        return ([], "no section of \(draft.revision ?? "the draft") is named '\(reference.prefix(60))'")
    }

    /// A title without its numbering, case and punctuation.
    static func titleKey(_ title: String) -> String {
        let words = QuoteFinder.words(of: title).map(\.key)
        return words.drop { $0.allSatisfy(\.isNumber) }.joined(separator: " ")
    }

    /// Sets the comment's section and anchor from `reference` and its quote.
    func place(_ comment: inout Comment, reference: String) {
        let (named, note) = sections(reference)
        comment.anchorNote = note
        comment.section = named.count == 1 ? draft.sections[named[0]].id : nil
        comment.anchor = nil
        guard !QuoteFinder.words(of: comment.quote).isEmpty else { return }
        let revision = draft.revision ?? "the draft"
        if !named.isEmpty {
            // In the section named (or in the one of those sharing its title that has it).
            let found = named.flatMap { section in QuoteFinder.find(comment.quote, in: words(section)).map { (section, $0) } }
            if found.count == 1 {
                comment.section = draft.sections[found[0].0].id
                comment.anchor = anchor(found[0].0, found[0].1)
                comment.anchorNote = ""
            } else if named.count == 1 {
                comment.anchorNote = found.isEmpty
                    ? "the passage is not in section \(draft.sections[named[0]].id) at \(revision)"
                    : "the passage appears \(found.count) times in section \(draft.sections[named[0]].id)"
            } else {
                comment.anchorNote = note + (found.isEmpty ? ", and none has the passage" : ", and the passage is in \(found.count) places")
            }
            return
        }
        let found = everywhere(comment.quote)
        if found.count == 1 {
            comment.section = draft.sections[found[0].0].id
            comment.anchor = anchor(found[0].0, found[0].1)
            if !note.isEmpty { comment.anchorNote = note }
        } else if found.isEmpty {
            comment.anchorNote = note.isEmpty ? "the passage is not in the draft at \(revision)" : note
        } else {
            let places = Set(found.map { draft.sections[$0.0].id }).sorted()
            comment.anchorNote = "the passage appears \(found.count) times (in \(places.prefix(5).joined(separator: ", ")))"
        }
    }

    private func anchor(_ section: Int, _ range: Range<Int>) -> Comment.Anchor {
        let bytes = Array(draft.sections[section].text.utf8)
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var before = max(0, range.lowerBound - 32), after = min(bytes.count, range.upperBound + 32)
        while before > 0, bytes[before] & 0xC0 == 0x80 { before -= 1 }
        while after < bytes.count, bytes[after] & 0xC0 == 0x80 { after += 1 }
        return Comment.Anchor(exact: text(range), prefix: text(before..<range.lowerBound), suffix: text(range.upperBound..<after),
                              start: range.lowerBound, end: range.upperBound)
    }

    /// Every place in the draft the quote stands: the rarest of its words is looked up in an
    /// index of all sections' words, and the quote checked around each of its places.
    private func everywhere(_ quote: String) -> [(Int, Range<Int>)] {
        let wanted = QuoteFinder.words(of: quote).map(\.key)
        if index == nil {
            var built: [String: [(Int32, Int32)]] = [:]
            for section in draft.sections.indices {
                for (position, word) in words(section).enumerated() { built[word.key, default: []].append((Int32(section), Int32(position))) }
            }
            index = built
        }
        guard let index else { return [] }
        var pivot = 0
        for (offset, word) in wanted.enumerated() where (index[word]?.count ?? 0) < (index[wanted[pivot]]?.count ?? 0) { pivot = offset }
        var found: [(Int, Range<Int>)] = []
        for (section, position) in index[wanted[pivot]] ?? [] {
            let start = Int(position) - pivot
            let list = words(Int(section))
            guard start >= 0, start + wanted.count <= list.count else { continue }
            if (0..<wanted.count).allSatisfy({ list[start + $0].key == wanted[$0] }) {
                found.append((Int(section), list[start].range.lowerBound..<list[start + wanted.count - 1].range.upperBound))
            }
        }
        return found
    }
}
