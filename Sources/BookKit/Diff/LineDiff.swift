/// The difference of two texts line by line, and its unified-diff hunks.
///
/// The edit script comes from Myers' O(ND) algorithm ("An O(ND) Difference
/// Algorithm and Its Variations", 1986): walk the diagonals of the edit graph,
/// d = 0, 1, 2, … edits at a time, following runs of equal lines for free,
/// until one path reaches the end; then walk the recorded frontiers back.
/// It finds a shortest edit script, which is what `diff` and `git diff`
/// show. Common leading and trailing lines are taken off first, so a
/// chapter that touches a few lines of a long file costs little.
public enum LineDiff {
    public enum Edit: Equatable, Sendable {
        case same(String)
        case removed(String)
        case added(String)

        public var line: String {
            switch self {
            case .same(let line), .removed(let line), .added(let line): line
            }
        }

        /// The line as a unified diff writes it: " ", "-" or "+" and the text.
        public var unified: String {
            switch self {
            case .same(let line): " " + line
            case .removed(let line): "-" + line
            case .added(let line): "+" + line
            }
        }
    }

    /// A run of changes with the unchanged lines around them.
    public struct Hunk: Equatable, Sendable {
        /// The first old line shown (1-based), or when `oldCount` is 0 the
        /// line after which the new lines go (0: before the first line).
        public var oldStart: Int
        public var oldCount: Int
        public var newStart: Int
        public var newCount: Int
        public var edits: [Edit]

