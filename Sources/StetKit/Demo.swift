import Foundation
import GitStore

/// The sample guidelines repository, built from a history kept as data (`demo/steps`, see
/// demo/README.md) through the same code as `stet commit` and `stet tag`.
public enum Demo {
    /// One step of the history.
    enum Step {
        case commit(CommitRequest, branch: String, copy: [String], sections: [(name: String, path: String)], remove: [String])
        /// A writer's branch merged into `main`.
        case merge(branch: String, message: String, author: String, date: Date)
        case milestone(TagRequest)
    }

    /// The branch the history is on unless a step names another.
    static let mainBranch = "main"

    /// What `build` made.
    public struct Result: Sendable {
        public var root: String
        public var milestones: [String]
        public var commits: Int
    }

    /// The project folder that holds `demo/steps` and `drafts`: the one given, else the nearest
    /// folder above the running executable (a build inside a checkout) or the current folder.
    public static func projectFolder(explicit: String?, executable: String) -> String? {
        let manager = FileManager.default
        func holdsDemo(_ folder: String) -> Bool {
            manager.fileExists(atPath: folder + "/demo/steps") && manager.fileExists(atPath: folder + "/drafts")
        }
        if let explicit { return holdsDemo(explicit) ? explicit : nil }
        for start in [URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent(),
                      URL(fileURLWithPath: manager.currentDirectoryPath)]
        {
            var folder = start
            for _ in 0..<6 {
                if holdsDemo(folder.path) { return folder.path }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Builds the sample repository in `target`, which must not exist or be empty.
    public static func build(at target: String, project: String, environment: [String: String]) throws(StetError) -> Result {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: target).standardizedFileURL.path
        if let contents = try? manager.contentsOfDirectory(atPath: folder), !contents.isEmpty {
            throw StetError(.exists, "\(folder) exists and is not empty; name another folder for the demo")
        }
        let steps = try loadSteps(project + "/demo/steps")
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
                        try manager.copyItem(atPath: project + "/drafts/" + name, toPath: folder + "/drafts/" + name)
                    }
                    for section in sections {
                        let destination = folder + "/drafts/" + section.name
                        if manager.fileExists(atPath: destination) { try manager.removeItem(atPath: destination) }
                        try manager.copyItem(atPath: section.path, toPath: destination)
                    }
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
            }
        }
        return Result(root: folder, milestones: milestones, commits: commits)
    }

    /// The steps in order of their folder names.
    static func loadSteps(_ folder: String) throws(StetError) -> [Step] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
            throw StetError(.notFound, "\(folder) does not exist: the demo's history is missing")
        }
        var steps: [Step] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder + "/" + name + "/step.yml"
            guard let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw StetError(.notFound, "\(path) cannot be read")
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
            let sections = ((try? manager.contentsOfDirectory(atPath: sectionsFolder)) ?? []).sorted()
                .filter { $0.hasSuffix(".md") }.map { (name: $0, path: sectionsFolder + "/" + $0) }
            let request = CommitRequest(message: try string("message"), author: try string("author"), addresses: list("addresses"),
                                        trailers: trailers, date: when.date, timeZoneOffset: when.offset)
            steps.append(.commit(request, branch: fields["branch"]?.string ?? mainBranch, copy: list("copy"),
                                 sections: sections, remove: list("remove")))
        }
        return steps
    }
}
