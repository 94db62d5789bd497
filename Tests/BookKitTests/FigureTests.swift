@testable import BookKit
import Foundation
import Testing

/// Figures: ```figure blocks that `book weave` draws as inline SVG.
@Suite struct FigureTests {
    /// One small figure of each kind, as a chapter.
    static let chapter = """
        # A

        \(fence)figure id=flags kind=bits title="Two <flags> & a *gap*"
        width 8
        7       "A&B"   =1  key
        5..4    DPL     =00
        0       P
        group 5..4 "privilege"
        legend muted "unused"
        \(fence)

        \(fence)figure id=info kind=bytes title="Info"
        0..3    size    =12
        4..11   value
        \(fence)

        \(fence)figure id=map kind=memory title="Map"
        column "Virtual"
        region 0x1000 0x2000 "code <rx>" id=v key
        column "Physical"
        region 0x0 0x1000 "RAM" "low" id=p
        arrow v p "maps"
        \(fence)

        \(fence)figure id=t kind=tree title="Tree"
        table root "Root"
        page leaf "Page" "rw-"
        root[0..1] -> leaf "two"
        \(fence)
        """

    static func figures() throws -> [String] {
        let page = try #require(try weave([("01-a.md", chapter)])["01-a.html"])
        var result: [String] = []
        var rest = page[...]
        while let start = rest.range(of: "<figure class=\"diagram\""), let end = rest[start.lowerBound...].range(of: "</figure>") {
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    @Test func bitFieldsAreNumberedFromTheLeftWithValuesGroupsAndALegend() throws {
        let figure = try Self.figures()[0]
        #expect(figure == #"""
            <figure class="diagram" id="fig-flags">
            <div class="diagram-scroll"><svg class="figure-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 304 110" width="304" height="110" role="img" aria-labelledby="fig-flags-title" font-size="12" fill="currentColor">
            <title id="fig-flags-title">Figure 1.1: Two &lt;flags&gt; &amp; a gap</title>
            <rect class="box key" x="8" y="20" width="36" height="42" fill="none" stroke="currentColor"/>
            <text class="num" x="26" y="16" text-anchor="middle" font-size="10">7</text>
            <text class="label" x="26" y="37" text-anchor="middle">A&amp;B</text>
            <text class="mono" x="26" y="53" text-anchor="middle" font-size="11">1</text>
            <rect class="box muted" x="44" y="20" width="36" height="42" fill="none" stroke="currentColor"/>
            <text class="num" x="62" y="16" text-anchor="middle" font-size="10">6</text>
            <rect class="box" x="80" y="20" width="72" height="42" fill="none" stroke="currentColor"/>
            <text class="num" x="82" y="16" font-size="10">5</text>
            <text class="num" x="150" y="16" text-anchor="end" font-size="10">4</text>
            <text class="label" x="116" y="37" text-anchor="middle">DPL</text>
            <text class="mono" x="116" y="53" text-anchor="middle" font-size="11">00</text>
            <rect class="box muted" x="152" y="20" width="108" height="42" fill="none" stroke="currentColor"/>
            <text class="num" x="154" y="16" font-size="10">3</text>
            <text class="num" x="258" y="16" text-anchor="end" font-size="10">1</text>
            <rect class="box" x="260" y="20" width="36" height="42" fill="none" stroke="currentColor"/>
            <text class="num" x="278" y="16" text-anchor="middle" font-size="10">0</text>
            <text class="label" x="278" y="45" text-anchor="middle">P</text>
            <path class="bracket" d="M81,66 L81,71 L151,71 L151,66" fill="none" stroke="currentColor"/>
            <text class="note" x="116" y="84" text-anchor="middle" font-size="11">privilege</text>
            <rect class="box muted" x="8" y="90" width="18" height="12" fill="none" stroke="currentColor"/>
            <text class="note" x="32" y="100" font-size="11">unused</text>
            </svg></div>
            <figcaption><a class="figure-number" href="#fig-flags">Figure 1.1</a> Two &lt;flags&gt; &amp; a <em>gap</em></figcaption>
            </figure>
            """#)
    }

    @Test func byteRowsTouchAndAFieldThatWrapsSaysSo() throws {
        let figure = try Self.figures()[1]
        #expect(figure == #"""
            <figure class="diagram" id="fig-info">
            <div class="diagram-scroll"><svg class="figure-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 564 114" width="564" height="114" role="img" aria-labelledby="fig-info-title" font-size="12" fill="currentColor">
            <title id="fig-info-title">Figure 1.2: Info</title>
            <text class="num" x="76" y="15" text-anchor="middle" font-size="10">0</text>
            <text class="num" x="140" y="15" text-anchor="middle" font-size="10">1</text>
            <text class="num" x="204" y="15" text-anchor="middle" font-size="10">2</text>
            <text class="num" x="268" y="15" text-anchor="middle" font-size="10">3</text>
            <text class="num" x="332" y="15" text-anchor="middle" font-size="10">4</text>
            <text class="num" x="396" y="15" text-anchor="middle" font-size="10">5</text>
            <text class="num" x="460" y="15" text-anchor="middle" font-size="10">6</text>
            <text class="num" x="524" y="15" text-anchor="middle" font-size="10">7</text>
            <text class="num" x="38" y="45" text-anchor="end" font-size="10">+0</text>
            <rect class="box" x="44" y="20" width="256" height="42" fill="none" stroke="currentColor"/>
            <text class="label" x="172" y="37" text-anchor="middle">size</text>
            <text class="mono" x="172" y="53" text-anchor="middle" font-size="11">12</text>
            <rect class="box" x="300" y="20" width="256" height="42" fill="none" stroke="currentColor"/>
            <text class="label" x="428" y="45" text-anchor="middle">value</text>
            <text class="num" x="38" y="87" text-anchor="end" font-size="10">+8</text>
            <rect class="box" x="44" y="62" width="256" height="42" fill="none" stroke="currentColor"/>
            <text class="note" x="172" y="87" text-anchor="middle">… value</text>
            <rect class="box muted" x="300" y="62" width="256" height="42" fill="none" stroke="currentColor"/>
            </svg></div>
            <figcaption><a class="figure-number" href="#fig-info">Figure 1.2</a> Info</figcaption>
            </figure>
            """#)
    }

    @Test func memoryColumnsStackRangesHighestFirstWithArrows() throws {
        let figure = try Self.figures()[2]
        #expect(figure == #"""
            <figure class="diagram" id="fig-map">
            <div class="diagram-scroll"><svg class="figure-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480.1 90" width="480.1" height="90" role="img" aria-labelledby="fig-map-title" font-size="12" fill="currentColor">
            <title id="fig-map-title">Figure 1.3: Map</title>
            <defs><marker id="fig-map-arrow" class="arrowhead" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>
            <text class="title" x="120.1" y="14" text-anchor="middle">Virtual</text>
            <rect class="box key" x="55.1" y="26" width="130" height="40" fill="none" stroke="currentColor"/>
            <text class="label" x="120.1" y="43" text-anchor="middle">code &lt;rx&gt;</text>
            <text class="addr" x="49.1" y="30" text-anchor="end" font-size="10.5">0x2000</text>
            <text class="addr" x="49.1" y="70" text-anchor="end" font-size="10.5">0x1000</text>
            <text class="title" x="360.1" y="14" text-anchor="middle">Physical</text>
            <rect class="box" x="295.1" y="26" width="130" height="54" fill="none" stroke="currentColor"/>
            <text class="label" x="360.1" y="43" text-anchor="middle">RAM</text>
            <text class="note" x="360.1" y="57" text-anchor="middle" font-size="11">low</text>
            <text class="addr" x="431.1" y="30" font-size="10.5">0x1000</text>
            <text class="addr" x="431.1" y="84" font-size="10.5">0x0</text>
            <path class="edge" d="M185.1,46 C239.1,46 239.1,53 293.1,53" fill="none" stroke="currentColor" marker-end="url(#fig-map-arrow)"/>
            <text class="edge-label" x="239.1" y="44.5" text-anchor="middle" font-size="11">maps</text>
            </svg></div>
            <figcaption><a class="figure-number" href="#fig-map">Figure 1.3</a> Map</figcaption>
            </figure>
            """#)
    }

    @Test func treeSlotsPointToTheirTargets() throws {
        let figure = try Self.figures()[3]
        #expect(figure == #"""
            <figure class="diagram" id="fig-t">
            <div class="diagram-scroll"><svg class="figure-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 260 86" width="260" height="86" role="img" aria-labelledby="fig-t-title" font-size="12" fill="currentColor">
            <title id="fig-t-title">Figure 1.4: Tree</title>
            <defs><marker id="fig-t-arrow" class="arrowhead" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>
            <rect class="box table" x="8" y="8" width="90" height="46" fill="none" stroke="currentColor"/>
            <text class="title" x="53" y="24" text-anchor="middle" font-size="12.5">Root</text>
            <line class="rule" x1="8" y1="32" x2="98" y2="32" stroke="currentColor"/>
            <text class="mono" x="16" y="47" font-size="11.5">0–1</text>
            <text class="note" x="90" y="47" text-anchor="end" font-size="11">two</text>
            <rect class="box" x="162" y="28" width="90" height="50" rx="4" fill="none" stroke="currentColor"/>
            <text class="label" x="207" y="44" text-anchor="middle">Page</text>
            <text class="mono" x="207" y="58" text-anchor="middle" font-size="11">rw-</text>
            <path class="edge" d="M98,43 C129,43 129,53 160,53" fill="none" stroke="currentColor" marker-end="url(#fig-t-arrow)"/>
            </svg></div>
            <figcaption><a class="figure-number" href="#fig-t">Figure 1.4</a> Tree</figcaption>
            </figure>
            """#)
    }

    @Test func titlesAreEscapedAndIdsAreUnique() throws {
        let figures = try Self.figures()
        #expect(figures.count == 4)
        // Markdown in the title works; raw HTML does not.
        #expect(figures[0].contains("<title id=\"fig-flags-title\">Figure 1.1: Two &lt;flags&gt; &amp; a gap</title>"))
        #expect(figures[0].contains("<figcaption><a class=\"figure-number\" href=\"#fig-flags\">Figure 1.1</a> Two &lt;flags&gt; &amp; a <em>gap</em></figcaption>"))
        // Arrow markers are per figure, so two figures never share an id.
        #expect(figures[2].contains("<marker id=\"fig-map-arrow\""))
        #expect(figures[3].contains("<marker id=\"fig-t-arrow\""))
    }

    @Test func figuresAreNeverTangled() throws {
        let files = try tangle([("01-a.md", Self.chapter + """

            \(fence)asm file=asm/a.S
                nop
            \(fence)
            """)])
        #expect(files.keys.sorted() == ["asm/a.S"])
        #expect(!files["asm/a.S"]!.contains("figure"))
    }

    @Test func figureAttributesAreChecked() {
        #expect(errors([("01-a.md", "\(fence)figure id=x kind=pie title=\"t\"\n\(fence)\n")]) == [
            "chapters/01-a.md:1:16: error: unknown figure kind 'pie' (known: bits, bytes, memory, tree)",
        ])
        #expect(errors([("01-a.md", "\(fence)figure id=x kind=bits title=\"t\" file=a.S\n\(fence)\n")]) == [
            "chapters/01-a.md:1:36: error: a figure is drawn, not tangled: 'file' has no meaning here",
        ])
        #expect(errors([("01-a.md", "\(fence)figure id=x kind=bits\n\(fence)\n")]) == [
            "chapters/01-a.md:1:4: error: a figure needs id=, kind= and title=: ```figure id=page-tables kind=tree title=\"...\"",
        ])
        #expect(errors([("01-a.md", "\(fence)figure id=x_y kind=bits title=t colour=red\n\(fence)\n")]) == [
            "chapters/01-a.md:1:11: error: a figure id is made of letters, digits and dashes: id=page-tables",
            "chapters/01-a.md:1:36: error: unknown figure attribute 'colour' (known: id, kind, title)",
        ])
    }

    @Test func problemsInADescriptionAreReportedAtTheirWord() {
        func weaveErrors(_ text: String) -> [String] {
            do {
                _ = try makeBook([("01-a.md", text)]).weave()
                return []
            } catch let error as DiagnosticError {
                return error.diagnostics.map(\.description)
            } catch {
                return ["\(error)"]
            }
        }
        #expect(weaveErrors("""
            # A

            \(fence)figure id=f kind=bits title="F"
            7..4 A
              5  B
            \(fence)
            """) == ["chapters/01-a.md:5:3: error: bit 5 is in two fields"])
        #expect(weaveErrors("""
            \(fence)figure id=m kind=memory title="M"
            column "C"
            region 0x10 0x20 "r" id=r
            arrow r nowhere
            \(fence)
            """) == ["chapters/01-a.md:4:1: error: no region has id=nowhere"])
        #expect(weaveErrors("""
            \(fence)figure id=t kind=tree title="T"
            table a "A"
            a[0] -> a
            \(fence)
            """) == ["chapters/01-a.md:2:1: error: the tables point to each other in a circle"])
        #expect(weaveErrors("""
            \(fence)figure id=f kind=bytes title="F"
            0..3 a
            \(fence)

            \(fence)figure id=f kind=bytes title="G"
            0..3 b
            \(fence)
            """) == ["chapters/01-a.md:5:4: error: two figures of this chapter have id=f\nchapters/01-a.md:1:4: note: the other one"])
    }

    /// Called by `WeaveRealBookTests.everyInternalLinkResolves` with the
    /// woven real book (weaving it once keeps that test's timing honest).
    static func checkRealBookFigures(_ pages: [String: String]) throws {
        let expected = [
            "00-how-to-read-this-book.html": "fig-pd-entry",
            "03-long-mode.html": "fig-code-descriptor", "06-permissions.html": "fig-page-tables",
            "07-three-ways-in.html": "fig-relocation", "10-what-the-loader-told-us.html": "fig-multiboot2-info",
        ]
        for (page, anchor) in expected {
            let html = try #require(pages[page])
            #expect(html.contains("<figure class=\"diagram\" id=\"\(anchor)\">"), "\(page) lacks \(anchor)")
            #expect(html.contains("<svg class=\"figure-svg\""))
        }
        #expect(pages["06-permissions.html"]!.contains(">PML4</text>"))
        #expect(pages["03-long-mode.html"]!.contains(">access byte: 0x9A</text>"))
        #expect(pages["10-what-the-loader-told-us.html"]!.contains(">total_size</text>"))
        #expect(pages["07-three-ways-in.html"]!.contains(">0xffffffff80200000 – 0xffffffff80400000</text>"))
    }
}
