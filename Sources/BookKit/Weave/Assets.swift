/// The site's stylesheet and script, written as `site/assets/`.
enum Assets {
    static let lightColors = """
        --bg: #fdfdfb; --fg: #1e2024; --muted: #5b626c; --faint: #8b929b; --rule: #e2e4e7;
        --link: #0b5fb8; --accent: #c2410c; --accent-soft: #fdf0e8; --mark: #ffe68a;
        --sidebar-bg: #f6f6f3; --code-bg: #f6f7f8; --code-head: #eceef1; --inline-code: rgba(30, 34, 40, .065);
        --exercise-bg: #fbf6ef; --shadow: 0 1px 2px rgba(0,0,0,.05), 0 4px 16px rgba(0,0,0,.06);
        --term-bg: #1f232a; --term-fg: #e3e6ea; --term-muted: #98a1ad; --term-prompt: #7ec699; --term-error: #ff8c7a;
        --hl-k: #a626a4; --hl-i: #2a60c8; --hl-t: #a35f00; --hl-s: #3f8a3e; --hl-n: #b35a00; --hl-c: #848b95;
        --hl-d: #c8373a; --hl-pp: #a626a4; --hl-r: #0f7f9c; --hl-l: #2a60c8; --hl-a: #b35a00; --hl-v: #c8373a;
        --hl-sec: #0f7f9c; --hl-o: #8a58c6; --hl-cmd: #2a60c8;
        --diff-add-bg: #e7f5ea; --diff-add: #1a7f37; --diff-del-bg: #fcebeb; --diff-del: #c5221f;
        --diff-hunk-bg: #eef0fb; --diff-hunk: #5a5fb0;
        """

    static let darkColors = """
        --bg: #16181c; --fg: #e4e6e9; --muted: #a2a9b3; --faint: #737b86; --rule: #2c3037;
        --link: #7db4ff; --accent: #ff9661; --accent-soft: #2b211b; --mark: #6b5a12;
        --sidebar-bg: #1b1e22; --code-bg: #1e2126; --code-head: #252930; --inline-code: rgba(255, 255, 255, .08);
        --exercise-bg: #1f1d1b; --shadow: 0 1px 2px rgba(0,0,0,.4), 0 4px 16px rgba(0,0,0,.35);
        --term-bg: #0f1114; --term-fg: #dfe3e8; --term-muted: #8a939e; --term-prompt: #8fd19e; --term-error: #ff8c7a;
        --hl-k: #d48ae8; --hl-i: #6fb0ff; --hl-t: #e8c07a; --hl-s: #9ccf7f; --hl-n: #e8a06a; --hl-c: #7d8590;
        --hl-d: #f07f86; --hl-pp: #d48ae8; --hl-r: #5fc8d6; --hl-l: #6fb0ff; --hl-a: #e8a06a; --hl-v: #f07f86;
        --hl-sec: #5fc8d6; --hl-o: #c3a1f0; --hl-cmd: #6fb0ff;
        --diff-add-bg: rgba(63, 185, 80, .14); --diff-add: #6bd17f; --diff-del-bg: rgba(248, 81, 73, .15); --diff-del: #ff8a80;
        --diff-hunk-bg: rgba(140, 130, 240, .13); --diff-hunk: #aaa6f2;
        """

