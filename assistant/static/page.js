// The web chat's behaviour in the browser (loaded in the page's <head> by chat_ui.launch).
// The page's direction follows the interface language, remembered in the address
// (?lang=ar) and in localStorage; a citation's "Read in the document" link opens the
// document view in place; an answer's copy button copies its plain text. The
// Python side calls these through window.council (chat_events.JS_*).
(() => {
  "use strict";
  const LANGUAGES = ["en", "ar"];
  const STORAGE_KEY = "council-ui-language";
  const FOUND_WITHIN_MS = 10000;   // the document view appears within this time after a request, or never
  const COPIED_FOR_MS = 2000;      // how long a copy button says it copied

  let opening = null;              // the paragraph the document view is about to show
  let openingSince = 0;

  function rememberedLanguage() {
    const asked = new URLSearchParams(location.search).get("lang");
    if (LANGUAGES.includes(asked)) return asked;
    try {
      const stored = localStorage.getItem(STORAGE_KEY);
      if (LANGUAGES.includes(stored)) return stored;
    } catch (error) { /* storage may be off: the address still works */ }
    return LANGUAGES[0];
  }

  // Mirror the whole page and remember the choice, in the address and in storage.
  function applyLanguage(language) {
    const root = document.documentElement;
    root.lang = language;
    root.dir = language === "ar" ? "rtl" : "ltr";
    try { localStorage.setItem(STORAGE_KEY, language); } catch (error) { /* see above */ }
    const address = new URL(location.href);
    address.searchParams.set("lang", language);
    history.replaceState(history.state, "", address);
    return language;
  }

  // The paragraph an address names (?doc=...&p=...): the page's own, or a link's.
  function openingFrom(address) {
    const query = new URL(address, location.href).searchParams;
    return query.get("doc") ? { document: query.get("doc"), paragraph: query.get("p") || "" } : null;
  }

  function setOpening(at) {
    opening = at;
    openingSince = Date.now();
  }

  // The inputs of the page's load event: language, viewport width, paragraph to open.
  function pageSetup() {
    const at = openingFrom(location.href);
    if (at) setOpening(at);
    return [rememberedLanguage(), window.innerWidth, at ? JSON.stringify(at) : ""];
  }

  function takeOpening() {
    return opening ? JSON.stringify(opening) : "";
  }

  // Once the document view shows the requested paragraph, scroll it into view and focus
  // it (the view renders after the server answers, so wait for it, within limits).
  function showCited() {
    if (!opening) return;
    const key = `${opening.document}#${opening.paragraph}`;
    const look = () => {
      const view = [...document.querySelectorAll("#reader .reader")].find(el => el.dataset.key === key);
      const cited = view && view.querySelector(".reader-paragraph.cited");
      const target = cited || view;
      if (target && target.getClientRects().length) {
        opening = null;
        target.scrollIntoView({ block: "center" });
        if (cited) cited.focus({ preventScroll: true });
      } else if (Date.now() - openingSince < FOUND_WITHIN_MS) {
        requestAnimationFrame(look);
      }
    };
    look();
  }

  function open(link) {
    setOpening(openingFrom(link.getAttribute("href")));
    const button = document.getElementById("reader-open");
    if (button) button.click();
  }

  async function copy(button) {
    const text = button.closest(".answer").querySelector(".copy-text").textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {  // no clipboard API (a plain-http address other than localhost): the old way
      const area = Object.assign(document.createElement("textarea"), { value: text });
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    button.classList.add("done");
    setTimeout(() => button.classList.remove("done"), COPIED_FOR_MS);
  }

  // One listener for every link and button the server's HTML carries (that HTML is
  // sanitized: it cannot hold handlers of its own). A modified click on a link keeps
  // its usual meaning (open in a new tab), where the address opens the paragraph.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.open-document");
    if (link && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      open(link);
      return;
    }
    const button = event.target.closest("button.copy-answer");
    if (button) copy(button);
  }, true);

  applyLanguage(rememberedLanguage());  // at once, so the page never shows in the wrong direction
  window.council = { pageSetup, applyLanguage, takeOpening, showCited };
})();
