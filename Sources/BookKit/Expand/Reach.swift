/// The one walk of what can be reached in a graph of chunks, whichever way
/// its edges go (from a file down to the chunks it includes, or from a
/// chunk up to the files that include it): every node reachable from the
/// starts, the starts included, visited once. Unlike an expansion it
/// copies nothing and enters each chunk once, however often it is used.
enum Reach {
    /// Calls `visit` for every node reachable from `starts`, with a function
    /// that takes the nodes the visited one leads to.
    static func walk<Node: Hashable>(from starts: some Sequence<Node>, _ visit: (Node, _ leadsTo: (Node) -> Void) -> Void) {
        var seen: Set<Node> = []
        var pending: [Node] = []
        for start in starts where seen.insert(start).inserted { pending.append(start) }
        while let node = pending.popLast() {
            visit(node) { next in
                if seen.insert(next).inserted { pending.append(next) }
            }
        }
    }
}

extension ChunkGraph {
    /// What expanding file `path` would read, found without expanding it:
    /// the file and every chunk its pieces reference, directly or not
    /// (defined or not), by number.
    func reach(of path: String) -> [Int] {
        guard let file = numbers[.file(path)] else { return [] }
        var reached: [Int] = []
        Reach.walk(from: [file]) { number, leadsTo in
            reached.append(number)
            for piece in numbered[number]?.pieces ?? [] {
                for included in piece.includes { leadsTo(included) }
            }
        }
        return reached
    }

    /// The chapters the pieces of `chunks` (numbers) come from.
    func chapters(of chunks: [Int]) -> Set<String> {
        Set(chunks.flatMap { numbered[$0]?.pieces.map(\.chapter) ?? [] })
    }
}