    static let css = """
        :root {
        \(lightColors)
          --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif;
          --mono: ui-monospace, "SF Mono", "Cascadia Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
          --top: 3.25rem;
          color-scheme: light;
        }
        @media (prefers-color-scheme: dark) {
          :root:not([data-theme="light"]) { \(darkColors) color-scheme: dark; }
        }
        :root[data-theme="dark"] { \(darkColors) color-scheme: dark; }

        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; scroll-padding-top: calc(var(--top) + 1rem); }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.68 var(--sans);
          text-rendering: optimizeLegibility; -webkit-font-smoothing: antialiased; }
        a { color: var(--link); text-decoration-thickness: 1px; text-underline-offset: .18em; }
        a:hover { text-decoration-thickness: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: .5rem; z-index: 50; background: var(--bg); padding: .25rem .5rem; }
        .js-only { display: none; }
        .js .js-only { display: flex; }

        /* Top bar */
        .topbar { position: sticky; top: 0; z-index: 20; display: flex; align-items: center; gap: .75rem;
          height: var(--top); padding: 0 1rem; border-bottom: 1px solid var(--rule);
          background: color-mix(in srgb, var(--bg) 90%, transparent); backdrop-filter: saturate(1.4) blur(10px); }
        .book-title { font-weight: 650; color: var(--fg); text-decoration: none; white-space: nowrap;
          overflow: hidden; text-overflow: ellipsis; letter-spacing: -.01em; }
        .book-title::before { content: ""; display: inline-block; width: .7rem; height: .7rem; margin-right: .55rem;
          border-radius: 2px; background: var(--accent); transform: rotate(45deg) translateY(-1px); }
        .menu, .theme { display: inline-flex; align-items: center; justify-content: center; width: 2.25rem; height: 2.25rem;
          border: 0; border-radius: 8px; background: none; color: var(--muted); cursor: pointer; flex: none; }
        .menu:hover, .theme:hover { background: var(--code-bg); color: var(--fg); }
        .menu { display: none; }
        .search { position: relative; margin-left: auto; align-items: center; }
        .search input { width: 15rem; height: 2.1rem; padding: 0 2rem 0 .75rem; border: 1px solid var(--rule); border-radius: 8px;
          background: var(--code-bg); color: var(--fg); font: inherit; font-size: .9rem; }
        .search input:focus { outline: 2px solid color-mix(in srgb, var(--link) 45%, transparent); border-color: var(--link); background: var(--bg); }
        .search-key { position: absolute; right: .5rem; font: .75rem var(--mono); color: var(--faint);
          border: 1px solid var(--rule); border-radius: 4px; padding: 0 .3rem; pointer-events: none; }
        .search-results { position: absolute; right: 0; top: 2.6rem; width: min(34rem, calc(100vw - 2rem)); max-height: 70vh;
          overflow-y: auto; background: var(--bg); border: 1px solid var(--rule); border-radius: 10px; box-shadow: var(--shadow); padding: .35rem; }
        .search-results a { display: block; padding: .5rem .65rem; border-radius: 7px; color: var(--fg); text-decoration: none; }
        .search-results a:hover, .search-results a.selected { background: var(--accent-soft); }
        .search-results .r-title { font-weight: 600; }
        .search-results .r-chapter { display: block; font-size: .75rem; color: var(--muted); }
        .search-results .r-snippet { display: block; font-size: .84rem; color: var(--muted); line-height: 1.45; }
        .search-results mark { background: var(--mark); color: inherit; border-radius: 2px; }
        .search-results .none { padding: .6rem; color: var(--muted); font-size: .9rem; }

        /* Layout */
        .layout { display: grid; grid-template-columns: 17.5rem minmax(0, 1fr); }
        .sidebar { position: sticky; top: var(--top); height: calc(100vh - var(--top)); overflow-y: auto;
          padding: 1.25rem .9rem 2.5rem; border-right: 1px solid var(--rule); background: var(--sidebar-bg); font-size: .9rem; line-height: 1.45; }
        main { min-width: 0; padding: 2.25rem 1.75rem 5rem; }
        main > article, .pager { max-width: 46rem; margin: 0 auto; }

        /* Table of contents */
        .toc-head { display: flex; justify-content: space-between; margin: 0 .5rem .6rem; font-size: .75rem;
          text-transform: uppercase; letter-spacing: .08em; font-weight: 650; }
        .toc-head a { color: var(--muted); text-decoration: none; }
        .toc-head .close { display: none; font-size: 1.4rem; line-height: 1; }
        .sidebar ol, .sidebar ul { list-style: none; margin: 0; padding: 0; }
        .toc-chapters > li > a { display: flex; gap: .6rem; padding: .4rem .5rem; border-radius: 7px; color: var(--fg); text-decoration: none; }
        .toc-chapters > li > a:hover { background: var(--code-head); }
        .toc-chapters .num { flex: none; width: 1.4rem; height: 1.4rem; border-radius: 50%; display: inline-flex; align-items: center;
          justify-content: center; font-size: .75rem; font-weight: 650; color: var(--muted); border: 1px solid var(--rule); background: var(--bg); }
        .toc-chapters .current > a { background: var(--accent-soft); font-weight: 600; }
        .toc-chapters .current .num { background: var(--accent); border-color: var(--accent); color: #fff; }
        .outline { margin: .2rem 0 .6rem 1.2rem !important; border-left: 1px solid var(--rule); }
        .outline a { display: block; padding: .2rem .6rem; color: var(--muted); text-decoration: none; font-size: .85rem; }
        .outline a:hover { color: var(--fg); }
        .outline .level3 a { padding-left: 1.4rem; font-size: .8rem; }
        .outline a.active { color: var(--accent); border-left: 2px solid var(--accent); margin-left: -1px; }
        .toc-section { margin: 1.5rem .5rem .4rem; font-size: .75rem; text-transform: uppercase; letter-spacing: .08em; font-weight: 650; color: var(--muted); }
        .toc-files a { display: block; padding: .2rem .5rem; border-radius: 6px; color: var(--muted); text-decoration: none; }
        .toc-files a:hover { background: var(--code-head); color: var(--fg); }
        .toc-files code { font-size: .78rem; background: none; padding: 0; overflow-wrap: anywhere; }
        h1 code { background: none; padding: 0; font-size: .85em; }

        /* Text */
        h1, h2, h3, h4 { line-height: 1.25; letter-spacing: -.015em; font-weight: 680; }
        h1 { font-size: 2.15rem; margin: .5rem 0 1.25rem; letter-spacing: -.025em; }
        h2 { font-size: 1.5rem; margin: 2.75rem 0 .75rem; padding-top: .25rem; }
        h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
        h4 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
        .chapter-number { display: block; margin-bottom: .45rem; font-size: .8rem; font-weight: 650; letter-spacing: .1em;
          text-transform: uppercase; color: var(--accent); }
        .anchor { margin-left: .45rem; color: var(--faint); text-decoration: none; font-weight: 400; opacity: 0; transition: opacity .15s; }
        h2:hover .anchor, h3:hover .anchor, h4:hover .anchor, .anchor:focus { opacity: 1; }
        p, ul, ol, blockquote, .table-wrap { margin: 0 0 1.1rem; }
        li { margin: .3rem 0; }
        li > ul, li > ol { margin-bottom: .3rem; }
        blockquote { margin-left: 0; padding: .1rem 1.1rem; border-left: 3px solid var(--rule); color: var(--muted); }
        hr { border: 0; border-top: 1px solid var(--rule); margin: 2.5rem 0; }
        strong { font-weight: 650; }
        code, kbd, pre { font-family: var(--mono); }
        :not(pre) > code { font-size: .86em; padding: .12em .35em; border-radius: 5px; background: var(--inline-code); overflow-wrap: anywhere; }
        a > code { color: inherit; }
        a.code-link { text-decoration: none; }
        a.code-link code { border-bottom: 1px dotted var(--faint); }
        .chapter-files { font-size: .92rem; color: var(--muted); padding: .6rem .9rem; border-radius: 8px; background: var(--sidebar-bg);
          border: 1px solid var(--rule); }
        img { max-width: 100%; height: auto; }

        /* Tables */
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; font-size: .92rem; line-height: 1.5; min-width: 60%; }
        th, td { padding: .45rem .75rem; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
        th { font-weight: 650; border-bottom: 2px solid var(--rule); white-space: nowrap; }
        tbody tr:nth-child(even) { background: color-mix(in srgb, var(--code-bg) 60%, transparent); }

        /* Code blocks */
        .code-block { position: relative; margin: 1.35rem 0 1.5rem; border: 1px solid var(--rule); border-radius: 9px;
          background: var(--code-bg); overflow: hidden; }
        .code-block .pre-wrap { position: relative; }
        pre.code { margin: 0; padding: .85rem 1rem; overflow-x: auto; font-size: .82rem; line-height: 1.6; tab-size: 8; color: var(--fg); }
        .illustration[data-lang]::before { content: attr(data-lang); position: absolute; right: .75rem; top: .45rem;
          font: .7rem var(--sans); color: var(--faint); letter-spacing: .03em; pointer-events: none; }
        .js .illustration[data-lang]:hover::before { opacity: 0; }
        .chunk { scroll-margin-top: calc(var(--top) + 1rem); }
        .chunk:target { border-color: var(--accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 22%, transparent); }
        .chunk-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; padding: .45rem .85rem;
          background: var(--code-head); border-bottom: 1px solid var(--rule); font-size: .85rem; }
        .chunk-name { font-family: var(--sans); font-style: italic; font-weight: 600; color: var(--accent); text-decoration: none; }
        .chunk-name.file { font-style: normal; font-family: var(--mono); font-size: .82rem; }
        .chunk-name .label, .xref .label, .ref-label { font-style: normal; font-family: var(--sans); font-weight: 500;
          font-size: .78em; color: var(--muted); font-variant-numeric: tabular-nums; }
        .chunk-name .label { margin-right: .15rem; }
        .mode { font-family: var(--mono); color: var(--muted); font-weight: 600; }
        .mode.replace { color: var(--hl-d); }
        .chunk-meta { margin-left: auto; display: inline-flex; flex-wrap: wrap; gap: .1rem .75rem; font-size: .78rem; color: var(--muted); }
        .chunk-file { color: var(--muted); font-family: var(--mono); font-size: .95em; text-decoration: none; }
        .chunk-file:hover { color: var(--link); text-decoration: underline; }
        .xref { padding: .4rem .85rem .45rem; border-top: 1px dashed var(--rule); font-size: .8rem; line-height: 1.5; color: var(--muted); }
        .xref a { color: var(--muted); }
        .xref a:hover { color: var(--link); }
        .xref .here { color: var(--fg); }
        .xref .pieces { margin-right: .5rem; }
        a.ref { color: var(--accent); text-decoration: none; font-family: var(--sans); font-style: italic; }
        a.ref:hover .ref-name { text-decoration: underline; }
        .ref.undefined { color: var(--hl-d); font-family: var(--sans); font-style: italic; }
        a.sym { color: inherit; text-decoration: none; border-bottom: 1px dotted color-mix(in srgb, currentColor 55%, transparent); }
        a.sym:hover { border-bottom-style: solid; }
        .def { text-decoration: underline; text-decoration-color: color-mix(in srgb, currentColor 35%, transparent); text-underline-offset: .2em; }
        .def:target { background: var(--mark); border-radius: 3px; }
        .tangled .seg { color: var(--faint); font-family: var(--sans); font-size: .85em; user-select: none; -webkit-user-select: none; }
        .tangled .seg a { color: var(--accent); text-decoration: none; font-style: italic; }
        .tangled .seg a:hover { text-decoration: underline; }

        /* Highlighting */
        .code .k { color: var(--hl-k); } .code .i { color: var(--hl-i); } .code .t { color: var(--hl-t); }
        .code .s { color: var(--hl-s); } .code .n { color: var(--hl-n); } .code .c { color: var(--hl-c); font-style: italic; }
        .code .d { color: var(--hl-d); } .code .pp { color: var(--hl-pp); } .code .r { color: var(--hl-r); }
        .code .l { color: var(--hl-l); font-weight: 600; } .code .ll { color: var(--hl-l); } .code .a { color: var(--hl-a); }
        .code .v { color: var(--hl-v); } .code .sec { color: var(--hl-sec); } .code .o { color: var(--hl-o); }
        .code .cmd { color: var(--hl-cmd); font-weight: 600; }

        /* Terminals: console blocks and the output a chapter's code prints */
        .console, .output { background: var(--term-bg); border-color: var(--term-bg); }
        .console pre.code, .output pre.code { color: var(--term-fg); }
        .code .pr { color: var(--term-prompt); user-select: none; -webkit-user-select: none; }
        .code .out { color: var(--term-fg); }
        .code .err { color: var(--term-error); }
        .console .cmd, .output .cmd { color: var(--term-fg); }
        .console .o, .output .o { color: var(--term-muted); }
        .output figcaption { display: flex; align-items: center; gap: .5rem; padding: .45rem .85rem 0; font-size: .72rem;
          font-weight: 650; letter-spacing: .09em; text-transform: uppercase; color: var(--term-muted); }
        .output figcaption::before { content: ""; width: .55rem; height: .55rem; border-radius: 50%; background: var(--term-prompt); }
        .output pre.code { padding-top: .45rem; }

        /* Copy buttons */
        .copy { position: absolute; top: .45rem; right: .45rem; padding: .2rem .55rem; border: 1px solid var(--rule); border-radius: 6px;
          background: var(--bg); color: var(--muted); font: .72rem var(--sans); cursor: pointer; opacity: 0; transition: opacity .15s; }
        .code-block:hover .copy, .copy:focus { opacity: 1; }
        .copy.done { color: var(--hl-s); }
        .console .copy, .output .copy { background: var(--term-bg); border-color: #3a4049; color: var(--term-muted); }
        @media (hover: none) { .copy { opacity: .85; } }

        /* Exercises */
        .exercises { margin: 2.75rem 0 1.5rem; padding: .4rem 1.4rem .6rem; border-radius: 10px; background: var(--exercise-bg);
          border: 1px solid color-mix(in srgb, var(--accent) 22%, var(--rule)); }
        .exercises > h2, .exercises > h3 { margin-top: 1rem; }
        .exercises > h2::before, .exercises > h3::before { content: "✎"; margin-right: .5rem; color: var(--accent); }
        .exercises > ol { padding-left: 1.4rem; }
        .exercises > ol > li { margin: .9rem 0; }
        .exercises > ol > li::marker { font-weight: 650; color: var(--accent); }
        details { margin: .5rem 0 .7rem; padding: .15rem .85rem; border: 1px solid var(--rule); border-radius: 8px; background: var(--bg); }
        details[open] { padding-bottom: .6rem; }
        summary { cursor: pointer; font-weight: 600; font-size: .9rem; color: var(--accent); padding: .3rem 0; }
        details > :last-child { margin-bottom: 0; }
        details.solution summary { color: var(--hl-s); }

        /* What changed in this chapter: one collapsed diff per file */
        .changes { margin-top: 3rem; }
        details.file-diff { padding: 0; overflow: hidden; background: var(--code-bg); }
        .file-diff > summary { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; padding: .45rem .85rem;
          list-style: none; color: var(--fg); font-weight: 500; }
        .file-diff > summary::-webkit-details-marker { display: none; }
        .file-diff > summary::before { content: "▸"; color: var(--faint); width: .8rem; }
        .file-diff[open] > summary::before { content: "▾"; }
        .file-diff[open] > summary { border-bottom: 1px solid var(--rule); background: var(--code-head); }
        .file-diff > summary code { font-size: .85rem; background: none; padding: 0; }
        .diff-kind { font-size: .7rem; font-weight: 650; text-transform: uppercase; letter-spacing: .06em; padding: 0 .4rem; border-radius: 4px; }
        .diff-kind.created { color: var(--diff-add); background: var(--diff-add-bg); }
        .diff-kind.removed { color: var(--diff-del); background: var(--diff-del-bg); }
        .diff-stat { margin-left: auto; font: .78rem var(--mono); }
        .diff-stat .plus { color: var(--diff-add); }
        .diff-stat .minus { color: var(--diff-del); }
        .code-block.diff { margin: 0; border: 0; border-radius: 0; }
        pre.code.diff { padding: .4rem 0; }
        pre.diff code { display: block; min-width: max-content; }
        pre.diff .dl { display: block; padding: 0 1rem 0 .6rem; }
        pre.diff .sign { display: inline-block; width: 1.2em; color: var(--faint); }
        pre.diff .dl.add { background: var(--diff-add-bg); }
        pre.diff .dl.del { background: var(--diff-del-bg); }
        pre.diff .dl.add .sign { color: var(--diff-add); font-weight: 700; }
        pre.diff .dl.del .sign { color: var(--diff-del); font-weight: 700; }
        pre.diff .dl.hunk { color: var(--diff-hunk); background: var(--diff-hunk-bg); }
        pre.diff .dl.hunk:not(:first-child) { margin-top: .4rem; }

        /* Pager */
        .pager { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: 3.5rem; padding-top: 1.5rem; border-top: 1px solid var(--rule); }
        .pager a { display: flex; flex-direction: column; padding: .8rem 1rem; border: 1px solid var(--rule); border-radius: 10px;
          text-decoration: none; color: var(--fg); transition: border-color .15s, background .15s; }
        .pager a:hover { border-color: var(--accent); background: var(--accent-soft); }
        .pager .next { text-align: right; grid-column: 2; }
        .pager .dir { font-size: .78rem; color: var(--muted); }
        .pager-title { font-weight: 600; }

        /* Landing page */
        .hero { padding: 1.5rem 0 .5rem; }
        .hero .kicker { margin: 0; font-size: .8rem; font-weight: 650; letter-spacing: .1em; text-transform: uppercase; color: var(--accent); }
        .hero h1 { font-size: 2.7rem; margin: .3rem 0 1rem; }
        .hero .lede { font-size: 1.15rem; color: var(--muted); }
        .hero-actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
        .button { display: inline-block; padding: .55rem 1.1rem; border-radius: 8px; background: var(--accent); color: #fff !important;
          text-decoration: none; font-weight: 600; }
        .button:hover { filter: brightness(1.08); }
        .chapter-list { list-style: none; padding: 0; display: grid; gap: .9rem; }
        .chapter-list li { margin: 0; position: relative; padding: 1rem 1.1rem 1rem 4rem; border: 1px solid var(--rule); border-radius: 12px; transition: border-color .15s; }
        .chapter-list li:hover { border-color: var(--accent); }
        .chapter-list .num { position: absolute; left: 1.1rem; top: 1rem; width: 2rem; height: 2rem; border-radius: 50%; display: flex;
          align-items: center; justify-content: center; font-weight: 700; background: var(--accent-soft); color: var(--accent); }
        .chapter-list .card-title { font-weight: 650; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
        .chapter-list .card-title::after { content: ""; position: absolute; inset: 0; }
        .chapter-list .card-summary { margin: .2rem 0 0; color: var(--muted); font-size: .95rem; }
        .chapter-list .card-files { margin: .45rem 0 0; font-size: .8rem; color: var(--muted); position: relative; z-index: 1; }
        .file-list { list-style: none; padding: 0; }
        .file-list li { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; padding: .35rem 0; border-bottom: 1px solid var(--rule); }
        .file-list .from { font-size: .85rem; color: var(--muted); }
        .legend { display: grid; grid-template-columns: auto 1fr; gap: .35rem 1rem; font-size: .92rem; align-items: baseline; }
        .legend dt { font-family: var(--mono); font-size: .85rem; color: var(--accent); white-space: nowrap; }
        .legend dd { margin: 0; color: var(--muted); }

        /* Narrow screens */
        @media (max-width: 62rem) {
          .layout { display: block; }
          .menu { display: inline-flex; }
          .sidebar { display: none; position: fixed; z-index: 30; top: var(--top); left: 0; right: 0; bottom: 0; height: auto;
            border-right: 0; padding-bottom: 4rem; }
          .sidebar:target, .toc-open .sidebar { display: block; }
          .toc-head .close { display: inline; }
          .toc-open body { overflow: hidden; }
        }
        @media (max-width: 40rem) {
          body { font-size: 1rem; }
          main { padding: 1.25rem 1rem 4rem; }
          h1 { font-size: 1.75rem; }
          .hero h1 { font-size: 2rem; }
          h2 { font-size: 1.3rem; }
          .topbar { gap: .4rem; padding: 0 .5rem; }
          .search input { width: 7.5rem; }
          .search input:focus { width: calc(100vw - 6rem); }
          .search:focus-within ~ .theme, .topbar:has(.search:focus-within) .book-title { display: none; }
          .search-key { display: none; }
          .code-block { margin-left: -1rem; margin-right: -1rem; border-radius: 0; border-left: 0; border-right: 0; }
          pre.code { font-size: .78rem; }
          .chunk-meta { margin-left: 0; }
          .exercises { margin-left: -.5rem; margin-right: -.5rem; padding: .3rem 1rem .5rem; }
          .chapter-list li { padding-left: 3.5rem; }
          .pager { grid-template-columns: 1fr; }
          .pager .next { grid-column: 1; }
        }

        /* Print */
        /* The glossary: terms with anchors, definitions with a link to their chapter. */
        dl.glossary { margin: 0 0 1.5rem; }
        dl.glossary dt { font-weight: 650; margin-top: .9rem; scroll-margin-top: calc(var(--top) + 1rem); }
        dl.glossary dd { margin: .15rem 0 0 1.25rem; }
        .toc-appendices { list-style: none; margin: 0; padding: 0; font-size: .92rem; }
        .toc-appendices a { display: block; padding: .3rem .5rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
        .toc-appendices a:hover { background: var(--code-head); }
        .toc-appendices .current a { font-weight: 650; background: var(--accent-soft); }

        /* Figures: inline SVG drawn by book weave in the page's colours. */
        .diagram { margin: 1.6rem 0; }
        .diagram-scroll { overflow-x: auto; padding: .25rem 0; }
        .figure-svg { display: block; margin: 0 auto; max-width: 100%; height: auto; color: var(--fg); font-family: var(--sans); }
        .figure-svg .box { fill: var(--bg); stroke: var(--muted); stroke-width: 1; }
        .figure-svg .box.table { fill: var(--code-bg); }
        .figure-svg .box.key { fill: var(--accent-soft); stroke: var(--accent); stroke-width: 1.5; }
        .figure-svg .box.muted { fill: none; stroke: var(--faint); stroke-dasharray: 4 3; }
        .figure-svg text { fill: var(--fg); }
        .figure-svg .title { font-weight: 650; }
        .figure-svg .mono, .figure-svg .addr, .figure-svg .num { font-family: var(--mono); }
        .figure-svg .note, .figure-svg .num, .figure-svg .addr { fill: var(--muted); }
        .figure-svg .rule { stroke: var(--rule); }
        .figure-svg .break { stroke: var(--faint); stroke-dasharray: 2 3; stroke-width: 1.5; }
        .figure-svg .edge, .figure-svg .bracket { stroke: var(--muted); stroke-width: 1.25; }
        .figure-svg .arrowhead path { fill: var(--muted); }
        .figure-svg .edge-label { fill: var(--muted); paint-order: stroke; stroke: var(--bg); stroke-width: 4px; stroke-linejoin: round; }
        .diagram figcaption { text-align: center; font-size: .9rem; color: var(--muted); margin-top: .5rem; }
        .diagram .figure-number { font-weight: 650; color: var(--fg); text-decoration: none; margin-right: .3rem; }

        @media print {
          :root:root, :root:root[data-theme] { \(lightColors) --term-bg: #f4f4f4; --term-fg: #111; --term-muted: #555; --term-prompt: #286; color-scheme: light; }
          .topbar, .sidebar, .pager, .copy, .anchor, .search-results, .skip { display: none !important; }
          .layout { display: block; }
          main { padding: 0; }
          main > article { max-width: none; }
          body { font-size: 10.5pt; line-height: 1.5; background: #fff; color: #000; }
          a { color: inherit; text-decoration: none; }
          pre.code { white-space: pre-wrap; overflow: visible; font-size: 8.5pt; }
          .code-block, .exercises, table, .diagram { break-inside: avoid; }
          .diagram-scroll { overflow: visible; }
          .console, .output { border: 1px solid #ccc; }
          h1, h2, h3 { break-after: avoid; }
          .exercises { border: 1px solid #ccc; background: none; }
        }
        """

