import Foundation

extension Book {
    /// Weaves the site into `root/site`, atomically and only what changed;
    /// returns what changed. Like `book tangle`, a run that finds its
    /// chapters, their pictures, the appendices, the solutions, the README,
    /// the site and the program unchanged since the last one stops at once
    /// (unless `force`).
    public func weaveToDisk(force: Bool = false) throws -> [OutputTree.Change] {
        // The site shows the appendices and the exercises' solutions too.
        let inputs = ["README.md"] + appendices.map(\.path) + ExerciseSolution.paths(root: root)
        if !force, let stamp = RunStamp.load(from: root, kind: "weave"),
           stamp == RunStamp.current(
               chapters: chapters, bookRoot: root, extraInputs: inputs + stamp.inputs(under: "chapters/\(ChapterImage.folder)/"),
               outputs: stamp.outputs, tree: root, upTo: nil) {
            return []
        }
        let files = try weave()
        let changes = try OutputTree(root: root, managedFolders: OutputTree.siteFolders).write(files, force: force)
        try RunStamp.current(
            chapters: chapters, bookRoot: root, extraInputs: inputs + ChapterImage.sources(of: files),
            outputs: files.map(\.path), tree: root, upTo: nil)
            .save(to: root, kind: "weave")
        return changes
    }
}
