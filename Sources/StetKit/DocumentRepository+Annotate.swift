import GitStore
public import GitValues
public import ProseDiff

/// A comparison whose changed spans name the commits behind them.
public struct AnnotatedComparison: Sendable {
    public var draft: DraftComparison
    /// The commits that spans name (`Span.sources` indexes this table), oldest first.
    public var commits: [CommitInfo]
    /// How many commits are between the two drafts.
    public var commitsInRange: Int
}

extension AnnotatedComparison {
    /// The comparison limited to the changes of the commits whose `Addresses:` trailer names
    /// `comment` (see `SectionComparison.limited`); an error when no change between the drafts
    /// is theirs.
    public func limited(toAddressing comment: String) throws(StetError) -> AnnotatedComparison {
        let sources = Set(commits.indices.filter { commits[$0].addressedComments.contains(comment) })
        var result = self
        result.draft.comparison.sections = draft.comparison.sections.compactMap { $0.limited(to: sources) }
        guard !result.draft.comparison.sections.isEmpty else {
            throw StetError(.notFound, "no change between \(draft.aRevision ?? "the earlier draft") and "
                + "\(draft.bRevision ?? "the later draft") addresses \(comment) (stet log --addresses \(comment) lists its commits)")
        }
        result.keepNamedCommits()
        return result
    }

    /// Keeps in the commit table only the commits spans name, in history order, and renumbers
    /// the spans' sources to match.
    mutating func keepNamedCommits() {
        var named = Set<Int>()
        for section in draft.comparison.sections {
            for block in section.blocks { for span in block.spans { named.formUnion(span.sources) } }
        }
        let order = named.sorted()
        let renumber = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for sectionIndex in draft.comparison.sections.indices {
            for blockIndex in draft.comparison.sections[sectionIndex].blocks.indices {
                for spanIndex in draft.comparison.sections[sectionIndex].blocks[blockIndex].spans.indices {
                    draft.comparison.sections[sectionIndex].blocks[blockIndex].spans[spanIndex].sources =
                        draft.comparison.sections[sectionIndex].blocks[blockIndex].spans[spanIndex].sources.map { renumber[$0]! }
                }
            }
        }
        commits = order.map { commits[$0] }
    }
}

/// One run of a section's text with the commit that wrote it, for `stet blame`.
public struct BlameRun: Sendable {
    public var text: String
    /// The commit, or nil for text older than the start (`--since`).
    public var commit: CommitInfo?
}

extension DocumentRepository {
    /// Compares two drafts and credits every insertion and deletion to the commits between them
    /// that made it.
    public func annotatedCompare(from: String, to: String, options: CompareOptions = CompareOptions())
        throws(StetError) -> AnnotatedComparison
    {
        var result = try compare(from: from, to: to, options: options)
        guard let start = result.aCommit, let end = result.bCommit else {
            return AnnotatedComparison(draft: result, commits: [], commitsInRange: 0)
        }
        var attribution = Attribution(repository: self)
        do {
            try attribution.run(from: start, to: end)
        } catch {
            throw StetError(error, "cannot follow the history from \(from) to \(to)")
        }
        // The tokens of each side's texts that changed spans lie in, made on all cores.
        var aPaths = Set<String>(), bPaths = Set<String>()
        for section in result.comparison.sections where section.textChanged {
            if let pathB = section.pathB { bPaths.insert(pathB) }
            for block in section.blocks where block.isChange {
                if let pathA = block.movedFromPath ?? section.pathA { aPaths.insert(pathA) }
            }
        }
        let (aList, bList) = (aPaths.sorted(), bPaths.sorted())
        let texts = aList.map { result.aTexts[$0] ?? "" } + bList.map { result.bTexts[$0] ?? "" }
        let made = Parallel.map(texts.count, workers: options.workers) { TokenTable.tokens(of: texts[$0]) }
        let aTokens = Dictionary(uniqueKeysWithValues: zip(aList, made))
        let bTokens = Dictionary(uniqueKeysWithValues: zip(bList, made.dropFirst(aList.count)))
        // The final texts (read when a section's last version was not walked), then each
        // section's spans credited on all cores.
        var finals: [Int: Attribution.Annotated] = [:]
        for (sectionIndex, section) in result.comparison.sections.enumerated() where section.textChanged {
            guard let pathB = section.pathB else { continue }
            do {
                finals[sectionIndex] = try attribution.finalText(pathB)
            } catch {
                throw StetError(error, "cannot read \(pathB) at \(to)")
            }
        }
        let sections = result.comparison.sections, walked = attribution
        let credited = Parallel.map(sections.count, workers: options.workers) { sectionIndex in
            sections[sectionIndex].textChanged
                ? Self.credit(sections[sectionIndex], final: finals[sectionIndex], walked: walked, aTokens: aTokens, bTokens: bTokens)
                : sections[sectionIndex]
        }
        result.comparison.sections = credited
        // Only the commits spans name go into the table, in history order.
        var annotated = AnnotatedComparison(draft: result, commits: attribution.commits, commitsInRange: attribution.commits.count)
        annotated.keepNamedCommits()
        return annotated
    }

