// immunospine pages: small progressive enhancement. Every page works without this file.
// 1. Charts: <div class="chart" data-vega="ID"> with <script type="application/json" id="ID">
//    holding a Vega spec (compiled on the server from the report's Vega-Lite spec).
// 2. Live scores: <form data-live-calculator="NAME"> posts its answers to the open calculator
//    route once every required field is filled and shows the score before saving.
// 3. Follow-up questions: an element with data-show-if="FIELD=VALUE|VALUE" shows only when the
//    radio button or select FIELD has one of those values.
(function () {
  "use strict";

  function drawCharts() {
    if (!window.vegaEmbed || !window.vegaInterpreter) return;
    document.querySelectorAll("[data-vega]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(el, spec, {
        mode: "vega", renderer: "svg", actions: false, ast: true,
        expr: window.vegaInterpreter.expressionInterpreter,
        tooltip: true
      }).then(function () { el.setAttribute("data-drawn", "true"); })
        .catch(function (err) { el.setAttribute("data-error", String(err)); });
    });
  }

  function fieldValue(form, input) {
    if (input.type === "radio") {
      var checked = form.querySelector('input[name="' + input.name + '"]:checked');
      return checked ? checked.value : "";
    }
    if (input.type === "checkbox") return input.checked ? "true" : "";
    return input.value.trim();
  }

  function typed(input, raw) {
    var kind = input.getAttribute("data-kind") || (input.type === "number" ? "number" : "string");
    if (kind === "number") return Number(raw);
    if (kind === "boolean") return raw === "true";
    return raw;
  }

  // A live score for a <form> or a <fieldset> marked data-live-calculator: its [data-input]
  // fields (named by data-name when the form name carries a prefix, e.g. basdai.q1), plus the
  // inputs whose ids data-include lists (a lab value entered once for several scores).
  function liveScore(box) {
    var name = box.getAttribute("data-live-calculator");
    var out = box.querySelector('[data-testid="score"]');
    var cat = box.querySelector('[data-testid="category"]');
    var note = box.querySelector("[data-live-note]");
    var form = box.closest("form") || box;
    var extra = (box.getAttribute("data-include") || "").split(" ").filter(Boolean);
    var timer = null;
    function inputs() {
      var list = Array.prototype.slice.call(box.querySelectorAll("[data-input]"));
      extra.forEach(function (id) { var el = document.getElementById(id); if (el) list.push(el); });
      return list;
    }
    function update() {
      var body = {}, complete = true, seen = {}, any = false;
      inputs().forEach(function (input) {
        var key = input.getAttribute("data-name") || input.name;
        if (seen[input.name]) return;
        seen[input.name] = true;
        var raw = fieldValue(form, input);
        var required = input.hasAttribute("data-required") || extra.indexOf(input.id) >= 0;
        if (raw !== "" && extra.indexOf(input.id) < 0) any = true;
        var dot = key.indexOf(".");
        if (dot > 0) {  // an item of a list input: NAME.N (1-based); unanswered items are null
          var base = key.slice(0, dot), at = parseInt(key.slice(dot + 1), 10) - 1;
          body[base] = body[base] || [];
          while (body[base].length <= at) body[base].push(null);
          if (raw !== "") body[base][at] = typed(input, raw);
          else if (required) complete = false;
          return;
        }
        if (raw === "") { if (required) complete = false; return; }
        body[key] = typed(input, raw);
      });
      if (!complete) {
        if (out) out.textContent = "–";
        if (cat) cat.textContent = note ? note.getAttribute("data-live-note") : "";
        return;
      }
      if (!any) return;
      fetch("/api/v1/calculators/" + encodeURIComponent(name), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      }).then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
        .then(function (pair) {
          var ok = pair[0], j = pair[1];
          if (ok) {
            if (out) out.textContent = String(Math.round(j.score * 100) / 100);
            if (cat) cat.textContent = (j.category || "").replace(/_/g, " ");
          } else {
            if (out) out.textContent = "–";
            var p = (j.error && j.error.problems && j.error.problems[0]) || null;
            if (cat) cat.textContent = p ? p.loc[p.loc.length - 1] + ": " + p.msg : (j.error ? j.error.message : "");
          }
        }).catch(function () {});
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
    form.addEventListener("change", update);
    update();
  }

  function showIf() {
    var rules = document.querySelectorAll("[data-show-if]");
    if (!rules.length) return;
    function apply() {
      rules.forEach(function (el) {
        var rule = el.getAttribute("data-show-if").split("=");
        var allowed = rule[1].split("|");
        var chosen = document.querySelector('[name="' + rule[0] + '"]:checked') ||
          document.querySelector('select[name="' + rule[0] + '"]');
        var value = chosen ? chosen.value : "";
        var visible = allowed.indexOf(value) >= 0 || (value === "" && allowed.indexOf("") >= 0);
        el.hidden = !visible;
        el.querySelectorAll("input, select, textarea").forEach(function (i) { i.disabled = !visible; });
      });
    }
    document.addEventListener("change", apply);
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    document.querySelectorAll("[data-live-calculator]").forEach(liveScore);
    showIf();
  });
})();
