import ArgumentParser
import BookKit
import Foundation

struct Tangle: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the code the chapters define (Sources/SwiftBoot, asm/).",
        discussion: """
            Files are written atomically and only when their content changes. A generated \
            file that was edited by hand is never overwritten: `book sync` moves the edit \
            into its chapter, --force discards it.
            """
    )

    @OptionGroup var options: BookOptions
    @OptionGroup var state: StateOptions

    @Flag(help: "Overwrite generated files even when they were edited by hand.")
    var force = false

    @Option(help: "Export the code into DIR instead: bare files with no header and no line markers, for tools that take no annotations (no hand-edit protection).")
    var bare: String?

    func run() throws {
        if let bare {
            let book = try options.loadBook()
            let (files, warnings) = try book.tangle(upTo: state.upto, annotated: false, parsedChapters: .keptUntilExit)
            report(warnings)
            let folder = URL(fileURLWithPath: bare, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let changes = try OutputTree(root: folder, managedFolders: []).write(files, force: true)
            print("exported into \(folder.path): \(changes.count) file(s) changed")
            return
        }
        // Nothing changed since the last run: stop before reading the chapters.
        if !force, let root = options.rootFolder, CodeState.isTangled(root: root, chapter: state.upto) {
            print("tangled into \(CodeState(book: Book(root: root, chapters: []), chapter: state.upto).tree.path): 0 file(s) changed")
            return
        }
        let codeState = CodeState(book: try options.loadBook(), chapter: state.upto)
        let (changes, warnings) = try codeState.tangle(force: force, parsedChapters: .keptUntilExit)
        report(warnings)
        for change in changes { print(change) }
        print("tangled into \(codeState.tree.path): \(changes.count) file(s) changed")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fail when the generated files (code and site/) differ from what the chapters generate."
    )

    @OptionGroup var options: BookOptions

    func run() throws {
        // One reading of the chapters for the tangle and the weave.
        let parsed = ParsedBook(try options.loadBook(), keepingDocuments: true)
        let (files, warnings) = try parsed.tangle(parsedChapters: .keptUntilExit)
        report(warnings)
        let woven = try parsed.weave()
        let book = parsed.book
        let code = OutputTree(root: book.root, managedFolders: OutputTree.codeFolders).changes(for: files)
        let site = OutputTree(root: book.root, managedFolders: OutputTree.siteFolders).changes(for: woven)
        for change in code + site { print(change) }
        var failures: [String] = []
        if !code.isEmpty {
            failures.append("\(code.count) generated file(s) out of date; run `book tangle` (or move hand edits into the chapters)")
        }
        if !site.isEmpty {
            failures.append("\(site.count) woven file(s) in site/ out of date; run `book weave`")
        }
        guard failures.isEmpty else {
            for failure in failures { print(failure) }
            throw ExitCode.failure
        }
        print("\(files.count) generated file(s) and \(woven.count) woven file(s) match the chapters")
    }
}
