// The rich-text editor (django-prose-editor) in the admin's language. Its dialogs ask
// Django's JavaScript catalogue (window.gettext) for their words; its toolbar titles and
// block menu are written in English, so they are replaced here, with their accessible names.
(() => {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const pgettext = window.pgettext || ((context, text) => text);
  const gettext_noop = window.gettext_noop || ((text) => text);

  // The words the editor itself passes to window.gettext: listed so that `make messages`
  // puts them in the catalogue (cdfsite/locale/<locale>/LC_MESSAGES/djangojs.po).
  gettext_noop("Edit Link");
  gettext_noop("URL");
  gettext_noop("Title");
  gettext_noop("Open in new window");
  gettext_noop("Cancel");
  gettext_noop("Update");
  gettext_noop("Insert");
  gettext_noop("List properties");
  gettext_noop("List type");
  gettext_noop("Start at");
  gettext_noop("Decimal numbers");
  gettext_noop("Lowercase letters");
  gettext_noop("Uppercase letters");
  gettext_noop("Lowercase Roman numerals");
  gettext_noop("Uppercase Roman numerals");
  gettext_noop("Edit HTML");
  gettext_noop("Prettify");
  gettext_noop("Toggle fullscreen");
  gettext_noop("The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.");

  // The editor's own English words -> the admin's language.
  const WORDS = {
    paragraph: pgettext("rich-text block", "Paragraph"),
    Paragraph: pgettext("rich-text block", "Paragraph"),
    "Heading 2": pgettext("rich-text block", "Heading 2"),
    "Heading 3": pgettext("rich-text block", "Heading 3"),
    "Heading 4": pgettext("rich-text block", "Heading 4"),
    "unordered list": pgettext("rich-text block", "Bulleted list"),
    "ordered list": pgettext("rich-text block", "Numbered list"),
    blockquote: pgettext("rich-text block", "Quotation"),
    "horizontal rule": pgettext("rich-text block", "Horizontal line"),
    bold: pgettext("rich-text format", "Bold"),
    italic: pgettext("rich-text format", "Italic"),
    underline: pgettext("rich-text format", "Underline"),
    strike: pgettext("rich-text format", "Strikethrough"),
    subscript: pgettext("rich-text format", "Subscript"),
    superscript: pgettext("rich-text format", "Superscript"),
    "insert link": pgettext("rich-text link", "Insert link"),
    "remove link": pgettext("rich-text link", "Remove link"),
    undo: pgettext("rich-text history", "Undo"),
    redo: pgettext("rich-text history", "Redo"),
    "edit HTML": gettext("Edit HTML"),
  };

  function translate(menubar) {
    menubar.querySelectorAll("button").forEach((button) => {
      ["title", "aria-label"].forEach((attribute) => {
        const value = button.getAttribute(attribute);
        if (value && WORDS[value]) button.setAttribute(attribute, WORDS[value]);
      });
      // Block-menu options show their name in the block's own style (<h2>Heading 2</h2>).
      button.querySelectorAll("h2, h3, h4, p").forEach((label) => {
        const text = label.textContent.trim();
        if (WORDS[text]) label.textContent = WORDS[text];
      });
    });
  }

  function translateAll() {
    document.querySelectorAll(".prose-menubar").forEach(translate);
  }

  let scheduled = false;
  document.addEventListener("DOMContentLoaded", () => {
    translateAll();
    // Editors start after this script (module scripts), new inline rows add editors, and
    // the block menu redraws its current choice.
    new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        translateAll();
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
