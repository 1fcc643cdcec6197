import Foundation

/// A round's comments as a text file: GNU recutils records, one comment per record, records
/// separated by a blank line, `Field: value` lines, a value's further lines continued by `+ `.
/// One comment's change touches only that record's lines, so git diffs and merges per comment,
/// and `recsel` reads the file.
enum CommentRecords {
    /// Field names, in the order they are written.
    private enum Field: String, CaseIterable {
        case id = "Id", round = "Round", row = "Row", source = "Source"
        case name = "Name", organisation = "Organisation", group = "Group", country = "Country", email = "Email"
        case draft = "Draft", commit = "Commit", section = "Section"
        case quote = "Quote", exact = "Exact", prefix = "Prefix", suffix = "Suffix", start = "Start", end = "End"
        case anchorNote = "AnchorNote"
        case type = "Type", comment = "Comment", proposal = "Proposal"
        case status = "Status", response = "Response", answeredBy = "AnsweredBy", answeredAt = "AnsweredAt"
        case duplicateOf = "DuplicateOf"
    }

    static let header = """
        # Comments of one round, kept by stet: one record per comment, in GNU recutils format.
        # Edit dispositions with `stet comments respond`; see docs/comments.md.
        %rec: Comment
        %key: Id

        """

    /// The file's text.
    static func text(_ comments: [Comment]) -> String {
        var text = header
        for comment in comments {
            text += "\n"
            func put(_ field: Field, _ value: String) {
                let value = clean(value)
                guard !value.isEmpty else { return }
                let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
                text += field.rawValue + ": " + lines[0] + "\n"
                for line in lines.dropFirst() { text += line.isEmpty ? "+\n" : "+ " + line + "\n" }
            }
            put(.id, comment.id)
            put(.round, comment.round)
            put(.row, comment.row.map(String.init) ?? "")
            put(.source, comment.source)
            put(.name, comment.commenter.name)
            put(.organisation, comment.commenter.organisation)
            put(.group, comment.commenter.group)
            put(.country, comment.commenter.country)
            put(.email, comment.commenter.email)
            put(.draft, comment.draft)
            put(.commit, comment.commit)
            put(.section, comment.section ?? "")
            put(.quote, comment.quote)
            if let anchor = comment.anchor {
                put(.exact, anchor.exact)
                put(.prefix, anchor.prefix)
                put(.suffix, anchor.suffix)
                put(.start, String(anchor.start))
                put(.end, String(anchor.end))
            }
            put(.anchorNote, comment.anchorNote)
            put(.type, comment.kind?.rawValue ?? "")
            put(.comment, comment.text)
            put(.proposal, comment.proposal)
            put(.status, comment.status.rawValue)
            put(.response, comment.response)
            put(.answeredBy, comment.answeredBy)
            put(.answeredAt, comment.answeredAt)
            put(.duplicateOf, comment.duplicateOf ?? "")
        }
        return text
    }

