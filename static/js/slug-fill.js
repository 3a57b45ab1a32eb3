// On a change form with translated headline and slug fields (id_headline_<suffix>,
// id_slug_<suffix>, one pair per language), fill each slug from its headline as it is
// typed, as long as nobody has edited that slug by hand. The slug comes from the server
// (forum.core.slugs: pinyin for Chinese, unique among reports) through the report admin's
// slug address; an element with data-slug-url may name another one.
(() => {
  const DELAY_MS = 300;

  const slugAddress = () => {
    const named = document.querySelector("[data-slug-url]");
    if (named) {
      return named.dataset.slugUrl;
    }
    // /admin/forum/report/add/ or /admin/forum/report/7/change/ → /admin/forum/report/slug/
    const match = window.location.pathname.match(/^(.*\/)(?:add|\d+\/change)\/?$/);
    return match ? `${match[1]}slug/` : null;
  };

  const editedReport = () => {
    const match = window.location.pathname.match(/\/(\d+)\/change\/?$/);
    return match ? match[1] : "";
  };

  const connect = (address, headline, slug, suffix) => {
    let filled = slug.value; // what this script last put there
    let automatic = slug.value === "";
    let timer = null;
    let latest = 0;
    slug.addEventListener("input", () => {
      // Emptying the slug hands it back to the headline.
      automatic = slug.value === "" || slug.value === filled;
    });
    headline.addEventListener("input", () => {
      if (!automatic) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const asked = ++latest;
        const query = new URLSearchParams({
          text: headline.value,
          language: suffix,
          report: editedReport(),
        });
        try {
          const response = await fetch(`${address}?${query}`, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          });
          if (!response.ok || asked !== latest || !automatic) {
            return;
          }
          const answer = await response.json();
          slug.value = filled = answer.slug;
          slug.dispatchEvent(new Event("change", { bubbles: true }));
        } catch (error) {
          // Offline or refused: the slug stays as it is; a blank one is filled on saving.
        }
      }, DELAY_MS);
    });
  };

  const start = () => {
    const address = slugAddress();
    if (!address) {
      return;
    }
    document.querySelectorAll('input[id^="id_headline_"]').forEach((headline) => {
      const suffix = headline.id.slice("id_headline_".length);
      const slug = document.getElementById(`id_slug_${suffix}`);
      if (slug && !slug.readOnly && !slug.disabled) {
        connect(address, headline, slug, suffix);
      }
    });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
