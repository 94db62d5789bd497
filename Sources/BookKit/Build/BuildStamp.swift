import Foundation

/// What one part of the last successful build (swiftboot, the kernel, the
/// ISO) read and wrote: the size and modification time of each input and
/// output, and of the `book` program, whose build flags are compiled in.
/// `book tangle` rewrites only the files whose text changes, so an
/// unchanged chapter leaves its files' times alone. A stamp is a cache:
/// deleting `build/.stamps` costs one full build, nothing else.
struct BuildStamp: Equatable {
    var lines: [String]

    static let version = "book-build-stamp 1"

    /// `inputs` are paths relative to `tree` (or absolute).
    init(inputs: [String], in tree: URL, outputs: [URL]) {
        lines = [Self.version, "tool \(TangleStamp.fingerprint(of: URL(fileURLWithPath: "/proc/self/exe")))"]
        for path in inputs {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : tree.appendingPathComponent(path)
            lines.append("in \(TangleStamp.fingerprint(of: url)) \(path)")
        }
        for url in outputs {
            lines.append("out \(TangleStamp.fingerprint(of: url)) \(url.path)")
        }
    }

    private init(lines: [String]) {
        self.lines = lines
    }

    static func load(from file: URL) -> BuildStamp? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return BuildStamp(lines: text.split(separator: "\n").map(String.init))
    }

    func save(to file: URL) throws {
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: file)
    }
}
