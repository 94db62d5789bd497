/// Rules for the paths a chapter may write with `file=`.
enum OutputPath {
    /// Why `path` cannot be generated, or nil when it can.
    static func problem(with path: String) -> String? {
        if path.isEmpty { return "file= needs a path" }
        if path.hasPrefix("/") { return "file path '\(path)' is absolute; write it relative to the book's root" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "file path '\(path)' leaves the book's root" }
        if components.contains(where: { $0.isEmpty || $0 == "." }) { return "file path '\(path)' is not in normal form" }
        if let first = components.first, ["chapters", ".git", ".book"].contains(String(first)) {
            return "file path '\(path)' would write into \(first)/, which the generator never writes"
        }
        if CommentStyle(path: path) == nil {
            return "cannot generate '\(path)': unknown file kind (known: \(CommentStyle.knownExtensions.joined(separator: ", ")))"
        }
        return nil
    }
}
