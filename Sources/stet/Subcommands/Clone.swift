import ArgumentParser
import Foundation
import ProseDiff
import StetKit

extension Stet {
    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clone",
            abstract: "Make a working copy of a shared stet repository.",
            discussion: """
                URL: a folder, file://, git://, ssh://user@host[:port]/path (keys from ssh-agent or \
                ~/.ssh, or STET_SSH_KEY; host keys checked against ~/.ssh/known_hosts), or https:// \
                (an access token in STET_TOKEN; it is never stored or printed; a private certificate \
                authority in SSL_CERT_FILE). The milestones come \
                with the drafts and are checked on every later stet sync.
                """)

        @Argument(help: "Where the shared repository is.")
        var url: String

        @Argument(help: "The folder to create (default: the last part of the URL, without .git).")
        var directory: String?

        func run() throws {
            let path = directory ?? Self.defaultFolder(for: url)
            let (repository, result) = try DocumentRepository.clone(url: url, into: path)
            Output.line("Cloned \(Output.safe(DocumentRepository.displayURL(url))) into \(Output.safe(repository.root)): "
                + "\(counted(result.received, "commit"))"
                + (result.receivedMilestones.isEmpty ? "" : ", milestones \(result.receivedMilestones.joined(separator: ", "))"))
            Output.line("Next: cd \(Output.safe(path)), edit a section, stet commit -m \"why\", then stet sync")
        }

        static func defaultFolder(for url: String) -> String {
            var name = url
            while name.hasSuffix("/") { name.removeLast() }
            name = String(name.split(whereSeparator: { $0 == "/" || $0 == ":" }).last ?? "drafts")
            if name.hasSuffix(".git") { name.removeLast(4) }
            return name.isEmpty ? "drafts" : name
        }
    }
}
