// Shows a date input's value as a Thai B.E. date next to it ("30 กันยายน 2566"), for every
// element with data-be-for="<input id>". A file, not an inline script (Content-Security-Policy).
document.querySelectorAll("[data-be-for]").forEach(function (out) {
  var input = document.getElementById(out.dataset.beFor);
  if (!input || input.type !== "date") { return; }  // a B.E. text field is its own echo
  var show = function () {
    var d = input.valueAsDate;
    out.textContent = d ? d.toLocaleDateString("th-TH", {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"}) : "";
  };
  input.addEventListener("change", show);
});
