public import GitValues

/// A consultation or review comment: who made it, on which draft, about which passage, and what
/// became of it.
public struct Comment: Sendable, Hashable {
    /// What was decided.
    public enum Status: String, Sendable, CaseIterable, Codable {
        case open, accepted, partly, rejected, noted
    }

    /// The ISO commenting template's kinds (ge, te, ed).
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case general, technical, editorial
    }

    /// The person or body that commented.
    public struct Commenter: Sendable, Hashable {
        public var name = ""
        public var organisation = ""
        /// Stakeholder group (government, civil society, academia, private sector, ...).
        public var group = ""
        public var country = ""
        /// Kept only when the round keeps e-mail addresses.
        public var email = ""

        public init(name: String = "", organisation: String = "", group: String = "", country: String = "", email: String = "") {
            self.name = name
            self.organisation = organisation
            self.group = group
            self.country = country
            self.email = email
        }

        /// "Name (Organisation)", or whichever of them is known.
        public var label: String {
            switch (name.isEmpty, organisation.isEmpty) {
            case (false, false): "\(name) (\(organisation))"
            case (false, true): name
            case (true, false): organisation
            case (true, true): "anonymous"
            }
        }
    }

    /// The passage a comment quotes, as the W3C Web Annotation TextQuoteSelector has it, with its
    /// place in the section's file at the draft the comment was made on.
    public struct Anchor: Sendable, Hashable {
        /// The section's source text the quote was found as.
        public var exact: String
        /// A little of the source text before and after it.
        public var prefix: String
        public var suffix: String
        /// UTF-8 offsets of `exact` in the section's file.
        public var start: Int
        public var end: Int

        public init(exact: String, prefix: String, suffix: String, start: Int, end: Int) {
            self.exact = exact
            self.prefix = prefix
            self.suffix = suffix
            self.start = start
            self.end = end
        }
    }

    /// A stable id: a prefix and a number (`OC-0001`).
    public var id: String
    /// The comment's row in the file it was imported from (the header is row 1).
    public var row: Int?
    public var round: String
    public var commenter = Commenter()
    /// The draft it was made on, as named and as the commit it named.
    public var draft = ""
    public var commit = ""
    /// The section's id, when the comment names one (or its quote was found in one).
    public var section: String?
    /// The passage as the commenter quoted it.
    public var quote = ""
    /// Where the quote was found; nil when it was not (see `anchorNote`).
    public var anchor: Anchor?
    /// Why a comment with a quote has no anchor, or names no section.
    public var anchorNote = ""
    public var kind: Kind?
    public var text = ""
    public var proposal = ""
    public var status: Status = .open
    public var response = ""
    /// Who answered, and when (ISO 8601).
    public var answeredBy = ""
    public var answeredAt = ""
    /// The id of an earlier comment of the round this one repeats word for word.
    public var duplicateOf: String?
    /// A digest of the imported row, so that importing the same file again adds nothing.
    public var source = ""

    public init(id: String, round: String) {
        self.id = id
        self.round = round
    }
}

/// An id's prefix and number: `OC-0012` is ("OC-", 12).
struct CommentID {
    var prefix: String
    var number: Int

    init?(_ id: String) {
        let digits = id.reversed().prefix(while: \.isASCII).prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count < 10, let number = Int(String(digits.reversed())) else { return nil }
        prefix = String(id.dropLast(digits.count))
        self.number = number
    }

    /// The number after the highest that `comments` give `prefix` (1 for none).
    static func next(prefix: String, after comments: [Comment]) -> Int {
        (comments.compactMap { CommentID($0.id) }.filter { $0.prefix == prefix }.map(\.number).max() ?? 0) + 1
    }

    /// `prefix` and `number` with at least four digits.
    static func make(prefix: String, number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Letters, digits, '-', '_' and '.', starting with a letter or digit.
    static func isValid(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, id.utf8.count <= 64,
              first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}

extension CommitInfo {
    /// The comment ids its `Addresses:` trailers name (one or several, separated by commas or
    /// spaces), in order.
    public var addressedComments: [String] {
        trailers.filter { $0.key.lowercased() == "addresses" }
            .flatMap { $0.value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
    }
}
