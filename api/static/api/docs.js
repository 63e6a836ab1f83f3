// Starts Swagger UI or ReDoc on the API's schema, from our own origin (no inline script).
(function () {
  "use strict";
  var swagger = document.getElementById("swagger-ui");
  if (swagger && window.SwaggerUIBundle) {
    window.SwaggerUIBundle({
      url: swagger.dataset.schemaUrl,
      dom_id: "#swagger-ui",
      presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      deepLinking: true
    });
  }
  var redoc = document.getElementById("redoc");
  if (redoc && window.Redoc) {
    // Its search runs in a worker made from a blob, which the site's policy refuses.
    window.Redoc.init(redoc.dataset.schemaUrl, { disableSearch: true }, redoc);
  }
})();
