/// Turns a token edit script into what an editor's redline shows: changes separated only by
/// white space, punctuation or a short equal run are merged into one phrase replacement, so a
/// redline reads "[the quick brown -> a slow red] fox", not as a confetti of single words.
enum Cleanup {
    /// A piece of a redline: an equal run, or a change (A's tokens replaced by B's).
    struct Piece: Equatable {
        var equal: Bool
        var a: Range<Int>
        var b: Range<Int>
    }

    /// A block's tokens and their ids, read in place from the arrays of its section.
    typealias Tokens = UnsafeBufferPointer<Token>
    typealias IDs = UnsafeBufferPointer<Int32>

    static func phrases(_ runs: [EditRun], a: Tokens, b: Tokens, aIDs: IDs, bIDs: IDs) -> [Piece] {
        var pieces: [Piece] = []
        var aPosition = 0, bPosition = 0
        for run in runs {
            switch run.operation {
            case .equal:
                pieces.append(Piece(equal: true, a: aPosition..<aPosition + run.count, b: bPosition..<bPosition + run.count))
                aPosition += run.count
                bPosition += run.count
            case .delete, .insert:
                let aCount = run.operation == .delete ? run.count : 0
                let bCount = run.operation == .insert ? run.count : 0
                if let last = pieces.last, !last.equal {
                    pieces[pieces.count - 1].a = last.a.lowerBound..<last.a.upperBound + aCount
                    pieces[pieces.count - 1].b = last.b.lowerBound..<last.b.upperBound + bCount
                } else {
                    pieces.append(Piece(equal: false, a: aPosition..<aPosition + aCount, b: bPosition..<bPosition + bCount))
                }
                aPosition += aCount
                bPosition += bCount
            }
        }
        pieces = slide(pieces, a: a, b: b, aIDs: aIDs, bIDs: bIDs)
        pieces = mergeSmallEqualities(pieces, a: a, b: b)
        return trimSharedEdges(pieces, aIDs: aIDs, bIDs: bIDs)
    }

    /// A replacement whose two sides start or end with the same tokens (typically the space after
    /// the last word) gives those tokens back to the equal text around it.
    static func trimSharedEdges(_ input: [Piece], aIDs: IDs, bIDs: IDs) -> [Piece] {
        var output: [Piece] = []
        func appendEqual(_ a: Range<Int>, _ b: Range<Int>) {
            guard !a.isEmpty else { return }
            if let last = output.last, last.equal, last.a.upperBound == a.lowerBound {
                output[output.count - 1].a = last.a.lowerBound..<a.upperBound
                output[output.count - 1].b = last.b.lowerBound..<b.upperBound
            } else {
                output.append(Piece(equal: true, a: a, b: b))
            }
        }
        for piece in input {
            guard !piece.equal, !piece.a.isEmpty, !piece.b.isEmpty else {
                if piece.equal { appendEqual(piece.a, piece.b) } else { output.append(piece) }
                continue
            }
            var a = piece.a, b = piece.b
            var lead = 0
            while lead < min(a.count, b.count), aIDs[a.lowerBound + lead] == bIDs[b.lowerBound + lead] { lead += 1 }
            var trail = 0
            while trail < min(a.count, b.count) - lead, aIDs[a.upperBound - 1 - trail] == bIDs[b.upperBound - 1 - trail] {
                trail += 1
            }
            // What is left may be a pure insertion or deletion ("places{+, at times+} and"), never nothing.
            if lead + trail == a.count, lead + trail == b.count {
                appendEqual(a, b)
                continue
            }
            appendEqual(a.lowerBound..<(a.lowerBound + lead), b.lowerBound..<(b.lowerBound + lead))
            a = (a.lowerBound + lead)..<(a.upperBound - trail)
            b = (b.lowerBound + lead)..<(b.upperBound - trail)
            output.append(Piece(equal: false, a: a, b: b))
            if trail > 0 { output.append(Piece(equal: true, a: a.upperBound..<(a.upperBound + trail), b: b.upperBound..<(b.upperBound + trail))) }
        }
        return output
    }

