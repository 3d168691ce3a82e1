"""What the app adds to Streamlit's own page: Dutch for the few English labels Streamlit has no
option for, and the scroll position kept per page.

Streamlit offers arguments for most of its texts (placeholder= on a multiselect, show_spinner= on
a cache, labels on every widget) and the app uses them. A few of its own labels have no option in
this version: the file uploader's "Upload" button, "... per file" and (where it shows one) "Drag and drop ... here", the
running indicator's "Running..."/"Stop", the multiselect's "No results"/"Select all" and the text
box's "Press Enter to apply". The script below replaces exactly those strings (whole text nodes
and aria labels) as they appear, outside the blocks that show document text and labels.

The scroll position of each page is kept in the browser tab (sessionStorage) when the user scrolls,
and put back when the page is shown again (a page switch, "Toon pagina" and back, a reload), as
soon as the page is long enough to hold it. A click freezes the saved position until the user
scrolls again: the rerun a click starts may empty the page, and that is no scroll of the user's.
"""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's English labels (exact text) -> Dutch
LABELS = {
    "Drag and drop a file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Drag and drop directories here": "Sleep mappen hierheen",
    "Upload": "Kies bestand",
    "Upload directories": "Kies map",
    "file upload": "bestand kiezen",
    "Running...": "Bezig…",
    "Stop": "Stoppen",
    "Stopping...": "Stoppen…",
    "No results": "Geen resultaten",
    "Select all": "Alles selecteren",
    "Press Enter to apply": "Druk op Enter om te zoeken",
    "Press Enter to submit form": "Druk op Enter om te versturen",
    "Please wait...": "Even geduld…",
}
# labels with a number or size in them: (pattern, replacement) for JavaScript's String.replace
PATTERNS = ((r"^(.+) per file$", "$1 per bestand"), (r"^Select (\d+) matches$", "Selecteer $1 treffers"))

SCRIPT = """
<script>
(() => {
  if (window.__beleidsbankChrome) return;
  window.__beleidsbankChrome = true;
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const LABELS = %(labels)s;
  const PATTERNS = %(patterns)s.map(([p, r]) => [new RegExp(p), r]);
  doc.documentElement.lang = "nl";
  const dutch = (text) => {
    const t = text.trim();
    if (Object.prototype.hasOwnProperty.call(LABELS, t)) return text.replace(t, LABELS[t]);
    for (const [p, r] of PATTERNS) if (p.test(t)) return text.replace(t, t.replace(p, r));
    return null;
  };
  const CONTENT = ["stHtml", "stMarkdown", "stCaptionContainer", "stAlert", "stDataFrame", "stTable", "stCode"]
    .map((t) => `[data-testid="${t}"]`).join(",");
  const fixNode = (n) => {
    if (n.parentElement && n.parentElement.closest(CONTENT)) return;
    const d = dutch(n.nodeValue);
    if (d !== null && d !== n.nodeValue) n.nodeValue = d;
  };
  const fix = (root) => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixNode(n);
    if (root.querySelectorAll) {
      for (const el of root.querySelectorAll("[aria-label],[title]")) {
        for (const a of ["aria-label", "title"]) {
          const v = el.getAttribute(a);
          const d = v ? dutch(v) : null;
          if (d !== null && d !== v) el.setAttribute(a, d);
        }
      }
    }
  };
  new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.type === "characterData") fixNode(m.target);
      for (const n of m.addedNodes) {
        if (n.nodeType === 1) fix(n);
        else if (n.nodeType === 3) fixNode(n);
      }
    }
  }).observe(doc.body, {childList: true, subtree: true, characterData: true});
  fix(doc.body);

  const store = window.sessionStorage;
  const scroller = () => {
    for (const sel of ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', '.stMain']) {
      const el = doc.querySelector(sel);
      if (el && el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== "visible") return el;
    }
    return doc.scrollingElement || doc.documentElement;
  };
  const key = () => "beleidsbank-scroll:" + doc.location.pathname;
  let frozen = false, lastUser = 0, restoring = null;
  const user = () => { frozen = false; lastUser = Date.now(); restoring = null; };
  for (const ev of ["wheel", "touchmove", "keydown"]) doc.addEventListener(ev, user, {capture: true, passive: true});
  doc.addEventListener("pointerdown", (e) => {
    const s = scroller();
    if (e.target === s) { user(); return; }
    if (!restoring) store.setItem(key(), String(s.scrollTop));
    frozen = true;
  }, {capture: true, passive: true});
  doc.addEventListener("scroll", () => {
    if (frozen || restoring || Date.now() - lastUser > 1500) return;
    store.setItem(key(), String(scroller().scrollTop));
  }, {capture: true, passive: true});
  const restore = () => {
    const target = Number(store.getItem(key()) || 0);
    const until = Date.now() + 8000;
    const path = doc.location.pathname;
    restoring = path;
    const step = () => {
      if (restoring !== path || doc.location.pathname !== path || Date.now() > until) {
        if (restoring === path) restoring = null;
        return;
      }
      const s = scroller();
      if (target > 0) s.scrollTop = target;
      const busy = doc.querySelector('[data-testid="stStatusWidget"]');
      if (Math.abs(s.scrollTop - target) <= 2 && !busy) { restoring = null; return; }
      setTimeout(step, 100);
    };
    step();
  };
  let path = doc.location.pathname;
  setInterval(() => {
    if (doc.location.pathname !== path) { path = doc.location.pathname; frozen = false; restore(); }
  }, 150);
  restore();
})();
</script>
"""


def script() -> str:
    return SCRIPT % {"labels": json.dumps(LABELS, ensure_ascii=False), "patterns": json.dumps(PATTERNS)}


def inject() -> None:
    """Add the script to the page (once per browser tab; later runs find it there)."""
    with st.sidebar:
        st.html(script(), unsafe_allow_javascript=True)
