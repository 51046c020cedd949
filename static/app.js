// maillage — small additions on top of htmx. Every page works without this file.
(function () {
  "use strict";
  if (!window.htmx) return;
  // Error answers (4xx, 5xx) carry a French message fragment: swap it in (the server retargets it
  // to the message area) instead of silently ignoring it, which is htmx's default.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true },
    { code: "[45]..", swap: true, error: true },
  ];
})();
