// Progressive enhancement only: every page works without this file.
// A changed filter menu submits its form, so a reader need not look for the button.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });
});
