// Check a local copy against the SHA-256 values on the public page, in the browser only.
(function () {
  "use strict";
  var form = document.querySelector("form.verifier");
  if (!form || !window.crypto || !window.crypto.subtle) return;  // needs https or localhost
  form.hidden = false;
  var input = form.querySelector("input[type=file]");
  var result = form.querySelector(".verify-result");
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    file.arrayBuffer().then(function (data) {
      return window.crypto.subtle.digest("SHA-256", data);
    }).then(function (digest) {
      var hex = Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
      var found = null;
      document.querySelectorAll(".files li").forEach(function (li) {
        var code = li.querySelector(".sha code");
        if (code && code.textContent.trim() === hex) found = li.querySelector("a").getAttribute("download");
      });
      result.textContent = found ? result.dataset.match + " " + found : result.dataset.nomatch + " (" + hex + ")";
    });
  });
})();
