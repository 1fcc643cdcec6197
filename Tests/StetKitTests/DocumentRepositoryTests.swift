import Foundation
import ProseDiff
import StetKit
import StetTestSupport
import Testing

/// The repository's rules through StetKit's API, the git CLI reading back what it wrote.
@Suite("DocumentRepository: the rules, through the API")
struct DocumentRepositoryTests {
    let author = "Amina Diallo <amina@example.org>"

    /// A new repository with two committed sections.
    func started(_ sandbox: Sandbox) throws -> DocumentRepository {
        var environment = sandbox.environment
        environment["STET_AUTHOR"] = author
        let repository = try DocumentRepository.initialize(at: sandbox.path + "/repo", title: "Smart Cities", environment: environment)
        try sandbox.write("repo/drafts/01-preamble.md", "# Preamble\n\nCities are for people.\n")
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays with residents.\n")
        _ = try repository.commit(CommitRequest(message: "Zero draft"))
        return repository
    }

    func refusal(_ code: StetError.Code, mentioning words: String, _ body: () throws -> Void) {
        #expect { try body() } throws: { error in
            guard let error = error as? StetError else { return false }
            return error.code == code && error.message.contains(words)
        }
    }

    @Test func aCommitThatWouldShareAnIDIsRefusedAndWritesNothing() throws {
        let sandbox = try Sandbox()
        let repository = try started(sandbox)
        let head = try sandbox.git("rev-parse", "HEAD")
        try sandbox.write("repo/drafts/03-copy.md", "---\nid: data-governance\n---\n\nA copy.\n")
        refusal(.invalidContent, mentioning: "two sections share the id 'data-governance'") {
            _ = try repository.commit(CommitRequest(message: "Copy"))
        }
        #expect(try sandbox.git("rev-parse", "HEAD") == head)
        #expect(try repository.status().warnings.contains { $0.hasPrefix("stet commit will refuse this: two sections share") })
    }

    @Test func milestonesAreTaggedInOrderAndNeverMove() throws {
        let sandbox = try Sandbox()
        let repository = try started(sandbox)
        refusal(.refused, mentioning: "the previous milestone 'first' is not tagged yet") {
            _ = try repository.tag(TagRequest(milestone: "second", message: "Too soon", tagger: author))
        }
        let first = try repository.tag(TagRequest(milestone: "first", message: "Approved by the Expert Working Group", tagger: author))
        #expect(try sandbox.git("rev-parse", "first").trimmingCharacters(in: .newlines) == first.milestone.tag.hex)
        refusal(.exists, mentioning: "milestone 'first' exists") {
            _ = try repository.tag(TagRequest(milestone: "first", message: "Again", tagger: author))
        }
        #expect(try repository.verify().problems.isEmpty)
        #expect(try sandbox.git("cat-file", "-t", "first") == "tag\n")
    }

    @Test func aComparisonNamesItsSectionsByIDPathOrTitle() throws {
        let sandbox = try Sandbox()
        let repository = try started(sandbox)
        try sandbox.write("repo/drafts/02-data.md", "---\nid: data-governance\ntitle: Data governance\n---\n\nData stays with all residents.\n")
        let result = try repository.compare(from: nil, to: nil)
        for name in ["data-governance", "drafts/02-data.md", "02-data.md", "Data governance"] {
            #expect(try repository.sections(named: [name], in: result).map(\.id) == ["data-governance"], "\(name)")
        }
        #expect(try repository.sections(named: ["preamble"], in: result).isEmpty, "unchanged: known, not in the comparison")
        refusal(.notFound, mentioning: "unknown section 'nowhere'") { _ = try repository.sections(named: ["nowhere"], in: result) }
    }

    @Test func aHeldIndexChangesNothingStatusSees() throws {
        let sandbox = try Sandbox()
        let repository = try started(sandbox)
        try sandbox.write("repo/drafts/03-gamma.md", "# Gamma\n\nGamma text.\n")
        try sandbox.write("repo/.git/index.lock", "")
        let committed = try repository.commit(CommitRequest(message: "Add gamma"))
        #expect(committed.warnings.contains { $0.contains("git's index could not be updated") })
        #expect(try repository.status().isClean)
        try FileManager.default.removeItem(atPath: sandbox.path + "/repo/.git/index.lock")
        #expect(try repository.status().isClean)
        #expect(try sandbox.git("status", "--porcelain") == "")
    }
}
