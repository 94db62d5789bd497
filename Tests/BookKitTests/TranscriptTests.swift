import BookKit
import Testing

@Suite struct TranscriptTests {
    let chapter = Chapter(path: "chapters/01-a.md", number: 1, text: """
        Text.

        \(fence)console transcript
        $ book run --upto 1
        hello
        loaded at 0x…, info at 0x…
        \(fence)

        \(fence)console
        not a transcript
        \(fence)
        """)

    @Test func findsTranscriptBlocksAndSkipsCommandLines() {
        let transcripts = Transcript.all(in: chapter)
        #expect(transcripts.count == 1)
        #expect(transcripts[0].location.description == "chapters/01-a.md:3:1")
        #expect(transcripts[0].expectedOutput == ["hello", "loaded at 0x…, info at 0x…"])
    }

    @Test func wildcardsMatchOnlyWithinTheirLine() {
        let transcript = Transcript.all(in: chapter)[0]
        #expect(transcript.mismatch(with: "hello\nloaded at 0x200000, info at 0x9500\n") == nil)
        #expect(transcript.mismatch(with: "hello\nloaded at 0x200000; info at 0x9500\n") == """
            chapters/01-a.md:3:1: the transcript differs from the output at line 2
              expected: loaded at 0x…, info at 0x…
              got:      loaded at 0x200000; info at 0x9500
            """)
        #expect(transcript.mismatch(with: "hello\n") == """
            chapters/01-a.md:3:1: the transcript differs from the output at line 2
              expected: loaded at 0x…, info at 0x…
              got:      (end of output)
            """)
        #expect(transcript.mismatch(with: "hello\nloaded at 0x1, info at 0x2\nextra\n") != nil)
    }

    @Test func aTranscriptCannotAlsoBeCode() {
        #expect(errors([("01-a.md", "\(fence)console transcript file=a.txt\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:4: error: a transcript shows output; it cannot also be code (file= or chunk=)",
        ])
    }
}
