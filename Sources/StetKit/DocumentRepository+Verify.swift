import GitStore
import GitValues

/// What `stet verify` found: a line per milestone, and every problem.
public struct VerificationReport: Sendable {
    public struct Line: Sendable {
        public var milestone: String
        public var text: String
    }

    /// What holds, milestone by milestone.
    public var lines: [Line] = []
    /// What does not; empty when the record is sound.
    public var problems: [String] = []
}

extension DocumentRepository {
    /// Checks the record of milestones: each is an annotated tag on a commit, named as its
    /// reference; the sequence has no gaps and each milestone contains the previous one;
    /// corrections are kept and named; the milestone log agrees with the tags; and, with an
    /// allowed-signers file, every signature verifies.
    public func verify(allowedSigners: String? = nil) throws(StetError) -> VerificationReport {
        var report = VerificationReport()
        let log = try readLog()
        var tagged: [Milestone] = []
        var missing: String?
        for name in config.milestones {
            let info: TagInfo?
            do {
                info = try git.tag(named: name)
            } catch {
                report.problems.append("cannot read the tag '\(name)': \(error.message)")
                continue
            }
            guard let info else {
                if missing == nil { missing = name }
                report.lines.append(.init(milestone: name, text: "pending"))
                checkDeleted(name, log: log, into: &report)
                continue
            }
            guard let milestone = Milestone(info) else {
                report.problems.append(info.isAnnotated
                    ? "milestone '\(name)': the tag \(info.referenceTarget.short) does not name a commit"
                    : "milestone '\(name)' is a lightweight tag on \(info.referenceTarget.short), not an annotated "
                        + "milestone tag (made with git tag, not stet tag?)")
                checkMoved(name, current: nil, log: log, settled: [], into: &report)
                continue
            }
            if info.objectName != name {
                report.problems.append("refs/tags/\(name) points to a tag object named '\(info.objectName ?? "")' "
                    + "(\(milestone.tag.short)), not to a tag of '\(name)'")
            }
            if let missing {
                report.problems.append("milestone '\(name)' is tagged, but the earlier milestone '\(missing)' is not")
            }
            if let previous = tagged.last, !(try isAncestor(previous.commit, of: milestone.commit)) {
                report.problems.append("milestone '\(name)' (\(milestone.commit.short)) does not contain the previous "
                    + "milestone '\(previous.name)' (\(previous.commit.short))")
            }
            var settlementLines: [VerificationReport.Line] = []
            let settled = checkSettlements(milestone, into: &report, lines: &settlementLines)
            checkCorrections(milestone, settled: settled, into: &report)
            checkMoved(name, current: milestone, log: log, settled: settled, into: &report)
            var text = "\(milestone.commit.short), tagged \(MilestoneLog.day(milestone.tagger)) by \(milestone.tagger.name)"
            if milestone.supersedes != nil { text += ", corrected" }
            text += try signatureNote(milestone, info: info, allowedSigners: allowedSigners, into: &report)
            report.lines.append(.init(milestone: name, text: text))
            report.lines += settlementLines
            tagged.append(milestone)
        }
        for entry in log.entries where !config.milestones.contains(entry.name) {
            report.problems.append("\(log.path) records a milestone '\(entry.name)' that is not in the sequence")
        }
        return report
    }

    /// A milestone without a tag must not have a log entry: its tag was deleted.
    private func checkDeleted(_ name: String, log: LogFile, into report: inout VerificationReport) {
        guard let entry = log.entries.first(where: { $0.name == name }) else { return }
        var problem = "milestone '\(name)' is recorded in \(log.path) (tag \(entry.tag.short) on \(entry.commit.short)) "
            + "but refs/tags/\(name) is missing: it was deleted outside stet (git tag -d?)"
        if git.hasObject(entry.tag) { problem += "; restore it with: git update-ref refs/tags/\(name) \(entry.tag.hex)" }
        report.problems.append(problem)
    }

    /// The newest log entry of a milestone must name its current tag, and every older entry a
    /// tag that a correction kept.
    private func checkMoved(_ name: String, current: Milestone?, log: LogFile, settled: [Settlement],
                            into report: inout VerificationReport)
    {
        let entries = log.entries.filter { $0.name == name }
        guard let current else {
            if let entry = entries.first {
                report.problems.append("milestone '\(name)' was replaced outside stet: \(log.path) records tag "
                    + "\(entry.tag.short) on \(entry.commit.short)")
            }
            return
        }
        guard let newest = entries.first else {
            report.problems.append("milestone '\(name)' (tag \(current.tag.short)) has no entry in \(log.path); "
                + "run the stet tag command that made it again to write it")
            return
        }
        if newest.tag != current.tag {
            if entries.contains(where: { $0.tag == current.tag }) {
                report.problems.append("milestone '\(name)' was moved back to an earlier tag (\(current.tag.short)) "
                    + "outside stet; \(log.path) records \(newest.tag.short) as its latest")
            } else {
                report.problems.append("milestone '\(name)' now points to \(current.commit.short) (tag \(current.tag.short)), "
                    + "but \(log.path) records it at \(newest.commit.short) (tag \(newest.tag.short)): it was moved "
                    + "outside stet (git tag -f?)")
            }
        } else if newest.commit != current.commit {
            report.problems.append("\(log.path) records milestone '\(name)' at \(newest.commit.short), but its tag names "
                + "\(current.commit.short)")
        }
        let kept = Set(((try? supersededRefs(name)) ?? []).map(\.milestone.tag) + settled.map(\.discarded))
        for older in entries.dropFirst() where older.tag != current.tag && !kept.contains(older.tag) {
            report.problems.append("\(log.path) records an earlier tag \(older.tag.short) of '\(name)' that no "
                + "recorded correction keeps under \(Self.supersededNamespace)\(name)/")
        }
    }

