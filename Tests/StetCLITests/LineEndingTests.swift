import Foundation
import StetTestSupport
import Testing

@Suite("Line ends and line breaks: the same words are the same text")
struct LineEndingTests {
    static let text = "---\nid: alpha\ntitle: Alpha\n---\n\n# Alpha\n\nCities should involve residents in decisions about digital\nservices, before a technology is chosen.\n"

    func started() throws -> Sandbox {
        try Sandbox.committed(["drafts/01-alpha.md": Self.text, "drafts/02-beta.md": "# Beta\n\nBeta text.\n"])
    }

    /// A writer's editor on Windows saves the file with CRLF: no change to status, diff, compare
    /// or commit.
    @Test func crlfAloneIsNoChange() throws {
        let sandbox = try started()
        try sandbox.write("repo/drafts/01-alpha.md", Self.text.replacingOccurrences(of: "\n", with: "\r\n"))
        let status = try sandbox.stet("status")
        #expect(status.output.hasPrefix("No section changed"), "\(status.output)")
        #expect(status.output.contains("Line endings only, not a change") && status.output.contains("  drafts/01-alpha.md"))
        let diff = try sandbox.stet("diff", "--exit-code")
        #expect(diff.status == 0 && diff.output.isEmpty, "\(diff.output)")
        #expect(try sandbox.stet("commit", "-m", "Nothing").status == 2)

        // Committed by the git CLI as they are, CRLF and all: still no change between the commits.
        try sandbox.git("add", "drafts/01-alpha.md")
        try sandbox.git("commit", "-q", "-m", "CRLF from a Windows editor")
        #expect(try sandbox.stet("diff", "HEAD~1", "HEAD", "--exit-code").status == 0)
        let json = try sandbox.stet("compare", "HEAD~1", "HEAD", "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((document["sections"] as? [Any])?.isEmpty == true, "\(json.output)")
    }

    /// An edit saved with CRLF is committed with LF line ends, and shows only its words.
    @Test func anEditSavedWithCRLFIsRecordedWithLF() throws {
        let sandbox = try started()
        let edited = Self.text.replacingOccurrences(of: "residents", with: "all residents")
        try sandbox.write("repo/drafts/01-alpha.md", edited.replacingOccurrences(of: "\n", with: "\r\n"))
        let diff = try sandbox.stet("diff")
        #expect(diff.output.contains("involve{+ all+} residents"), "\(diff.output)")
        #expect(!diff.output.contains("^M") && !diff.output.contains("\r"))
        #expect(try sandbox.stet("commit", "-m", "All residents").status == 0)
        #expect(try sandbox.git("show", "HEAD:drafts/01-alpha.md") == edited)
        #expect(try sandbox.stet("status").output.hasPrefix("No section changed"))
    }

    /// A paragraph wrapped anew is listed, and said to be line breaks only; it is committed as
    /// the writer saved it.
    @Test func aRewrapIsListedAsLineBreaksOnly() throws {
        let sandbox = try started()
        let rewrapped = Self.text.replacingOccurrences(of: "digital\nservices, before", with: "digital services,\nbefore")
        try sandbox.write("repo/drafts/01-alpha.md", rewrapped)
        let status = try sandbox.stet("status")
        #expect(status.output.contains("modified   Alpha (alpha)  drafts/01-alpha.md  (line breaks only)"), "\(status.output)")
        try sandbox.write("repo/drafts/02-beta.md", "# Beta\n\nBeta text, edited.\n")
        let both = try sandbox.stet("status").output
        #expect(both.contains("modified   Beta (beta)  drafts/02-beta.md\n"), "\(both)")
        #expect(try sandbox.stet("commit", "-m", "Rewrap").status == 0)
        #expect(try sandbox.git("show", "HEAD:drafts/01-alpha.md") == rewrapped)
    }
}
