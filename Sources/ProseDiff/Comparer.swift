import Foundation

/// Settings of a comparison.
public struct CompareOptions: Sendable {
    /// Steps the word diffs of one comparison may take in all before falling back to coarser
    /// (whole-block) replacements.
    public var budget: Int = 60_000_000
    /// How alike two blocks must be (Dice coefficient of their words) to pair them as one edited block.
    public var blockSimilarity: Double = 0.5
    /// How alike two sections must be to pair them as a rename.
    public var sectionSimilarity: Double = 0.5
    /// Blocks with fewer words than this are never reported as moves.
    public var minimumMoveWords: Int = 4
    /// Pairs of blocks compared for similarity at most, per gap and for moves.
    public var pairLimit: Int = 250_000
    /// Threads a comparison uses; its result is the same with any number.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

/// Builds a `Comparison` from two lists of sections, in stages joined by values:
///
/// 1. `SectionAlignment`: sections matched by id, then by their words (renames); only the changed
///    ones are parsed (`ParsedSection`), and moved sections marked.
/// 2. `BlockAlignment`: inside each section, blocks matched by an edit script of their keys, and
///    similar blocks of each gap paired as edits (`BlockEntry`).
/// 3. `Moves`: blocks deleted in one place and inserted in another, whole or nearly, as moves.
/// 4. `WordDiffs`: a word diff inside each pair of blocks, cleaned up into phrase replacements.
/// 5. `Assembly`: the `Comparison`.
///
/// The budget of steps for edit scripts is shared by stages 2 and 4 in document order, so the
/// result is the same whatever the number of threads.
public enum Comparer {
    /// Sections larger than this are compared whole (changed or not), never word by word: it
    /// keeps the memory of a comparison bounded whatever a repository holds.
    public static let wholeSectionLimit = 5 * 1_048_576

    public static func compare(_ a: [SectionText], _ b: [SectionText], options: CompareOptions = CompareOptions()) -> Comparison {
        var budget = options.budget
        var interner = Interner()
        let slots = SectionAlignment.slots(a, b, options: options, interner: &interner)
        let scripts = BlockAlignment.scripts(slots, options: options, budget: &budget)
        let aligned = BlockAlignment.entries(slots, scripts: scripts, options: options)
        let entries = Moves.find(in: aligned, options: options)
        let spans = WordDiffs.spans(entries, options: options, budget: &budget)
        return Assembly.comparison(slots, entries: entries, spans: spans, options: options)
    }

    /// Two versions of one section's text, compared.
    public static func compare(text a: String, with b: String) -> SectionComparison {
        let path = "drafts/section.md"
        return compare([SectionText(id: "section", title: "section", path: path, text: a, key: "a")],
                       [SectionText(id: "section", title: "section", path: path, text: b, key: "b")]).sections[0]
    }
}
