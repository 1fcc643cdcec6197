/// One step of an edit script over two sequences.
public enum EditOperation: Sendable, Hashable {
    case equal, delete, insert
}

/// A run of one operation: `count` elements.
public struct EditRun: Sendable, Hashable {
    public var operation: EditOperation
    public var count: Int
}

/// Myers' O(ND) difference algorithm in linear space (the middle-snake bisection), on interned
/// integers, with a budget: once it has spent `budget` steps, the ranges still open are reported
/// as a deletion and an insertion (a coarser script, still a correct one).
public struct Myers {
    private let a: UnsafeBufferPointer<Int32>
    private let b: UnsafeBufferPointer<Int32>
    private var budget: Int
    private var runs: [EditRun] = []
    /// The furthest x reached on each diagonal, forward and backward; a box's diagonal k is at
    /// `k + offset`. Room for the whole comparison, shared by every box it is split into.
    private let forward: UnsafeMutableBufferPointer<Int>
    private let backward: UnsafeMutableBufferPointer<Int>

    /// The edit script turning `a` into `b`.
    public static func diff(_ a: [Int32], _ b: [Int32], budget: Int = 20_000_000) -> [EditRun] {
        var remaining = budget
        return diff(a, b, budget: &remaining)
    }

    /// The edit script turning `a` into `b`, spending from a budget shared by several calls.
    public static func diff(_ a: [Int32], _ b: [Int32], budget: inout Int) -> [EditRun] {
        let (runs, left) = script(a, b, budget: budget)
        budget = max(left, 0)
        return runs
    }

    /// The script and what is left of `budget`: below zero when it ran out (the script is then
    /// coarser where it ran out); zero or more when the script is exact, and the one any
    /// budget of at least `budget - left` gives.
    static func script(_ a: [Int32], _ b: [Int32], budget: Int) -> (runs: [EditRun], left: Int) {
        a.withUnsafeBufferPointer { first in
            b.withUnsafeBufferPointer { second in script(first, second, budget: budget) }
        }
    }

    static func script(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, budget: Int) -> (runs: [EditRun], left: Int) {
        // A box's diagonals reach at most (n + m + 1) / 2 + 1 either side of its offset.
        let width = a.count + b.count + 4
        let forward = UnsafeMutableBufferPointer<Int>.allocate(capacity: width)
        let backward = UnsafeMutableBufferPointer<Int>.allocate(capacity: width)
        defer {
            forward.deallocate()
            backward.deallocate()
        }
        #if DEBUG
        // Junk where no box has been: a box that read a diagonal before writing or marking it
        // would go wrong in tests at once.
        forward.initialize(repeating: Int.max / 4)
        backward.initialize(repeating: Int.max / 4)
        #endif
        var myers = Myers(a: a, b: b, budget: budget, forward: forward, backward: backward)
        myers.compare(0, a.count, 0, b.count)
        return (myers.runs, myers.budget)
    }

    private init(a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>, budget: Int,
                 forward: UnsafeMutableBufferPointer<Int>, backward: UnsafeMutableBufferPointer<Int>)
    {
        self.a = a
        self.b = b
        self.budget = budget
        self.forward = forward
        self.backward = backward
    }

    private mutating func emit(_ operation: EditOperation, _ count: Int) {
        guard count > 0 else { return }
        if let last = runs.last, last.operation == operation {
            runs[runs.count - 1].count += count
        } else {
            runs.append(EditRun(operation: operation, count: count))
        }
    }

    private mutating func compare(_ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int) {
        var aLow = aStart, bLow = bStart, aHigh = aEnd, bHigh = bEnd
        while aLow < aHigh, bLow < bHigh, a[aLow] == b[bLow] { aLow += 1; bLow += 1 }
        emit(.equal, aLow - aStart)
        var suffix = 0
        while aHigh > aLow, bHigh > bLow, a[aHigh - 1] == b[bHigh - 1] { aHigh -= 1; bHigh -= 1; suffix += 1 }
        if aLow == aHigh {
            emit(.insert, bHigh - bLow)
        } else if bLow == bHigh {
            emit(.delete, aHigh - aLow)
        } else if let (x, y) = middle(aLow, aHigh, bLow, bHigh) {
            compare(aLow, x, bLow, y)
            compare(x, aHigh, y, bHigh)
        } else {
            emit(.delete, aHigh - aLow)
            emit(.insert, bHigh - bLow)
        }
        emit(.equal, suffix)
    }

