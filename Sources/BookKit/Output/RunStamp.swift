import Foundation

/// What the last successful run of `book tangle`, `book weave` or a part of
/// `book build` saw: the size and modification time of every input it
/// read, every file it wrote, and of the `book` program itself. When
/// nothing has changed since, running again can only produce the same
/// files, so the run stops after a few `stat` calls. The stamp is a cache:
/// deleting it (or `.book/`) costs one full run, nothing else.
struct RunStamp: Equatable {
    /// The fingerprints: what a run compares to see whether anything
    /// changed at all.
    var lines: [String]
    /// For each output, the chapters its pieces came from (what the file's
    /// header names): what an incremental run needs to tell which outputs
    /// an edited chapter can reach. Not part of the comparison.
    var uses: [String: [String]] = [:]

    static func == (left: RunStamp, right: RunStamp) -> Bool {
        left.lines == right.lines
    }

    /// The recorded fingerprints of the inputs or outputs ("in" or "out"),
    /// by path.
    func fingerprints(_ kind: String) -> [String: String] {
        var result: [String: String] = [:]
        let prefix = "\(kind) "
        for line in lines where line.hasPrefix(prefix) {
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            if fields.count == 4 { result[String(fields[3])] = "\(fields[1]) \(fields[2])" }
        }
        return result
    }

    /// The stamp's format (named when only the tangle had one).
    static let version = "book-tangle-stamp 3"

    /// The stamp of `chapters` (under `book`), any `extraInputs` (paths under
    /// `bookRoot`) and `outputs` (under `tree`).
    static func current(
        chapters: [Chapter], bookRoot: URL, extraInputs: [String] = [], outputs: [String], tree: URL, upTo: Int?
    ) -> RunStamp {
        current(chapterPaths: chapters.map(\.path), bookRoot: bookRoot, extraInputs: extraInputs, outputs: outputs, tree: tree, upTo: upTo)
    }

    static func current(
        chapterPaths: [String], bookRoot: URL, extraInputs: [String] = [], outputs: [String], tree: URL, upTo: Int?
    ) -> RunStamp {
        var lines = [version, "upto \(upTo.map(String.init) ?? "all")", toolLine]
        for path in chapterPaths + extraInputs {
            lines.append(line("in", bookRoot.appendingPathComponent(path), path))
        }
        for path in outputs.sorted() {
            lines.append(line("out", tree.appendingPathComponent(path), path))
        }
        return RunStamp(lines: lines)
    }

    /// The `book` program's own line: another build of it may write other files.
    static var toolLine: String { "tool \(fingerprint(of: URL(fileURLWithPath: "/proc/self/exe")))" }

    /// "KIND SIZE MTIME PATH": the path comes last, so it may hold spaces.
    static func line(_ kind: String, _ url: URL, _ path: String) -> String {
        "\(kind) \(fingerprint(of: url)) \(path)"
    }

    /// Size and modification time in nanoseconds, or "missing -": always
    /// two fields.
    static func fingerprint(of url: URL) -> String {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return "missing -" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    static func location(in tree: URL, kind: String = "tangle") -> URL {
        tree.appendingPathComponent(".book/\(kind).stamp")
    }

    static func load(from tree: URL, kind: String = "tangle") -> RunStamp? {
        load(file: location(in: tree, kind: kind))
    }

    static func load(file: URL) -> RunStamp? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        var stamp = RunStamp(lines: [])
        for line in text.split(separator: "\n") {
            // "uses<TAB>PATH<TAB>CHAPTER<TAB>CHAPTER..."
            if line.hasPrefix("uses\t") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if fields.count >= 2 { stamp.uses[fields[1]] = Array(fields.dropFirst(2)) }
            } else {
                stamp.lines.append(String(line))
            }
        }
        return stamp
    }

    /// The output paths the stamp lists.
    var outputs: [String] {
        fingerprints("out").keys.sorted()
    }

    /// The input paths under `folder` the stamp lists (a weave's pictures).
    func inputs(under folder: String) -> [String] {
        fingerprints("in").keys.filter { $0.hasPrefix(folder) }.sorted()
    }

    func save(to tree: URL, kind: String = "tangle") throws {
        try save(file: Self.location(in: tree, kind: kind))
    }

    func save(file: URL) throws {
        let usesLines = uses.keys.sorted().map { (["uses", $0] + uses[$0]!).joined(separator: "\t") }
        try AtomicFile.write((lines + usesLines).joined(separator: "\n") + "\n", to: file)
    }
}
