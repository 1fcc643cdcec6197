import ArgumentParser
import Foundation
import StetKit

extension Stet {
    struct Milestones: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "milestones",
            abstract: "List the milestones of the sequence, tagged or pending.",
            discussion: """
                For each milestone: its date, tagger, commit, approval and signature; against the \
                previous milestone, the sections added, removed, changed and renamed, and who \
                changed them. The next pending milestone shows what HEAD holds so far.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @OptionGroup var repository: RepositoryOptions

        @Option(help: "Output format.")
        var format: Format = .text

        func run() throws {
            let repository = try repository.open()
            let steps = try repository.milestones()
            switch format {
            case .json:
                Output.raw(try MilestonesDocument(steps).encoded())
            case .text:
                printText(steps)
            }
        }

        private func printText(_ steps: [MilestoneStatus]) {
            let width = steps.map(\.name.count).max() ?? 0
            let indent = String(repeating: " ", count: width + 2)
            for step in steps {
                let name = Output.safe(step.name).padding(toLength: width, withPad: " ", startingAt: 0)
                let since = step.previous.map { "since \(Output.safe($0))" } ?? "from the beginning"
                if let problem = step.problem {
                    Output.line("\(name)  invalid: \(Output.safe(problem))")
                    continue
                }
                guard let milestone = step.milestone else {
                    Output.line("\(name)  pending")
                    if let sections = step.sections {
                        Output.line(indent + "at HEAD, \(since): \(sections.counts)")
                        printContributors(step.contributors, indent: indent)
                    }
                    continue
                }
                let tagger = milestone.tagger
                Output.line("\(name)  approved \(Output.date(tagger.date, offsetMinutes: tagger.timeZoneOffset))  "
                    + "\(milestone.commit.short)  \(Output.safe(tagger.name))"
                    + (milestone.isSigned ? "  signed" : "") + (milestone.supersedes != nil ? "  corrected" : ""))
                Output.line(indent + Output.safe(milestone.summary))
                if let committed = step.committed {
                    Output.line(indent + "draft committed \(Output.date(committed.date, offsetMinutes: committed.timeZoneOffset))")
                }
                if let sections = step.sections {
                    Output.line(indent + "\(since): \(sections.counts)")
                }
                printContributors(step.contributors, indent: indent)
            }
        }

        private func printContributors(_ contributors: [Contributor], indent: String) {
            guard !contributors.isEmpty else { return }
            Output.line(indent + "contributors: "
                + contributors.map { "\(Output.safe($0.name)) (\($0.commits))" }.joined(separator: ", "))
        }
    }
}

/// `stet milestones --format json`: schema version 1, documented in docs/json.md.
struct MilestonesDocument: JSONDocument {
    struct Step: Encodable {
        var name: String
        var state: String
        var tag: String?
        var commit: String?
        var tagger: JSONSignature?
        var summary: String?
        var message: String?
        var signed: Bool?
        var supersedes: String?
        var previous: String?
        var sections: SectionSummary?
        var contributors: [Contributor]
        var problem: String?
    }

    var schemaVersion = 1
    var milestones: [Step]

    init(_ steps: [MilestoneStatus]) {
        milestones = steps.map { step in
            let milestone = step.milestone
            let tagger = milestone.map { JSONSignature($0.tagger) }
            return Step(name: step.name, state: step.problem != nil ? "invalid" : milestone == nil ? "pending" : "tagged",
                        tag: milestone?.tag.hex, commit: milestone?.commit.hex, tagger: tagger,
                        summary: milestone?.summary, message: milestone?.message, signed: milestone?.isSigned,
                        supersedes: milestone?.supersedes?.hex, previous: step.previous, sections: step.sections,
                        contributors: step.contributors, problem: step.problem)
        }
    }
}
