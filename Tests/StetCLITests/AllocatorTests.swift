import Foundation
import StetTestSupport
import Testing

/// The stet binary allocates through mimalloc (Package.swift says why): the dynamic linker binds
/// every library's malloc and free to it, so no block crosses from one allocator to the other.
@Suite("allocator")
struct AllocatorTests {
    /// Under a sanitizer, its runtime serves malloc instead (scripts/sanitize says which).
    static let sanitized = ProcessInfo.processInfo.environment["STET_SANITIZER"] != nil

    #if os(Linux)
    @Test(.disabled(if: sanitized))
    func mallocAndFreeAreMimallocs() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(StetBinary.path, ["--version"], in: sandbox.path, environment: ["LD_DEBUG": "bindings"])
        #expect(result.status == 0, "\(result.error)")
        for symbol in ["malloc", "free", "realloc"] {
            let bindings = result.error.split(separator: "\n").filter { $0.contains("normal symbol `\(symbol)'") }
            #expect(!bindings.isEmpty, "no binding of \(symbol) reported")
            for binding in bindings {
                #expect(binding.contains("libmimalloc.so"), "\(binding)")
            }
        }
    }
    #endif
}
