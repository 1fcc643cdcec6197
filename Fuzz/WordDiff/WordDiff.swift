// libFuzzer target: the word diff of two texts (the input split at its first 0xFF byte, which
// UTF-8 never uses). Invariant: equal and deleted spans rebuild A byte for byte; equal and
// inserted spans rebuild B.
import ProseDiff

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWordDiff(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0xFF) ?? size / 2
    let a = String(decoding: bytes[..<split], as: UTF8.self)
    let b = String(decoding: bytes[min(size, split + 1)...], as: UTF8.self)
    let section = Comparer.compare(text: a, with: b)
    precondition(section.rebuiltA == a, "A is not rebuilt")
    precondition(section.rebuiltB == b, "B is not rebuilt")
    return 0
}
