import Foundation

/// A plausible wrong answer to an exercise, kept to prove that the
/// exercise's checker rejects it: `solutions/NN-slug/wrong/N.M-what.md`.
/// Its prose says what the mistake is; its code blocks change the chapters
/// the way a reference solution does; a closing ```` ```verdict ```` block
/// lists lines that the checker's report must contain, so that a test
/// shows not only that the checker fails the code but that it says why.
public struct WrongSolution: Hashable, Sendable {
    public static let folder = "wrong"
    public static let verdictLanguage = "verdict"

    /// `1.2-digits-without-letters`: the exercise id, a dash, the mistake.
    public var name: String
    /// Relative to the book's root.
    public var path: String
    /// The solution without its verdict block.
    public var solution: ExerciseSolution
    /// Lines the failed check's report must contain, each as it is.
    public var verdict: [String]

    /// The exercise it answers, from the name: `1.2`.
    public var id: String { solution.id }

    /// Every wrong solution under `root/solutions/*/wrong/`, by name.
    public static func all(root: URL) throws -> [WrongSolution] {
        let solutions = root.appendingPathComponent(ExerciseSolution.folder)
        let manager = FileManager.default
        guard let chapters = try? manager.contentsOfDirectory(atPath: solutions.path) else { return [] }
        var found: [WrongSolution] = []
        for chapter in chapters.sorted() where Chapter.number(fromFileName: chapter + ".md") != nil {
            let folder = solutions.appendingPathComponent(chapter).appendingPathComponent(Self.folder)
            let names = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in names.sorted() where file.hasSuffix(".md") {
                let path = "\(ExerciseSolution.folder)/\(chapter)/\(Self.folder)/\(file)"
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                found.append(try parse(name: String(file.dropLast(3)), path: path, text: text))
            }
        }
        return found
    }

    /// Splits off the verdict block; errors name the file and line.
    static func parse(name: String, path: String, text: String) throws -> WrongSolution {
        func problem(_ message: String, line: Int) -> DiagnosticError {
            DiagnosticError([.error(message, at: SourceLocation(file: path, line: line))])
        }
        // "1.2-digits-without-letters": the id is everything before the first dash.
        guard let dash = name.firstIndex(of: "-"), name[..<dash].contains("."), dash != name.index(before: name.endIndex) else {
            throw problem("a wrong solution's file is named after its exercise and its mistake, like 1.2-digits-without-letters.md", line: 1)
        }
        let id = String(name[..<dash])
        var lines = text.components(separatedBy: "\n")
        let fence = "```" + verdictLanguage
        guard let start = lines.firstIndex(where: { $0.trimmingWhitespace() == fence }) else {
            throw problem("a wrong solution ends with a ```\(verdictLanguage) block: the lines its checker's report must contain", line: lines.count)
        }
        guard let end = lines[(start + 1)...].firstIndex(where: { $0.trimmingWhitespace() == "```" }) else {
            throw problem("the ```\(verdictLanguage) block is not closed", line: start + 1)
        }
        let verdict = lines[(start + 1)..<end].filter { !$0.trimmingWhitespace().isEmpty }
        guard !verdict.isEmpty else { throw problem("the ```\(verdictLanguage) block is empty", line: start + 1) }
        lines.removeSubrange(start...end)
        return WrongSolution(
            name: name, path: path, solution: ExerciseSolution(id: id, path: path, text: lines.joined(separator: "\n")),
            verdict: Array(verdict)
        )
    }

    /// The verdict lines a failed check's report lacks.
    public func missingVerdict(in report: String) -> [String] {
        verdict.filter { !report.contains($0) }
    }
}

extension Book {
    /// The wrong solutions under `solutions/*/wrong/`.
    public func wrongSolutions() throws -> [WrongSolution] {
        try WrongSolution.all(root: root)
    }
}
