/* Behaviour the pages ask for with data- attributes, so no template needs an inline script
   (the Content-Security-Policy allows scripts from this site only). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-select-all]")) { field.select(); }
  });
})();
