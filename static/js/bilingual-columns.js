// Translated admin forms: each field's languages side by side in aligned columns, as an
// alternative to django-modeltranslation's language tabs (a toggle, remembered in this
// browser). Each language is labelled by its own name and its state (missing, outdated,
// current), and a read-only rich text (a translator's source) is shown rendered.
//
// The languages and the states come from JSON data blocks written by
// templates/admin/change_form.html: #admin-languages, #translation-status, #rich-text-columns.
(() => {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const pgettext = window.pgettext || ((context, text) => text);
  const STORAGE_KEY = "admin.bilingual-columns";
  const STATES = {
    missing: pgettext("translation state", "missing"),
    outdated: pgettext("translation state", "outdated"),
    current: pgettext("translation state", "current"),
  };

  function data(id, fallback) {
    const element = document.getElementById(id);
    if (!element) return fallback;
    return JSON.parse(element.textContent) || fallback;
  }

  const languages = data("admin-languages", []);
  const status = data("translation-status", {});
  const richTextColumns = new Set(data("rich-text-columns", []));

  // "body_<suffix>" -> {field: "body", language}; null for an untranslated name.
  function splitColumn(column) {
    for (const language of languages) {
      const end = `_${language.suffix}`;
      if (column.endsWith(end) && column.length > end.length) {
        return { field: column.slice(0, -end.length), language };
      }
    }
    return null;
  }

  // The column a form row or a tab panel holds: "field-body_<suffix>" or "tab_id_body_<suffix>".
  function columnOf(element) {
    if (element.classList.contains("ui-tabs-panel")) return element.id.replace(/^tab_id_/, "");
    const cls = [...element.classList].find((name) => name.startsWith("field-"));
    return cls ? cls.slice("field-".length) : null;
  }

  function stateOf(field, language) {
    if (!language.edited) return null;
    return (status[field] || {})[language.code] || "current";
  }

  function stateBadge(state) {
    const badge = document.createElement("span");
    badge.className = `translation-state translation-state-${state}`;
    badge.textContent = STATES[state];
    return badge;
  }

  // A column's heading: the language's own name and the field's state in it.
  function heading(field, language) {
    const head = document.createElement("p");
    head.className = "bilingual-head";
    const name = document.createElement("span");
    name.className = "bilingual-language";
    name.lang = language.tag;
    name.textContent = language.label;
    head.append(name);
    const state = stateOf(field, language);
    if (state) head.append(" ", stateBadge(state));
    return head;
  }

  // The language tabs: named by the language (not "EN" / "ZH-HANS"), with the field's state.
  function labelTab(panel) {
    const parsed = splitColumn(columnOf(panel));
    const tab = document.querySelector(`[aria-controls="${CSS.escape(panel.id)}"] .ui-tabs-anchor`);
    if (!parsed || !tab || tab.dataset.labelled) return;
    tab.dataset.labelled = "1";
    tab.textContent = parsed.language.label;
    tab.lang = parsed.language.tag;
    tab.title = parsed.language.name;
    const state = stateOf(parsed.field, parsed.language);
    if (state && state !== "current") tab.append(" ", stateBadge(state));
  }

  // Rich text allowed on the public pages (forum/core/richtext.py); anything else is
  // dropped, keeping its text.
  const ALLOWED = new Set([
    "P", "H2", "H3", "H4", "UL", "OL", "LI", "STRONG", "B", "EM", "I", "BLOCKQUOTE", "BR",
    "A", "SUB", "SUP", "U", "S", "CODE", "PRE",
  ]);

  function copyAllowed(source, target) {
    source.childNodes.forEach((node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        target.append(node.textContent);
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (ALLOWED.has(node.tagName)) {
          const copy = document.createElement(node.tagName.toLowerCase());
          const href = node.getAttribute("href");
          if (node.tagName === "A" && href && /^(https?:|mailto:)/i.test(href)) copy.href = href;
          copyAllowed(node, copy);
          target.append(copy);
        } else {
          copyAllowed(node, target);
        }
      }
    });
  }

  // A read-only rich-text field shows its HTML as source; show it as the reader sees it.
  function renderReadonlyRichText() {
    richTextColumns.forEach((column) => {
      document.querySelectorAll(`.form-row.field-${CSS.escape(column)} div.readonly`).forEach((box) => {
        if (box.classList.contains("rich-text-rendered")) return;
        const parsed = new DOMParser().parseFromString(box.textContent, "text/html");
        box.replaceChildren();
        copyAllowed(parsed.body, box);
        box.classList.add("rich-text-rendered");
      });
    });
  }

  // Wrap the consecutive elements that hold one field's languages (a tabs container, or
  // a read-only row beside a tabs container) in one .bilingual-pair, and head each
  // language's column.
  function pairFields(form) {
    let count = 0;
    form.querySelectorAll("fieldset.module").forEach((fieldset) => {
      if (fieldset.closest(".inline-related, .bilingual-pair")) return;
      let pair = null;
      let pairField = null;
      [...fieldset.children].forEach((child) => {
        let field = null;
        let columns = [];
        if (child.classList.contains("ui-tabs")) {
          columns = [...child.children].filter((el) => el.classList.contains("ui-tabs-panel"));
        } else if (child.classList.contains("form-row")) {
          columns = [child];
        }
        const parsed = columns.map((column) => [column, splitColumn(columnOf(column) || "")]);
        if (parsed.length && parsed.every(([, split]) => split)) {
          field = parsed[0][1].field;
          if (!parsed.every(([, split]) => split.field === field)) field = null;
        }
        if (!field) {
          pair = null;
          return;
        }
        if (!pair || pairField !== field) {
          pair = document.createElement("div");
          pair.className = "bilingual-pair";
          pair.dataset.field = field;
          child.before(pair);
          pairField = field;
          count += 1;
        }
        pair.append(child);
        parsed.forEach(([column, split]) => {
          column.classList.add("bilingual-column");
          column.prepend(heading(field, split.language));
          if (column.classList.contains("ui-tabs-panel")) labelTab(column);
        });
      });
    });
    return count;
  }

  const jq = window.jQuery || (window.django && window.django.jQuery);

  function setColumns(on) {
    document.body.classList.toggle("bilingual-columns", on);
    document.querySelectorAll(".bilingual-pair .ui-tabs-panel").forEach((panel) => {
      if (on) panel.removeAttribute("aria-hidden");
    });
    if (!on && jq && jq.fn.tabs) {
      // Hide the inactive tab panels again.
      jq(".bilingual-pair .ui-tabs").each(function () {
        jq(this).tabs("refresh");
      });
    }
    const button = document.querySelector(".bilingual-toggle");
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function toolbar() {
    const bar = document.createElement("p");
    bar.className = "bilingual-toolbar";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button bilingual-toggle";
    button.textContent = `${gettext("Languages side by side")}: ${languages.filter((l) => l.edited).map((l) => l.label).join(" / ")}`;
    button.addEventListener("click", () => {
      const on = !document.body.classList.contains("bilingual-columns");
      try {
        localStorage.setItem(STORAGE_KEY, on ? "1" : "0");
      } catch (error) {
        // Storage may be off (private windows); the choice then lasts for the page.
      }
      setColumns(on);
    });
    bar.append(button);
    return bar;
  }

  function remembered() {
    try {
      return localStorage.getItem(STORAGE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  function start() {
    if (languages.length < 2) return;
    renderReadonlyRichText();
    // Tabs outside the main fieldsets (stacked inlines) are labelled too, and so is the
    // switch of all tabs (its options are the codes).
    document.querySelectorAll(".ui-tabs-panel").forEach(labelTab);
    document.querySelectorAll("#modeltranslation-main-switch option").forEach((option) => {
      const language = languages.find((item) => item.code === option.textContent.trim());
      if (language) option.textContent = language.label;
    });
    // The model's form ("report_form"), not the other forms on the page.
    const form = document.querySelector('#content-main form[id$="_form"]');
    if (!form || !pairFields(form)) return;
    form.querySelector(".bilingual-pair").closest("fieldset").before(toolbar());
    setColumns(remembered());
  }

  // After django-modeltranslation has drawn its tabs (a jQuery ready handler registered
  // before this script ran).
  if (jq) {
    jq(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
