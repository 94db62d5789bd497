/// A process that exits as soon as its one command is done, like `book
/// tangle`, gains nothing by freeing the parsed chapters — some 100,000
/// strings on a large book, freed one by one — just before the operating
/// system takes back the whole address space at once. Such a command turns
/// this on; long-running ones (`book watch`, `book serve`) and the tests
/// leave it off, and then nothing is kept.
public enum ShortLivedProcess {
    nonisolated(unsafe) public static var keepsParsedChapters = false
    nonisolated(unsafe) private static var kept: [Any] = []

    /// Keeps `value` alive until the process exits, when turned on. Called
    /// on the main thread only.
    static func keep(_ value: Any) {
        if keepsParsedChapters { kept.append(value) }
    }
}
