// libFuzzer target: a section file's front matter and title, and stet.yml, from any bytes.
// Invariants: nothing crashes; a section always has a non-empty id and a title.
import StetKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrontMatter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let section = Section(path: "drafts/01-fuzz.md", relativePath: "01-fuzz.md", bytes: bytes)
    precondition(!section.id.isEmpty, "a section without an id")
    _ = section.title
    _ = try? StetConfig(yaml: String(decoding: bytes, as: UTF8.self), path: "stet.yml")
    return 0
}
