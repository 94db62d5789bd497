/// A line diff: the runs of lines where two texts differ, found through a
/// longest common subsequence (common prefix and suffix trimmed first, so
/// the usual small edit of a long file costs almost nothing).
struct LineDiff {
    /// `old[oldRange]` became `new[newRange]`; one of them may be empty.
    struct Hunk: Equatable {
        var oldRange: Range<Int>
        var newRange: Range<Int>
    }

    static func hunks<Line: Hashable>(old: [Line], new: [Line]) -> [Hunk] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        if a.isEmpty && b.isEmpty { return [] }
        if a.isEmpty || b.isEmpty {
            return [Hunk(oldRange: prefix..<(prefix + a.count), newRange: prefix..<(prefix + b.count))]
        }

        // Lines as small integers, then the LCS table from the end.
        var ids: [Line: Int32] = [:]
        for line in a where ids[line] == nil { ids[line] = Int32(ids.count) }
        let xs = a.map { ids[$0]! }
        let y = b.map { ids[$0] ?? -1 }
        let width = y.count + 1
        var table = [Int32](repeating: 0, count: (xs.count + 1) * width)
        for i in stride(from: xs.count - 1, through: 0, by: -1) {
            for j in stride(from: y.count - 1, through: 0, by: -1) {
                table[i * width + j] = xs[i] == y[j]
                    ? table[(i + 1) * width + j + 1] + 1
                    : max(table[(i + 1) * width + j], table[i * width + j + 1])
            }
        }

        var hunks: [Hunk] = []
        var i = 0, j = 0
        var start: (Int, Int)?
        func close() {
            if let (si, sj) = start {
                hunks.append(Hunk(oldRange: (prefix + si)..<(prefix + i), newRange: (prefix + sj)..<(prefix + j)))
                start = nil
            }
        }
        while i < xs.count || j < y.count {
            if i < xs.count, j < y.count, xs[i] == y[j] {
                close()
                i += 1; j += 1
            } else {
                if start == nil { start = (i, j) }
                if j < y.count, i == xs.count || table[i * width + j + 1] >= table[(i + 1) * width + j] {
                    j += 1
                } else {
                    i += 1
                }
            }
        }
        close()
        return hunks
    }
}