    /// Each settlement (`stet settle`) is a line of the report; the tag it says stands must be
    /// the milestone's tag or one a correction of it replaced. Returns the sound ones.
    private func checkSettlements(_ milestone: Milestone, into report: inout VerificationReport,
                                  lines: inout [VerificationReport.Line]) -> [Settlement]
    {
        let settled: [Settlement], kept: [(ref: String, milestone: Milestone)], refs: [String]
        do {
            settled = try settlements(of: milestone.name)
            kept = try supersededRefs(milestone.name)
            refs = try gitCall("read the settlements of '\(milestone.name)'") { () throws(GitError) in
                try git.referenceNames(matching: Settlement.namespace + milestone.name + "/*")
            }
        } catch {
            report.problems.append(error.message)
            return []
        }
        for ref in refs where !settled.contains(where: { $0.ref == ref }) {
            report.problems.append("\(ref) is not a settlement record of '\(milestone.name)' (made outside stet?)")
        }
        let standing = Set([milestone.tag] + kept.map(\.milestone.tag))
        var sound: [Settlement] = []
        for settlement in settled {
            guard standing.contains(settlement.kept) else {
                report.problems.append("\(settlement.ref) says tag \(settlement.kept.short) of '\(milestone.name)' stands, "
                    + "but the milestone is tag \(milestone.tag.short) and no correction of it replaced \(settlement.kept.short)")
                continue
            }
            sound.append(settlement)
            lines.append(.init(milestone: milestone.name, text: "settled \(MilestoneLog.day(settlement.settledBy)) by "
                + "\(settlement.settledBy.name): tag \(settlement.discarded.short) set aside for \(settlement.kept.short)"
                + " (\(settlement.reason)), kept as \(settlement.ref)"))
        }
        return sound
    }

    /// Corrections form a chain: the current tag names the newest kept tag, which names the one
    /// before it, down to the first. A kept tag that a settlement set aside is explained by it.
    private func checkCorrections(_ milestone: Milestone, settled: [Settlement], into report: inout VerificationReport) {
        let kept: [(ref: String, milestone: Milestone)]
        let setAside = Set(settled.map(\.discarded))
        do {
            kept = try supersededRefs(milestone.name).filter { !setAside.contains($0.milestone.tag) }
        } catch {
            report.problems.append(error.message)
            return
        }
        var expected = milestone.supersedes
        for (ref, old) in kept.reversed() {
            guard expected == old.tag else {
                report.problems.append(expected == nil
                    ? "\(ref) keeps tag \(old.tag.short) of '\(milestone.name)', but no correction names it "
                        + "(the tag it was replaced by lacks a Supersedes: line); if it was kept there by hand, record "
                        + "why with: stet settle \(milestone.name) -m WHY"
                    : "\(ref) keeps tag \(old.tag.short), but the correction names \(expected!.short)")
                return
            }
            expected = old.supersedes
        }
        if let expected {
            report.problems.append("milestone '\(milestone.name)' supersedes tag \(expected.short), which is not kept "
                + "under \(Self.supersededNamespace)\(milestone.name)/")
        }
    }

    /// `, signed by X` or `, unsigned`; a bad signature is a problem.
    private func signatureNote(_ milestone: Milestone, info: TagInfo, allowedSigners: String?,
                               into report: inout VerificationReport) throws(StetError) -> String
    {
        guard let signature = info.signature else { return ", unsigned" }
        guard let allowedSigners else { return ", signed (not checked: pass --allowed-signers)" }
        let raw: [UInt8]
        do {
            raw = try git.rawObject(milestone.tag)
        } catch {
            throw StetError(error, "cannot read the tag object of '\(milestone.name)'")
        }
        // The signature covers the object's bytes before the signature itself.
        let signatureBytes = Array(signature.utf8)
        guard raw.count >= signatureBytes.count, Array(raw.suffix(signatureBytes.count)) == signatureBytes else {
            report.problems.append("milestone '\(milestone.name)': the signature is not at the end of the tag object")
            return ", signature unreadable"
        }
        let payload = Array(raw.dropLast(signatureBytes.count))
        switch try SSHSignature.verify(payload: payload, signature: signature, allowedSigners: allowedSigners) {
        case .good(let principal):
            return ", good signature by \(principal)"
        case .bad(let reason):
            report.problems.append("milestone '\(milestone.name)': bad signature: \(reason)")
            return ", BAD signature"
        }
    }
}
