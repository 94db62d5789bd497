import ArgumentParser
import BookKit
import Foundation

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what a chapter changes in the generated files, as a unified diff.",
        discussion: """
            Compares the code as it stands after chapter N with the code after the chapter \
            before it (both tangled in memory, nothing is written), without the line markers \
            that point into the chapters. New files are compared with /dev/null.
            """
    )

    @OptionGroup var options: BookOptions

    @Argument(help: "The chapter's number.")
    var chapter: Int

    func run() throws {
        let changes = try options.loadBook().changes(inChapter: chapter)
        FileHandle.standardOutput.write(Data(changes.unifiedDiff.utf8))
        if changes.files.isEmpty {
            FileHandle.standardError.write(Data("chapter \(chapter) does not change the generated files\n".utf8))
        }
    }
}
