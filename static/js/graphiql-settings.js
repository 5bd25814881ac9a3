// GraphiQL's settings for graphene-django's graphiql.js, read from the JSON block the
// template renders (the Content-Security-Policy allows no inline script).
(function () {
  var settings = JSON.parse(document.getElementById("graphene-settings").textContent);
  if (!settings.subscriptionPath) {
    delete settings.subscriptionPath;
  }
  window.GRAPHENE_SETTINGS = settings;
})();
