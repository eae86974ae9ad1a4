// The chart bundle: Vega, Vega-Lite and vega-embed with Vega's expression interpreter, so that charts render
// under the site's Content-Security-Policy (script-src 'self': no eval, no new Function; style-src 'self':
// no injected <style>). Built into src/nghiquyet/web/static/vendor/charts/charts.js by scripts/build-charts.
//
// Each chart on a page is an element with data-chart="ID" next to <script type="application/json" id="ID">
// holding its Vega-Lite spec (made on the server by nghiquyet.reports.charts, the same spec the documents
// render with vl-convert) and, on the element, data-locale-id naming the JSON of the number format.
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

function json(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function render(element) {
  const spec = json(element.dataset.chart);
  if (!spec) return;
  const options = {
    actions: false,
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    renderer: "svg",
    tooltip: false,
    formatLocale: json(element.dataset.localeId || "") || undefined,
  };
  embed(element, spec, options)
    .then(() => element.setAttribute("data-rendered", "true"))
    .catch((error) => {
      element.setAttribute("data-rendered", "error");
      element.textContent = element.dataset.error || "Không vẽ được biểu đồ.";
      console.error(error);
    });
}

function renderAll(root) {
  (root || document).querySelectorAll("[data-chart]:not([data-rendered])").forEach(render);
}

document.addEventListener("DOMContentLoaded", () => renderAll(document));
document.addEventListener("htmx:afterSwap", (event) => renderAll(event.target));
