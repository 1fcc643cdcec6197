import ProseDiff

/// Where a moved block went or came from, in the words every renderer shows: another section by
/// its id, or its own section.
enum MoveWords {
    /// "to data" for a block moved to section `data`, "within the section" for one moved inside
    /// its own; nil for a block that did not move away.
    static func away(_ block: BlockChange, in section: SectionComparison) -> String? {
        guard block.status == .movedAway, let other = block.moveSection else { return nil }
        return other == section.id ? "within the section" : "to " + other
    }

    /// "from data" for a block moved here from section `data`, "here within the section" for one
    /// moved inside its own; nil for a block that did not move here.
    static func here(_ block: BlockChange, in section: SectionComparison) -> String? {
        guard block.status == .movedHere, let other = block.moveSection else { return nil }
        return other == section.id ? "here within the section" : "from " + other
    }
}
