import ArgumentParser
import BookKit

struct Exercise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Boot a chapter's code state, start a workspace for its exercises, or check them.",
        discussion: """
            `run` builds the code as it stands after chapter N, boots it and compares the debug console \
            with the chapter's transcript. `start` copies chapters 0..N into a workspace (exercises/NN under \
            the book's root, or --workspace DIR), where you do the exercises without touching the book's own \
            files. `check` builds and boots the workspace and checks it against the checkers of chapter N's \
            exercises (the ```exercise blocks), or only against exercise ID. `book exercise N`, \
            `book exercise N --start` and `book exercise N --check [ID]` are the same as run, start and check.
            """,
        subcommands: [Run.self, Start.self, Check.self, Flags.self],
        defaultSubcommand: Flags.self
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the code after chapter N, boot it and compare it with the chapter's transcript."
        )

        @OptionGroup var chapter: ExerciseChapter.Options

        @Flag(name: .shortAndLong, help: "Print every build command.")
        var verbose = false

        func run() throws {
            let exercises = try ExerciseChapter(chapter)
            guard try exercises.bootAndCompare(verbose: verbose) else { throw ExitCode.failure }
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy chapters 0..N into a workspace for chapter N's exercises."
        )

        @OptionGroup var chapter: ExerciseChapter.Options
        @OptionGroup var workspace: ExerciseChapter.WorkspaceOption

        @Option(help: "Apply the reference solution of this exercise (from solutions/), or a wrong solution by its name (from solutions/NN-x/wrong/), to the copy.")
        var solution: String?

        @Flag(help: "Replace a workspace that exists (your edits there are lost).")
        var force = false

        func run() throws {
            try ExerciseChapter(chapter).start(workspace: workspace.workspace, solution: solution, force: force)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build and boot the workspace and check chapter N's exercises there."
        )

        @OptionGroup var chapter: ExerciseChapter.Options

        @Argument(help: "The exercise to check (4.2, or just 2); all of chapter N's when left out.")
        var id: String?

        @OptionGroup var workspace: ExerciseChapter.WorkspaceOption

        @Flag(name: .shortAndLong, help: "Print every build command.")
        var verbose = false

        func run() throws {
            guard try ExerciseChapter(chapter).check(id: id, workspace: workspace.workspace, verbose: verbose) else {
                throw ExitCode.failure
            }
        }
    }

    /// The spelling from before the subcommands, `book exercise N [--start
    /// | --check [ID]]`, which the chapters and the tests use: the default
    /// subcommand, hidden from the help, whose usage line is the one
    /// `book exercise` had.
    struct Flags: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Boot chapter N's code, or with --start or --check, start or check its exercises.",
            usage: "book exercise [--root <root>] <chapter> [<id>] [--start] [--check] [--workspace <workspace>] [--solution <solution>] [--force] [--verbose]",
            shouldDisplay: false
        )

        @OptionGroup var chapter: ExerciseChapter.Options

        @Argument(help: "With --check: the exercise to check (4.2, or just 2); all of chapter N's when left out.")
        var id: String?

        @Flag(help: "Copy chapters 0..N into the workspace.")
        var start = false

        @Flag(help: "Build and boot the workspace and check the exercises.")
        var check = false

        @OptionGroup var workspace: ExerciseChapter.WorkspaceOption

        @Option(help: "With --start: apply the reference solution of this exercise (from solutions/), or a wrong solution by its name (from solutions/NN-x/wrong/), to the copy.")
        var solution: String?

        @Flag(help: "With --start: replace a workspace that exists (your edits there are lost).")
        var force = false

        @Flag(name: .shortAndLong, help: "Print every build command.")
        var verbose = false

        func validate() throws {
            if start && check { throw ValidationError("--start and --check do different things; give one of them") }
            if id != nil && !check { throw ValidationError("an exercise id goes with --check") }
            if force && !start { throw ValidationError("--force goes with --start") }
            if solution != nil && !start { throw ValidationError("--solution goes with --start") }
        }

        func run() throws {
            let exercises = try ExerciseChapter(chapter)
            let passed: Bool
            if start {
                try exercises.start(workspace: workspace.workspace, solution: solution, force: force)
                passed = true
            } else if check {
                passed = try exercises.check(id: id, workspace: workspace.workspace, verbose: verbose)
            } else {
                passed = try exercises.bootAndCompare(verbose: verbose)
            }
            if !passed { throw ExitCode.failure }
        }
    }
}
