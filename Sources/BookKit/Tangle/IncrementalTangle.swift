import Foundation

/// Which generated files a tangle can leave alone after chapters changed.
///
/// A file's text is a function of the pieces it reaches from its root:
/// their lines, their line numbers, their order. A piece of a chapter that
/// did not change is the same piece as last time. So a file is still right
/// when none of the chapters it reaches now has changed, none of the
/// chapters it reached last time has changed (an edit may have taken a
/// piece away), and the file on disk is the one the last run wrote. Such a
/// file is neither expanded, nor read, nor written; everything else (every
/// chapter parsed, every check, every other file) runs as in a full tangle.
struct IncrementalTangle: Sendable {
    /// Chapters whose size or time differ from the stamp, new ones, and
    /// removed ones.
    let changedChapters: Set<String>
    /// For each output the last run wrote and that is unchanged on disk:
    /// the chapters its pieces came from.
    let intactOutputs: [String: Set<String>]

    /// Nil when the stamp cannot vouch for anything (another tool, another
    /// chapter range, or no stamp). `current` is the stamp of the tree now,
    /// with the outputs `stamp` lists.
    init?(stamp: RunStamp?, current: RunStamp) {
        guard let stamp, stamp.lines.prefix(3) == current.lines.prefix(3) else { return nil }
        // Inputs edited, added or removed since the last run.
        let before = stamp.fingerprints("in"), now = current.fingerprints("in")
        let changed = Set(before.keys).union(now.keys).filter { before[$0] != now[$0] }
        changedChapters = changed
        var intact: [String: Set<String>] = [:]
        let written = stamp.fingerprints("out"), onDisk = current.fingerprints("out")
        for (path, chapters) in stamp.uses {
            guard let recorded = written[path], recorded != "missing -", recorded == onDisk[path] else { continue }
            intact[path] = Set(chapters)
        }
        intactOutputs = intact
    }

    /// Whether file `path`, whose pieces now come from `chapters`, is
    /// still right on disk.
    func canReuse(_ path: String, reaching chapters: Set<String>) -> Bool {
        guard let before = intactOutputs[path] else { return false }
        return before.isDisjoint(with: changedChapters) && chapters.isDisjoint(with: changedChapters)
    }
}
