import Foundation
import StetTestSupport
import Testing

/// Each renderer's output on a fixed small history, against files kept in Golden/. Dates,
/// authors and texts are fixed, so commit ids are too. `STET_UPDATE_GOLDEN=1` rewrites the files
/// (then read the diff before committing it).
@Suite("Golden files: every renderer on a fixed history")
struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    func history() throws -> Sandbox {
        let sandbox = try Sandbox()
        func stet(_ arguments: String..., author: String = "Amina Diallo <amina@example.org>") throws {
            let result = try sandbox.stet(arguments, author: author)
            #expect(result.status == 0, "\(arguments): \(result.error)")
        }
        let created = try sandbox.stet("init", "repo", "--title", "Smart Cities", "--date", "2024-04-29T10:00:00+03:00", in: ".")
        #expect(created.status == 0, "\(created.error)")
        try sandbox.write("repo/drafts/01-principles.md", "---\nid: principles\ntitle: Principles\n---\n# Principles\n\nCities are for people.\n\n- Inclusion\n- Participation\n")
        try sandbox.write("repo/drafts/02-data.md", "# Data\n\nUrban data is a public resource.\n\nData stays with residents and is never sold.\n")
        try stet("commit", "-m", "Zero draft", "--date", "2024-05-06T09:30:00+03:00")
        try stet("tag", "first", "-m", "First draft, approved", "--date", "2024-08-15T17:00:00+03:00", author: "Secretariat <s@example.org>")
        try sandbox.write("repo/drafts/01-principles.md", "---\nid: principles\ntitle: Principles\n---\n# Principles\n\nCities are for all the people who live in them.\n\n- Inclusion\n- Participation and co-creation\n\nData stays with residents and is never sold or shared.\n")
        try sandbox.write("repo/drafts/02-data.md", "# Data\n\nUrban data is a common resource.\n")
        try stet("commit", "-m", "Move the data promise to the principles", "--addresses", "OC-0012",
                 "--date", "2024-10-01T12:00:00+02:00", author: "Bo Chen <bo@example.org>")
        try sandbox.write("repo/drafts/02-data.md", "# Data\n\nUrban data is a common resource & a public trust <not> for sale.\n")
        try stet("commit", "-m", "A public trust", "--date", "2024-11-02T08:00:00Z", author: "Carmen Ruiz <carmen@example.org>")
        return sandbox
    }

    func check(_ name: String, _ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = Self.folder + "/" + name
        if ProcessInfo.processInfo.environment["STET_UPDATE_GOLDEN"] == "1" {
            try Data(output.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(output == expected, "\(name) differs from Golden/\(name) (STET_UPDATE_GOLDEN=1 rewrites it):\n\(lineDiff(expected: expected, actual: output))",
                sourceLocation: sourceLocation)
    }

    @Test func everyRendererMatchesItsGoldenFile() throws {
        let sandbox = try history()
        try check("compare-terminal.txt", try sandbox.stet("compare", "first", "HEAD", "--format", "terminal").output)
        try check("compare.json", try sandbox.stet("compare", "first", "HEAD", "--format", "json").output)
        try check("compare-principles.critic.md",
                  try sandbox.stet("compare", "first", "HEAD", "--format", "criticmarkup", "--section", "principles").output)
        try check("diff-debug.txt", try sandbox.stet("diff", "first", "HEAD", "--debug").output)
        try check("diff-stat.txt", try sandbox.stet("diff", "first", "HEAD", "--stat").output)
        try check("blame-data.txt", try sandbox.stet("blame", "data").output)
        #expect(try sandbox.stet("compare", "first", "HEAD", "-o", sandbox.path + "/compare.html").status == 0)
        // The nonce changes with every file; the rest must not.
        let html = try sandbox.read("compare.html").replacing(/nonce-[0-9a-f]+|nonce="[0-9a-f]+"/, with: "NONCE")
        try check("compare.html", html)
    }
}
