/* Unit links: copy a new link with one button ([data-copy] names the input holding it).
 * No inline script: the Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var done = document.querySelector("[data-copied]");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      function shown() { if (done) done.hidden = false; }
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(shown, function () {
          if (document.execCommand("copy")) shown();
        });
      } else if (document.execCommand("copy")) shown();
    });
  });
})();
