// whatsapp-web.js brings puppeteer, which would download its own Chrome at install. Cabildo
// uses Debian's Chromium (PUPPETEER_EXECUTABLE_PATH, default /usr/bin/chromium) instead.
module.exports = { skipDownload: true };
