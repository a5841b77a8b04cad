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
  // A field refused for characters nobody can see (org.text): one click removes them, a
  // vertical tab or form feed (WPS's and PDF's breaks) becoming a line break.
  function visible(text) {
    return Array.from(text.replace(/[\u000b\u000c]/g, "\n")).filter(function (ch) {
      var code = ch.codePointAt(0);
      var control = code < 0x20 && code !== 9 && code !== 10 && code !== 13;
      var c1 = code >= 0x7f && code <= 0x9f;
      var nonchar = (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
      var surrogate = code >= 0xd800 && code <= 0xdfff;
      return !(control || c1 || nonchar || surrogate);
    }).join("");
  }
  function offerCleaning() {
    document.querySelectorAll("[data-invisible-chars]").forEach(function (field) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-primary mt-1";
      button.textContent = "删除看不见的字符";
      button.addEventListener("click", function () {
        field.value = visible(field.value);
        field.dispatchEvent(new Event("input", { bubbles: true }));
        button.textContent = "已删除，请核对后重新提交";
        button.disabled = true;
      });
      var after = field;
      while (after.nextElementSibling && after.nextElementSibling.matches(".invalid-feedback")) {
        after = after.nextElementSibling;
      }
      after.insertAdjacentElement("afterend", button);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", offerCleaning);
  } else {
    offerCleaning();
  }
})();
