// Accessibility repairs for widgets the admin draws with third-party scripts (select2,
// jQuery UI tabs from django-modeltranslation, the prose editor, tabular inlines), which
// leave controls without names or put focusable elements inside other controls. Widgets
// appear after load (inline rows, select2 re-renders), so the repairs run on every change.
(() => {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const pgettext = window.pgettext || ((context, text) => text);
  let labelCount = 0;

  // The label element of a form control, given an id to be pointed at.
  function labelId(control) {
    if (!control || !control.id) return null;
    const label = document.querySelector(`label[for="${CSS.escape(control.id)}"]`);
    if (!label) return null;
    if (!label.id) label.id = `${control.id}-label-${++labelCount}`;
    return label.id;
  }

  function labelText(control) {
    const id = labelId(control);
    return id ? document.getElementById(id).textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  // select2: the combobox and the search box of a multiple choice are named by the label
  // of the select they stand for; the "remove all" cross sits inside the list of choices,
  // where only list items may be, so it is given one.
  function repairSelect2(root) {
    root.querySelectorAll("select + .select2-container").forEach((container) => {
      const select = container.previousElementSibling;
      const id = labelId(select);
      if (!id) return;
      container.querySelectorAll(".select2-selection[role=combobox]").forEach((box) => {
        const rendered = box.querySelector(".select2-selection__rendered[id]");
        const wanted = rendered ? `${id} ${rendered.id}` : id;
        if (box.getAttribute("aria-labelledby") !== wanted) box.setAttribute("aria-labelledby", wanted);
      });
      // A single choice's shown value is a read-only text box, empty until chosen.
      container.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach((value) => {
        if (!value.hasAttribute("aria-labelledby")) value.setAttribute("aria-labelledby", id);
      });
      container.querySelectorAll(".select2-search__field").forEach((field) => {
        if (!field.getAttribute("aria-label")) field.setAttribute("aria-label", labelText(select));
      });
      container.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach((clear) => {
        const item = document.createElement("li");
        item.className = "select2-clear-item";
        clear.replaceWith(item);
        item.append(clear);
      });
    });
  }

  // The prose editor's editable area is named by the field's label.
  function repairEditors(root) {
    root.querySelectorAll(".prose-editor").forEach((wrapper) => {
      const area = wrapper.querySelector("[contenteditable]");
      const id = labelId(wrapper.querySelector("textarea"));
      if (area && id && !area.hasAttribute("aria-labelledby")) {
        area.setAttribute("aria-labelledby", id);
        area.setAttribute("aria-multiline", "true");
      }
    });
  }

  // jQuery UI tabs: the tab (the list item, which takes the focus and the arrow keys) is
  // the control; the link inside it would be a second, nested one. The link stays (jQuery
  // UI reads its address) but is made inert, and a click on the tab selects it.
  function repairTabs(root) {
    root.querySelectorAll(".ui-tabs-nav a.ui-tabs-anchor:not([inert])").forEach((anchor) => {
      anchor.inert = true;
    });
    const mainSwitch = root.querySelector("#modeltranslation-main-switch");
    if (mainSwitch && !mainSwitch.hasAttribute("aria-label")) {
      mainSwitch.setAttribute("aria-label", gettext("Language of all fields"));
    }
  }

  // Tabular inlines label their cells by the column heading only; each control is named by
  // its column and row.
  function repairTabularInlines(root) {
    root.querySelectorAll(".tabular table").forEach((table) => {
      const headings = [...table.querySelectorAll("thead th")];
      table.querySelectorAll("tbody tr.form-row").forEach((row, rowIndex) => {
        [...row.children].forEach((cell) => {
          const heading = headings[cell.cellIndex];
          const name = heading ? heading.textContent.trim() : "";
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
            if (control.closest(".select2-container")) return;
            if (control.labels && control.labels.length) return;
            if (control.hasAttribute("aria-label")) return;
            const column =
              name || (control.type === "checkbox" && /DELETE$/.test(control.name) ? pgettext("inline row", "Delete") : control.name);
            control.setAttribute("aria-label", `${column} (${rowIndex + 1})`);
          });
        });
      });
    });
  }

  // Change forms: a link at the very top to the form's actions (the action menu, or the row
  // of save buttons), so that saving is a few key presses away, not a hundred.
  function addSkipToActions() {
    const link = document.querySelector(".skip-to-actions");
    if (!link) return;
    const target = document.getElementById("action-menu") || document.querySelector("form .submit-row");
    if (!target) {
      link.remove();
      return;
    }
    if (!target.id) target.id = "form-actions";
    link.href = `#${target.id}`;
    const first = document.querySelector(".skip-to-content-link");
    if (first && first !== link) first.after(link);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const control = target.querySelector("button, input[type=submit], a[href], select");
      target.scrollIntoView({ block: "center" });
      if (control) control.focus();
    });
  }

  // Tab leaves the rich-text editor, also inside a list (the editor would indent the item
  // and keep the focus there); Shift+Tab goes back.
  function releaseTab(event) {
    if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.target.closest && event.target.closest(".prose-editor [contenteditable]")) {
      event.stopPropagation();
    }
  }

  // Django writes the text of its yes/no icons in English whatever the admin's language.
  const BOOLEAN_TEXT = {
    True: pgettext("yes/no icon", "Yes"),
    False: pgettext("yes/no icon", "No"),
    None: pgettext("yes/no icon", "Unknown"),
  };
  function translateBooleanIcons(root) {
    root.querySelectorAll('img[src*="/admin/img/icon-"]').forEach((icon) => {
      if (BOOLEAN_TEXT[icon.alt]) icon.alt = BOOLEAN_TEXT[icon.alt];
    });
  }

  // The filtered multiple choice (SelectFilter2) names its search icon with aria-label,
  // which a plain span may not carry; as an image it may.
  function repairFilterIcons(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }

  function selectTab(event) {
    const tab = event.target.closest && event.target.closest(".ui-tabs-nav > li[role=tab]");
    const jq = window.jQuery || (window.django && window.django.jQuery);
    if (!tab || !jq || !jq.fn.tabs) return;
    event.preventDefault();
    jq(tab).closest(".ui-tabs").tabs("option", "active", jq(tab).index());
  }

  function repair(root) {
    translateBooleanIcons(root);
    repairFilterIcons(root);
    repairSelect2(root);
    repairEditors(root);
    repairTabs(root);
    repairTabularInlines(root);
  }

  let scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      repair(document);
    });
  }

  document.addEventListener("keydown", releaseTab, true);
  document.addEventListener("click", selectTab);
  document.addEventListener("DOMContentLoaded", () => {
    addSkipToActions();
    repair(document);
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
