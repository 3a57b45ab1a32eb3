// django-import-export's export form: each resource's "Select all" box ticks or clears
// that resource's field boxes. Its own template does this with an inline onchange
// handler, which our Content-Security-Policy blocks (templates/admin/import_export/export.html).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    const row = toggle.closest("[resource-index]");
    const selector = row
      ? `[resource-index="${row.getAttribute("resource-index")}"] input[type="checkbox"]`
      : '.selectable-field-export-row input[type="checkbox"]';
    toggle.addEventListener("change", () => {
      document.querySelectorAll(selector).forEach((checkbox) => {
        if (checkbox !== toggle) {
          checkbox.checked = toggle.checked;
        }
      });
    });
  });
});
