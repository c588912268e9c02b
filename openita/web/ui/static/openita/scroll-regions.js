// A table wider than the screen scrolls inside its .scroll box; keyboard users must be able to
// reach that box to scroll it (WCAG 2.1.1; axe "scrollable-region-focusable"). Each box that
// overflows becomes a named, focusable region; one that fits stays out of the tab order.
(function () {
  var english = document.documentElement.lang === "en";
  function nameOf(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) { return el.textContent.trim(); }
    }
    var section = box.closest("section");
    var heading = section && section.querySelector("h1, h2, h3");
    if (heading) { return heading.textContent.trim(); }
    return english ? "Table" : "ตาราง";
  }
  function update() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box) + (english ? " (scrolls sideways)" : " (เลื่อนดูด้านข้างได้)"));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();
