// Demo storefront only: `?lang=zh-CN` shows every Encore widget on the page in that language,
// the way a store's theme would set the `locale` attribute for a Chinese storefront.
(() => {
  const lang = new URLSearchParams(location.search).get('lang');
  if (!lang || !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(lang)) return;
  for (const el of document.querySelectorAll('encore-widget')) el.setAttribute('locale', lang);
})();
