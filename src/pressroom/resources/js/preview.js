// `pressroom preview` in the page: a new render swapped in place when it is complete (the reading
// place kept), build errors in an overlay (file:line opens the editor when the server has one), a
// banner when the server has stopped, the sidebar (pages and search), note and citation popups.
// Every word shown comes from the page's #pressroom-words (pressroom.preview.WORDS).
(function () {
  "use strict";
  var words = JSON.parse(document.getElementById("pressroom-words").textContent);
  var versionMeta = document.querySelector('meta[name="pressroom-version"]');

  function element(tag, attributes, text) {
    var made = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // ------------------------------------------------------------ the bar's height: link targets below it
  var bar = document.querySelector(".preview-bar");
  function measureBar() {
    if (bar) document.documentElement.style.setProperty("--bar-height", bar.getBoundingClientRect().height + "px");
  }
  measureBar();
  window.addEventListener("resize", measureBar);

  // ------------------------------------------------------------ reload in place, the overlay, the banner
  var overlay = element("div", { id: "pressroom-overlay", role: "alert" });
  overlay.hidden = true;
  var overlayText = element("pre");
  overlay.appendChild(overlayText);
  var stopped = element("div", { id: "pressroom-stopped", role: "status" }, words.stopped);
  stopped.hidden = true;
  document.body.appendChild(overlay);
  document.body.appendChild(stopped);

  var FINDING = /^(\s*)([^\s:][^:\n]*):(\d+): (error|warning)/;
  function showError(error, editor) {
    overlayText.textContent = "";
    overlayText.appendChild(document.createTextNode(words.could_not_build + "\n\n"));
    error.split("\n").forEach(function (line) {
      var found = editor && FINDING.exec(line);
      if (found) {
        overlayText.appendChild(document.createTextNode(found[1]));
        var button = element("button", { type: "button", "class": "pressroom-open", title: words.open_in_editor },
          found[2] + ":" + found[3]);
        button.addEventListener("click", function () {
          fetch("/__open", { method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ file: found[2], line: Number(found[3]) }) });
        });
        overlayText.appendChild(button);
        overlayText.appendChild(document.createTextNode(line.slice(found[1].length + found[2].length + 1 + found[3].length) + "\n"));
      } else {
        overlayText.appendChild(document.createTextNode(line + "\n"));
      }
    });
    overlayText.appendChild(document.createTextNode("\n" + words.showing_last));
    overlay.hidden = false;
  }

  var swapping = null;
  function swapIn(version) {
    // The page as now rendered, fetched and put in place of the old one: no reload, the scroll kept.
    if (swapping === version) return;
    swapping = version;
    fetch(location.pathname, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (text) {
      var fresh = new DOMParser().parseFromString(text, "text/html");
      var stylesNow = document.querySelector('meta[name="pressroom-styles"]');
      var stylesNew = fresh.querySelector('meta[name="pressroom-styles"]');
      if ((stylesNow && stylesNow.content) !== (stylesNew && stylesNew.content)) throw new Error("styles");
      [".preview-bar", "#preview-sidebar", "main"].forEach(function (selector) {
        var old = document.querySelector(selector), next = fresh.querySelector(selector);
        if (old && next) old.replaceWith(document.adoptNode(next));
      });
      bar = document.querySelector(".preview-bar");
      document.title = fresh.title;
      versionMeta.content = fresh.querySelector('meta[name="pressroom-version"]').content;
      searchIndex = null;
      cachedPages = {};
      measureBar();
      hidePopup();
    }).catch(function () { location.reload(); });
  }

  var events = new EventSource("/__events");
  var lostTimer = null;
  events.addEventListener("open", function () {
    clearTimeout(lostTimer);
    stopped.hidden = true;
  });
  events.addEventListener("error", function () {
    // EventSource retries by itself; a server that answers nothing for a moment has stopped.
    clearTimeout(lostTimer);
    lostTimer = setTimeout(function () {
      if (events.readyState !== EventSource.OPEN) stopped.hidden = false;
    }, 1000);
  });
  events.addEventListener("state", function (e) {
    var state = JSON.parse(e.data);
    if (state.error) {
      showError(state.error, state.editor);
    } else {
      overlay.hidden = true;
      if (state.version !== versionMeta.content) swapIn(state.version);
    }
  });

  // ------------------------------------------------------------ the sidebar
  document.addEventListener("click", function (e) {
    var menu = e.target.closest(".preview-menu");
    if (menu) {
      var open = document.body.classList.toggle("preview-sidebar-open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    } else if (e.target.closest("#preview-sidebar a")) {
      document.body.classList.remove("preview-sidebar-open");
    }
  });

  // ------------------------------------------------------------ search (the index served as JSON)
  var searchIndex = null;
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function loadIndex() {
    if (!searchIndex) {
      searchIndex = fetch("/search.json", { cache: "no-store" }).then(function (r) { return r.json(); })
        .then(function (entries) {
          return entries.map(function (entry) {
            entry.folded = fold(entry.title + "\n" + entry.text);
            entry.textFolded = fold(entry.text);
            return entry;
          });
        });
    }
    return searchIndex;
  }
  function snippet(entry, term) {
    var at = entry.textFolded.indexOf(term);
    var item = element("small");
    if (at < 0) return item;
    var start = Math.max(0, at - 40), end = Math.min(entry.text.length, at + term.length + 60);
    item.appendChild(document.createTextNode((start ? "…" : "") + entry.text.slice(start, at)));
    item.appendChild(element("mark", {}, entry.text.slice(at, at + term.length)));
    item.appendChild(document.createTextNode(entry.text.slice(at + term.length, end) + (end < entry.text.length ? "…" : "")));
    return item;
  }
  function search(query) {
    var results = document.querySelector(".preview-results");
    var terms = fold(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (!terms.length || query.trim().length < 2) {
      results.hidden = true;
      results.textContent = "";
      return;
    }
    loadIndex().then(function (entries) {
      var found = entries.filter(function (entry) {
        return terms.every(function (term) { return entry.folded.indexOf(term) >= 0; });
      }).slice(0, 30);
      results.textContent = "";
      found.forEach(function (entry) {
        var item = element("li");
        item.appendChild(element("a", { href: entry.href }, entry.title));
        item.appendChild(snippet(entry, terms[0]));
        results.appendChild(item);
      });
      if (!found.length) results.appendChild(element("li", {}, words.no_results));
      results.hidden = false;
    });
  }
  document.addEventListener("input", function (e) {
    if (e.target.id === "preview-search") search(e.target.value);
  });

  // ------------------------------------------------------------ note and citation popups
  var popup = element("div", { "class": "preview-popup", role: "tooltip", id: "preview-popup" });
  popup.hidden = true;
  document.body.appendChild(popup);
  var cachedPages = {};
  var popupFor = null, hideTimer = null, tapped = null;
  var POPUP_LINKS = "a.noteref, .citation a";

  function targetOf(link) {
    var url = new URL(link.href, location.href);
    var id = decodeURIComponent(url.hash.slice(1));
    if (!id) return Promise.resolve(null);
    if (url.pathname === location.pathname) return Promise.resolve(document.getElementById(id));
    if (!cachedPages[url.pathname]) {
      cachedPages[url.pathname] = fetch(url.pathname).then(function (r) { return r.text(); })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); });
    }
    return cachedPages[url.pathname].then(function (doc) { return doc.getElementById(id); });
  }
  function showPopup(link) {
    clearTimeout(hideTimer);
    if (popupFor === link && !popup.hidden) return;
    popupFor = link;
    targetOf(link).then(function (target) {
      if (!target || popupFor !== link) return;
      var copy = target.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
      copy.querySelectorAll(".backlink").forEach(function (n) { n.remove(); });
      popup.textContent = "";
      popup.appendChild(copy);
      popup.hidden = false;
      var box = link.getBoundingClientRect();
      var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8);
      popup.style.left = Math.max(window.scrollX + 8, left) + "px";
      popup.style.top = (window.scrollY + box.bottom + 6) + "px";
      link.setAttribute("aria-describedby", "preview-popup");
    });
  }
  function hidePopup() {
    popup.hidden = true;
    if (popupFor) popupFor.removeAttribute("aria-describedby");
    popupFor = null;
    tapped = null;
  }
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePopup, 300);
  }
  document.addEventListener("mouseover", function (e) {
    var link = e.target.closest && e.target.closest(POPUP_LINKS);
    if (link && lastPointer !== "touch") showPopup(link);
    else if (e.target.closest && e.target.closest("#preview-popup")) clearTimeout(hideTimer);
  });
  document.addEventListener("mouseout", function (e) {
    if (e.target.closest && (e.target.closest(POPUP_LINKS) || e.target.closest("#preview-popup"))) hideSoon();
  });
  document.addEventListener("focusin", function (e) {
    var link = e.target.closest && e.target.closest(POPUP_LINKS);
    if (link) showPopup(link);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hidePopup(); });
  var lastPointer = "mouse";
  ["pointerover", "pointerdown"].forEach(function (kind) {
    document.addEventListener(kind, function (e) { lastPointer = e.pointerType; }, true);
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest(POPUP_LINKS);
    if (link && (e.pointerType || lastPointer) === "touch" && tapped !== link) {
      // A tap shows the note first; a second tap on the same call follows the link.
      e.preventDefault();
      tapped = link;
      showPopup(link);
    } else if (!link && !e.target.closest("#preview-popup")) {
      hidePopup();
    }
  });
})();
