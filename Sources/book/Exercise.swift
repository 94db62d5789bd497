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

        @OptionGroup var chapter: ChapterOptions
        @OptionGroup var build: BuildLogOption

        func run() throws {
            guard try ExerciseChapter(chapter).bootAndCompare(verbose: build.verbose) else { throw ExitCode.failure }
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy chapters 0..N into a workspace for chapter N's exercises."
        )

        @OptionGroup var chapter: ChapterOptions
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var start: StartOptions

        func run() throws {
            try ExerciseChapter(chapter).start(workspace: workspace.workspace, solution: start.solution, force: start.force)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build and boot the workspace and check chapter N's exercises there."
        )

        @OptionGroup var chapter: ChapterOptions

        @Argument(help: "The exercise to check (4.2, or just 2); all of chapter N's when left out.")
        var id: String?

        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var build: BuildLogOption

        func run() throws {
            guard try ExerciseChapter(chapter).check(id: id, workspace: workspace.workspace, verbose: build.verbose) else {
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

        @OptionGroup var chapter: ChapterOptions

        @Argument(help: "With --check: the exercise to check (4.2, or just 2); all of chapter N's when left out.")
        var id: String?

        @Flag(help: "Copy chapters 0..N into the workspace.")
        var start = false

        @Flag(help: "Build and boot the workspace and check the exercises.")
        var check = false

        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup(title: "With --start") var startOptions: StartOptions
        @OptionGroup var build: BuildLogOption

        func validate() throws {
            if start && check { throw ValidationError("--start and --check do different things; give one of them") }
            if id != nil && !check { throw ValidationError("an exercise id goes with --check") }
            if startOptions.force && !start { throw ValidationError("--force goes with --start") }
            if startOptions.solution != nil && !start { throw ValidationError("--solution goes with --start") }
        }

        func run() throws {
            let exercises = try ExerciseChapter(chapter)
            if start {
                try exercises.start(workspace: workspace.workspace, solution: startOptions.solution, force: startOptions.force)
            } else if check {
                guard try exercises.check(id: id, workspace: workspace.workspace, verbose: build.verbose) else { throw ExitCode.failure }
            } else {
                guard try exercises.bootAndCompare(verbose: build.verbose) else { throw ExitCode.failure }
            }
        }
    }

    /// The book and the chapter's number, which every subcommand takes.
    struct ChapterOptions: ParsableArguments {
        @OptionGroup var options: BookOptions

        @Argument(help: "The chapter's number.")
        var chapter: Int
    }

    struct WorkspaceOption: ParsableArguments {
        @Option(help: "The workspace folder (default: exercises/NN under the book's root).")
        var workspace: String?
    }

    struct StartOptions: ParsableArguments {
        @Option(help: "Apply the reference solution of this exercise (from solutions/), or a wrong solution by its name (from solutions/NN-x/wrong/), to the copy.")
        var solution: String?

        @Flag(help: "Replace a workspace that exists (your edits there are lost).")
        var force = false
    }

    struct BuildLogOption: ParsableArguments {
        @Flag(name: .shortAndLong, help: "Print every build command.")
        var verbose = false
    }
}
