extension LineDiff {
    /// A run of changed lines: `old[oldRange]` became `new[newRange]`; one
    /// of the ranges may be empty.
    struct ChangedRun: Equatable {
        var oldRange: Range<Int>
        var newRange: Range<Int>
    }

    /// The runs of lines where `new` differs from `old`, from the shortest
    /// edit script (`book sync` attributes each run to one code block).
    static func changedRuns(old: [String], new: [String]) -> [ChangedRun] {
        var runs: [ChangedRun] = []
        var i = 0, j = 0
        var start: (old: Int, new: Int)?
        func close() {
            if let open = start { runs.append(ChangedRun(oldRange: open.old..<i, newRange: open.new..<j)) }
            start = nil
        }
        for edit in edits(from: old, to: new) {
            switch edit {
            case .same:
                close()
                i += 1
                j += 1
            case .removed:
                if start == nil { start = (i, j) }
                i += 1
            case .added:
                if start == nil { start = (i, j) }
                j += 1
            }
        }
        close()
        return runs
    }
}
