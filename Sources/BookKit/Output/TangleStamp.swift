import Foundation

/// What the last successful `book tangle` of a tree saw: the size and
/// modification time of every chapter it read and every file it wrote. When
/// nothing has changed since, tangling again can only produce the same
/// files, so `book tangle` stops after a few `stat` calls. The stamp is a
/// cache: deleting it (or `.book/`) costs one full run, nothing else.
struct TangleStamp: Equatable {
    var lines: [String]

    static let version = "book-tangle-stamp 1"

    /// The stamp of `chapters` (under `book`) and `outputs` (under `tree`).
    static func current(chapters: [Chapter], bookRoot: URL, outputs: [String], tree: URL, upTo: Int?) -> TangleStamp {
        var lines = [version, "upto \(upTo.map(String.init) ?? "all")"]
        for chapter in chapters {
            lines.append("in \(chapter.path) \(fingerprint(of: bookRoot.appendingPathComponent(chapter.path)))")
        }
        for path in outputs.sorted() {
            lines.append("out \(path) \(fingerprint(of: tree.appendingPathComponent(path)))")
        }
        return TangleStamp(lines: lines)
    }

    /// Size and modification time in nanoseconds, or "missing".
    static func fingerprint(of url: URL) -> String {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return "missing" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    static func location(in tree: URL) -> URL {
        tree.appendingPathComponent(".book/tangle.stamp")
    }

    static func load(from tree: URL) -> TangleStamp? {
        guard let text = try? String(contentsOf: location(in: tree), encoding: .utf8) else { return nil }
        return TangleStamp(lines: text.split(separator: "\n").map(String.init))
    }

    /// The output paths the stamp lists.
    var outputs: [String] {
        lines.compactMap { line in
            guard line.hasPrefix("out ") else { return nil }
            let rest = line.dropFirst(4)
            // "out PATH SIZE MTIME" or "out PATH missing"; paths have no spaces.
            return rest.split(separator: " ").first.map(String.init)
        }
    }

    func save(to tree: URL) throws {
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: Self.location(in: tree))
    }
}