    static let js = #"""
        (function () {
          "use strict";
          var root = document.documentElement.getAttribute("data-root") || "";

          // Theme: follows the system until the reader picks one.
          var themeButton = document.querySelector(".theme");
          var themes = ["auto", "light", "dark"];
          function applyTheme(theme) {
            if (theme === "auto") { delete document.documentElement.dataset.theme; } else { document.documentElement.dataset.theme = theme; }
            try { if (theme === "auto") { localStorage.removeItem("book-theme"); } else { localStorage.setItem("book-theme", theme); } } catch (e) {}
            if (themeButton) { themeButton.title = "Theme: " + (theme === "auto" ? "follows the system" : theme); }
          }
          if (themeButton) {
            applyTheme(document.documentElement.dataset.theme || "auto");
            themeButton.addEventListener("click", function () {
              var current = document.documentElement.dataset.theme || "auto";
              applyTheme(themes[(themes.indexOf(current) + 1) % themes.length]);
            });
          }

          // Copy buttons: the code as written in the chapter (<<name>> for
          // references), without the labels of the tangled-file view.
          function codeText(pre) {
            var clone = pre.cloneNode(true);
            clone.querySelectorAll(".seg").forEach(function (label) { label.remove(); });
            clone.querySelectorAll(".pr").forEach(function (prompt) { prompt.remove(); });
            clone.querySelectorAll(".ref").forEach(function (ref) { ref.textContent = "<<" + ref.getAttribute("data-ref") + ">>"; });
            return clone.textContent;
          }
          document.querySelectorAll(".code-block pre").forEach(function (pre) {
            var wrap = document.createElement("div");
            wrap.className = "pre-wrap";
            pre.parentNode.insertBefore(wrap, pre);
            wrap.appendChild(pre);
            var button = document.createElement("button");
            button.type = "button";
            button.className = "copy";
            button.textContent = "Copy";
            button.setAttribute("aria-label", "Copy this code");
            button.addEventListener("click", function () {
              var text = codeText(pre);
              function done() { button.textContent = "Copied"; button.classList.add("done");
                setTimeout(function () { button.textContent = "Copy"; button.classList.remove("done"); }, 1500); }
              if (navigator.clipboard && window.isSecureContext) {
                navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
              } else { fallback(text); done(); }
            });
            wrap.appendChild(button);
          });
          function fallback(text) {
            var area = document.createElement("textarea");
            area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
            document.body.appendChild(area); area.select();
            try { document.execCommand("copy"); } catch (e) {}
            area.remove();
          }

          // The table of contents on narrow screens.
          var menu = document.querySelector(".menu");
          function closeToc() { document.documentElement.classList.remove("toc-open"); }
          if (menu) {
            menu.addEventListener("click", function (event) {
              event.preventDefault();
              document.documentElement.classList.toggle("toc-open");
            });
          }
          document.querySelectorAll(".sidebar a").forEach(function (link) { link.addEventListener("click", closeToc); });
          var current = document.querySelector(".toc-chapters .current");
          if (current && current.scrollIntoView && window.innerWidth > 992) { current.scrollIntoView({ block: "nearest" }); }

          // The outline marks the section being read.
          var outlineLinks = Array.prototype.slice.call(document.querySelectorAll(".outline a"));
          if (outlineLinks.length && "IntersectionObserver" in window) {
            var byId = {};
            outlineLinks.forEach(function (link) { byId[decodeURIComponent(link.hash.slice(1))] = link; });
            var headings = outlineLinks.map(function (link) { return document.getElementById(decodeURIComponent(link.hash.slice(1))); })
              .filter(Boolean);
            var mark = function () {
              var active = headings[0];
              headings.forEach(function (heading) { if (heading.getBoundingClientRect().top < 120) { active = heading; } });
              outlineLinks.forEach(function (link) { link.classList.remove("active"); });
              if (active && byId[active.id]) { byId[active.id].classList.add("active"); }
            };
            window.addEventListener("scroll", mark, { passive: true });
            mark();
          }

          // Print every hint and solution.
          window.addEventListener("beforeprint", function () {
            document.querySelectorAll("details:not([open])").forEach(function (details) {
              details.setAttribute("open", ""); details.dataset.printOpened = "1";
            });
          });
          window.addEventListener("afterprint", function () {
            document.querySelectorAll("details[data-print-opened]").forEach(function (details) {
              details.removeAttribute("open"); delete details.dataset.printOpened;
            });
          });

          // Search, offline: search-index.js assigns window.BOOK_SEARCH.
          var input = document.getElementById("search");
          var results = document.getElementById("search-results");
          var entries = (window.BOOK_SEARCH || []).map(function (entry) {
            return { entry: entry, title: entry.t.toLowerCase(), text: entry.x.toLowerCase() };
          });
          var selected = -1;
          function escapeHTML(text) {
            return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
          }
          function highlight(text, terms) {
            var html = escapeHTML(text);
            terms.forEach(function (term) {
              var pattern = new RegExp("(" + escapeHTML(term).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi");
              html = html.replace(pattern, "<mark>$1</mark>");
            });
            return html;
          }
          function snippet(item, terms) {
            var text = item.entry.x;
            var at = item.text.indexOf(terms[0]);
            if (at < 0) { return text.slice(0, 140) + (text.length > 140 ? "…" : ""); }
            var start = Math.max(0, at - 50);
            var end = Math.min(text.length, at + 110);
            return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
          }
          function count(haystack, needle) {
            var n = 0, at = haystack.indexOf(needle);
            while (at >= 0 && n < 8) { n++; at = haystack.indexOf(needle, at + needle.length); }
            return n;
          }
          function search(query) {
            var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
            if (!terms.length) { return { terms: terms, hits: [] }; }
            var hits = [];
            entries.forEach(function (item) {
              var score = 0;
              for (var i = 0; i < terms.length; i++) {
                var inTitle = item.title.indexOf(terms[i]) >= 0;
                var inText = count(item.text, terms[i]);
                if (!inTitle && !inText) { return; }
                score += (inTitle ? 12 : 0) + inText;
              }
              if (item.text.indexOf(terms.join(" ")) >= 0) { score += 6; }
              if (item.entry.k) { score -= 1; }
              hits.push({ item: item, score: score });
            });
            hits.sort(function (a, b) { return b.score - a.score; });
            return { terms: terms, hits: hits.slice(0, 25) };
          }
          function show() {
            var found = search(input.value);
            selected = -1;
            if (!input.value.trim()) { results.hidden = true; results.innerHTML = ""; return; }
            if (!found.hits.length) {
              results.innerHTML = '<div class="none">Nothing found for “' + escapeHTML(input.value) + '”.</div>';
            } else {
              results.innerHTML = found.hits.map(function (hit) {
                var entry = hit.item.entry;
                return '<a href="' + escapeHTML(root + entry.u) + '"><span class="r-chapter">' + escapeHTML(entry.c) + '</span>' +
                  '<span class="r-title">' + highlight(entry.t, found.terms) + '</span>' +
                  '<span class="r-snippet">' + highlight(snippet(hit.item, found.terms), found.terms) + '</span></a>';
              }).join("");
            }
            results.hidden = false;
          }
          function choose(delta) {
            var links = results.querySelectorAll("a");
            if (!links.length) { return; }
            if (selected >= 0) { links[selected].classList.remove("selected"); }
            selected = (selected + delta + links.length) % links.length;
            links[selected].classList.add("selected");
            links[selected].scrollIntoView({ block: "nearest" });
          }
          if (input && results) {
            input.addEventListener("input", show);
            input.addEventListener("focus", function () { if (input.value.trim()) { show(); } });
            input.addEventListener("keydown", function (event) {
              if (event.key === "ArrowDown") { event.preventDefault(); choose(1); }
              else if (event.key === "ArrowUp") { event.preventDefault(); choose(-1); }
              else if (event.key === "Enter") {
                var links = results.querySelectorAll("a");
                var target = links[selected >= 0 ? selected : 0];
                if (target) { window.location.href = target.getAttribute("href"); results.hidden = true; }
              } else if (event.key === "Escape") { input.value = ""; results.hidden = true; input.blur(); }
            });
            document.addEventListener("click", function (event) {
              if (!event.target.closest(".search")) { results.hidden = true; }
            });
            results.addEventListener("click", function () { results.hidden = true; });
            // index.html?q=long+mode opens with that search done.
            var query = new URLSearchParams(window.location.search).get("q");
            if (query) { input.value = query; show(); }
          }

          // Keys: / searches, ← and → turn the page.
          document.addEventListener("keydown", function (event) {
            var tag = (event.target.tagName || "").toLowerCase();
            if (tag === "input" || tag === "textarea" || event.metaKey || event.ctrlKey || event.altKey) { return; }
            if (event.key === "/" && input) { event.preventDefault(); input.focus(); input.select(); }
            else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
              var link = document.querySelector('link[rel="' + (event.key === "ArrowLeft" ? "prev" : "next") + '"]');
              if (link) { window.location.href = link.href; }
            }
          });
        })();
        """#
}
