// Draws every chart of the page. Each chart is a <div data-chart="ID">
// followed by a JSON data block #chart-ID-option holding its ECharts
// option; the server wrote the option as JSON, so nothing in it runs as
// code. The page's charts stay reachable through
// echarts.getInstanceByDom(element), as tests and the console expect.
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    document.documentElement.classList.add("no-charts");
    return;
  }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.id + "-option");
    if (!data) {
      return;
    }
    var option;
    try {
      option = JSON.parse(data.textContent);
    } catch (e) {
      el.classList.add("chart-failed");
      return;
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  });
  var resize = function () {
    charts.forEach(function (c) { c.resize(); });
  };
  window.addEventListener("resize", resize);
  // Printed pages are narrower than the screen: fit the charts to the
  // paper before printing and back after.
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
