import Foundation

/// The reference solution of an exercise: `solutions/NN-slug/N.M.md`, a
/// piece of a chapter whose code blocks `replace` or `append` to the
/// chunks of chapters 1..N, the way a later chapter changes earlier code.
/// Applied, it is appended to chapter N's text.
public struct ExerciseSolution: Hashable, Sendable {
    public static let folder = "solutions"

    public var id: String
    /// Relative to the book's root: `solutions/04-permissions/4.2.md`.
    public var path: String
    public var text: String

    /// The chapter number the id starts with.
    public var chapter: Int? { Int(id.prefix { $0 != "." }) }

    /// Every solution under `root/solutions/`, by exercise id.
    public static func all(root: URL) throws -> [String: ExerciseSolution] {
        var solutions: [String: ExerciseSolution] = [:]
        for path in paths(root: root) {
            let name = (path as NSString).lastPathComponent
            let id = String(name.dropLast(3))
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            solutions[id] = ExerciseSolution(id: id, path: path, text: text)
        }
        return solutions
    }

    /// The solutions' paths relative to `root`, sorted, without reading
    /// them (`book weave`'s check that nothing changed).
    static func paths(root: URL) -> [String] {
        let folder = root.appendingPathComponent(Self.folder)
        let manager = FileManager.default
        guard let chapters = try? manager.contentsOfDirectory(atPath: folder.path) else { return [] }
        var paths: [String] = []
        for chapter in chapters.sorted() where Chapter.number(fromFileName: chapter + ".md") != nil {
            let names = (try? manager.contentsOfDirectory(atPath: folder.appendingPathComponent(chapter).path)) ?? []
            paths += names.sorted().filter { $0.hasSuffix(".md") }.map { "\(Self.folder)/\(chapter)/\($0)" }
        }
        return paths
    }

    /// `chapter`'s text with this solution appended.
    public func applied(to chapterText: String) -> String {
        var text = chapterText
        if !text.hasSuffix("\n") { text += "\n" }
        return text + "\n<!-- The reference solution of exercise \(id), from \(path). -->\n\n" + self.text
    }
}

extension Book {
    /// The reference solutions under `solutions/`, by exercise id.
    public func solutions() throws -> [String: ExerciseSolution] {
        try ExerciseSolution.all(root: root)
    }
}
