// libFuzzer target: Markdown blocks (cmark-gfm) and tokens from any text.
// Invariants: the blocks cover the text exactly, in order; so do the tokens.
import ProseDiff

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlocks(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let length = text.utf8.count
    let blocks = BlockParser.blocks(of: text)
    var position = 0
    for block in blocks {
        precondition(block.start == position && block.end > block.start, "blocks leave a gap or overlap at \(position)")
        position = block.end
    }
    precondition(length == 0 || position == length, "blocks end at \(position) of \(length)")
    position = 0
    for token in TokenTable.tokens(of: text) {
        precondition(token.start == position && token.end > token.start, "tokens leave a gap or overlap at \(position)")
        position = token.end
    }
    precondition(position == length, "tokens end at \(position) of \(length)")
    _ = Markdown.html(text)
    return 0
}