    /// A point on an optimal path strictly inside the box, or nil when the budget ran out.
    ///
    /// Diagonals are read only once this box has written them, or marked them unreached (-1):
    /// before round d, every diagonal within d + 1 of the start is one or the other, so the
    /// arrays are never cleared whole (a box with a small difference costs what the difference
    /// costs, not its length).
    private mutating func middle(_ aLow: Int, _ aHigh: Int, _ bLow: Int, _ bHigh: Int) -> (Int, Int)? {
        let n = aHigh - aLow, m = bHigh - bLow
        let maxD = (n + m + 1) / 2
        let offset = maxD + 1
        let forward = self.forward.baseAddress!, backward = self.backward.baseAddress!
        let a = self.a.baseAddress! + aLow, b = self.b.baseAddress! + bLow
        let aEnd = a + n - 1, bEnd = b + m - 1
        forward[offset - 1] = -1
        forward[offset] = -1
        forward[offset + 1] = 0
        backward[offset - 1] = -1
        backward[offset] = -1
        backward[offset + 1] = 0
        let delta = n - m
        let odd = delta & 1 != 0
        // Diagonals that run off the grid on one side are skipped from then on.
        var forwardStart = 0, forwardEnd = 0, backwardStart = 0, backwardEnd = 0
        for d in 0..<maxD {
            budget -= 2 * d + 2
            if budget < 0 { return nil }
            if d > 0 {
                forward[offset - d - 1] = -1
                forward[offset + d + 1] = -1
            }
            var k = -d + forwardStart
            while k <= d - forwardEnd {
                let index = offset + k
                var x = (k == -d || (k != d && forward[index - 1] < forward[index + 1]))
                    ? forward[index + 1] : forward[index - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                forward[index] = x
                if x > n {
                    forwardEnd += 2
                } else if y > m {
                    forwardStart += 2
                } else if odd {
                    // Backward has finished round d - 1: its diagonals within d are known.
                    let backwardK = delta - k
                    if backwardK >= -d, backwardK <= d {
                        let reached = backward[offset + backwardK]
                        if reached != -1, x >= n - reached { return (aLow + x, bLow + y) }
                    }
                }
                k += 2
            }
            if d > 0 {
                backward[offset - d - 1] = -1
                backward[offset + d + 1] = -1
            }
            k = -d + backwardStart
            while k <= d - backwardEnd {
                let index = offset + k
                var x = (k == -d || (k != d && backward[index - 1] < backward[index + 1]))
                    ? backward[index + 1] : backward[index - 1] + 1
                var y = x - k
                while x < n, y < m, aEnd[-x] == bEnd[-y] { x += 1; y += 1 }
                backward[index] = x
                if x > n {
                    backwardEnd += 2
                } else if y > m {
                    backwardStart += 2
                } else if !odd {
                    // Forward has finished round d: its diagonals within d + 1 are known.
                    let forwardK = delta - k
                    if forwardK >= -d - 1, forwardK <= d + 1 {
                        let forwardX = forward[offset + forwardK]
                        if forwardX != -1, forwardX >= n - x { return (aLow + forwardX, bLow + forwardX - forwardK) }
                    }
                }
                k += 2
            }
        }
        return nil
    }
}

extension Myers {
    /// The edit script of two token sequences in which white space (id `space`) never anchors an
    /// alignment: each token is compared together with the white space that follows it, so a
    /// word is never deleted and typed again just to keep the spaces around it in place.
    public static func diffWords(_ a: [Int32], _ b: [Int32], space: Int32 = 0, budget: inout Int) -> [EditRun] {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in diffWords(a, b, space: space, budget: &budget) }
        }
    }

    /// `diffWords` of sequences read in place.
    static func diffWords(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, space: Int32 = 0,
                          budget: inout Int) -> [EditRun]
    {
        let (runs, left) = wordScript(a, b, space: space, budget: budget)
        budget = max(left, 0)
        return runs
    }

    /// `diffWords` with what is left of `budget`, as `script` reports it.
    static func wordScript(_ a: [Int32], _ b: [Int32], space: Int32 = 0, budget: Int) -> (runs: [EditRun], left: Int) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in wordScript(a, b, space: space, budget: budget) }
        }
    }

    static func wordScript(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, space: Int32 = 0, budget: Int)
        -> (runs: [EditRun], left: Int)
    {
        let (head, tail) = sharedUnits(a, b, space: space)
        var (runs, left) = unitScript(UnsafeBufferPointer(rebasing: a[head..<(a.count - tail)]),
                                      UnsafeBufferPointer(rebasing: b[head..<(b.count - tail)]), space: space, budget: budget)
        if head > 0 {
            if runs.first?.operation == .equal { runs[0].count += head } else { runs.insert(EditRun(operation: .equal, count: head), at: 0) }
        }
        if tail > 0 {
            if runs.last?.operation == .equal { runs[runs.count - 1].count += tail } else { runs.append(EditRun(operation: .equal, count: tail)) }
        }
        return (runs, left)
    }

    /// How many tokens at the start (`head`) and at the end (`tail`) of two sequences are whole
    /// units the two share, token for token, found without building units: the script of what
    /// lies between, with these as equal runs around it, is the one the units of the whole give.
    /// (Myers takes a shared start first and then a shared end of what remains; a shared end is
    /// only set aside when the units that follow the shared start differ before either side's
    /// middle ends, so the whole would not have taken it as shared start.)
    static func sharedUnits(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, space: Int32) -> (head: Int, tail: Int) {
        let limit = min(a.count, b.count)
        var same = 0
        while same < limit, a[same] == b[same] { same += 1 }
        // The start ends where a unit starts on both sides (a token that is not white space,
        // or the end), else before the last unit begun.
        var head = same
        let startsUnit = { (ids: UnsafeBufferPointer<Int32>, index: Int) in index == ids.count || ids[index] != space }
        if head > 0, !(startsUnit(a, head) && startsUnit(b, head)) {
            head -= 1
            while head > 0, a[head] == space { head -= 1 }
        }
        var sameEnd = 0
        while sameEnd < limit - head, a[a.count - 1 - sameEnd] == b[b.count - 1 - sameEnd] { sameEnd += 1 }
        // The end starts at a unit on both sides: white space at its start ends the unit before it.
        var first = a.count - sameEnd
        while first < a.count, a[first] == space { first += 1 }
        let tail = a.count - first
        guard tail > 0 else { return (head, 0) }
        // Whether the units after the shared start match until one side's middle runs out.
        var aUnit = head, bUnit = head
        let aEnd = a.count - tail, bEnd = b.count - tail
        func nextUnit(_ ids: UnsafeBufferPointer<Int32>, _ index: Int, _ end: Int) -> Int {
            var next = index + 1
            while next < end, ids[next] == space { next += 1 }
            return next
        }
        while aUnit < aEnd, bUnit < bEnd, a[aUnit] == b[bUnit] {
            aUnit = nextUnit(a, aUnit, aEnd)
            bUnit = nextUnit(b, bUnit, bEnd)
        }
        return aUnit >= aEnd || bUnit >= bEnd ? (head, 0) : (head, tail)
    }

    /// `wordScript` of two sequences, made from their units.
    static func unitScript(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, space: Int32, budget: Int)
        -> (runs: [EditRun], left: Int)
    {
        // A unit: a token with the white space after it (a leading run of white space is a unit of its own).
        func units(_ ids: UnsafeBufferPointer<Int32>) -> (ids: [Int32], starts: [Int32]) {
            var unitIDs: [Int32] = [], starts: [Int32] = []
            unitIDs.reserveCapacity(ids.count)
            starts.reserveCapacity(ids.count)
            for index in ids.indices where ids[index] != space || index == 0 {
                unitIDs.append(ids[index])
                starts.append(Int32(index))
            }
            return (unitIDs, starts)
        }
        let (aUnits, aStarts) = units(a), (bUnits, bStarts) = units(b)
        func end(_ starts: [Int32], _ unit: Int, _ count: Int) -> Int { unit + 1 < starts.count ? Int(starts[unit + 1]) : count }
        var runs: [EditRun] = []
        func emit(_ operation: EditOperation, _ count: Int) {
            guard count > 0 else { return }
            if let last = runs.last, last.operation == operation {
                runs[runs.count - 1].count += count
            } else {
                runs.append(EditRun(operation: operation, count: count))
            }
        }
        var aUnit = 0, bUnit = 0
        let (unitRuns, left) = script(aUnits, bUnits, budget: budget)
        for run in unitRuns {
            for _ in 0..<run.count {
                switch run.operation {
                case .equal:
                    // The tokens themselves match; then the white space after them, as far as both have it.
                    let aLength = end(aStarts, aUnit, a.count) - Int(aStarts[aUnit])
                    let bLength = end(bStarts, bUnit, b.count) - Int(bStarts[bUnit])
                    let shared = min(aLength, bLength)
                    emit(.equal, shared)
                    emit(.delete, aLength - shared)
                    emit(.insert, bLength - shared)
                    aUnit += 1
                    bUnit += 1
                case .delete:
                    emit(.delete, end(aStarts, aUnit, a.count) - Int(aStarts[aUnit]))
                    aUnit += 1
                case .insert:
                    emit(.insert, end(bStarts, bUnit, b.count) - Int(bStarts[bUnit]))
                    bUnit += 1
                }
            }
        }
        return (runs, left)
    }
}
