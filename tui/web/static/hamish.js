// The "Start again" button of the closed-session dialog (a file, not inline, so the page's CSP can forbid
// inline scripts).
document.addEventListener("DOMContentLoaded", () => {
  const restart = document.getElementById("restart");
  if (restart) restart.addEventListener("click", () => window.location.reload());
});
