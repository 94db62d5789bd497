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