    /// Moves each pure insertion or deletion along the equal text around it (where the same
    /// tokens repeat, it could stand in several places) to where it reads best: starting with a
    /// space rather than ending with one, so "Scope{+ and purpose+}" and not "Scope {+and purpose +}".
    static func slide(_ input: [Piece], a: Tokens, b: Tokens, aIDs: IDs, bIDs: IDs) -> [Piece] {
        // Every piece becomes an equal / change / equal triple, so a shift always has an equal
        // piece on each side to give tokens to and take them from.
        var pieces: [Piece] = []
        for piece in input {
            if !piece.equal, pieces.last.map({ !$0.equal }) ?? true {
                pieces.append(Piece(equal: true, a: piece.a.lowerBound..<piece.a.lowerBound, b: piece.b.lowerBound..<piece.b.lowerBound))
            }
            pieces.append(piece)
        }
        if let last = pieces.last, !last.equal {
            pieces.append(Piece(equal: true, a: last.a.upperBound..<last.a.upperBound, b: last.b.upperBound..<last.b.upperBound))
        }
        for index in pieces.indices where !pieces[index].equal && (pieces[index].a.isEmpty || pieces[index].b.isEmpty) {
            let onA = pieces[index].b.isEmpty
            let tokens = onA ? a : b
            let ids = onA ? aIDs : bIDs
            let edit = onA ? pieces[index].a : pieces[index].b
            let before = pieces[index - 1].a.count
            let after = pieces[index + 1].a.count
            // How far the edit can go left (its last token repeats just before it) and right.
            var left = 0
            while left < before, ids[edit.lowerBound - left - 1] == ids[edit.upperBound - left - 1] { left += 1 }
            var right = 0
            while right < after, ids[edit.upperBound + right] == ids[edit.lowerBound + right] { right += 1 }
            guard left + right > 0 else { continue }
            func score(_ shift: Int) -> Int {
                let first = tokens[edit.lowerBound + shift], last = tokens[edit.upperBound - 1 + shift]
                return (first.kind == .space ? 1 : 0) + (last.kind == .space ? -2 : 0)
            }
            var best = 0
            for shift in -left...right where score(shift) > score(best) { best = shift }
            guard best != 0 else { continue }
            func shifted(_ range: Range<Int>) -> Range<Int> { (range.lowerBound + best)..<(range.upperBound + best) }
            pieces[index].a = shifted(pieces[index].a)
            pieces[index].b = shifted(pieces[index].b)
            pieces[index - 1].a = pieces[index - 1].a.lowerBound..<(pieces[index - 1].a.upperBound + best)
            pieces[index - 1].b = pieces[index - 1].b.lowerBound..<(pieces[index - 1].b.upperBound + best)
            pieces[index + 1].a = (pieces[index + 1].a.lowerBound + best)..<pieces[index + 1].a.upperBound
            pieces[index + 1].b = (pieces[index + 1].b.lowerBound + best)..<pieces[index + 1].b.upperBound
        }
        return pieces.filter { !($0.equal && $0.a.isEmpty) }
    }

    /// Bytes a range of tokens covers.
    static func length(_ range: Range<Int>, _ tokens: Tokens) -> Int {
        range.isEmpty ? 0 : tokens[range.upperBound - 1].end - tokens[range.lowerBound].start
    }

    static func hasContent(_ range: Range<Int>, _ tokens: Tokens) -> Bool {
        tokens[range].contains { $0.kind.isWordLike }
    }

    /// An equal run between two replacements is folded into them when it holds no word, or
    /// when it is no longer than the smaller of the replacements around it.
    static func mergeSmallEqualities(_ input: [Piece], a: Tokens, b: Tokens) -> [Piece] {
        var pieces = input
        var index = 1
        while index + 1 < pieces.count {
            let equal = pieces[index], before = pieces[index - 1], after = pieces[index + 1]
            guard equal.equal, !before.equal, !after.equal else {
                index += 1
                continue
            }
            let size = length(equal.b, b)
            let beforeSize = max(length(before.a, a), length(before.b, b))
            let afterSize = max(length(after.a, a), length(after.b, b))
            // Only between two replacements: folding text that stays into an insertion (or a
            // deletion) would show a word as deleted and typed again.
            let replacements = !before.a.isEmpty && !before.b.isEmpty && !after.a.isEmpty && !after.b.isEmpty
            if replacements, !hasContent(equal.b, b) || size <= min(beforeSize, afterSize) {
                pieces[index - 1] = Piece(equal: false, a: before.a.lowerBound..<after.a.upperBound,
                                          b: before.b.lowerBound..<after.b.upperBound)
                pieces.removeSubrange(index...(index + 1))
                index = max(index - 1, 1)
            } else {
                index += 1
            }
        }
        return pieces
    }
}