    /// Word-level blame of a section at `revision`: runs of text, each with the commit that wrote
    /// it; with `since`, text older than that revision has no commit.
    public func blame(section name: String, at revision: String = "HEAD", since: String? = nil)
        throws(StetError) -> (section: Section, runs: [BlameRun])
    {
        let end = try resolve(revision)
        let start = try since.map { (revision) throws(StetError) in try resolve(revision) }
        let draft = try draft(atCommit: end, revision: revision)
        let section = try draft.requireSection(named: name)
        var attribution = Attribution(repository: self)
        let annotated: Attribution.Annotated?
        do {
            try attribution.run(from: start, to: end)
            annotated = try attribution.finalText(section.path)
        } catch {
            throw StetError(error, "cannot follow the history of \(section.path)")
        }
        let tokens = TokenTable.tokens(of: section.text)
        let bytes = Array(section.text.utf8)
        let origins = annotated?.expandedOrigins() ?? []
        var runs: [BlameRun] = []
        var runStart = 0
        var current: Int32 = -2
        for (index, token) in tokens.enumerated() {
            let origin = index < origins.count ? origins[index].commit : -1
            // White space joins the run it is in.
            if token.kind == .space || origin == current { continue }
            if current != -2, token.start > runStart {
                runs.append(BlameRun(text: String(decoding: bytes[runStart..<token.start], as: UTF8.self),
                                     commit: current >= 0 ? attribution.commits[Int(current)] : nil))
                runStart = token.start
            }
            current = origin
        }
        if runStart < bytes.count {
            runs.append(BlameRun(text: String(decoding: bytes[runStart...], as: UTF8.self),
                                 commit: current >= 0 ? attribution.commits[Int(current)] : nil))
        }
        return (section, runs)
    }

    /// A section whose changed spans name the commits behind them (their places in the walk).
    static func credit(_ section: SectionComparison, final: Attribution.Annotated?, walked attribution: Attribution,
                       aTokens: [String: [Token]], bTokens: [String: [Token]]) -> SectionComparison
    {
        var section = section
        let finalOrigins = final?.expandedOrigins() ?? []
        for blockIndex in section.blocks.indices {
            let block = section.blocks[blockIndex]
            guard block.isChange else { continue }
            var spans: [Span] = []
            for span in block.spans {
                var commit: ((Int) -> Int32?)?
                var tokens: [Token] = []
                switch span.kind {
                case .equal:
                    break
                case .inserted:
                    guard let pathB = section.pathB, final != nil else { break }
                    tokens = bTokens[pathB] ?? []
                    let origins = finalOrigins
                    // Words older than the range stand here because a commit moved them: the
                    // move is credited.
                    commit = { index in
                        guard index < origins.count else { return nil }
                        let origin = origins[index]
                        if origin.commit >= 0 || origin.startSection < 0 { return origin.commit }
                        return attribution.movers[origin.startSection, origin.startToken]
                    }
                case .deleted, .moved:
                    guard let pathA = block.movedFromPath ?? section.pathA,
                          let startSection = attribution.startSection(pathA)
                    else { break }
                    tokens = aTokens[pathA] ?? []
                    // A block moved away is credited to the commits that moved its words (or moved
                    // another block past them), else to those that deleted them (its edits show
                    // where it went); a deletion the other way round (words a commit moved
                    // elsewhere leave this place with it).
                    let isMove = span.kind == .moved
                    commit = { index in
                        let token = Int32(index)
                        let movers = attribution.movers[startSection, token], deleters = attribution.deleters[startSection, token]
                        return isMove ? movers ?? attribution.passers[startSection, token] ?? deleters : deleters ?? movers
                    }
                }
                guard let commit else {
                    spans.append(span)
                    continue
                }
                // For now the commits' places in the walk; renumbered afterwards.
                let range = span.kind == .inserted ? span.bRange : span.aRange
                // Inserted words know the commit that wrote each; deleted ones only who removed
                // them first, which a move can blur: only insertions are split.
                if span.kind == .inserted, let parts = Self.splitByCommit(span, tokens: tokens, range: range, commit: commit) {
                    spans += parts
                    continue
                }
                var credited = span
                credited.sources = Self.unique(Self.creditedByWords(tokens, in: range, commit: commit))
                spans.append(credited)
            }
            section.blocks[blockIndex].spans = spans
        }
        return section
    }

