import GitStore
import GitValues

/// What a sync does with milestones: tags and kept superseded tags adopted from the remote, and
/// the reference updates that send this repository's.
struct MilestoneExchange {
    var received: [String] = []
    var adoptedCorrections: [String] = []
    /// Milestones whose settlement records (`stet settle`) arrived.
    var adoptedSettlements: [String] = []
    /// Milestones whose settlement records made here the remote lacks.
    var settlementsToSend: [String] = []
    /// Tags the remote lacks.
    var toSend: [String] = []
    /// Corrections made here that replace the remote's tag.
    var corrections: [String] = []
    /// In push order: kept superseded tags first, so that a correction arrives after the record
    /// of what it replaces.
    var updates: [RefUpdate] = []
}

extension DocumentRepository {
    /// The namespaces of stet's records that travel with milestones: tags kept by corrections,
    /// and settlements.
    static let recordNamespaces = [supersededNamespace, Settlement.namespace]

    /// Compares the remote's tags (and the superseded tags kept by corrections) with this
    /// repository's. Tags and records the remote has and this repository lacks are adopted; a
    /// milestone the other side replaced by `stet tag --correct` (its `Supersedes:` chain reaches
    /// this side's tag, and the next milestone is not tagged yet) is adopted or sent as a
    /// correction. Any other difference is an alarm naming both sides, and nothing is changed.
    func exchangeMilestones(remote: String) throws(StetError) -> MilestoneExchange {
        let theirs = try references(under: Repository.remoteTagNamespace(remote))
        let ours = try references(under: "refs/tags/")
        // Records of corrections and settlements, by full reference name: they only ever grow.
        var theirRecords: [String: ObjectID] = [:], ourRecords: [String: ObjectID] = [:]
        for namespace in Self.recordNamespaces {
            for (rest, id) in try references(under: Repository.remoteMirror(remote, of: namespace)) {
                theirRecords[namespace + rest] = id
            }
            for (rest, id) in try references(under: namespace) { ourRecords[namespace + rest] = id }
        }

        var alarms: [String] = []
        for (record, there) in theirRecords.sorted(by: { $0.key < $1.key }) {
            if let here = ourRecords[record], here != there {
                alarms.append("the record \(record) differs: here \(here.short), on \(remote) \(there.short)")
            }
        }
        var exchange = MilestoneExchange()
        var adopt: [(name: String, from: ObjectID, to: ObjectID)] = []
        for name in inMilestoneOrder(theirs.keys) {
            guard let here = ours[name], let there = theirs[name], here != there else { continue }
            if supersedes(here, there, name: name) {
                if let later = laterMilestone(than: name, in: theirs) {
                    alarms.append("milestone '\(name)' was corrected here, but '\(later)' is tagged on \(remote)")
                } else {
                    exchange.corrections.append(name)
                }
            } else if supersedes(there, here, name: name) {
                if let later = laterMilestone(than: name, in: ours) {
                    alarms.append("milestone '\(name)' was corrected on \(remote), but '\(later)' is tagged here")
                } else {
                    adopt.append((name, here, there))
                }
            } else {
                alarms.append(describeDifference(name, here: here, there: there, remote: remote))
            }
        }
        if !alarms.isEmpty {
            let differing = inMilestoneOrder(theirs.keys).filter { name in
                config.milestones.contains(name) && ours[name] != nil && ours[name] != theirs[name]
            }
            let how = differing.first.map { name in
                "; the secretariat decides which is right: stet settle \(name) --theirs -m WHY takes \(remote)'s "
                    + "(this one is kept as a record), stet settle \(name) --ours -m WHY keeps this one "
                    + "(\(remote)'s is kept as a record, as for a correction); then stet sync"
            } ?? "; the secretariat must decide which is right"
            throw StetError(.refused, alarms.joined(separator: "; ") + "; stet changed neither and synced nothing" + how)
        }

        // Records first: a correction is adopted only with the record of what it replaced.
        for (record, id) in theirRecords.sorted(by: { $0.key < $1.key }) where ourRecords[record] == nil {
            if try adoptReference(record, to: id, expecting: nil, remote: remote), record.hasPrefix(Settlement.namespace),
               let name = record.dropFirst(Settlement.namespace.count).split(separator: "/").first.map(String.init),
               !exchange.adoptedSettlements.contains(name)
            {
                exchange.adoptedSettlements.append(name)
            }
        }
        for name in inMilestoneOrder(theirs.keys) {
            guard ours[name] == nil, let id = theirs[name] else { continue }
            if try adoptReference("refs/tags/" + name, to: id, expecting: nil, remote: remote) {
                exchange.received.append(name)
            }
        }
        for (name, from, to) in adopt where try adoptReference("refs/tags/" + name, to: to, expecting: from, remote: remote) {
            exchange.adoptedCorrections.append(name)
        }

        let recordsToSend = ourRecords.keys.sorted().filter { theirRecords[$0] == nil }
        exchange.updates = recordsToSend.map { RefUpdate(source: $0, destination: $0, expected: nil) }
        for record in recordsToSend where record.hasPrefix(Settlement.namespace) {
            if let name = record.dropFirst(Settlement.namespace.count).split(separator: "/").first.map(String.init),
               !exchange.settlementsToSend.contains(name)
            {
                exchange.settlementsToSend.append(name)
            }
        }
        exchange.toSend = inMilestoneOrder(ours.keys.filter { theirs[$0] == nil })
        exchange.updates += exchange.toSend.map {
            RefUpdate(source: "refs/tags/\($0)", destination: "refs/tags/\($0)", expected: nil)
        }
        exchange.updates += exchange.corrections.map {
            RefUpdate(source: "refs/tags/\($0)", destination: "refs/tags/\($0)", expected: theirs[$0], replaces: true)
        }
        return exchange
    }

