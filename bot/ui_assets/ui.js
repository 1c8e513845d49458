/* Page behaviour for ui.py: quick exit, asking by button, the region (guessed offline), citation
   actions and export, focus and scrolling. No network, no storage: everything stays in the page. */
(function () {
  "use strict";
  var config = window.CTB_UI || {};
  var exitUrl = config.exitUrl || "https://www.google.com/";
  var lastEscape = 0;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  // Quick exit: blank the page at once, then replace this history entry with a neutral site,
  // so Back does not come here. (The browser's history list may still show the visit.)
  function quickExit(event) {
    if (event) {
      event.preventDefault();
      event.stopPropagation();
    }
    try {
      document.documentElement.style.visibility = "hidden";
      document.title = "";
      document.body.innerHTML = "";
    } catch (e) {
      /* leave anyway */
    }
    window.location.replace(exitUrl);
  }

  function announce(message) {
    var live = document.getElementById("ui-live");
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message; }, 30);
    }
  }

  // Gradio's components are Svelte inputs: a value set from here must be followed by an
  // "input" event for the app to see it.
  function setField(selector, value) {
    var box = document.querySelector(selector + " textarea, " + selector + " input");
    if (!box) { return false; }
    box.value = value;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function whenReady(test, then) {
    var tries = 0;
    var wait = function () {
      if (test()) { then(); return; }
      if (tries++ < 200) { window.setTimeout(wait, 50); }
    };
    wait();
  }

  // ----------------------------------------------------------------- asking by button -----
  function askQuestion(text) {
    var send = document.getElementById("send");
    if (!text || !send || !setField("#question", text)) { return; }
    window.setTimeout(function () { send.click(); }, 0);
  }

  // ------------------------------------------------------------------------ the region -----
  // A guess from the browser's time zone, then its language tag's country; only regions the
  // directory has (the table comes from bot/data/region_guess.json). Nothing leaves the page.
  function guessRegion() {
    var table = config.regionGuess || {};
    var zones = table.time_zones || {};
    var countries = table.countries || {};
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    if (zones[zone]) { return zones[zone]; }
    var languages = navigator.languages && navigator.languages.length
      ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < languages.length; i++) {
      var parts = String(languages[i]).split("-");
      for (var j = 1; j < parts.length; j++) {
        var country = parts[j].toUpperCase();
        if (countries[country]) { return countries[country]; }
      }
    }
    return "";
  }

  // Say that the region shown was guessed (until the person chooses one).
  var guessed = "";
  function markGuess() {
    var line = document.querySelector("#hotlines .region-showing");
    var select = document.getElementById("region-select");
    if (!line || !guessed || !select || select.value !== guessed) { return; }
    if (line.querySelector(".region-guessed")) { return; }
    var note = document.createElement("span");
    note.className = "region-guessed";
    note.textContent = " " + (config.guessed || "");
    var name = line.querySelector(".region-name");
    if (name) { name.after(note); }
  }

  function setRegion(code) {
    var select = document.getElementById("region-select");
    if (select && select.value !== code) { select.value = code; }
    setField("#region-code", code);
  }

  function startRegion() {
    whenReady(function () {
      return document.getElementById("region-select") &&
        document.querySelector("#region-code textarea, #region-code input");
    }, function () {
      var select = document.getElementById("region-select");
      select.addEventListener("change", function () {
        guessed = "";
        setRegion(select.value);
      });
      if (config.defaultRegion === "international") {
        guessed = guessRegion();
        if (guessed) { setRegion(guessed); }
      }
    });
  }

  // --------------------------------------------------------------------- citations -----
  function today(style) {
    var d = new Date();
    if (style === "mla") {
      return d.getDate() + " " + MONTHS[d.getMonth()].slice(0, 3) + ". " + d.getFullYear();
    }
    return MONTHS[d.getMonth()] + " " + d.getDate() + ", " + d.getFullYear();
  }

  function fillAccessDates(root) {
    ["apa", "mla"].forEach(function (style) {
      var value = today(style);
      (root || document).querySelectorAll(".accessed-" + style).forEach(function (slot) {
        if (slot.textContent !== value) { slot.textContent = value; }
      });
    });
  }

  function referenceText(card, style) {
    var line = card ? card.querySelector(".cite-ref-" + style) : null;
    if (!line) { return ""; }
    fillAccessDates(line);
    var copy = line.cloneNode(true);
    var label = copy.querySelector(".cite-style");
    if (label) { label.remove(); }
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  // "Copy citation": the quote, then its APA reference with today's access date.
  function copyCitation(button) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    var done = function (message) {
      button.textContent = message;
      announce(message);
      window.setTimeout(function () { button.textContent = original; }, 2000);
    };
    var text = "“" + (button.value || "") + "”\n" + referenceText(button.closest(".cite"), "apa");
    copyText(text).then(
      function () { done(config.copied || "Citation copied"); },
      function () { done(config.copyFailed || "Could not copy"); }
    );
  }

  // "View in source": hand the request to the hidden Gradio textbox and press its button.
  var viewOpener = null;
  function viewSource(button) {
    var go = document.getElementById("source-go");
    var where = {};
    try { where = JSON.parse(button.value || "{}"); } catch (e) { return; }
    where.at = Date.now();
    if (!go || !setField("#source-request", JSON.stringify(where))) { return; }
    viewOpener = button;
    window.setTimeout(function () { go.click(); }, 0);
  }

  // ------------------------------------------------------------------------- export -----
  // The conversation as the page shows it: each question, its quotes renumbered across the
  // conversation, and one numbered list of references. Made here; nothing is sent or stored.
  function conversation() {
    var references = [];
    var turns = [];
    document.querySelectorAll("#chat .reply").forEach(function (reply) {
      fillAccessDates(reply);
      var question = reply.querySelector(".reply-question");
      var status = reply.querySelector(".reply-status");
      var numbers = {};
      reply.querySelectorAll(".cite").forEach(function (card) {
        var n = card.querySelector(".cite-n");
        var apa = referenceText(card, "apa");
        var at = references.indexOf(apa);
        if (at < 0) { references.push(apa); at = references.length - 1; }
        if (n) { numbers[n.textContent.trim()] = at + 1; }
      });
      var quotes = [];
      reply.querySelectorAll(".reply-quote").forEach(function (quote) {
        var n = quote.querySelector(".quote-n");
        var local = n ? n.textContent.replace(/[\[\]\s]/g, "") : "";
        var copy = quote.cloneNode(true);
        if (copy.querySelector(".quote-n")) { copy.querySelector(".quote-n").remove(); }
        quotes.push({ text: copy.textContent.replace(/\s+/g, " ").trim(), n: numbers[local] || "" });
      });
      var lead = [];
      reply.querySelectorAll(".reply-emergency, .reply-lead").forEach(function (p) {
        lead.push(p.textContent.replace(/\s+/g, " ").trim());
      });
      turns.push({
        question: question ? question.textContent.trim() : "",
        status: status ? status.textContent.trim() : "",
        lead: lead,
        quotes: quotes
      });
    });
    return { turns: turns, references: references };
  }

  function exportNote() {
    return (config.exportNote || "").replace("{date}", today("apa"));
  }

  function asMarkdown(data) {
    var out = ["# " + config.exportTitle, "", "_" + exportNote() + "_", ""];
    data.turns.forEach(function (turn, i) {
      out.push("## " + config.exportQuestion + " " + (i + 1) + ": " + turn.question, "");
      if (turn.status) { out.push("*" + turn.status + "*", ""); }
      if (!turn.quotes.length) { turn.lead.forEach(function (line) { out.push(line, ""); }); }
      turn.quotes.forEach(function (q) {
        out.push("> " + q.text + (q.n ? " [" + q.n + "]" : ""), "");
      });
    });
    if (data.references.length) {
      out.push("## " + config.exportReferences, "");
      data.references.forEach(function (ref, i) { out.push((i + 1) + ". " + ref); });
      out.push("");
    }
    return out.join("\n");
  }

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function asPrintable(data) {
    var body = ["<h1>" + escapeHtml(config.exportTitle) + "</h1>",
      "<p><em>" + escapeHtml(exportNote()) + "</em></p>",
      '<p><button type="button" onclick="window.print()">' + escapeHtml(config.print) +
      "</button></p>"];
    data.turns.forEach(function (turn, i) {
      body.push("<h2>" + escapeHtml(config.exportQuestion + " " + (i + 1) + ": " + turn.question) +
        "</h2>");
      if (turn.status) { body.push("<p><em>" + escapeHtml(turn.status) + "</em></p>"); }
      if (!turn.quotes.length) {
        turn.lead.forEach(function (line) { body.push("<p>" + escapeHtml(line) + "</p>"); });
      }
      turn.quotes.forEach(function (q) {
        body.push("<blockquote>" + escapeHtml(q.text) + (q.n ? " [" + q.n + "]" : "") +
          "</blockquote>");
      });
    });
    if (data.references.length) {
      body.push("<h2>" + escapeHtml(config.exportReferences) + "</h2><ol>");
      data.references.forEach(function (ref) { body.push("<li>" + escapeHtml(ref) + "</li>"); });
      body.push("</ol>");
    }
    return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>' +
      escapeHtml(config.exportTitle) + "</title><style>body{font:16px/1.5 system-ui,sans-serif;" +
      "max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1e293b}blockquote{border-left:3px " +
      "solid #0f766e;margin:.6rem 0;padding:.1rem .8rem}@media print{button{display:none}}" +
      "</style></head><body>" + body.join("\n") + "</body></html>";
  }

  function exportConversation(printable) {
    var data = conversation();
    if (!data.turns.length) { announce(config.exportEmpty || ""); return; }
    var type = printable ? "text/html" : "text/markdown";
    var blob = new Blob([printable ? asPrintable(data) : asMarkdown(data)], { type: type + ";charset=utf-8" });
    var url = URL.createObjectURL(blob);
    if (printable) {
      window.open(url, "_blank");
    } else {
      var link = document.createElement("a");
      link.href = url;
      link.download = "conversation.md";
      document.body.appendChild(link);
      link.click();
      link.remove();
    }
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  // ---------------------------------------------------------------------- focus -----
  function focusQuestion() {
    var input = document.querySelector("#question textarea");
    if (input) {
      input.focus({ preventScroll: true });
      input.scrollIntoView({ block: "center" });
    }
  }

  function focusHelp() {
    var heading = document.getElementById("help-heading");
    if (!heading) { return; }
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    if (target.closest("[data-quick-exit]")) { quickExit(event); return; }
    var handlers = [
      [".ask-btn", function (el) { askQuestion(el.value || el.textContent); }],
      // Gradio gives every link in a message target=_blank; a number opens the dialler here.
      ["#chat a[href^='tel:'], #chat a[href^='sms:']", function (el) {
        window.location.href = el.getAttribute("href");
      }],
      [".cite-copy", copyCitation],
      [".cite-view", viewSource],
      [".skip-link", focusQuestion],
      [".topbar-help", focusHelp],
      [".region-change", function () {
        var select = document.getElementById("region-select");
        if (select) { select.focus(); select.scrollIntoView({ block: "center" }); }
      }],
      ["#export-md", function () { exportConversation(false); }],
      ["#export-print", function () { exportConversation(true); }]
    ];
    for (var i = 0; i < handlers.length; i++) {
      var element = target.closest(handlers[i][0]);
      if (element) {
        event.preventDefault();
        handlers[i][1](element);
        return;
      }
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { quickExit(event); return; }
    lastEscape = now;
  }, true);

  // ---------------------------------------------------------------------- scrolling -----
  // The chat's scrolling box (Gradio's markup may change: find it by behaviour, not by class).
  function scroller(element) {
    var node = element;
    while (node && node !== document.body) {
      var style = window.getComputedStyle(node);
      if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
        return node;
      }
      node = node.parentElement;
    }
    return null;
  }

  function lastReply() {
    var replies = document.querySelectorAll("#chat .reply");
    return replies.length ? replies[replies.length - 1] : null;
  }

  // Bring `element`'s first line into the window, below the sticky bar.
  function showInWindow(element, room) {
    var bar = document.getElementById("topbar");
    var barBottom = bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    var top = element.getBoundingClientRect().top;
    if (top < barBottom + 4 || top > window.innerHeight - room) {
      window.scrollBy(0, top - barBottom - 8);
    }
  }

  // New replies' access dates (Gradio renders messages after our events end).
  new MutationObserver(function () {
    fillAccessDates(document.getElementById("chat"));
    markGuess();
  })
    .observe(document.documentElement, { childList: true, subtree: true });

  window.CTBUI = {
    quickExit: quickExit,
    guessRegion: guessRegion,
    // A question was sent: show it (the end of the conversation).
    asked: function () {
      window.setTimeout(function () {
        var messages = document.querySelectorAll("#chat .message-row, #chat .message");
        var last = messages.length ? messages[messages.length - 1] : null;
        var box = last ? scroller(last) : null;
        if (box) { box.scrollTop = box.scrollHeight; }
      }, 30);
    },
    // An answer arrived: show its beginning (crisis help leads), in the chat and in the window,
    // and say so to screen readers.
    answered: function () {
      var tries = 0;
      var show = function () {
        var reply = lastReply();
        if (!reply && tries++ < 40) { window.setTimeout(show, 25); return; }
        if (!reply) { return; }
        var box = scroller(reply);
        if (box) {
          var top = reply.getBoundingClientRect().top - box.getBoundingClientRect().top;
          box.scrollTop += top - 8;
        }
        showInWindow(reply, 160);
        var status = reply.querySelector(".reply-status");
        announce(status ? status.textContent : "");
      };
      window.setTimeout(show, 30);
    },
    sourceShown: function () {
      var tries = 0;
      var show = function () {
        var passage = document.getElementById("source-passage");
        var title = document.getElementById("source-title");
        if (!title && tries++ < 40) { window.setTimeout(show, 25); return; }
        if (title) { title.focus({ preventScroll: true }); }
        var panel = document.getElementById("source-panel");
        if (panel) { panel.scrollIntoView({ block: "start" }); }
        if (passage) {  // open at the passage, with the paragraph before it for context
          var box = passage.closest(".source-text");
          var from = passage.previousElementSibling || passage;
          if (box) { box.scrollTop = from.offsetTop - 8; }  // .source-text is positioned
        }
      };
      show();
    },
    sourceClosed: function () {
      if (viewOpener && document.body.contains(viewOpener)) { viewOpener.focus(); }
      viewOpener = null;
    },
    cleared: function () {
      announce(config.cleared || "Conversation cleared");
      var input = document.querySelector("#question textarea");
      if (input) { input.focus(); }
    }
  };

  startRegion();
  // On a wide screen the question box takes the focus without moving the page; on a phone
  // nothing moves, so the heading and what the assistant can and cannot do are seen first.
  whenReady(function () { return document.querySelector("#question textarea"); }, function () {
    if (window.matchMedia("(min-width: 641px)").matches) {
      document.querySelector("#question textarea").focus({ preventScroll: true });
    }
  });
})();