    /// Commits in their first order, once each, without "none" (-1).
    static func unique(_ commits: [Int32]) -> [Int] {
        var seen = Set<Int32>()
        return commits.filter { $0 >= 0 && seen.insert($0).inserted }.map(Int.init)
    }

    /// A change of several runs of words, each written by one commit, as a change
    /// per run: a Word reviewer sees each under its author. A run of fewer than two words goes
    /// with the run before it (a word's credit alone is the alignment's to choose), and the
    /// white space and punctuation after a word go with it. Nil when there is one run, or when
    /// the span's text is not its range's.
    static func splitByCommit(_ span: Span, tokens: [Token], range: Range<Int>, commit: (Int) -> Int32?) -> [Span]? {
        let text = Array((span.kind == .inserted ? span.b : span.a).utf8)
        guard text.count == range.count, !range.isEmpty else { return nil }
        struct Run {
            var offset: Int
            var commits: [Int32]
            var words: Int
        }
        var runs: [Run] = []
        for index in tokenIndices(tokens, overlapping: range) where tokens[index].kind.isWordLike {
            let credited = commit(index) ?? -1
            if let last = runs.last, last.commits == [credited] {
                runs[runs.count - 1].words += 1
            } else {
                runs.append(Run(offset: max(tokens[index].start, range.lowerBound) - range.lowerBound, commits: [credited], words: 1))
            }
        }
        // Short runs join the run before (the first, the one after).
        var merged: [Run] = []
        for run in runs {
            if let last = merged.last, run.words < 2 || last.words < 2 {
                merged[merged.count - 1].commits += run.commits
                merged[merged.count - 1].words += run.words
            } else {
                merged.append(run)
            }
        }
        guard merged.count > 1 else { return nil }
        merged[0].offset = 0
        var parts: [Span] = []
        for (number, run) in merged.enumerated() {
            let end = number + 1 < merged.count ? merged[number + 1].offset : text.count
            guard end > run.offset else { continue }
            let piece = String(decoding: text[run.offset..<end], as: UTF8.self)
            let bytes = (range.lowerBound + run.offset)..<(range.lowerBound + end)
            var part = span.kind == .inserted
                ? Span(kind: .inserted, a: "", b: piece, words: run.words, aRange: span.aRange.lowerBound..<span.aRange.lowerBound, bRange: bytes)
                : Span(kind: span.kind, a: piece, b: "", words: run.words, aRange: bytes, bRange: span.bRange.lowerBound..<span.bRange.lowerBound)
            part.sources = unique(run.commits)
            parts.append(part)
        }
        return parts
    }

    /// The commits `commit(token)` gives the tokens of a span, in order. A span with words
    /// (words, numbers and other word-like tokens) is credited for its words: to who wrote
    /// them, not to who put a list marker or a comma beside them, and to no one when they all
    /// predate the range (old text). A span without words is credited for its other tokens.
    static func creditedByWords(_ tokens: [Token], in range: Range<Int>, commit: (Int) -> Int32?) -> [Int32] {
        var words: [Int32] = [], others: [Int32] = []
        var hasWords = false
        for index in tokenIndices(tokens, overlapping: range) where tokens[index].kind != .space {
            let isWord = tokens[index].kind.isWordLike
            hasWords = hasWords || isWord
            guard let credited = commit(index), credited >= 0 else { continue }
            if isWord { words.append(credited) } else { others.append(credited) }
        }
        return hasWords ? words : others
    }

    /// Indices of the tokens that overlap a byte range.
    static func tokenIndices(_ tokens: [Token], overlapping range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else { return 0..<0 }
        var low = 0, high = tokens.count
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].end <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < tokens.count, tokens[end].start < range.upperBound { end += 1 }
        return low..<end
    }
}
