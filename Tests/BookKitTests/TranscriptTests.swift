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

    /// `⋮` alone on a line skips any number of output lines, up to the
    /// first that matches the transcript's next line.
    @Test func aVerticalEllipsisSkipsLines() {
        let transcript = Transcript(lines: ["start", "⋮", "Linux version 6.…", "⋮", "end"],
                                    location: SourceLocation(file: "chapters/13-a.md", line: 9, column: 1))
        #expect(transcript.mismatch(with: "start\nLinux version 6.1\nend\n") == nil, "skipping nothing")
        #expect(transcript.mismatch(with: "start\na\nb\nLinux version 6.1\nc\nend\n") == nil)
        #expect(transcript.mismatch(with: "start\na\nLinux version 5.10\nend\n") == """
            chapters/13-a.md:9:1: the transcript's line after ⋮ never comes in the output after line 1
              expected: Linux version 6.…
            """)
        #expect(transcript.mismatch(with: "start\nLinux version 6.1\nend\nmore\n") == """
            chapters/13-a.md:9:1: the transcript differs from the output at line 4
              expected: (end of output)
              got:      more
            """)
        #expect(transcript.mismatch(with: "begin\nLinux version 6.1\nend\n") != nil, "the first line is compared as before")
        let trailing = Transcript(lines: ["start", "⋮"], location: transcript.location)
        #expect(trailing.mismatch(with: "start\nanything\nat all\n") == nil)
    }

    @Test func aTranscriptCannotAlsoBeCode() {
        #expect(errors([("01-a.md", "\(fence)console transcript file=a.txt\nx\n\(fence)\n")]) == [
            "chapters/01-a.md:1:4: error: a transcript shows output; it cannot also be code (file= or chunk=)",
        ])
    }
}
