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

    /// A shortest edit script that turns `old` into `new`; removals come
    /// before the additions that replace them.
    public static func edits(from old: [String], to new: [String]) -> [Edit] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        let middle = myers(Array(old[prefix..<(old.count - suffix)]), Array(new[prefix..<(new.count - suffix)]))
        return compacted(old[..<prefix].map(Edit.same) + middle + old[(old.count - suffix)...].map(Edit.same), old: old, new: new)
    }

    /// The same changes in fewer pieces. A run of added (or removed) lines
    /// can often sit one line higher or lower: `+x` after `a`, before `x`
    /// equals `+a`… Myers places it arbitrarily, so a new block
    /// that ends with a blank line may be shown split around an old blank
    /// line. Like GNU diff and git, slide such runs up or down when that
    /// joins them to a neighbouring run.
    static func compacted(_ edits: [Edit], old: [String], new: [String]) -> [Edit] {
        var removed = [Bool](repeating: false, count: old.count)
        var added = [Bool](repeating: false, count: new.count)
        var i = 0, j = 0
        for edit in edits {
            switch edit {
            case .same: i += 1; j += 1
            case .removed: removed[i] = true; i += 1
            case .added: added[j] = true; j += 1
            }
        }
        compact(old, &removed)
        compact(new, &added)
        var result: [Edit] = []
        i = 0
        j = 0
        while i < old.count || j < new.count {
            if i < old.count, removed[i] {
                result.append(.removed(old[i])); i += 1
            } else if j < new.count, added[j] {
                result.append(.added(new[j])); j += 1
            } else {
                result.append(.same(new[j])); i += 1; j += 1
            }
        }
        return result
    }

    /// Slides runs of changed lines in one file to join other runs. A run
    /// `lines[s..<e]` may move up by one when `lines[s-1] == lines[e-1]` and
    /// down by one when `lines[s] == lines[e]`: the unchanged lines keep
    /// their order and text, so they still match the other file.
    static func compact(_ lines: [String], _ changed: inout [Bool]) {
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

    static func myers(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count
        if n == 0 { return b.map(Edit.added) }
        if m == 0 { return a.map(Edit.removed) }
        let (left, right) = numbered(a, b)
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

        var reversed: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let row = trace[d]
            let k = x - y
            let previousK = downward({ row[$0 + d + 1] }, k, d) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : row[previousK + d + 1]
            let previousY = d == 0 ? 0 : previousX - previousK
            while x > previousX, y > previousY {
                reversed.append(.same(a[x - 1]))
                x -= 1
                y -= 1
            }
            guard d > 0 else { break }
            if x == previousX {
                reversed.append(.added(b[y - 1]))
                y -= 1
            } else {
                reversed.append(.removed(a[x - 1]))
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
        // The old and new line numbers (0-based) each edit starts at.
        var oldBefore: [Int] = [], newBefore: [Int] = []
        var old = 0, new = 0
        for edit in edits {
            oldBefore.append(old)
            newBefore.append(new)
            switch edit {
            case .same: old += 1; new += 1
            case .removed: old += 1
            case .added: new += 1
            }
        }
        let changes = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
        guard var first = changes.first else { return [] }
        var last = first
        var groups: [(Int, Int)] = []
        for index in changes.dropFirst() {
            if index - last - 1 <= 2 * context {
                last = index
            } else {
                groups.append((first, last))
                first = index
                last = index
            }
        }
        groups.append((first, last))

        return groups.map { first, last in
            let low = max(0, first - context)
            let high = min(edits.count - 1, last + context)
            let shown = Array(edits[low...high])
            let oldCount = shown.filter { if case .added = $0 { false } else { true } }.count
            let newCount = shown.filter { if case .removed = $0 { false } else { true } }.count
            return Hunk(
                oldStart: oldBefore[low] + (oldCount == 0 ? 0 : 1), oldCount: oldCount,
                newStart: newBefore[low] + (newCount == 0 ? 0 : 1), newCount: newCount,
                edits: shown)
        }
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
