import Foundation
import GitStore
import GitValues

/// The sample guidelines repository, built from a history kept as data (`demo/steps`, see
/// demo/README.md) through the same code as `stet commit` and `stet tag`.
public enum Demo {
    /// One step of the history.
    enum Step {
        case commit(CommitRequest, branch: String, copy: [String], sections: [(name: String, path: String)], remove: [String])
        /// A writer's branch merged into `main`.
        case merge(branch: String, message: String, author: String, date: Date)
        case milestone(TagRequest)
        /// A round of comments imported from a form's export (`file`, beside the step).
        case comments(CommentImport, text: String)
    }

    /// The branch the history is on unless a step names another.
    static let mainBranch = "main"

    /// What `build` made.
    public struct Result: Sendable {
        public var root: String
        public var milestones: [String]
        public var commits: Int
    }

    /// The demo's files (`demo/steps/...` and `drafts/...`, by path), as text.
    public struct Files: Sendable {
        var texts: [String: String]

        /// The files compiled into stet: the project's demo/steps and drafts as they were built.
        public static var embedded: Files {
            Files(texts: Dictionary(EmbeddedDemo.files.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first }))
        }

        /// The files of a stet project folder (to try a history being edited without a new build).
        public static func folder(_ project: String) throws(StetError) -> Files {
            let manager = FileManager.default
            var texts: [String: String] = [:]
            for folder in ["demo/steps", "drafts"] {
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: project + "/" + folder, isDirectory: &isFolder), isFolder.boolValue,
                      let walker = manager.enumerator(atPath: project + "/" + folder)
                else {
                    throw StetError(.notFound, "\(project) has no \(folder) folder; name the stet project with --from")
                }
                while let name = walker.nextObject() as? String {
                    let path = folder + "/" + name
                    var isFolder: ObjCBool = false
                    guard !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                          manager.fileExists(atPath: project + "/" + path, isDirectory: &isFolder), !isFolder.boolValue
                    else { continue }
                    guard let data = manager.contents(atPath: project + "/" + path), let text = String(data: data, encoding: .utf8) else {
                        throw StetError(.invalidContent, "\(project)/\(path) cannot be read as UTF-8 text")
                    }
                    texts[path] = text
                }
            }
            return Files(texts: texts)
        }

        /// The names directly below `folder`, sorted.
        func names(in folder: String) -> [String] {
            let prefix = folder + "/"
            return Set(texts.keys.filter { $0.hasPrefix(prefix) }.compactMap { $0.dropFirst(prefix.count).split(separator: "/").first.map(String.init) })
                .sorted()
        }
    }

    /// Builds the sample repository in `target`, which must not exist or be empty.
    public static func build(at target: String, files: Files = .embedded, environment: [String: String]) throws(StetError) -> Result {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: target).standardizedFileURL.path
        if let contents = try? manager.contentsOfDirectory(atPath: folder), !contents.isEmpty {
            throw StetError(.exists, "\(folder) exists and is not empty; name another folder for the demo")
        }
        let steps = try loadSteps(files)
        var environment = environment
        environment["STET_AUTHOR"] = "Secretariat <secretariat@example.org>"
        let repository = try DocumentRepository.initialize(
            at: folder, title: "International Guidelines on People-Centred Smart Cities",
            date: ISODate.parse("2024-04-29T10:00:00+03:00")?.date, timeZoneOffset: 180, environment: environment)
        var milestones: [String] = []
        var commits = 0
        for step in steps {
            switch step {
            case .commit(let request, let branch, let copy, let sections, let remove):
                try repository.switchBranch(to: branch)
                do {
                    for name in remove { try manager.removeItem(atPath: folder + "/drafts/" + name) }
                    for name in copy {
                        guard let text = files.texts["drafts/" + name] else {
                            throw StetError(.notFound, "the demo copies drafts/\(name), which it does not have")
                        }
                        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/drafts/" + name))
                    }
                    for section in sections {
                        guard let text = files.texts[section.path] else { continue }
                        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/drafts/" + section.name))
                    }
                } catch let error as StetError {
                    throw error
                } catch {
                    throw StetError(.failure, "cannot copy the demo's sections: \(error.localizedDescription)")
                }
                _ = try repository.commit(request)
                commits += 1
            case .merge(let branch, let message, let author, let date):
                try repository.switchBranch(to: mainBranch)
                _ = try repository.mergeLocalBranch(branch, message: message, author: author, date: date)
                commits += 1
            case .milestone(let request):
                try repository.switchBranch(to: mainBranch)
                _ = try repository.tag(request)
                milestones.append(request.milestone)
            case .comments(let request, let text):
                try repository.switchBranch(to: mainBranch)
                _ = try repository.importComments(request, bytes: Array(text.utf8))
                commits += 1
            }
        }
        return Result(root: folder, milestones: milestones, commits: commits)
    }

    /// The steps in order of their folder names.
    static func loadSteps(_ files: Files) throws(StetError) -> [Step] {
        let folder = "demo/steps"
        let names = files.names(in: folder)
        guard !names.isEmpty else { throw StetError(.notFound, "\(folder) is empty: the demo's history is missing") }
        var steps: [Step] = []
        for name in names {
            let path = folder + "/" + name + "/step.yml"
            guard let text = files.texts[path] else {
                throw StetError(.notFound, "\(path) is missing")
            }
            let fields: [String: SafeYAML.Value]
            do {
                fields = try SafeYAML.mapping(text, limit: 64 * 1024)
            } catch {
                throw StetError(.invalidContent, "\(path) \(error.explanation)")
            }
            func string(_ key: String) throws(StetError) -> String {
                guard let value = fields[key]?.string else { throw StetError(.invalidContent, "\(path): '\(key)' is missing") }
                return value
            }
            func list(_ key: String) -> [String] {
                if case .list(let items) = fields[key] { return items }
                return fields[key]?.string.map { [$0] } ?? []
            }
            guard let when = ISODate.parse(try string("date")) else {
                throw StetError(.invalidContent, "\(path): 'date' is not an ISO 8601 date")
            }
            if let milestone = fields["milestone"]?.string {
                steps.append(.milestone(TagRequest(milestone: milestone, message: try string("message"), tagger: try string("tagger"),
                                                   date: when.date, timeZoneOffset: when.offset)))
                continue
            }
            if let round = fields["comments"]?.string {
                let file = folder + "/" + name + "/" + (try string("file"))
                guard let text = files.texts[file] else { throw StetError(.notFound, "\(file) is missing") }
                var request = CommentImport(file: file, round: round, revision: try string("on"))
                request.author = try string("author")
                request.date = when.date
                request.timeZoneOffset = when.offset
                steps.append(.comments(request, text: text))
                continue
            }
            if let branch = fields["merge"]?.string {
                steps.append(.merge(branch: branch, message: try string("message"), author: try string("author"), date: when.date))
                continue
            }
            let trailers = list("trailers").compactMap { item -> Trailer? in
                guard let colon = item.firstIndex(of: ":") else { return nil }
                return Trailer(key: String(item[..<colon]).trimmingCharacters(in: .whitespaces),
                               value: String(item[item.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            let sectionsFolder = folder + "/" + name + "/sections"
            let sections = files.names(in: sectionsFolder).filter { $0.hasSuffix(".md") }
                .map { (name: $0, path: sectionsFolder + "/" + $0) }
            let request = CommitRequest(message: try string("message"), author: try string("author"), addresses: list("addresses"),
                                        trailers: trailers, date: when.date, timeZoneOffset: when.offset)
            steps.append(.commit(request, branch: fields["branch"]?.string ?? mainBranch, copy: list("copy"),
                                 sections: sections, remove: list("remove")))
        }
        return steps
    }
}
