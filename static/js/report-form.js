// The report form (templates/admin/forum/report/change_form.html):
// - leaving the page with unsaved changes asks first (not when the form is submitted:
//   every button of the action menu saves it);
// - the credit pickers keep people in the order they were picked: a newly picked person
//   moves to the end of the list, which is the order the browser sends.
(() => {
  "use strict";

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("report_form");
    if (!form) {
      return;
    }
    // A form shown again with errors holds edits that are not saved yet.
    let dirty = Boolean(document.querySelector(".errornote, .errorlist"));
    let submitting = false;
    const markDirty = (event) => {
      if (!event.target.closest("#action-menu")) {
        dirty = true;
      }
    };
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    form.addEventListener("submit", () => {
      submitting = true;
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty && !submitting) {
        event.preventDefault();
        // Older browsers show the prompt only when returnValue is set.
        event.returnValue = "";
      }
    });

    // Select2 (the admin's autocomplete) fires its events through the admin's jQuery.
    const jQuery = window.django && window.django.jQuery;
    if (jQuery) {
      jQuery(form).on("select2:select", "select.ordered-autocomplete", function (event) {
        const option = event.params && event.params.data && event.params.data.element;
        if (option && option.parentNode === this) {
          this.appendChild(option);
          jQuery(this).trigger("change");
        }
        dirty = true;
      });
      jQuery(form).on("select2:unselect", "select.ordered-autocomplete", () => {
        dirty = true;
      });
    }
  });
})();
