import ArgumentParser
import BookKit
import Foundation

@main
struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Tangle, check, build and boot \"Booting x86-64 in Swift\".",
        subcommands: [
            Tangle.self, Sync.self, Check.self, Weave.self, Serve.self, Watch.self, Diff.self,
            Build.self, Run.self, Exercise.self, Debug.self, Where.self,
        ]
    )

    /// ArgumentParser's `main`, with the one place where the book's own
    /// errors, whichever verb throws them, become output and an exit status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: reported(error))
        }
    }
}

/// Prints the book's errors to stderr — diagnostics the way compilers do,
/// a failed tool with its output — and leaves a non-zero exit for them;
/// other errors (a wrong option, an exit status) go back to ArgumentParser
/// unchanged.
func reported(_ error: Error) -> Error {
    switch error {
    case let error as DiagnosticError:
        report(error.diagnostics)
        return ExitCode.failure
    case let error as ToolFailure:
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        return ExitCode.failure
    default:
        return error
    }
}

/// Options every verb shares.
struct BookOptions: ParsableArguments {
    @Option(name: .long, help: "The book's root folder (default: the nearest folder above the current one that holds chapters/).")
    var root: String?

    /// The book's root folder, when there is one.
    var rootFolder: URL? {
        Book.findRoot(from: URL(fileURLWithPath: root ?? FileManager.default.currentDirectoryPath))
    }

    func loadBook() throws -> Book {
        let start = URL(fileURLWithPath: root ?? FileManager.default.currentDirectoryPath)
        guard let found = Book.findRoot(from: start) else {
            throw DiagnosticError([.error("no chapters/ folder in \(start.path) or above it", at: nil)])
        }
        return try Book.load(root: found)
    }
}

/// Options of verbs that work on a chapter's code state.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: "Use the code as it stands after chapter N (tangled into build/states/NN).")
    var upto: Int?
}

/// Prints diagnostics to stderr the way compilers do.
func report(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
}

/// Prints a line at once, also when stdout is a pipe (`book watch` runs long).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
