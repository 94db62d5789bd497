import Foundation

/// What one part of the last successful build (swiftboot, the kernel, the
/// ISO) read and wrote, as a `RunStamp`: the size and modification time of
/// each input and output, and of the `book` program, whose build flags are
/// compiled in. `book tangle` rewrites only the files whose text changes,
/// so an unchanged chapter leaves its files' times alone. A stamp is a
/// cache: deleting `build/.stamps` costs one full build, nothing else.
enum BuildStamp {
    static let version = "book-build-stamp 1"

    /// `inputs` are paths relative to `tree` (or absolute).
    static func current(inputs: [String], in tree: URL, outputs: [URL]) -> RunStamp {
        var lines = [version, RunStamp.toolLine]
        for path in inputs {
            lines.append(RunStamp.line("in", path.hasPrefix("/") ? URL(fileURLWithPath: path) : tree.appendingPathComponent(path), path))
        }
        for url in outputs {
            lines.append(RunStamp.line("out", url, url.path))
        }
        return RunStamp(lines: lines)
    }
}