    /// Text without carriage returns and control characters other than line breaks and tabs.
    static func clean(_ value: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in value.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar.value {
            case 0x0D: scalars.append("\n")
            case 0x0A: if !previousCR { scalars.append(scalar) }
            case 0x09: scalars.append(scalar)
            case 0x00...0x1F, 0x7F, 0x80...0x9F, 0x2028, 0x2029: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Reads a round's file; `path` names it in errors, with the line.
    static func parse(_ text: String, path: String) throws(StetError) -> [Comment] {
        var comments: [Comment] = []
        var fields: [(Field, String, Int)] = []
        var ids = Set<String>()
        func finish() throws(StetError) {
            defer { fields = [] }
            guard let first = fields.first else { return }
            guard first.0 == .id else {
                throw StetError(.invalidContent, "\(path):\(first.2): a comment's record must start with 'Id:'")
            }
            var comment = Comment(id: first.1, round: "")
            var anchor = Comment.Anchor(exact: "", prefix: "", suffix: "", start: -1, end: -1)
            for (field, value, line) in fields {
                func number() throws(StetError) -> Int {
                    guard let number = Int(value), number >= 0 else {
                        throw StetError(.invalidContent, "\(path):\(line): '\(field.rawValue)' must be a number, not '\(value)'")
                    }
                    return number
                }
                switch field {
                case .id: comment.id = value
                case .round: comment.round = value
                case .row: comment.row = try number()
                case .source: comment.source = value
                case .name: comment.commenter.name = value
                case .organisation: comment.commenter.organisation = value
                case .group: comment.commenter.group = value
                case .country: comment.commenter.country = value
                case .email: comment.commenter.email = value
                case .draft: comment.draft = value
                case .commit: comment.commit = value
                case .section: comment.section = value
                case .quote: comment.quote = value
                case .exact: anchor.exact = value
                case .prefix: anchor.prefix = value
                case .suffix: anchor.suffix = value
                case .start: anchor.start = try number()
                case .end: anchor.end = try number()
                case .anchorNote: comment.anchorNote = value
                case .type:
                    guard let kind = Comment.Kind(rawValue: value) else {
                        throw StetError(.invalidContent, "\(path):\(line): unknown type '\(value)'; use general, technical or editorial")
                    }
                    comment.kind = kind
                case .comment: comment.text = value
                case .proposal: comment.proposal = value
                case .status:
                    guard let status = Comment.Status(rawValue: value) else {
                        throw StetError(.invalidContent, "\(path):\(line): unknown status '\(value)'; use "
                            + Comment.Status.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    comment.status = status
                case .response: comment.response = value
                case .answeredBy: comment.answeredBy = value
                case .answeredAt: comment.answeredAt = value
                case .duplicateOf: comment.duplicateOf = value
                }
            }
            if anchor.start >= 0, anchor.end >= anchor.start { comment.anchor = anchor }
            guard CommentID.isValid(comment.id) else {
                throw StetError(.invalidContent, "\(path):\(first.2): '\(comment.id)' is not a comment id")
            }
            guard ids.insert(comment.id).inserted else {
                throw StetError(.invalidContent, "\(path):\(first.2): the id \(comment.id) is given twice")
            }
            comments.append(comment)
        }
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty {
                try finish()
            } else if line.hasPrefix("#") || line.hasPrefix("%") {
                continue
            } else if line.hasPrefix("+") {
                guard !fields.isEmpty else {
                    throw StetError(.invalidContent, "\(path):\(lineNumber): a '+' line continues nothing")
                }
                var rest = line.dropFirst()
                if rest.hasPrefix(" ") { rest = rest.dropFirst() }
                fields[fields.count - 1].1 += "\n" + rest
            } else if let colon = line.firstIndex(of: ":") {
                var value = line[line.index(after: colon)...]
                if value.hasPrefix(" ") { value = value.dropFirst() }
                // Fields of later versions are skipped, not refused.
                guard let field = Field(rawValue: String(line[..<colon])) else { continue }
                fields.append((field, String(value), lineNumber))
            } else {
                throw StetError(.invalidContent, "\(path):\(lineNumber): expected 'Field: value', found '\(line.prefix(40))'")
            }
        }
        try finish()
        return comments
    }

    /// A three-way merge of one round's file by comment: a comment changed on one side only
    /// takes that side's record; nil when one comment changed differently on both.
    static func merge(base: String?, ours: String, theirs: String, path: String) throws(StetError) -> String? {
        let baseList = try base.map { (text) throws(StetError) in try parse(text, path: path) } ?? []
        let ourList = try parse(ours, path: path), theirList = try parse(theirs, path: path)
        let baseByID = Dictionary(baseList.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let theirByID = Dictionary(theirList.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var merged: [Comment] = []
        var seen = Set<String>()
        for ours in ourList {
            seen.insert(ours.id)
            let original = baseByID[ours.id]
            guard let theirs = theirByID[ours.id] else {
                // Deleted there: kept if changed here.
                if original == nil || original != ours { merged.append(ours) }
                continue
            }
            if ours == theirs || theirs == original { merged.append(ours) }
            else if ours == original { merged.append(theirs) }
            else { return nil }
        }
        for theirs in theirList where !seen.contains(theirs.id) {
            let original = baseByID[theirs.id]
            if original == nil || original != theirs { merged.append(theirs) }
        }
        return text(merged)
    }
}