        /// `@@ -3,7 +3,8 @@`, a count of 1 left out as GNU diff does.
        public var header: String {
            func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }
            return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
        }
    }

    /// What one step of an edit script does with the next line.
    enum Step: UInt8 { case same, removed, added }

    /// A shortest edit script that turns `old` into `new`; removals come
    /// before the additions that replace them.
    public static func edits(from old: [String], to new: [String]) -> [Edit] {
        let (a, b) = numbered(old, new)
        var edits: [Edit] = []
        edits.reserveCapacity(max(old.count, new.count))
        var i = 0, j = 0
        for step in steps(from: a, to: b) {
            switch step {
            case .same: edits.append(.same(new[j])); i += 1; j += 1
            case .removed: edits.append(.removed(old[i])); i += 1
            case .added: edits.append(.added(new[j])); j += 1
            }
        }
        return edits
    }

    /// The hunks between two texts given as line numbers (equal lines have
    /// equal numbers); `old` and `new` give the text of a line. The same as
    /// `hunks(edits(from:to:), context:)`, without an `Edit` for every line.
    static func hunks<Number: FixedWidthInteger>(
        from a: [Number], to b: [Number], context: Int, old: (Int) -> String, new: (Int) -> String
    ) -> [Hunk] {
        hunks(steps(from: a, to: b), context: context, old: old, new: new)
    }

    /// The edit script of `edits` between two texts given as numbers:
    /// common leading and trailing lines taken off, Myers' search on the
    /// rest, then runs slid together (`compact`).
    static func steps<Number: FixedWidthInteger>(from old: [Number], to new: [Number]) -> [Step] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        if prefix == old.count, prefix == new.count { return [Step](repeating: .same, count: old.count) }
        var removed = [Bool](repeating: false, count: old.count)
        var added = [Bool](repeating: false, count: new.count)
        var i = prefix, j = prefix
        for step in myers(old[prefix..<(old.count - suffix)], new[prefix..<(new.count - suffix)]) {
            switch step {
            case .same: i += 1; j += 1
            case .removed: removed[i] = true; i += 1
            case .added: added[j] = true; j += 1
            }
        }
        compact(old, &removed)
        compact(new, &added)
        var result: [Step] = []
        result.reserveCapacity(max(old.count, new.count))
        i = 0
        j = 0
        while i < old.count || j < new.count {
            if i < old.count, removed[i] {
                result.append(.removed); i += 1
            } else if j < new.count, added[j] {
                result.append(.added); j += 1
            } else {
                result.append(.same); i += 1; j += 1
            }
        }
        return result
    }

    /// Slides runs of changed lines in one file to join other runs, as GNU
    /// diff and git do. A run of added (or removed) lines can often sit one
    /// line higher or lower: `+x` after `a`, before `x` equals `+a`… Myers
    /// places it arbitrarily, so a new block that ends with a blank line may
    /// be shown split around an old blank line. A run `lines[s..<e]` may
    /// move up by one when `lines[s-1] == lines[e-1]` and down by one when
    /// `lines[s] == lines[e]`: the unchanged lines keep their order and
    /// text, so they still match the other file.
    static func compact<Line: Equatable>(_ lines: [Line], _ changed: inout [Bool]) {
        var start = 0
        while start < lines.count {
            guard changed[start] else { start += 1; continue }
            var end = start
            while end < lines.count, changed[end] { end += 1 }
            // Up: as far as possible; keep it if it meets the run above.
            var s = start, e = end
            var joined = false
            while s > 0, !changed[s - 1], lines[s - 1] == lines[e - 1] {
                s -= 1
                e -= 1
                if s > 0, changed[s - 1] {
                    for index in start..<end { changed[index] = false }
                    for index in s..<e { changed[index] = true }
                    joined = true
                    break
                }
            }
            if joined {
                // Look at the joined run again, from its start.
                start = s
                while start > 0, changed[start - 1] { start -= 1 }
                continue
            }
            let runEnd = end
            // Down: the same, towards the run below.
            s = start
            e = runEnd
            while e < lines.count, !changed[e], lines[s] == lines[e] {
                s += 1
                e += 1
                if e < lines.count, changed[e] {
                    for index in start..<runEnd { changed[index] = false }
                    for index in s..<e { changed[index] = true }
                    joined = true
                    break
                }
            }
            if joined { continue }  // look at the joined run again from the same start
            start = runEnd
        }
    }

    /// Myers' search on two texts given as numbers.
    static func myers<Number: FixedWidthInteger>(_ a: ArraySlice<Number>, _ b: ArraySlice<Number>) -> [Step] {
        let n = a.count, m = b.count
        if n == 0 { return [Step](repeating: .added, count: m) }
        if m == 0 { return [Step](repeating: .removed, count: n) }
        let left = Array(a), right = Array(b)
        let most = n + m
        let offset = most + 1
        // v[offset + k]: the furthest x reached on diagonal k = x - y.
        var v = [Int](repeating: 0, count: 2 * most + 3)
        // trace[d]: v as it stood before round d, to walk back from the end.
        // Only diagonals -d-1...d+1 are kept: the others are still 0, and
        // trace[d][k + d + 1] is v[offset + k].
        var trace: [[Int]] = []

        func downward(_ furthest: (Int) -> Int, _ k: Int, _ d: Int) -> Bool {
            // Reach diagonal k from k+1 (an insertion, x stays) or from k-1
            // (a deletion, x grows); prefer whichever got further.
            k == -d || (k != d && furthest(k - 1) < furthest(k + 1))
        }

        search: for d in 0...most {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            var k = -d
            while k <= d {
                defer { k += 2 }
                var x = downward({ v[offset + $0] }, k, d) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, left[x] == right[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m { break search }
            }
        }

        var reversed: [Step] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let row = trace[d]
            let k = x - y
            let previousK = downward({ row[$0 + d + 1] }, k, d) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : row[previousK + d + 1]
            let previousY = d == 0 ? 0 : previousX - previousK
            while x > previousX, y > previousY {
                reversed.append(.same)
                x -= 1
                y -= 1
            }
            guard d > 0 else { break }
            if x == previousX {
                reversed.append(.added)
                y -= 1
            } else {
                reversed.append(.removed)
                x -= 1
            }
        }
        return reversed.reversed()
    }

    /// Each line as a number, the same number for equal lines, so that the
    /// search compares numbers instead of strings.
    static func numbered(_ a: [String], _ b: [String]) -> ([Int], [Int]) {
        var numbers: [String: Int] = [:]
        func number(_ line: String) -> Int {
            if let known = numbers[line] { return known }
            numbers[line] = numbers.count
            return numbers.count - 1
        }
        return (a.map(number), b.map(number))
    }

    /// The hunks of a unified diff: each change with `context` unchanged
    /// lines before and after it; changes closer than twice that share a hunk.
    public static func hunks(_ edits: [Edit], context: Int = 3) -> [Hunk] {
        var steps: [Step] = [], old: [String] = [], new: [String] = []
        for edit in edits {
            switch edit {
            case .same(let line): steps.append(.same); old.append(line); new.append(line)
            case .removed(let line): steps.append(.removed); old.append(line)
            case .added(let line): steps.append(.added); new.append(line)
            }
        }
        return hunks(steps, context: context, old: { old[$0] }, new: { new[$0] })
    }

    /// The same for an edit script given as steps; `old` and `new` give the
    /// lines (0-based). An unchanged line is shown as it stands in `new`.
    static func hunks(_ steps: [Step], context: Int, old: (Int) -> String, new: (Int) -> String) -> [Hunk] {
        // The changes, grouped: changes closer than 2 × context share a group.
        var groups: [(first: Int, last: Int)] = []
        var first = -1, last = -1
        for index in steps.indices where steps[index] != .same {
            if first < 0 {
                first = index
            } else if index - last - 1 > 2 * context {
                groups.append((first, last))
                first = index
            }
            last = index
        }
        guard first >= 0 else { return [] }
        groups.append((first, last))

        var hunks: [Hunk] = []
        // The old and new line numbers (0-based) that step `position` starts at.
        var position = 0, oldLine = 0, newLine = 0
        for (first, last) in groups {
            let low = max(0, first - context)
            let high = min(steps.count - 1, last + context)
            while position < low {
                switch steps[position] {
                case .same: oldLine += 1; newLine += 1
                case .removed: oldLine += 1
                case .added: newLine += 1
                }
                position += 1
            }
            var edits: [Edit] = []
            edits.reserveCapacity(high - low + 1)
            var i = oldLine, j = newLine
            for index in low...high {
                switch steps[index] {
                case .same: edits.append(.same(new(j))); i += 1; j += 1
                case .removed: edits.append(.removed(old(i))); i += 1
                case .added: edits.append(.added(new(j))); j += 1
                }
            }
            let oldCount = i - oldLine, newCount = j - newLine
            hunks.append(Hunk(
                oldStart: oldLine + (oldCount == 0 ? 0 : 1), oldCount: oldCount,
                newStart: newLine + (newCount == 0 ? 0 : 1), newCount: newCount,
                edits: edits))
        }
        return hunks
    }

    /// The lines of a text; a final newline does not start another line.
    public static func lines(of text: String) -> [String] {
        // Without "\r" no Character spans a "\n" ("\r\n" is one), so
        // splitting the UTF-8 bytes gives the same lines, much faster.
        var lines = text.containsByte(13)
            ? text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            : text.lines().map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
