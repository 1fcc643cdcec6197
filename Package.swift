// swift-tools-version: 6.2
import PackageDescription

// mimalloc (see CMimalloc below) on Linux, except under a sanitizer (scripts/sanitize sets
// STET_SANITIZER), whose runtime must serve every allocation to see leaks and misuse.
let allocator: [Target.Dependency] = Context.environment["STET_SANITIZER"] == nil
    ? [.target(name: "CMimalloc", condition: .when(platforms: [.linux]))] : []
// libdeflate under libgit2's inflate (see CInflate below), on Linux.
let inflater: [Target.Dependency] = [.target(name: "CInflate", condition: .when(platforms: [.linux]))]

let package = Package(
    name: "stet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stet", targets: ["stet"]),
        .library(name: "StetKit", targets: ["StetKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries, each behind exactly one Swift module.
        .systemLibrary(
            name: "CGit2", pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(
            name: "CCmark", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // The stet binary's allocator, in place of the C library's malloc: a comparison makes
        // millions of small blocks on every core and keeps them until it exits, and glibc's
        // per-thread arenas grew page by page (a diff spent an eighth of its time in page faults
        // and mprotect); with mimalloc it takes 0.9x the time.
        .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),
        // The stet binary's inflate, in place of zlib's: libgit2 inflates each object of a pack
        // whole, and for that libdeflate is about twice as fast; zlib does the rest.
        .target(
            name: "CInflate",
            linkerSettings: [.linkedLibrary("deflate"), .linkedLibrary("z"), .linkedLibrary("dl")]),

        // The values git gives out (ids, signatures, commits), without libgit2: what the command
        // line needs of git, through StetKit.
        .target(name: "GitValues"),
        // The only module that touches libgit2; Swift values out.
        .target(name: "GitStore", dependencies: ["CGit2", "GitValues"]),
        // ZIP archives (the container of Word and Excel files), made and read in memory: the
        // only module that touches zlib.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ZipArchive", dependencies: ["CZlib"]),
        // Markdown and prose: pure values, no git. The only module that touches cmark-gfm.
        .target(name: "ProseDiff", dependencies: ["CCmark"]),
        // The domain: sections, drafts, the document repository and its rules. The demo's
        // history is compiled in (see Plugins/EmbedDemo), so `stet demo` needs no files beside it.
        .target(
            name: "StetKit",
            dependencies: ["GitStore", "GitValues", "ProseDiff", "ZipArchive", .product(name: "Yams", package: "Yams")],
            plugins: ["EmbedDemo"]),
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedDemo", capability: .buildTool(), dependencies: ["EmbedFiles"]),
        // Renderers: read the Comparison model only; no git.
        .target(
            name: "StetRender",
            dependencies: ["ProseDiff", "ZipArchive", .product(name: "Mustache", package: "swift-mustache")]),
        // The command line: argument parsing and output, no logic.
        .executableTarget(
            name: "stet",
            dependencies: ["StetKit", "StetRender", .product(name: "ArgumentParser", package: "swift-argument-parser")]
                + allocator + inflater),

        // Temporary folders, the git CLI as an independent reader, the stet binary.
        .target(name: "StetTestSupport", path: "Tests/StetTestSupport"),
        .testTarget(name: "GitStoreTests", dependencies: ["GitStore", "GitValues", "StetTestSupport"] + inflater),
        .testTarget(name: "GitValuesTests", dependencies: ["GitValues", "StetTestSupport"]),
        .testTarget(name: "ProseDiffTests", dependencies: ["ProseDiff", "StetTestSupport"]),
        .testTarget(name: "StetRenderTests", dependencies: ["StetRender", "ProseDiff", "StetTestSupport"]),
        .testTarget(name: "StetKitTests", dependencies: ["StetKit", "GitStore", "ProseDiff", "ZipArchive", "StetTestSupport"]),
        .testTarget(name: "StetCLITests", dependencies: ["stet", "StetTestSupport"], exclude: ["Golden"]),
    ]
)

// libFuzzer targets, one per kind of input (see scripts/fuzz), in the package only when
// STET_FUZZ is set: they have no main of their own, libFuzzer gives them one.
if Context.environment["STET_FUZZ"] != nil {
    for (name, dependencies) in [("FrontMatter", ["StetKit"]), ("Blocks", ["ProseDiff"]), ("WordDiff", ["ProseDiff"]),
                                 ("CriticMarkup", ["ProseDiff", "StetRender"])] as [(String, [Target.Dependency])]
    {
        package.targets.append(.executableTarget(
            name: "Fuzz" + name, dependencies: dependencies, path: "Fuzz/" + name,
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}

// One settings list for every Swift target (system libraries take none).
for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .treatAllWarnings(as: .error),
    ]
}
