import ArgumentParser
import BookKit

struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move edits made in generated files back into the chapters, then tangle again.",
        discussion: """
            Each changed run of lines is written into the code block it came from, found \
            through the file's line markers, with the indentation of <<references>> removed. \
            Prose is never touched. When an edit cannot be put in exactly one place (it \
            crosses two code blocks, changes a marker or the header, or loses the \
            indentation of a reference), nothing is written and every such edit is reported.
            """
    )

    @OptionGroup var options: BookOptions

    @Flag(help: "Show where the edits would go without writing anything.")
    var dryRun = false

    func run() throws {
        let book = try options.loadBook()
        let (plan, changes) = try book.sync(dryRun: dryRun)
        guard !plan.isEmpty else {
            print("nothing to sync: no generated file was edited")
            return
        }
        for edit in plan.edits { print(edit) }
        if dryRun {
            print("dry run: \(plan.chapterTexts.count) chapter(s) and \(plan.syncedFiles.count) generated file(s) would change")
            return
        }
        for change in changes { print(change) }
        print("synced \(plan.edits.count) edit(s) into \(plan.chapterTexts.count) chapter(s); \(changes.count) generated file(s) rewritten")
    }
}
