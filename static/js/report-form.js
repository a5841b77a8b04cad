/* The report form keeps what is typed in this browser until the server has it: a clerk whose
   session expires at 11 pm, or whose network drops, gets the text back on the next visit. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.localStorage) { return; }
  var key = "dalei:" + form.dataset.autosave;
  var status = document.getElementById("autosave-status");
  var banner = document.getElementById("autosave-restore");
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "version" && el.type !== "submit";
    });
  };
  var snapshot = function () {
    var values = {};
    fields().forEach(function (el) { values[el.name] = el.value; });
    return values;
  };
  var differs = function (saved) {
    return fields().some(function (el) { return saved[el.name] !== undefined && saved[el.name] !== el.value; });
  };
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  // A successful save reloads the page with a higher version: what was kept is now on the server.
  if (stored && stored.version < Number(form.dataset.version) && !form.querySelector(".invalid-feedback")) {
    localStorage.removeItem(key);
    stored = null;
  }
  if (stored && banner && differs(stored.values)) {
    var when = new Date(stored.at);
    banner.innerHTML = "本机保存着 " + when.toLocaleString("zh-CN") + " 填写但还没有保存到系统的内容。 ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-sm btn-primary ms-2";
    restore.textContent = "恢复这些内容";
    restore.addEventListener("click", function () {
      fields().forEach(function (el) {
        if (stored.values[el.name] !== undefined) { el.value = stored.values[el.name]; }
      });
      banner.classList.add("d-none");
      updatePreviews();
    });
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-link";
    discard.textContent = "不用了";
    discard.addEventListener("click", function () { localStorage.removeItem(key); banner.classList.add("d-none"); });
    banner.appendChild(restore);
    banner.appendChild(discard);
    banner.classList.remove("d-none");
  }
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      localStorage.setItem(key, JSON.stringify({ version: Number(form.dataset.version), at: Date.now(), values: snapshot() }));
      if (status) { status.textContent = "已暂存在本机 " + new Date().toLocaleTimeString("zh-CN"); }
    }, 400);
    updatePreviews();
  });
  function updatePreviews() {
    document.querySelectorAll("[data-rate-preview]").forEach(function (box) {
      var prefix = box.dataset.ratePreview + "_";
      var num = form.elements[prefix + "numerator"], den = form.elements[prefix + "denominator"];
      if (!num || !den) { return; }
      var n = parseFloat(num.value), d = parseFloat(den.value);
      if (isNaN(n) || isNaN(d)) { box.textContent = ""; return; }
      if (d === 0) { box.textContent = "分母为 0"; return; }
      var rate = (n / d * 100).toFixed(1);
      box.textContent = "= " + rate + "%" + (n > d ? "（分子大于分母，比率会超过 100%，请核对分子和分母）" : "");
      box.classList.toggle("text-danger", n > d);
    });
  }
  updatePreviews();
})();
