// Times the desk prints in the site's zone (<time class="site-time" datetime="…"
// data-zone="Asia/Shanghai">) get the reader's own time beside them when the browser's
// zone is another one. Safe to load more than once.
(() => {
  const complete = () => {
    let readerZone;
    try {
      readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    document.querySelectorAll("time.site-time[datetime]").forEach((element) => {
      if (element.dataset.localDone || !readerZone || readerZone === element.dataset.zone) {
        return;
      }
      const moment = new Date(element.getAttribute("datetime"));
      if (Number.isNaN(moment.getTime())) {
        return;
      }
      element.dataset.localDone = "1";
      const local = document.createElement("span");
      local.className = "local-time";
      const label = element.dataset.localLabel || "";
      local.textContent = ` · ${format.format(moment)} ${label} (${readerZone})`;
      element.after(local);
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", complete);
  } else {
    complete();
  }
})();
