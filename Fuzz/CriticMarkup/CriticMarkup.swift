// libFuzzer target: CriticMarkup of the comparison of two texts (split as in WordDiff).
// Invariant: accepting every change gives B byte for byte, rejecting every change gives A.
import ProseDiff
import StetRender

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCriticMarkup(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0xFF) ?? size / 2
    let a = String(decoding: bytes[..<split], as: UTF8.self)
    let b = String(decoding: bytes[min(size, split + 1)...], as: UTF8.self)
    let section = Comparer.compare(text: a, with: b)
    let markup = CriticMarkup.render(section)
    precondition(CriticMarkup.resolve(markup, accept: true) == b, "accepting every change does not give B")
    precondition(CriticMarkup.resolve(markup, accept: false) == a, "rejecting every change does not give A")
    return 0
}
