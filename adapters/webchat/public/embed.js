/* Cabildo embed: <script src="https://HOST/embed.js" defer></script> adds a floating chat button. */
(function () {
  if (window.__cabildoEmbed) return;
  window.__cabildoEmbed = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src, location.href).origin : location.origin;
  var BAR = 56; // the close bar's height on phones, above the chat

  var style = document.createElement('style');
  style.textContent =
    '.cabildo-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;min-height:48px;min-width:48px;border:0;border-radius:24px;' +
    'padding:0 20px;background:#1d4f91;color:#fff;font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}' +
    '.cabildo-launcher:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}' +
    '.cabildo-frame{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:380px;height:600px;max-height:calc(100vh - 104px);' +
    'border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff;display:none}' +
    '.cabildo-frame.open{display:block}' +
    // On a phone the chat takes the screen below a bar holding "Cerrar chat", so the button never covers the chat's own.
    '@media (max-width:480px){.cabildo-frame{right:0;left:0;bottom:auto;top:' + BAR + 'px;width:100%;height:calc(100% - ' + BAR + 'px);max-height:none;border-radius:0;box-shadow:none}' +
    '.cabildo-launcher.open{top:0;left:0;right:0;bottom:auto;width:100%;height:' + BAR + 'px;border-radius:0;box-shadow:none}}';
  document.head.appendChild(style);

  var frame = document.createElement('iframe');
  frame.className = 'cabildo-frame';
  frame.id = 'cabildo-chat';
  frame.title = 'Chat de Cabildo';
  frame.setAttribute('allow', 'clipboard-write');

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'cabildo-launcher';
  button.textContent = 'Chat de participación';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', frame.id);

  function isOpen() { return frame.classList.contains('open'); }
  function setOpen(open) {
    // The chat loads on first open only, so pages that never use it pay nothing.
    if (open && !frame.src) frame.src = origin + '/?embed=1';
    frame.classList.toggle('open', open);
    button.classList.toggle('open', open);
    button.textContent = open ? 'Cerrar chat' : 'Chat de participación';
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      // Focus goes into the chat's send box (the frame focuses it once it has loaded, or when asked).
      frame.focus();
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'cabildo:focus' }, origin);
    } else {
      button.focus();
    }
  }
  button.addEventListener('click', function () { setOpen(!isOpen()); });
  // Escape closes the chat, from this page or from inside the chat (which tells us).
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && isOpen()) setOpen(false);
  });
  window.addEventListener('message', function (event) {
    if (event.origin === origin && event.source === frame.contentWindow && event.data && event.data.type === 'cabildo:close' && isOpen()) setOpen(false);
  });

  function mount() {
    document.body.appendChild(frame);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
