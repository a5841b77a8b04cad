/* 大屏: cycle through the contests every 15 seconds and keep a clock; the page reloads itself. */
(function () {
  "use strict";
  var slides = document.querySelectorAll(".app-slide");
  var label = document.getElementById("slide-no");
  var clock = document.getElementById("screen-clock");
  var current = 0;
  function show(i) {
    slides.forEach(function (s, n) { s.classList.toggle("is-active", n === i); });
    if (label) { label.textContent = (i + 1) + " / " + slides.length; }
  }
  if (slides.length) { show(0); }
  if (slides.length > 1) {
    setInterval(function () { current = (current + 1) % slides.length; show(current); }, 15000);
  }
  function tick() { if (clock) { clock.textContent = new Date().toLocaleString("zh-CN", { hour12: false }); } }
  tick();
  setInterval(tick, 1000);
})();
