#!/usr/bin/env python3
"""Generate one synthetic literate-programming corpus in THREE syntaxes with
identical content, plus the expected tangled output, for benchmarking
tanglers (Entangled 2.x Markdown, noweb .nw, or any other tool).

Layout written under OUT (default /tmp/lp-anchors/corpus):
  OUT/md/docNNN.md      Entangled/Pandoc-style Markdown: ``` {.c #name} / ``` {.c file=out/fNN.c}
  OUT/md/entangled.toml explicit watch_list in document order (makes append order deterministic)
  OUT/nw/docNNN.nw      noweb: <<name>>= ... @
  OUT/book/NNN-docNNN.md  this book's syntax (chapter 0):
                        ```c file=out/fNN.c / ```c chunk="name" [append]
  OUT/expected/out/fNN.c  reference tangle (no annotations, trailing newline)
  OUT/roots.txt         the output-file roots, one per line
  OUT/manifest.json     parameters + measured statistics

Content model:
  * `--chunks` code blocks in total spread over `--docs` documents;
  * `--outputs` of them are file roots (out/fNN.c);
  * `--append-frac` of the blocks are continuations that append to an
    already-defined chunk name (placed in the same or a later document);
  * every non-root chunk name is referenced exactly once, from one block of a
    parent name with a smaller index (random recursive tree, so references
    cross documents and nest ~8-20 deep); references are indented by 4
    spaces, so indentation accumulates with depth;
  * code lines are C-like filler, ~`--lines` in total.
Deterministic for a given --seed.  Pure Python 3.8+, no dependencies.
"""
import argparse
import json
import os
import random
import shutil
from collections import defaultdict


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/tmp/literate-corpus")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--chunks", type=int, default=5000)
    ap.add_argument("--lines", type=int, default=100_000, help="approx. total code lines (excl. reference lines)")
    ap.add_argument("--outputs", type=int, default=50)
    ap.add_argument("--append-frac", type=float, default=0.10)
    ap.add_argument("--indent", type=int, default=4, help="indentation of each reference line")
    ap.add_argument("--prose-lines", type=int, default=3, help="prose lines before each chunk")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    n_cont = int(a.chunks * a.append_frac)
    n_names = a.chunks - n_cont
    assert n_names > a.outputs, "need more chunk names than outputs"
    roots = [f"out/f{i:02d}.c" for i in range(a.outputs)]
    names = roots + [f"c{i:05d}-part" for i in range(a.outputs, n_names)]

    # blocks: (name_index, block_serial); first one per name is the primary def
    blocks = [(i, 0) for i in range(n_names)]
    conts_per_name = defaultdict(int)
    for _ in range(n_cont):
        i = rng.randrange(a.outputs, n_names)  # never append to a root
        conts_per_name[i] += 1
        blocks.append((i, conts_per_name[i]))

    # order: shuffle, then make every name's blocks appear in serial order
    rng.shuffle(blocks)
    pos_by_name = defaultdict(list)
    for p, (i, _) in enumerate(blocks):
        pos_by_name[i].append(p)
    for i, ps in pos_by_name.items():
        for s, p in enumerate(sorted(ps)):
            blocks[p] = (i, s)

    # body lines per block (filler)
    mean = a.lines / a.chunks
    lo, hi = max(1, int(mean * 0.25)), max(2, int(mean * 1.75))
    body = {}
    for (i, s) in blocks:
        n = rng.randint(lo, hi)
        tag = f"{i}_{s}"
        body[(i, s)] = [f"int v{tag}_{j} = v{tag}_{j - 1 if j else 0} * 31 + {j}; /* {names[i][-8:]} */" for j in range(n)]

    # tree: parent of name k is a random smaller index; reference put in a random block of the parent
    n_blocks_of = {i: conts_per_name[i] + 1 for i in range(n_names)}
    refs_in = defaultdict(list)  # (parent_i, serial) -> list of (position, child_name_index)
    for k in range(a.outputs, n_names):
        if k < 2 * a.outputs:
            p = k % a.outputs  # make sure every root gets at least one child
        else:
            p = rng.randrange(0, k)
        s = rng.randrange(n_blocks_of[p])
        refs_in[(p, s)].append(k)
    code = {}
    for key, lines in body.items():
        lines = list(lines)
        for child in refs_in.get(key, []):
            lines.insert(rng.randint(0, len(lines)), f"{' ' * a.indent}<<{names[child]}>>")
        code[key] = lines

    # split into documents, consecutively
    docs = [blocks[d * len(blocks) // a.docs:(d + 1) * len(blocks) // a.docs] for d in range(a.docs)]

    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    for sub in ("md", "nw", "book", "expected/out"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)

    def prose(d, k):
        return [f"Paragraph {k} of document {d}: explains the next fragment of the program,"
                f" why it exists and how it connects to its neighbours."] + \
               ["More explanatory prose for the reader, long enough to look like a real chapter."] * (a.prose_lines - 1)

    md_files, nw_files = [], []
    for d, blks in enumerate(docs):
        md, nw = [f"# Chapter {d}", ""], [f"@ \\section{{Chapter {d}}}", ""]
        bk = [f"# Chapter {d}", ""]
        for k, (i, s) in enumerate(blks):
            p = prose(d, k)
            md += p + [""]
            nw += ["@ " + p[0]] + p[1:] + [""]
            if i < a.outputs:
                md.append(f"``` {{.c file={names[i]}}}")
            else:
                md.append(f"``` {{.c #{names[i]}}}")
            md += code[(i, s)] + ["```", ""]
            bk += p + [""]
            if i < a.outputs:
                bk.append(f"```c file={names[i]}")
            else:
                bk.append(f'```c chunk="{names[i]}"' + (" append" if s > 0 else ""))
            bk += code[(i, s)] + ["```", ""]
            nw.append(f"<<{names[i]}>>=")
            nw += code[(i, s)] + ["@", ""]
        fn = f"doc{d:03d}"
        with open(os.path.join(a.out, "md", fn + ".md"), "w") as f:
            f.write("\n".join(md) + "\n")
        with open(os.path.join(a.out, "nw", fn + ".nw"), "w") as f:
            f.write("\n".join(nw) + "\n")
        with open(os.path.join(a.out, "book", f"{d:03d}-{fn}.md"), "w") as f:
            f.write("\n".join(bk) + "\n")
        md_files.append(fn + ".md")
        nw_files.append(fn + ".nw")

    with open(os.path.join(a.out, "md", "entangled.toml"), "w") as f:
        f.write('version = "2.0"\n')
        f.write("watch_list = [" + ", ".join(json.dumps(x) for x in md_files) + "]\n")
    with open(os.path.join(a.out, "roots.txt"), "w") as f:
        f.write("\n".join(roots) + "\n")

    # expected tangle (append order = document order)
    defs = defaultdict(list)
    for blks in docs:
        for key in blks:
            defs[key[0]].append(key)
    name_idx = {n: i for i, n in enumerate(names)}
    max_depth = [0]

    def expand(i, ind, depth):
        max_depth[0] = max(max_depth[0], depth)
        out = []
        for key in defs[i]:
            for line in code[key]:
                st = line.strip()
                if st.startswith("<<") and st.endswith(">>"):
                    child_ind = line[: len(line) - len(line.lstrip())]
                    out += expand(name_idx[st[2:-2]], ind + child_ind, depth + 1)
                else:
                    out.append(ind + line)
        return out

    total_out = 0
    for r in range(a.outputs):
        lines = expand(r, "", 0)
        total_out += len(lines)
        with open(os.path.join(a.out, "expected", names[r]), "w") as f:
            f.write("\n".join(lines) + "\n")

    def size(sub):
        p = os.path.join(a.out, sub)
        return sum(os.path.getsize(os.path.join(p, x)) for x in os.listdir(p))

    man = dict(vars(a), n_names=n_names, n_continuations=n_cont, n_blocks=len(blocks),
               code_lines_in_blocks=sum(len(v) for v in code.values()),
               reference_lines=sum(len(v) for v in refs_in.values()),
               tangled_lines_total=total_out, max_nesting_depth=max_depth[0],
               md_bytes=size("md"), nw_bytes=size("nw"))
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1)
    print(json.dumps(man, indent=1))


if __name__ == "__main__":
    main()