    /// The references under `namespace`, by the rest of their name.
    private func references(under namespace: String) throws(StetError) -> [String: ObjectID] {
        try gitCall("read the references under \(namespace)") { () throws(GitError) in
            var targets: [String: ObjectID] = [:]
            for reference in try git.referenceNames(matching: namespace + "*") {
                if let id = try git.referenceTarget(reference) { targets[String(reference.dropFirst(namespace.count))] = id }
            }
            return targets
        }
    }

    /// Whether the tag `newer` replaced `older` through one or more corrections: its
    /// `Supersedes:` line names `older`, or a tag that does.
    func supersedes(_ newer: ObjectID, _ older: ObjectID, name: String) -> Bool {
        var current = newer
        for _ in 0..<64 {
            guard let tag = try? git.tag(object: current, name: name), let milestone = Milestone(tag),
                  let replaced = milestone.supersedes
            else { return false }
            if replaced == older { return true }
            current = replaced
        }
        return false
    }

    /// A milestone after `name` in the sequence that `tags` has, if any.
    private func laterMilestone(than name: String, in tags: [String: ObjectID]) -> String? {
        guard let index = config.milestones.firstIndex(of: name) else { return nil }
        return config.milestones[(index + 1)...].first { tags[$0] != nil }
    }

    /// Points `reference` at `id` by compare-and-swap; false when another command changed it
    /// meanwhile (the next sync compares again).
    @discardableResult
    private func adoptReference(_ reference: String, to id: ObjectID, expecting old: ObjectID?, remote: String)
        throws(StetError) -> Bool
    {
        do {
            try git.setReference(reference, to: id, expecting: old, logMessage: "stet sync: from \(remote)")
            return true
        } catch where error.code == .exists || error.code == .modified {
            return false
        } catch {
            throw StetError(error, "cannot record \(reference) from \(remote)")
        }
    }

    /// Milestones in the configured sequence, then other tags by name.
    func inMilestoneOrder(_ names: some Sequence<String>) -> [String] {
        names.sorted { left, right in
            switch (config.milestones.firstIndex(of: left), config.milestones.firstIndex(of: right)) {
            case let (left?, right?): left < right
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): left < right
            }
        }
    }

    private func describeDifference(_ name: String, here: ObjectID, there: ObjectID, remote: String) -> String {
        func place(_ id: ObjectID) -> String {
            if let tag = try? git.tag(object: id, name: name), let commit = tag.commit {
                return "tag \(id.short) on commit \(commit.short)"
            }
            return "commit \(id.short)"
        }
        let kind = config.milestones.contains(name) ? "milestone" : "tag"
        return "\(kind) '\(name)' differs: here \(place(here)), on \(remote) \(place(there))"
    }
}
