/* OpenITA plan and progress forms: nothing typed is lost.
 *
 * - A form that did not save lists its problems at the top ([data-summary]); the page is
 *   taken there, and each link focuses its field.
 * - A form[data-keep] keeps what is typed in sessionStorage (this tab only) until it is
 *   saved, so uploading an evidence file, a reload, an expired session or leaving the page
 *   and coming back puts it back. Where the saved value changed in between (a colleague, or
 *   the file name an upload added to the evidence), the saved value stays: evidence lines
 *   are combined, other text is listed in the notice so it can be copied.
 * - Leaving a page with unsaved changes asks first.
 * - A deadline input shows its date in the Buddhist era beside it ([data-be-for]).
 * No inline script: the Content-Security-Policy allows scripts from this site only.
 */
(function () {
  "use strict";
  var PREFIX = "openita:draft:";
  var submitting = false;
  var dirty = false;
  var failed = !!document.querySelector("[data-summary]");  // the form shown was not saved

  function skip(el) {
    if (!el.name || el.disabled) return true;
    var type = (el.type || "").toLowerCase();
    return ["hidden", "file", "submit", "button", "reset"].indexOf(type) >= 0 ||
      el.name === "csrfmiddlewaretoken";
  }

  function keyOf(el) {
    var name = el.name.replace(/^[A-Za-z]+-\d+-/, "");
    var box = el.closest("[data-key]");
    var key = box ? box.getAttribute("data-key") + ":" + name : el.name;
    var type = (el.type || "").toLowerCase();
    return type === "checkbox" || type === "radio" ? key + "=" + el.value : key;
  }

  function valueOf(el) {
    var type = (el.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") return el.checked ? "1" : "";
    if (el.tagName === "SELECT") {
      return Array.prototype.filter.call(el.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; }).join("\n");
    }
    return el.value;
  }

  function defaultOf(el) {
    var type = (el.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") return el.defaultChecked ? "1" : "";
    if (el.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(el.options, function (o) { return o.defaultSelected; });
      if (!chosen.length && !el.multiple && el.options.length) chosen = [el.options[0]];
      return chosen.map(function (o) { return o.value; }).join("\n");
    }
    return el.defaultValue;
  }

  function setValue(el, value) {
    var type = (el.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") el.checked = value === "1";
    else if (el.tagName === "SELECT") {
      var wanted = value.split("\n");
      Array.prototype.forEach.call(el.options, function (o) { o.selected = wanted.indexOf(o.value) >= 0; });
    } else el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return !skip(el); });
  }

  function baseOf(form) {
    var base = form.querySelector("[name=base_version]");
    return base ? base.value : "";
  }

  function labelOf(el) {
    var label = el.id ? document.querySelector("label[for='" + el.id + "']") : null;
    var box = el.closest("[data-key]");
    var text = label ? label.textContent.trim() : el.name;
    return box ? box.getAttribute("data-key") + " · " + text : text;
  }

  function combineLines(saved, typed) {
    var lines = saved.split("\n").filter(function (l) { return l.trim(); });
    typed.split("\n").forEach(function (l) {
      if (l.trim() && lines.indexOf(l) < 0) lines.push(l);
    });
    return lines.join("\n");
  }

  function keep(form) {
    var storeKey = PREFIX + location.pathname + "#" + (form.id || "form");
    var notice = form.querySelector("[data-restored]");

    function save(submitted) {
      var typed = {};
      var any = false;
      fields(form).forEach(function (el) {
        var value = valueOf(el);
        var orig = defaultOf(el);
        if (value !== orig) { typed[keyOf(el)] = { orig: orig, value: value }; any = true; }
      });
      dirty = any;
      try {
        if (any) {
          sessionStorage.setItem(storeKey, JSON.stringify(
            { base: baseOf(form), submitted: !!submitted, fields: typed }));
        } else sessionStorage.removeItem(storeKey);
      } catch (e) { /* storage full or off: the leave warning still protects */ }
    }

    function restore() {
      var raw = null;
      try { raw = sessionStorage.getItem(storeKey); } catch (e) { return; }
      if (!raw) return;
      var draft;
      try { draft = JSON.parse(raw); } catch (e) { sessionStorage.removeItem(storeKey); return; }
      if (draft.submitted && draft.base !== baseOf(form)) {
        sessionStorage.removeItem(storeKey);  // it was saved: the page shows the new version
        return;
      }
      var put = 0;
      var left = [];
      fields(form).forEach(function (el) {
        var d = draft.fields[keyOf(el)];
        if (!d || d.value === valueOf(el)) return;
        var now = defaultOf(el);
        if (now === d.orig) { setValue(el, d.value); put++; }
        else if (/evidence$/.test(el.name)) { setValue(el, combineLines(now, d.value)); put++; }
        else if (el.tagName === "TEXTAREA" || (el.type || "").toLowerCase() === "text") {
          left.push(labelOf(el) + ": " + d.value);
        }
      });
      if (!put && !left.length) { sessionStorage.removeItem(storeKey); return; }
      dirty = true;
      if (notice) {
        if (left.length) {
          var list = document.createElement("ul");
          left.forEach(function (text) {
            var item = document.createElement("li");
            item.textContent = text;
            list.appendChild(item);
          });
          var leftNote = notice.querySelector("[data-left]");
          if (leftNote) leftNote.hidden = false;
          notice.insertBefore(list, notice.lastElementChild);
        }
        notice.hidden = false;
      }
      save(false);
    }

    form.addEventListener("input", function () { save(false); });
    form.addEventListener("change", function () { save(false); });
    form.addEventListener("submit", function () { save(true); submitting = true; });
    if (notice) {
      var discard = notice.querySelector("[data-discard]");
      if (discard) discard.addEventListener("click", function () {
        try { sessionStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
        dirty = failed = false;
        submitting = true;
        location.reload();
      });
    }
    restore();
  }

  function focusSummary() {
    var summary = document.querySelector("[data-summary]");
    if (!summary) return;
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      var field = target.matches("input, select, textarea") ? target :
        target.querySelector("input:not([type=hidden]), select, textarea");
      if (field) field.focus({ preventScroll: true });
    });
  }

  function beDates() {
    document.querySelectorAll("[data-be-for]").forEach(function (out) {
      var input = document.getElementById(out.getAttribute("data-be-for"));
      if (!input) return;
      input.addEventListener("change", function () {
        var d = input.valueAsDate;
        out.textContent = d ? d.toLocaleDateString("th-TH",
          { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }) : "";
      });
    });
  }

  document.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!(dirty || failed) || submitting) return undefined;
    event.preventDefault();
    event.returnValue = "";
    return "";
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  beDates();
  document.querySelectorAll("form[data-keep]").forEach(keep);
  focusSummary();
})();
