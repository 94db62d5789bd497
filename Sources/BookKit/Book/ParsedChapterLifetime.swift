/// What becomes of the chapters a tangle parsed once it is done with them.
/// A process that exits as soon as its one command is done, like `book
/// tangle`, gains nothing by freeing them — some 100,000 strings on a large
/// book, freed one by one — just before the operating system takes back the
/// whole address space at once.
public enum ParsedChapterLifetime: Sendable {
    /// Freed when the tangle returns: for long-running commands (`book
    /// watch`, `book serve`) and the tests.
    case freedAfterUse
    /// Never freed: for a command the process ends with.
    case keptUntilExit

    /// Called by the tangle when it no longer needs `value`, the parsed
    /// chapters: keeping them is never releasing them.
    func done(with value: Any) {
        if self == .keptUntilExit { _ = Unmanaged.passRetained(Kept(value)) }
    }

    private final class Kept {
        let value: Any
        init(_ value: Any) { self.value = value }
    }
}
